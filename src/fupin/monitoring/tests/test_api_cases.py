"""The review chain through the API: a lead from 发现风险 to a monitoring object and its elimination,
a 409 with the reasons for a refused step or a stale version, a 422 per field, 403 for who may not
act, 404 outside the scope; the standards (GET everyone in place, PUT the county for its own)."""

import datetime

import pytest

from fupin.accounts.tokens import token_issue
from fupin.monitoring.choices import Stage
from fupin.monitoring.models import Lead, MonitoringLine, MonitoringObject
from fupin.monitoring.tests import workflow_kit as kit

WORLD_LAYERS = ("assistance", kit.build)
API = "/api/monitoring"
D = datetime.date


@pytest.fixture
def frozen(monkeypatch):
    kit.freeze(monkeypatch, kit.MONDAY)
    return monkeypatch


def _auth(user):
    _token, key = token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, user, path, body):
    return client.post(f"{API}{path}", body, content_type="application/json", **_auth(user))


def test_a_lead_goes_through_the_chain_in_the_api(client, cast, frozen):
    cadre, township, county = cast["cadre"], cast["township"], cast["county"]
    made = _post(
        client, cadre, "/leads", {"household_id": cast["zhaxi"].pk, "risks": ["illness"], "hardship": "住院"}
    )
    assert made.status_code == 201, made.content
    lead = made.json()
    assert (lead["stage"], lead["channel"], lead["head_name"], lead["urgency"]) == (
        "accepted",
        "cadre",
        "扎西",
        "on_time",
    )
    assert [e["to_status"] for e in lead["events"]] == ["accepted"]
    url = f"/leads/{lead['id']}"

    # 入户核实 is multipart: the 承诺授权书 photo with the form's fields.
    form = {
        "version": lead["version"],
        "consent_signed": "true",
        "verified_on": "2026-03-02",
        "verification": "属实",
    }
    missing = client.post(f"{API}{url}/verify", form, **_auth(cadre))
    assert missing.status_code == 422 and "请上传已签署的承诺授权书照片" in missing.json()["detail"]
    assert missing.json()["errors"][0]["loc"] == ["body", "consent_photo"]
    done = client.post(f"{API}{url}/verify", {**form, "consent_photo": kit.photo()}, **_auth(cadre))
    assert done.status_code == 200, done.content
    assert done.json()["stage"] == "verified" and done.json()["consent_signed"] is True
    stale = client.post(f"{API}{url}/verify", {**form, "consent_photo": kit.photo()}, **_auth(cadre))
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]

    version = done.json()["version"]
    empty = _post(client, cadre, f"{url}/compare", {"version": version, "comparison": {}})
    assert empty.status_code == 422 and "至少填写一个部门" in empty.json()["detail"]
    unknown = _post(
        client, cadre, f"{url}/compare", {"version": version, "comparison": {"bank": {"ok": True}}}
    )
    assert unknown.status_code == 422
    compared = _post(
        client,
        cadre,
        f"{url}/compare",
        {"version": version, "comparison": {"medical": {"ok": False, "note": "自付3万"}}},
    )
    assert compared.status_code == 200 and compared.json()["comparison"]["medical"]["ok"] is False

    review = {
        "version": compared.json()["version"],
        "votes_for": 2,
        "votes_against": 5,
        "publicity_from": "2026-03-02",
    }
    lost = _post(client, cadre, f"{url}/village-review", review)
    assert lost.status_code == 409 and "同意票须多于反对票" in lost.json()["reasons"][0]
    negative = _post(client, cadre, f"{url}/village-review", {**review, "votes_for": -1})
    assert negative.status_code == 422
    reviewed = _post(client, cadre, f"{url}/village-review", {**review, "votes_for": 9, "votes_against": 0})
    assert reviewed.status_code == 200 and reviewed.json()["publicity_to"] == "2026-03-07"
    version = reviewed.json()["version"]
    early = _post(client, cadre, f"{url}/end-publicity", {"version": version})
    assert early.status_code == 409 and "尚未期满" in early.json()["detail"]
    kit.freeze(frozen, D(2026, 3, 8))
    ended = _post(client, cadre, f"{url}/end-publicity", {"version": version})
    assert ended.status_code == 200 and ended.json()["stage"] == "publicised"

    version = ended.json()["version"]
    assert (
        _post(client, cadre, f"{url}/township-check", {"version": version, "approve": True}).status_code
        == 403
    )
    checked = _post(client, township, f"{url}/township-check", {"version": version, "approve": True})
    assert checked.status_code == 200 and checked.json()["stage"] == "checked"

    version = checked.json()["version"]
    decide = {"version": version, "include": True, "type": "sudden", "risks": ["disaster"]}
    assert _post(client, cadre, f"{url}/county-decide", decide).status_code == 403
    assert _post(client, township, f"{url}/county-decide", decide).status_code == 403
    no_kind = _post(client, county, f"{url}/county-decide", decide)
    assert no_kind.status_code == 422 and no_kind.json()["errors"][0]["loc"] == ["body", "disaster_kind"]
    decided = _post(client, county, f"{url}/county-decide", {**decide, "disaster_kind": "earthquake"})
    assert decided.status_code == 200, decided.content
    object_id = decided.json()["object_id"]
    assert decided.json()["stage"] == "decided" and object_id

    # The object, with its measures as national kinds and its 帮扶责任人.
    got = client.get(f"{API}/objects/{object_id}", **_auth(cadre)).json()
    assert got["type"] == "sudden" and got["risks"] == [
        {"risk": "disaster", "label": "因自然灾害", "disaster_kind": "earthquake"}
    ]
    assert [(m["kind"], m["content"]) for m in got["measures"]] == [("housing", "危房改造")]
    assert [h["name"] for h in got["helpers"]] == ["多杰才旦"]
    listed = client.get(f"{API}/objects", **_auth(county)).json()
    assert [o["id"] for o in listed["items"]] == [object_id]
    assert client.get(f"{API}/objects/{object_id}", **_auth(cast["outsider"])).status_code == 404
    assert client.get(f"{API}{url}", **_auth(cast["outsider"])).status_code == 404
    assert client.get(f"{API}/leads", **_auth(cast["outsider"])).json()["count"] == 0
    assert client.get(f"{API}/leads", **_auth(township)).json()["count"] == 1


def test_a_self_report_is_accepted_or_refused_in_the_api(client, cast, frozen):
    lead = kit.self_report()
    url = f"/leads/{lead.pk}"
    assert _post(client, cast["cadre"], f"{url}/accept", {"version": 1}).status_code == 403
    assert _post(client, cast["heka"], f"{url}/accept", {"version": 1}).status_code == 404  # not in 河卡镇
    assert _post(client, cast["township"], f"{url}/reject", {"version": 1, "reasons": []}).status_code == 422
    assert _post(client, cast["township"], f"{url}/accept", {"version": 2}).status_code == 409
    accepted = _post(client, cast["township"], f"{url}/accept", {"version": 1, "reason": "材料齐全"})
    assert accepted.status_code == 200 and accepted.json()["stage"] == "accepted"
    again = _post(client, cast["township"], f"{url}/reject", {"version": 2, "reasons": ["重复"]})
    assert again.status_code == 409 and "不能作不予受理处理" in again.json()["detail"]
    # 入户核实 links the self-report to its registered household.
    form = {"version": 2, "consent_signed": "true", "verified_on": "2026-03-02", "verification": "属实"}
    unlinked = client.post(
        f"{API}{url}/verify", {**form, "consent_photo": kit.photo()}, **_auth(cast["cadre"])
    )
    assert unlinked.status_code == 422 and unlinked.json()["errors"][0]["loc"] == ["body", "household_id"]
    elsewhere = {**form, "household_id": cast["wang"].pk, "consent_photo": kit.photo()}
    assert client.post(f"{API}{url}/verify", elsewhere, **_auth(cast["cadre"])).status_code == 422
    linked = {**form, "household_id": cast["zhaxi"].pk, "consent_photo": kit.photo()}
    answer = client.post(f"{API}{url}/verify", linked, **_auth(cast["cadre"]))
    assert answer.status_code == 200 and answer.json()["household_id"] == cast["zhaxi"].pk


def test_an_elimination_in_the_api(client, cast, frozen):
    kit.freeze(frozen, D(2025, 6, 2))
    lead = _report_and_decide(cast, frozen)
    obj = MonitoringObject.objects.get(lead=lead)
    kit.freeze(frozen, D(2026, 3, 2))
    bad = _post(client, cast["cadre"], f"/objects/{obj.pk}/eliminations", {"kind": "gone"})
    assert bad.status_code == 422
    refused = _post(client, cast["county"], f"/objects/{obj.pk}/eliminations", {"kind": "natural"})
    assert refused.status_code == 403
    made = _post(
        client, cast["cadre"], f"/objects/{obj.pk}/eliminations", {"kind": "natural", "note": "收入稳定"}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["stage"] == "accepted" and body["basis"]["note"] == "收入稳定"
    twice = _post(client, cast["cadre"], f"/objects/{obj.pk}/eliminations", {"kind": "natural"})
    assert twice.status_code == 409 and "已有正在办理的风险消除" in twice.json()["detail"]
    url = f"/eliminations/{body['id']}"
    assert client.get(f"{API}{url}", **_auth(cast["outsider"])).status_code == 404
    form = {
        "version": body["version"],
        "consent_signed": "true",
        "verified_on": "2026-03-02",
        "verification": "收入稳定",
    }
    verified = client.post(
        f"{API}{url}/verify", {**form, "consent_photo": kit.photo()}, **_auth(cast["cadre"])
    )
    assert verified.status_code == 200 and verified.json()["stage"] == "verified"
    listed = client.get(f"{API}/eliminations", **_auth(cast["county"])).json()
    assert [e["id"] for e in listed["items"]] == [body["id"]]


def _report_and_decide(cast, monkeypatch):
    from fupin.monitoring import services

    lead = services.report_lead(by=cast["cadre"], household=cast["zhaxi"], risks=["illness"], hardship="大病")
    kit.walk(cast, lead, Stage.DECIDED, monkeypatch=monkeypatch)
    return lead


def test_the_standards_in_the_api(client, cast):
    county, outsider = cast["county"], cast["outsider"]
    lines = client.get(f"{API}/standards/monitoring-lines?year=2025", **_auth(county)).json()
    assert {(line["region_code"], line["amount"]) for line in lines} == {
        ("63", "8700.00"),
        ("632524", "9000.00"),
    }
    assert client.get(f"{API}/standards/monitoring-lines", **_auth(outsider)).json() == []
    applicable = client.get(f"{API}/standards/applicable?code=632524203207&year=2024", **_auth(county)).json()
    assert applicable["monitoring_line"]["region_code"] == "63" and applicable["dibao_standard"] is None
    assert client.get(f"{API}/standards/applicable?code=632524203207", **_auth(outsider)).status_code == 404

    put = client.put(
        f"{API}/standards/dibao/632524/2026",
        {"amount": "6300", "note": "兴海县2026年农村低保标准"},
        content_type="application/json",
        **_auth(county),
    )
    assert put.status_code == 200 and put.json()["amount"] == "6300.00"
    changed = client.put(
        f"{API}/standards/monitoring-lines/632524/2025",
        {"amount": "9100.50"},
        content_type="application/json",
        **_auth(county),
    )
    assert changed.status_code == 200
    assert str(MonitoringLine.objects.get(region_id="632524", year=2025).amount) == "9100.50"
    province = client.put(
        f"{API}/standards/monitoring-lines/63/2026",
        {"amount": "9000"},
        content_type="application/json",
        **_auth(county),
    )
    assert province.status_code == 403  # the province sets its own line, not a county officer
    village = client.put(
        f"{API}/standards/monitoring-lines/632524203207/2026",
        {"amount": "9000"},
        content_type="application/json",
        **_auth(county),
    )
    assert village.status_code == 422 and "省、市或县" in village.json()["detail"]
    negative = client.put(
        f"{API}/standards/dibao/632524/2026",
        {"amount": "-1"},
        content_type="application/json",
        **_auth(county),
    )
    assert negative.status_code == 422
    cadre_put = client.put(
        f"{API}/standards/dibao/632524/2026",
        {"amount": "6000"},
        content_type="application/json",
        **_auth(cast["cadre"]),
    )
    assert cadre_put.status_code == 403
    assert Lead.objects.count() == 0
