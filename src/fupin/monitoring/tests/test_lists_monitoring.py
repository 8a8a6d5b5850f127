"""The monitoring lists (monitoring.lists), the overview, the household page's monitoring section and
the back office of the standards.

A frozen day (FROZEN, a Monday) and cases whose deadlines fall around it: 扎西's cadre lead on time,
王芳's rule lead past its step's deadline (orange), a self-report past the decision limit (red), a
decided lead that made 扎西 a monitoring object, an elimination under way; 李强's lead and object in
泾川县, the outsider's county. Each list filters, sorts and exports (masked; the clear export needs
registry.reveal_household); the outsider sees none of 兴海县.
"""

import datetime

import pytest
from django.urls import reverse

from fupin.audit.models import AuditEvent
from fupin.monitoring import deadlines, lists, services
from fupin.monitoring import selectors_lists as rows
from fupin.monitoring.choices import Channel, EliminationKind, ObjectType, Stage
from fupin.monitoring.models import (
    Elimination,
    Layer,
    Lead,
    MonitoringLine,
    MonitoringObject,
    ObjectRisk,
    QualityFinding,
)
from fupin.regions.models import Region
from fupin.testing import (
    MINZU_VILLAGE,
    NINGQU_VILLAGE,
    PHONE,
    make_household,
    make_user,
    person_id,
    xlsx_rows,
)

FROZEN = datetime.date(2026, 3, 16)  # a Monday
D = datetime.date
APPLICANT_ID = person_id(77)
APPLICANT_PHONE = "13912345678"


def _case(case, stage: str):
    """Put a case at `stage` with that stage's deadline (the chain itself is the workflow's tests')."""
    code = case.village_id if isinstance(case, Lead) else case.object.household.village_id
    due = deadlines.step_due(deadlines.limits_for(code), case.opened_on, stage)
    type(case).objects.filter(pk=case.pk).update(stage=stage, step_due=due)
    case.refresh_from_db()
    return case


def _lead(village: str, opened: D, stage: str, channel=Channel.CADRE, **fields) -> Lead:
    lead = services.open_lead(
        by=None, channel=channel, village=Region.objects.get(code=village), opened_on=opened, **fields
    )
    return _case(lead, stage)


def _object(household, type_: str, risks, layer: str, identified: D, **fields) -> MonitoringObject:
    obj = MonitoringObject.objects.create(
        household=household,
        type=type_,
        identified_on=identified,
        layer=Layer.objects.get(code=layer),
        **fields,
    )
    for order, risk in enumerate(risks):
        ObjectRisk.objects.create(object=obj, risk=risk, order=order)
    return obj


def build(made: dict) -> dict:
    zhaxi, wang, li = made["zhaxi"], made["wang"], made["li"]
    MonitoringLine.objects.create(year=2025, region_id="63", amount="7200", note="示意")
    decided = _lead(MINZU_VILLAGE, D(2025, 12, 1), Stage.DECIDED, household=zhaxi, risks=["illness"])
    obj = _object(
        zhaxi,
        ObjectType.UNSTABLE,
        ["illness", "water"],
        "latent_risk",
        D(2025, 12, 15),
        former_poor=True,
        lead=decided,
    )
    elimination = Elimination.objects.create(
        object=obj,
        kind=EliminationKind.ASSISTED,
        stage=Stage.ACCEPTED,
        opened_on=D(2026, 3, 12),
        decision_due=D(2026, 3, 27),
    )
    _case(elimination, Stage.VERIFIED)
    _object(li, ObjectType.MARGINAL, ["schooling"], "development", D(2026, 1, 5))
    QualityFinding.objects.create(
        rule="no_measure",
        county_id="632524",
        household=zhaxi,
        object=obj,
        detail="识别一个月后仍无帮扶措施",
        found_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
    )
    dorje = make_household(head="多杰", head_id=person_id(3))
    return {
        "dorje": dorje,
        "object": obj,
        "elimination": elimination,
        "decided": decided,
        # On time at FROZEN: opened on Saturday, 入户核实 due on the 18th, decision on the 29th.
        "on_time": _lead(MINZU_VILLAGE, D(2026, 3, 14), Stage.ACCEPTED, household=dorje, risks=["accident"]),
        # Orange at FROZEN: 待村级评议 was due on the 13th, the decision on the 20th.
        "orange": _lead(
            NINGQU_VILLAGE, D(2026, 3, 5), Stage.COMPARED, Channel.RULE, household=wang, risks=["other"]
        ),
        # Red at FROZEN: the decision was due on 7 March.
        "red": _lead(
            MINZU_VILLAGE,
            D(2026, 2, 20),
            Stage.CHECKED,
            Channel.SELF_REPORT,
            applicant_name="格桑",
            id_number=APPLICANT_ID,
            phone=APPLICANT_PHONE,
            risks=["illness", "schooling"],
        ),
        "jingchuan": _lead("620821100206", D(2026, 3, 10), Stage.VERIFIED, household=li, risks=["illness"]),
    }


WORLD_LAYERS = ("households", build)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(rows, "today", lambda: FROZEN)
    return FROZEN


def _numbers(response) -> set[str]:
    """The receipt numbers on a lead list page (its first column)."""
    return {str(r.number) for r in response.context["page"].rows}


def _get(client, user, name: str, params=None):
    client.force_login(user)
    return client.get(reverse(name), params or {})


# --- 风险线索 -------------------------------------------------------------------------------------


def test_the_lead_list_filters_by_division_channel_stage_risk_and_urgency(client, cast, frozen):
    county, w = cast["county"], cast
    everything = {w[k].number for k in ("decided", "on_time", "orange", "red")}
    assert _numbers(_get(client, county, "monitoring:lead_list")) == everything

    def only(**params):
        return _numbers(_get(client, county, "monitoring:lead_list", params))

    assert only(division=NINGQU_VILLAGE) == {w["orange"].number}
    assert only(channel=Channel.RULE) == {w["orange"].number}
    assert only(stage="open") == everything - {w["decided"].number}
    assert only(stage=Stage.CHECKED) == {w["red"].number}
    assert only(risk="illness") == {w["decided"].number, w["red"].number}
    assert only(risk="other") == {w["orange"].number}
    assert only(urgency="orange") == {w["orange"].number}
    assert only(urgency="red") == {w["red"].number}
    assert only(urgency="overdue") == {w["orange"].number, w["red"].number}
    assert only(urgency="on_time") == {w["on_time"].number, w["decided"].number}


def test_urgency_is_tagged_orange_then_red_as_the_days_pass(client, cast, monkeypatch):
    orange = cast["orange"]

    def tag(day):
        monkeypatch.setattr(rows, "today", lambda: day)
        page = _get(client, cast["county"], "monitoring:lead_list", {"division": NINGQU_VILLAGE})
        [row] = page.context["rows"]
        return str(row["cells"][8][0])

    assert "tag-green" in tag(D(2026, 3, 13))  # the step's own deadline day
    assert "tag-orange" in tag(D(2026, 3, 14))
    assert "tag-orange" in tag(D(2026, 3, 20))  # the decision's deadline day
    assert "tag-red" in tag(D(2026, 3, 21))
    assert rows.urgency_of(orange, D(2026, 3, 21)) == "red"


def test_a_closed_case_has_no_urgency(client, cast, frozen):
    page = _get(client, cast["county"], "monitoring:lead_list", {"stage": Stage.DECIDED})
    [row] = page.context["rows"]
    assert row["cells"][8][0] == "—"


def test_the_lead_list_sorts_page_and_export_alike(client, cast, frozen):
    county = cast["county"]
    up = [
        r.opened_on
        for r in _get(client, county, "monitoring:lead_list", {"sort": "opened_on"}).context["page"].rows
    ]
    assert up == sorted(up)
    by_urgency = _get(client, county, "monitoring:lead_list", {"sort": "-urgency"}).context["page"].rows
    assert by_urgency[0].number == cast["red"].number and by_urgency[1].number == cast["orange"].number
    exported = xlsx_rows(client.get(reverse("monitoring:lead_export"), {"sort": "-opened_on"}))[1:]
    assert [r[9].date() for r in exported] == sorted(up, reverse=True)


def test_the_lead_export_is_masked_and_audited(client, cast, frozen):
    client.force_login(cast["county"])
    sheet = xlsx_rows(client.get(reverse("monitoring:lead_export"), {"urgency": "red"}))
    assert sheet[0] == [str(c.header) for c in lists.LEADS.columns]
    [row] = sheet[1:]
    text = " ".join(str(c) for c in row)
    assert APPLICANT_ID not in text and APPLICANT_PHONE not in text
    assert APPLICANT_ID[-4:] in text and "****" in text
    assert row[8] == "红色预警"
    audit = AuditEvent.objects.filter(action="export", object_type="monitoring.lead").latest("id")
    assert audit.changes["masked"] is True and audit.changes["count"] == 1
    assert audit.changes["filters"] == {"urgency": "red"}
    # The page keeps to what fits a screen: the phone and the applicant's ID are the exports' alone.
    headers = [h["text"] for h in _get(client, cast["county"], "monitoring:lead_list").context["headers"]]
    assert "联系电话" in sheet[0] and "联系电话" not in headers and "申报人身份证号" not in headers


def test_the_clear_export_needs_the_reveal_permission_and_a_purpose(client, cast, frozen):
    client.force_login(cast["cadre"])  # a village cadre may not reveal personal data
    assert client.get(reverse("monitoring:lead_export_clear")).status_code == 403
    client.force_login(cast["county"])
    url = reverse("monitoring:lead_export_clear") + "?urgency=red"
    assert client.get(url).status_code == 200
    sheet = xlsx_rows(client.post(url, {"purpose": "入户核实前联系申报人", "confirm": "on"}))
    [row] = sheet[1:]
    assert APPLICANT_ID in row and APPLICANT_PHONE in row
    audit = AuditEvent.objects.filter(action="export", object_type="monitoring.lead").latest("id")
    assert audit.changes["masked"] is False and "入户核实" in audit.changes["purpose"]


# --- 监测对象, 风险消除, 逾期线索, 数据质量问题 -------------------------------------------------


def test_the_object_list_filters_and_exports_masked_phones(client, cast):
    county = cast["county"]

    def households(**params):
        page = _get(client, county, "monitoring:object_list", params)
        return [r.household.head_name for r in page.context["page"].rows]

    assert households() == ["扎西"]
    assert households(type=ObjectType.UNSTABLE, risk="water", status="monitored", layer="latent_risk") == [
        "扎西"
    ]
    assert households(type=ObjectType.MARGINAL) == []
    assert households(risk="schooling") == []
    assert households(layer="development") == []
    assert households(division="632524101206") == []
    sheet = xlsx_rows(client.get(reverse("monitoring:object_export")))
    [row] = sheet[1:]
    assert row[3] == "因病、因安全饮水" and row[6] == "是"
    assert PHONE not in row and row[-1].endswith(PHONE[-4:])
    refused = _get(client, county, "monitoring:object_list", {"layer": "no-such-layer"})
    assert refused.context["page"].count == 0 and refused.context["form"].errors


def test_the_elimination_list_shows_the_stage_and_deadline(client, cast, frozen):
    page = _get(client, cast["county"], "monitoring:elimination_list", {"stage": "open", "kind": "assisted"})
    [row] = page.context["page"].rows
    assert row.pk == cast["elimination"].pk and row.stage == Stage.VERIFIED
    assert (
        _get(client, cast["county"], "monitoring:elimination_list", {"kind": "natural"}).context["page"].count
        == 0
    )
    sheet = xlsx_rows(client.get(reverse("monitoring:elimination_export")))
    assert sheet[1][4] == "待信息比对" and sheet[1][5].date() == row.step_due


def test_the_overdue_list_counts_per_township_with_links(client, cast, frozen):
    page = _get(client, cast["county"], "monitoring:overdue_list")
    found = {r["code"]: (r["orange"], r["red"], r["total"]) for r in page.context["page"].rows}
    assert found == {"632524203": (0, 1, 1), "632524101": (1, 0, 1)}
    html = page.content.decode()
    assert reverse("monitoring:lead_list") + "?division=632524101&amp;urgency=orange" in html
    county = _get(client, cast["county"], "monitoring:overdue_list", {"level": "county"})
    assert [(r["code"], r["total"], r["name"]) for r in county.context["page"].rows] == [
        ("632524", 2, "兴海县")
    ]
    sheet = xlsx_rows(client.get(reverse("monitoring:overdue_export"), {"level": "county"}))
    assert sheet[1][2:] == ["632524", 1, 1, 2]


def test_the_quality_list_filters_by_check(client, cast):
    page = _get(client, cast["county"], "monitoring:quality_list", {"rule": "no_measure"})
    assert [r.detail for r in page.context["page"].rows] == ["识别一个月后仍无帮扶措施"]
    refused = _get(client, cast["county"], "monitoring:quality_list", {"rule": "no-such-check"})
    assert refused.context["page"].count == 0


@pytest.mark.parametrize("name", sorted(lists.ROUTES[r].url.split(":")[1] for r in lists.ROUTES))
def test_the_outsider_sees_nothing_of_xinghai(client, cast, frozen, name):
    outsider = cast["outsider"]
    page = _get(client, outsider, f"monitoring:{name}_list")
    assert page.status_code == 200
    html = page.content.decode()
    assert "扎西" not in html and "王芳" not in html and "632524" not in html
    sheet = xlsx_rows(client.get(reverse(f"monitoring:{name}_export")))
    assert "632524" not in str(sheet) and "民族村" not in str(sheet)


def test_the_outsider_sees_their_own_county(client, cast, frozen):
    page = _get(client, cast["outsider"], "monitoring:lead_list")
    assert _numbers(page) == {cast["jingchuan"].number}
    assert _get(client, cast["outsider"], "monitoring:object_list").context["page"].count == 1


def test_a_user_without_the_permission_may_not_open_the_lists(client, cast):
    client.force_login(make_user("no_role", scopes=["632524"]))
    assert client.get(reverse("monitoring:lead_list")).status_code == 403
    assert client.get(reverse("monitoring:home")).status_code == 403
    assert "防返贫监测" not in [str(i["label"]) for i in client.get(reverse("core:home")).context["menu"]]


# --- the overview, the menu, the household page --------------------------------------------------


def test_the_menu_and_overview_lead_to_the_lists(client, cast, frozen):
    client.force_login(cast["county"])
    home = client.get(reverse("core:home"))
    assert "防返贫监测" in [str(item["label"]) for item in home.context["menu"]]
    page = client.get(reverse("monitoring:home"))
    assert page.status_code == 200
    counts = page.context["counts"]
    assert (counts["open_leads"], counts["orange"], counts["red"], counts["monitored"]) == (3, 1, 1, 1)
    html = page.content.decode()
    for name in ("lead_list", "object_list", "elimination_list", "overdue_list", "quality_list"):
        assert reverse(f"monitoring:{name}") in html


def test_the_household_page_shows_the_object_and_its_open_elimination(client, cast, frozen):
    client.force_login(cast["county"])
    page = client.get(reverse("registry:household_detail", args=[cast["zhaxi"].pk]))
    section = page.context["monitoring"]
    assert section["current"].pk == cast["object"].pk
    [case] = section["open_cases"]
    assert case["case"].pk == cast["elimination"].pk and case["urgency"] == "on_time"
    html = page.content.decode()
    assert 'id="monitoring"' in html
    assert "脱贫不稳定户" in html and "因安全饮水" in html and "潜在风险" in html
    assert "待信息比对" in html and cast["elimination"].step_due.isoformat() in html
    # The decided lead is history; its steps are on the household's timeline.
    assert [c["case"].pk for c in section["history"]] == [cast["decided"].pk]
    assert f"风险线索 {cast['decided'].number}" in html


def test_the_household_page_offers_report_a_risk_to_the_village(client, cast):
    report = rows.url_or_none("monitoring:report_lead", cast["zhaxi"].pk)
    if report is None:
        pytest.skip("the workflow's 发现风险 page is not there yet")
    url = reverse("registry:household_detail", args=[cast["zhaxi"].pk])
    client.force_login(cast["cadre"])
    page = client.get(url)
    assert page.context["monitoring"]["report_url"] == report and report in page.content.decode()
    client.force_login(cast["county"])  # the county decides; it does not report
    assert client.get(url).context["monitoring"]["report_url"] is None


def test_the_visit_form_links_report_a_risk(client, cast):
    report = rows.url_or_none("monitoring:report_lead", cast["zhaxi"].pk)
    if report is None:
        pytest.skip("the workflow's 发现风险 page is not there yet")
    client.force_login(cast["cadre"])
    html = client.get(reverse("assistance:visit_record", args=[cast["zhaxi"].pk])).content.decode()
    assert report in html and "发现风险" in html


def test_the_household_page_of_a_household_never_monitored(client, cast):
    client.force_login(cast["county"])
    html = client.get(reverse("registry:household_detail", args=[cast["wang"].pk])).content.decode()
    assert "不是监测对象" in html and "待村级评议" in html  # its rule lead is open


# --- the back office --------------------------------------------------------------------------------


def test_the_county_keeps_its_own_monitoring_line_in_the_back_office(client, cast):
    client.force_login(cast["county"])
    add = reverse("admin:monitoring_monitoringline_add")
    refused = client.post(add, {"year": 2026, "region": "63", "amount": "7500", "note": ""})
    assert refused.status_code == 200 and "只能为本人数据范围内的地区设置标准" in refused.content.decode()
    saved = client.post(add, {"year": 2026, "region": "632524", "amount": "7600", "note": "兴海县"})
    assert saved.status_code == 302
    assert MonitoringLine.objects.filter(year=2026, region_id="632524").exists()
    assert AuditEvent.objects.filter(object_type__icontains="monitoringline", action="create").exists()
    changelist = client.get(reverse("admin:monitoring_monitoringline_changelist")).content.decode()
    assert "7,600" in changelist or "7600" in changelist
    client.force_login(cast["outsider"])
    assert "7600" not in client.get(reverse("admin:monitoring_monitoringline_changelist")).content.decode()


def test_leads_in_the_back_office_are_read_only_and_masked(client, cast):
    client.force_login(cast["county"])
    red = cast["red"]
    page = client.get(reverse("admin:monitoring_lead_change", args=[red.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert APPLICANT_ID not in html and APPLICANT_PHONE not in html and red.id_number_masked in html
    assert client.get(reverse("admin:monitoring_lead_add")).status_code == 403
    client.force_login(cast["outsider"])
    assert client.get(reverse("admin:monitoring_lead_change", args=[red.pk])).status_code in (302, 404)
