"""The outcomes API: scoped reads, writes through the services, 422 with field reasons, 409 on a stale version."""

import pytest

from fupin.accounts.tokens import token_issue
from fupin.outcomes.models import Purchase

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    _token, key = token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_it_lists_the_purchases_in_scope_with_totals(client, cast, records):
    body = client.get("/api/outcomes/purchases?year=2020", **_auth(cast["county"])).json()
    assert body["count"] == 2 and not body["capped"]
    assert {i["unit_name"] for i in body["items"]} == {"大唐青海能源开发有限公司"}
    (year,) = client.get("/api/outcomes/purchases/totals?by=year&year=2020", **_auth(cast["county"])).json()
    assert year["bought"] == "1200000.50" and year["sold"] == "80000.00" and year["count"] == 2
    outsider = client.get("/api/outcomes/purchases", **_auth(cast["outsider"])).json()
    assert [i["supplier"] for i in outsider["items"]] == ["凤凰村果园"]
    totals = client.get("/api/outcomes/purchases/totals?by=county", **_auth(cast["county"])).json()
    assert totals == [{"key": "632524", "label": "兴海县", "bought": "1500000.50", "sold": "80000.00",
                       "total": "1580000.50", "count": 3}]  # fmt: skip


def test_it_creates_and_refuses_with_chinese_field_reasons(client, cast):
    auth = _auth(cast["unitofficer"])
    body = {"unit_id": cast["datang"].pk, "kind": "bought", "region_code": "632524203207", "supplier": "合作社",
            "product": "青稞", "amount": "99.90", "date": "2020-05-01"}  # fmt: skip
    created = client.post("/api/outcomes/purchases", body, content_type="application/json", **auth)
    assert created.status_code == 201 and created.json()["amount"] == "99.90"
    bad = client.post("/api/outcomes/purchases", {**body, "region_code": "620821"},
                      content_type="application/json", **auth)  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["body", "region_code"]
    assert "帮扶县" in bad.json()["detail"]


def test_it_answers_409_to_a_stale_version(client, cast, records):
    auth = _auth(cast["county"])
    url = f"/api/outcomes/purchases/{records['p2019'].pk}"
    first = client.patch(url, {"version": 1, "amount": "1.00"}, content_type="application/json", **auth)
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "amount": "2.00"}, content_type="application/json", **auth)
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]


def test_it_hides_and_deletes(client, cast, records):
    url = f"/api/outcomes/purchases/{records['p2019'].pk}"
    assert client.get(url, **_auth(cast["outsider"])).status_code == 404
    assert client.delete(url, **_auth(cast["outsider"])).status_code == 404
    assert client.delete(url, **_auth(cast["county"])).status_code == 204
    assert not Purchase.objects.filter(pk=records["p2019"].pk).exists()


def test_it_serves_placements_and_pledges(client, cast, records):
    placements = client.get("/api/outcomes/placements", **_auth(cast["county"])).json()
    graduates = client.get("/api/outcomes/placements?kind=graduate", **_auth(cast["county"])).json()
    assert placements["count"] == 1 and graduates["count"] == 1
    (row,) = client.get("/api/outcomes/indicators?year=2020", **_auth(cast["county"])).json()
    rates = {i["name"]: i["rate"] for i in row["items"]}
    assert rates["bought"] == "120.0" and row["unit_name"] == "大唐青海能源开发有限公司"


def test_it_lets_only_the_unit_set_its_pledge(client, cast):
    url = f"/api/outcomes/units/{cast['datang'].pk}/targets"
    body = {"year": 2019, "bought": "500000", "cadres_trained": 40}
    assert (
        client.post(url, body, content_type="application/json", **_auth(cast["outsider"])).status_code == 404
    )
    assert client.post(url, body, content_type="application/json", **_auth(cast["county"])).status_code == 403
    made = client.post(url, body, content_type="application/json", **_auth(cast["unitofficer"]))
    assert made.status_code == 201 and made.json()["items"][2]["target"] == "40"
    target_id = made.json()["target_id"]
    patched = client.patch(f"/api/outcomes/targets/{target_id}", {"version": 1, "sold": "10"},
                           content_type="application/json", **_auth(cast["unitofficer"]))  # fmt: skip
    assert patched.status_code == 200 and patched.json()["version"] == 2
