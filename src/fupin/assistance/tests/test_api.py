"""The API: scoped lists, writes with Chinese 4xx reasons, the 409 of a stale version."""

import datetime

from fupin.accounts.tokens import token_issue
from fupin.assistance.models import Visit
from fupin.assistance.tests.matrix import CADRE, PERSON_TIMES
from fupin.core import crypto


def _auth(user):
    _token, key = token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_it_records_a_visit_through_the_api(client, world):
    answer = client.post(
        "/api/assistance/visits",
        {
            "household_id": world["zhaxi"].pk,
            "visited_on": datetime.date.today().isoformat(),
            "people_met": "扎西",
            "notes": "电话回访",
            "latitude": "35.5",
            "longitude": "99.9",
        },
        content_type="application/json",
        **_auth(world["cadre"]),
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["head_name"] == "扎西"
    assert Visit.objects.filter(notes="电话回访").exists()


def test_it_answers_bad_visit_input_with_a_chinese_reason(client, world):
    auth = _auth(world["cadre"])
    future = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    body = {"household_id": world["zhaxi"].pk, "visited_on": future, "people_met": "扎西", "notes": "x"}
    answer = client.post("/api/assistance/visits", body, content_type="application/json", **auth)
    assert answer.status_code == 422 and "日期不能晚于今天" in answer.json()["detail"]
    body = {**body, "visited_on": "2024-01-01", "latitude": "35.5"}
    answer = client.post("/api/assistance/visits", body, content_type="application/json", **auth)
    assert answer.status_code == 422 and "经纬度须同时填写" in answer.json()["detail"]
    body = {**body, "household_id": world["li"].pk, "latitude": None}
    answer = client.post("/api/assistance/visits", body, content_type="application/json", **auth)
    assert answer.status_code == 404


def test_it_answers_a_stale_measure_step_with_409(client, world):
    auth = _auth(world["county"])
    url = f"/api/assistance/measures/{world['measure'].pk}/transitions"
    first = client.post(url, {"to": "active", "version": 1}, content_type="application/json", **auth)
    assert first.status_code == 200 and first.json()["status"] == "active"
    stale = client.post(
        url, {"to": "cancelled", "version": 1, "reason": "重复"}, content_type="application/json", **auth
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    refused = client.post(url, {"to": "planned", "version": 2}, content_type="application/json", **auth)
    assert refused.status_code == 409 and "不能变更为" in refused.json()["detail"]


def test_it_refuses_a_team_of_two_through_the_api(client, world):
    team = world["team"]
    answer = client.post(
        f"/api/assistance/teams/{team.pk}/transitions",
        {"to": "active", "version": team.version},
        content_type="application/json",
        **_auth(world["county"]),
    )
    assert answer.status_code == 409 and "至少3人" in answer.json()["detail"]
    teams = client.get("/api/assistance/teams", **_auth(world["county"])).json()
    assert teams["items"][0]["below_minimum"] is True and teams["items"][0]["members"] == 2


def test_it_reports_person_times_and_coverage(client, world):
    auth = _auth(world["county"])
    assert client.get("/api/assistance/trainings/person-times?year=2019", **auth).json() == {
        "person_times": PERSON_TIMES
    }
    assert client.get("/api/assistance/trainings/person-times?year=2020", **auth).json() == {
        "person_times": 0
    }
    coverage = client.get("/api/assistance/coverage", **auth).json()
    assert coverage["villages"] == coverage["covered"] == 1 and "rows" not in coverage
    assert [c["code"] for c in coverage["counties"]] == ["632524"]
    villages = client.get("/api/assistance/coverage/villages", **auth).json()
    assert villages["count"] == 1 and villages["items"][0]["first_secretaries"] == [CADRE]
    assert villages["items"][0]["code"] == "632524101206" and villages["items"][0]["county"] == "兴海县"
    uncovered = client.get("/api/assistance/coverage/villages", {"uncovered": "true"}, **auth).json()
    assert uncovered["count"] == 0
    bad = client.get("/api/assistance/trainings/person-times?region_prefix=12345", **auth)
    assert bad.status_code == 422 and "区划代码" in bad.json()["detail"]


def test_it_forbids_writes_without_the_permission(client, world):
    """A viewer of 青海 may read the pairings but not record a visit (403 with a reason)."""
    from fupin.accounts.roles import Role
    from fupin.testing import make_user

    viewer = make_user("viewer", roles=[Role.VIEWER], scopes=["63"])
    auth = _auth(viewer)
    assert client.get("/api/assistance/pairings", **auth).json()["count"] == 2
    answer = client.post(
        "/api/assistance/visits",
        {"household_id": world["zhaxi"].pk, "visited_on": "2024-01-01", "people_met": "扎西", "notes": "x"},
        content_type="application/json",
        **auth,
    )
    assert answer.status_code == 403 and answer.json()["detail"]


def test_it_patches_a_cadre_team_and_class(client, world):
    auth = _auth(world["county"])
    cadre, team, training = world["assistance_cadre"], world["team"], world["training"]
    answer = client.patch(
        f"/api/assistance/cadres/{cadre.pk}",
        {"version": cadre.version, "title": "村党支部第一书记", "account": world["cadre"].username},
        content_type="application/json",
        **auth,
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["title"] == "村党支部第一书记" and answer.json()["version"] == 2
    assert answer.json()["account"] == world["cadre"].username and answer.json()["name"] == CADRE
    answer = client.patch(
        f"/api/assistance/teams/{team.pk}",
        {"version": team.version, "name": "民族村工作队(二期)"},
        content_type="application/json",
        **auth,
    )
    assert answer.status_code == 200 and answer.json()["name"] == "民族村工作队(二期)"
    answer = client.patch(
        f"/api/assistance/trainings/{training.pk}",
        {"version": training.version, "hours": "16", "attendees": [{"count": 40}, {"name": "才让"}]},
        content_type="application/json",
        **auth,
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["person_times"] == 41 and answer.json()["version"] == 2


def test_it_refuses_stale_and_bad_patches(client, world):
    auth = _auth(world["county"])
    cadre, team, training = world["assistance_cadre"], world["team"], world["training"]
    stale = client.patch(
        f"/api/assistance/cadres/{cadre.pk}",
        {"version": cadre.version + 1, "title": "x"},
        content_type="application/json",
        **auth,
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    bad = client.patch(
        f"/api/assistance/trainings/{training.pk}",
        {"version": training.version, "end": "2019-10-01"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422
    assert (
        bad.json()["errors"][0]["loc"] == ["body", "end"]
        and "结束日期不能早于开始日期" in bad.json()["detail"]
    )
    moved = client.patch(
        f"/api/assistance/teams/{team.pk}",
        {"version": team.version, "village_code": "632524101206"},
        content_type="application/json",
        **auth,
    )
    assert moved.status_code == 422 and moved.json()["errors"][0]["loc"] == ["body", "village_code"]
    far = client.patch(
        f"/api/assistance/cadres/{cadre.pk}",
        {"version": cadre.version, "region_code": "620821"},
        content_type="application/json",
        **auth,
    )
    assert far.status_code == 422 and far.json()["errors"][0]["loc"] == ["body", "region_code"]
    outsider = _auth(world["outsider"])
    for path in (f"cadres/{cadre.pk}", f"teams/{team.pk}", f"trainings/{training.pk}"):
        answer = client.patch(
            f"/api/assistance/{path}", {"version": 1}, content_type="application/json", **outsider
        )
        assert answer.status_code == 404


def test_it_sets_a_cadres_phone_by_the_same_rule_and_answers_it_masked(client, world):
    auth = _auth(world["county"])
    cadre = world["assistance_cadre"]
    url = f"/api/assistance/cadres/{cadre.pk}"
    bad = client.patch(
        url, {"version": cadre.version, "phone": "12345"}, content_type="application/json", **auth
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"][-1] == "phone"
    assert "手机号码" in bad.json()["detail"]
    good = client.patch(
        url, {"version": cadre.version, "phone": "13812345678"}, content_type="application/json", **auth
    )
    assert good.status_code == 200, good.content
    assert good.json()["phone"] == "138****5678"
    cadre.refresh_from_db()
    assert crypto.decrypt(cadre.phone_enc) == "13812345678" and cadre.phone_masked == "138****5678"
    cleared = client.patch(url, {"version": 2, "phone": ""}, content_type="application/json", **auth)
    assert cleared.status_code == 200 and cleared.json()["phone"] == ""
    cadre.refresh_from_db()
    assert (cadre.phone_enc, cadre.phone_masked) == ("", "")
