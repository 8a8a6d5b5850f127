"""The case and object pages: exactly the step form the user may do now (by role and scope), the
deadline and its colour, a refused step kept on the page with what was typed, 入户核实 with its
photo, the village's 发现风险 form, and 提出风险消除 from the object page."""

import datetime
import re

import pytest
from django.urls import reverse

from fupin.monitoring import services
from fupin.monitoring.choices import Stage
from fupin.monitoring.models import Lead, MonitoringObject
from fupin.monitoring.tests import workflow_kit as kit

WORLD_LAYERS = ("assistance", kit.build)
D = datetime.date


@pytest.fixture
def frozen(monkeypatch):
    kit.freeze(monkeypatch, kit.MONDAY)
    return monkeypatch


def _page(client, user, lead) -> str:
    client.force_login(user)
    answer = client.get(reverse("monitoring:lead_detail", args=[lead.pk]))
    assert answer.status_code == 200
    return answer.content.decode()


def _step(html: str) -> str | None:
    found = re.search(r'id="step" data-step="([a-z_]+)"', html)
    return found.group(1) if found else None


def _report(cast):
    return services.report_lead(
        by=cast["cadre"], household=cast["zhaxi"], risks=["illness"], hardship="户主住院"
    )


def test_each_role_sees_exactly_its_step(client, cast, frozen):
    submitted = kit.self_report()
    assert _step(_page(client, cast["township"], submitted)) == "accept"
    for who in ("cadre", "county", "viewer", "unitofficer"):
        assert _step(_page(client, cast[who], submitted)) is None, who
    assert "等待乡镇办理:受理" in _page(client, cast["cadre"], submitted)

    lead = _report(cast)
    expected = {
        Stage.ACCEPTED: "verify",
        Stage.VERIFIED: "compare",
        Stage.COMPARED: "review",
        Stage.PUBLICISED: "check",
        Stage.CHECKED: "decide",
    }
    takers = {
        "verify": "cadre",
        "compare": "cadre",
        "review": "cadre",
        "check": "township",
        "decide": "county",
    }
    for stage, step in expected.items():
        kit.walk(cast, lead, stage, monkeypatch=frozen)
        for who in ("cadre", "township", "county", "unitofficer"):
            html = _page(client, cast[who], lead)
            assert _step(html) == (step if takers[step] == who else None), (stage, who)
    page = _page(client, cast["county"], lead)
    assert 'name="risks"' in page and 'name="safety_net"' in page and 'name="layer"' in page


def test_the_publicity_waits_for_its_days(client, cast, frozen):
    lead = _report(cast)
    kit.walk(cast, lead, Stage.PUBLICISING)
    html = _page(client, cast["cadre"], lead)
    assert _step(html) is None and "村内公示中" in html
    kit.freeze(frozen, lead.publicity_to + datetime.timedelta(days=1))
    html = _page(client, cast["cadre"], lead)
    assert _step(html) == "end_publicity" and "确认公示期满" in html
    client.post(reverse("monitoring:lead_step", args=[lead.pk]), {"version": lead.version})
    assert kit.fresh(lead).stage == Stage.PUBLICISED


def test_the_page_shows_the_deadline_and_its_colour(client, cast, frozen):
    lead = _report(cast)
    html = _page(client, cast["cadre"], lead)
    assert "2026-03-06" in html and "2026-03-17" in html and 'data-urgency="on_time"' in html
    kit.freeze(frozen, D(2026, 3, 7))
    html = _page(client, cast["cadre"], lead)
    assert 'class="tag tag-orange urgency"' in html and "本环节已逾期" in html
    kit.freeze(frozen, D(2026, 3, 18))
    html = _page(client, cast["cadre"], lead)
    assert 'class="tag tag-red urgency"' in html and "已超过审定时限" in html


def test_verify_on_the_page_with_a_photo(client, cast, frozen):
    lead = _report(cast)
    client.force_login(cast["cadre"])
    url = reverse("monitoring:lead_step", args=[lead.pk])
    typed = {"version": lead.version, "verified_on": "2026-03-02", "verification": "一段很长的核实情况"}
    refused = client.post(url, typed)
    body = refused.content.decode()
    assert refused.status_code == 422
    assert "须由农户签署承诺授权书" in body and "请上传已签署的承诺授权书照片" in body
    assert "一段很长的核实情况" in body and 'enctype="multipart/form-data"' in body
    done = client.post(url, {**typed, "consent_signed": "on", "consent_photo": kit.photo()})
    assert done.status_code == 302 and done.url == reverse("monitoring:lead_detail", args=[lead.pk])
    kit.fresh(lead)
    assert lead.stage == Stage.VERIFIED
    page = client.get(done.url).content.decode()
    assert "已记录入户核实。" in page and "一段很长的核实情况" in page
    photo = client.get(reverse("monitoring:lead_photo", args=[lead.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    client.force_login(cast["outsider"])
    assert client.get(reverse("monitoring:lead_photo", args=[lead.pk])).status_code == 404
    # A page left open while the step was taken: the version says so.
    client.force_login(cast["cadre"])
    stale = client.post(url, {"version": 1, "medical": "ok"})
    assert stale.status_code == 422 and "已被他人修改" in stale.content.decode()


def test_a_step_by_someone_who_may_not_take_it_is_refused(client, cast, frozen):
    lead = _report(cast)
    client.force_login(cast["township"])
    answer = client.post(reverse("monitoring:lead_step", args=[lead.pk]), {"version": lead.version})
    assert answer.status_code == 403
    client.force_login(cast["outsider"])
    assert client.get(reverse("monitoring:lead_detail", args=[lead.pk])).status_code == 404


def test_the_county_decides_on_the_page(client, cast, frozen):
    lead = _report(cast)
    kit.walk(cast, lead, Stage.CHECKED, monkeypatch=frozen)
    client.force_login(cast["county"])
    url = reverse("monitoring:lead_step", args=[lead.pk])
    no_reason = client.post(url, {"version": lead.version, "decision": "exclude"})
    assert no_reason.status_code == 422 and "请填写理由" in no_reason.content.decode()
    decided = client.post(
        url,
        {
            "version": lead.version,
            "decision": "include",
            "type": "marginal",
            "risks": ["illness", "accident"],
        },
    )
    assert decided.status_code == 302
    obj = MonitoringObject.objects.get(lead=lead)
    page = client.get(decided.url).content.decode()
    assert reverse("monitoring:object_detail", args=[obj.pk]) in page and "已纳入监测对象" in page
    assert [r.risk for r in obj.risks.all()] == ["illness", "accident"]


def test_report_lead_from_the_household(client, cast, frozen):
    url = reverse("monitoring:report_lead", args=[cast["zhaxi"].pk])
    client.force_login(cast["township"])
    assert client.get(url).status_code == 403
    client.force_login(cast["cadre"])
    assert client.get(reverse("monitoring:report_lead", args=[cast["li"].pk])).status_code == 404
    form = client.get(url).content.decode()
    assert "发现风险" in form and 'name="risks"' in form
    refused = client.post(url, {"risks": ["disaster"], "hardship": "洪水冲毁房屋", "opened_on": "2026-03-02"})
    assert refused.status_code == 200 and "因自然灾害须选择灾害类型" in refused.content.decode()
    made = client.post(
        url,
        {
            "risks": ["disaster"],
            "disaster_kind": "flood",
            "hardship": "洪水冲毁房屋",
            "opened_on": "2026-03-02",
        },
    )
    lead = Lead.objects.get(household=cast["zhaxi"])
    assert made.status_code == 302 and made.url == reverse("monitoring:lead_detail", args=[lead.pk])
    assert (lead.channel, lead.risks, lead.disaster_kind, lead.reported_by) == (
        "cadre",
        ["disaster"],
        "flood",
        cast["cadre"],
    )
    twice = client.post(url, {"risks": ["illness"], "hardship": "又病了", "opened_on": "2026-03-02"})
    assert lead.number in twice.content.decode()


def test_the_object_page_and_its_elimination(client, cast, frozen):
    kit.freeze(frozen, D(2025, 6, 2))
    lead = _report(cast)
    kit.walk(cast, lead, Stage.DECIDED, monkeypatch=frozen)
    obj = MonitoringObject.objects.get(lead=lead)
    url = reverse("monitoring:object_detail", args=[obj.pk])
    client.force_login(cast["county"])
    page = client.get(url).content.decode()
    assert "多杰才旦" in page and "危房改造" in page and "住房" in page and "因病" in page
    assert 'id="propose-elimination"' not in page  # the village proposes, not the county
    client.force_login(cast["cadre"])
    page = client.get(url).content.decode()
    assert 'id="propose-elimination"' in page
    propose = reverse("monitoring:propose_elimination", args=[obj.pk])
    kit.freeze(frozen, D(2025, 8, 1))
    early = client.get(propose).content.decode()
    assert "暂不符合风险消除条件" in early and "识别未满6个月" in early
    kit.freeze(frozen, D(2026, 3, 2))
    ready = client.get(propose).content.decode()
    assert "可以提出风险消除" in ready and "18000.00" in ready
    made = client.post(propose, {"kind": "assisted", "note": "务工收入稳定"})
    assert made.status_code == 302
    elimination = obj.eliminations.get()
    assert made.url == reverse("monitoring:elimination_detail", args=[elimination.pk])
    html = client.get(made.url).content.decode()
    assert 'data-step="verify"' in html and "务工收入稳定" in html
    page = client.get(url).content.decode()
    assert 'id="propose-elimination"' not in page and "风险消除办理中" in page
    client.force_login(cast["outsider"])
    assert client.get(url).status_code == 404
    assert client.get(made.url).status_code == 404


def test_the_township_rejects_a_self_report_on_the_page(client, cast, frozen):
    lead = kit.self_report()
    client.force_login(cast["township"])
    url = reverse("monitoring:lead_step", args=[lead.pk])
    bare = client.post(url, {"version": lead.version, "decision": "reject", "reasons": ""})
    assert bare.status_code == 422 and "请填写理由" in bare.content.decode()
    done = client.post(
        url, {"version": lead.version, "decision": "reject", "reasons": "非本村村民\n重复申报"}
    )
    assert done.status_code == 302
    page = client.get(done.url).content.decode()
    assert 'id="closing-reasons"' in page and "非本村村民" in page and "重复申报" in page
    assert _step(page) is None and 'class="step step-stopped"' in page


def test_the_county_decides_an_elimination_on_the_page(client, cast, frozen):
    kit.freeze(frozen, D(2025, 6, 2))
    lead = _report(cast)
    kit.walk(cast, lead, Stage.DECIDED, monkeypatch=frozen)
    obj = MonitoringObject.objects.get(lead=lead)
    kit.freeze(frozen, D(2026, 3, 2))
    elimination = services.propose_elimination(by=cast["cadre"], object=obj, kind="natural")
    kit.walk(cast, elimination, Stage.CHECKED, monkeypatch=frozen)
    client.force_login(cast["county"])
    page = client.get(reverse("monitoring:elimination_detail", args=[elimination.pk])).content.decode()
    assert _step(page) == "decide" and "同意风险消除" in page and 'name="risks"' not in page
    done = client.post(
        reverse("monitoring:elimination_step", args=[elimination.pk]),
        {"version": elimination.version, "decision": "include"},
    )
    assert done.status_code == 302
    obj.refresh_from_db()
    assert obj.status == "eliminated" and obj.elimination_kind == "natural"
    page = client.get(reverse("monitoring:object_detail", args=[obj.pk])).content.decode()
    assert "风险已消除" in page and "自然消除" in page
