"""The projects API: scoped reads, writes through the services, refusals as 409 with Chinese reasons."""

from fupin import testing
from fupin.accounts.tokens import token_issue
from fupin.projects.models import Status
from fupin.projects.tests.factories import make_project, make_source


def call(client, user, method, url, body=None):
    _token, key = token_issue(user=user, name="t")
    send = getattr(client, method)
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if body is not None:
        kwargs.update(data=body, content_type="application/json")
    return send(url, **kwargs)


def _records(made: dict) -> dict:
    return {
        "source": make_source(),
        "project": make_project(unit=made["datang"], status=Status.PROPOSED),
    }


WORLD_LAYERS = (_records,)


def test_it_creates_a_draft_and_refuses_a_stale_patch(client, world):
    body = {
        "name": "民族村饮水工程",
        "place_code": testing.MINZU_VILLAGE,
        "category": "housing_water",
        "year": 2024,
        "budget": "120000.50",
    }
    answer = call(client, world["cadre"], "post", "/api/projects/projects", body)
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert created["budget"] == "120000.50" and created["status"] == "draft"
    url = f"/api/projects/projects/{created['id']}"
    assert call(client, world["cadre"], "patch", url, {"version": 1, "name": "改名"}).status_code == 200
    stale = call(client, world["cadre"], "patch", url, {"version": 1, "name": "再改"})
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]


def test_a_refused_step_is_a_409_with_every_reason(client, world):
    project = make_project(name="另一个项目")
    url = f"/api/projects/projects/{project.pk}/transitions"
    assert call(client, world["cadre"], "post", url, {"action": "propose"}).status_code == 200
    township = testing.make_user("township", roles=["township_officer"], scopes=["632524203"])
    call(client, township, "post", url, {"action": "review"})
    answer = call(client, world["county"], "post", url, {"action": "approve"})
    assert answer.status_code == 409
    reasons = answer.json()["reasons"]
    assert "请填写评审专家" in reasons and any(r.startswith("资金来源未落实") for r in reasons)


def test_the_ledger_refuses_overspending_with_a_reason(client, world):
    project = world["project"]
    project.__class__.objects.filter(pk=project.pk).update(status=Status.IN_PROGRESS)
    url = f"/api/projects/projects/{project.pk}/allocations"
    ok = call(client, world["county"], "post", url, {"source_id": world["source"].pk, "amount": "1000.00"})
    assert ok.status_code == 201
    pay = f"/api/projects/entries/{ok.json()['id']}/disbursements"
    too_much = call(client, world["county"], "post", pay, {"amount": "1000.01"})
    assert too_much.status_code == 409 and "剩余可拨付1,000.00元" in too_much.json()["reasons"][0]
    assert call(client, world["county"], "post", pay, {"amount": "400"}).status_code == 201
    listed = call(
        client, world["county"], "get", f"/api/projects/entries?project={project.pk}&kind=disbursement"
    )
    assert listed.json()["total"] == "400.00"


def test_the_cadre_cannot_move_money_and_the_outsider_sees_nothing(client, world):
    from fupin.projects import ledger

    project = world["project"]
    allocation = ledger.fund_allocate(by=None, source=world["source"], project=project, amount="10")
    url = f"/api/projects/entries/{allocation.pk}/disbursements"
    assert (
        call(client, world["cadre"], "post", url, {"amount": "1"}).status_code == 403
    )  # sees it, may not pay
    assert call(client, world["outsider"], "post", url, {"amount": "1"}).status_code == 404
    assert call(client, world["outsider"], "get", "/api/projects/projects").json()["count"] == 0


def test_bad_money_is_a_422_never_a_500(client, world):
    url = f"/api/projects/sources/{world['source'].pk}/budget"
    for amount in ("1.234", "-5", "1e5", "NaN", ""):
        assert call(client, world["county"], "post", url, {"amount": amount}).status_code == 422, amount
