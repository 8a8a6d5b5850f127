"""The outcomes and projects writes refuse a bad place or a missing record with a 4xx that names the
field, never a 500 — including the combinations a generator rarely tries (a registry member with a
region that is malformed, unassisted or out of scope)."""

from fupin.accounts.tokens import token_issue

# A code of no division, a province (too high), a county outside 兴海县, a village nobody has.
BAD_CODES = ["00", "63", "620821", "632524999999"]


def _records(made: dict) -> dict:
    from fupin.projects.tests.factories import make_project, make_source

    member = made["zhaxi"].members.get(name="卓玛")
    source = make_source()
    project = make_project(unit=made["datang"])
    _token, key = token_issue(user=made["county"], name="refusals")
    return {"member": member, "source": source, "project": project, "key": key}


WORLD_LAYERS = ("households", _records)


def _writes(cast, world):
    """(method, path, body, field named in the answer) for each bad value."""
    datang = cast["datang"].pk
    placement = {"unit_id": datang, "member_id": world["member"].pk, "employer": "兴海光伏电站",
                 "kind": "worker", "date": "2020-07-01", "wage_band": "lt2000"}  # fmt: skip
    purchase = {"unit_id": datang, "kind": "bought", "supplier": "合作社", "product": "青稞",
                "amount": "99.90", "date": "2020-05-01"}  # fmt: skip
    project = {"name": "新项目", "category": "industry", "nature": "new", "year": 2024}
    source = {"name": "资金", "kind": "county", "year": 2024}
    for code in BAD_CODES:
        yield "post", "/api/outcomes/placements", {**placement, "region_code": code}, "region_code"
        yield "post", "/api/outcomes/purchases", {**purchase, "region_code": code}, "region_code"
        yield "post", "/api/projects/projects", {**project, "place_code": code}, "place_code"
        yield "post", "/api/projects/sources", {**source, "place_code": code}, "place_code"
        project_id = world["project"].pk
        yield (
            "patch",
            f"/api/projects/projects/{project_id}",
            {"version": 1, "place_code": code},
            "place_code",
        )
    yield "post", "/api/outcomes/placements", {**placement, "member_id": 2**40}, "member_id"
    yield "post", "/api/outcomes/placements", {**placement, "unit_id": 2**40}, "unit_id"
    yield (
        "post",
        "/api/outcomes/purchases",
        {**purchase, "region_code": "632524", "unit_id": 2**40},
        "unit_id",
    )
    yield "post", "/api/projects/projects", {**project, "place_code": "632524", "unit_id": 2**40}, "unit_id"
    project_id = world["project"].pk
    gone = {"household_id": 2**40, "benefit": "分红"}
    yield "post", f"/api/projects/projects/{project_id}/beneficiaries", gone, "household_id"
    village = {"village_code": "620821100206", "benefit": "道路"}  # the outsider's village
    yield "post", f"/api/projects/projects/{project_id}/beneficiaries", village, "village_code"
    money = {"amount": "100.00", "date": "2024-05-06", "source_id": 2**40}
    yield "post", f"/api/projects/projects/{project_id}/allocations", money, "source_id"


def test_bad_places_and_ids_are_refused_naming_the_field(client, cast, world):
    wrong = []
    for method, path, body, field in _writes(cast, world):
        answer = getattr(client, method)(
            path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {world['key']}"
        )
        named = answer.status_code == 422 and ["body", field] in [e["loc"] for e in answer.json()["errors"]]
        if not (named or answer.status_code in (403, 404)):
            wrong.append(f"{method.upper()} {path} {field}={body.get(field)}: {answer.status_code}")
    assert wrong == []


def test_a_placement_patch_to_a_bad_region_is_a_422(client, cast, world):
    from fupin.outcomes import services

    placement = services.placement_create(
        by=None, unit=cast["datang"].pk, member=world["member"].pk, employer="电站",
        kind="worker", date="2020-07-01", wage_band="lt2000",
    )  # fmt: skip
    for code in BAD_CODES:
        answer = client.patch(
            f"/api/outcomes/placements/{placement.pk}", {"version": 1, "region_code": code},
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {world['key']}",
        )  # fmt: skip
        assert answer.status_code == 422, (code, answer.content)
        assert ["body", "region_code"] in [e["loc"] for e in answer.json()["errors"]]
