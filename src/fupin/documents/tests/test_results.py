"""The assisting unit's results report (documents.results): every figure against a hand count over a
small world of its own (a unit and its sub-unit assisting 泾川县, records inside and outside the
span 2019–2020), the amounts as Chinese reports write them, the .docx read back (text and the two
charts), the page → job → download (audited), the API, the command line, and who may print it.

The demo's report (seed 002's figures) is in test_results_demo.py (it builds the whole demo)."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.documents import results
from fupin.jobs.models import Job
from fupin.testing import JINGCHUAN, make_user

FENGHUANG = "620821100206"
D = datetime.date


def build(made: dict) -> dict:
    """成效测试集团 (P) with its sub-unit (C), assisting 泾川县 and 凤凰村; records in 2019–2020 and
    some outside (2017, 2018, 2021) that the report of 2019–2020 must leave out."""
    from fupin.assistance.models import Cadre, Posting, TrainingAttendee, TrainingClass
    from fupin.orgs.models import AssistedPlace, Unit
    from fupin.outcomes.models import IndicatorTarget, Placement, Purchase
    from fupin.party.models import Pairing, PairingActivity, PartyOrg
    from fupin.projects.models import FundSource, LedgerEntry, Project

    p = Unit.objects.create(
        name="成效测试集团有限公司", short_name="成效集团", kind="central_enterprise", region_id="62"
    )
    c = Unit.objects.create(name="成效测试子公司", kind="state_enterprise", region_id="62", parent=p)
    AssistedPlace.objects.create(unit=p, region_id=JINGCHUAN)
    AssistedPlace.objects.create(unit=c, region_id=FENGHUANG)

    def source(unit, kind, year, place=JINGCHUAN):
        return FundSource.objects.create(
            name=f"{unit.name}{year}{kind}", kind=kind, year=year, unit=unit, place_id=place
        )

    def entry(kind, src, amount, date, project=None):
        return LedgerEntry._base_manager.create(
            kind=kind, source=src, project=project, amount=Decimal(amount), date=date
        )

    def project(name, category, year, unit):
        return Project._base_manager.create(
            name=name, category=category, place_id=FENGHUANG, year=year, unit=unit, status="completed",
            budget=Decimal(0),
        )  # fmt: skip

    B, A = LedgerEntry.Kind.BUDGET, LedgerEntry.Kind.ALLOCATION
    p2019 = source(p, "unit_direct", 2019)
    entry(B, p2019, "1000000.00", D(2019, 3, 1))
    c2020 = source(c, "unit_direct", 2020)
    entry(B, c2020, "500000.00", D(2020, 3, 1))
    p2018 = source(p, "unit_direct", 2018)  # outside the span
    entry(B, p2018, "999999.00", D(2018, 3, 1))
    entry(B, source(p, "brought_in", 2020), "200000.00", D(2020, 5, 1))
    gifts = source(p, "donation", 2020, place=None)
    entry(B, gifts, "30000.00", D(2020, 10, 17))
    entry(B, gifts, "12345.67", D(2020, 10, 18))
    entry(A, p2019, "600000.00", D(2019, 4, 1), project("凤凰村小学改造", "education", 2019, p))
    entry(A, p2019, "100000.00", D(2020, 4, 1), project("凤凰村幼儿园设施", "education", 2020, p))
    entry(A, c2020, "300000.00", D(2020, 4, 1), project("凤凰村苹果园", "industry", 2020, c))
    entry(A, p2018, "400000.00", D(2018, 4, 1), project("凤凰村老路", "infrastructure", 2018, p))

    def buy(unit, kind, amount, date, channel):
        Purchase.objects.create(unit=unit, kind=kind, region_id=FENGHUANG, supplier="凤凰村果园", product="苹果",
                                amount=Decimal(amount), date=date, channel=channel)  # fmt: skip

    buy(p, "bought", "300000.00", D(2019, 9, 1), "canteen")
    buy(c, "bought", "150000.50", D(2020, 1, 15), "own_shop")
    buy(p, "sold", "80000.00", D(2020, 9, 30), "union")
    buy(p, "bought", "1000.00", D(2018, 9, 1), "canteen")  # outside

    def place(unit, kind, date, name):
        Placement.objects.create(unit=unit, name=name, region_id=FENGHUANG, employer="成效测试集团", kind=kind,
                                 date=date, wage_band="ge5000")  # fmt: skip

    place(p, "graduate", D(2019, 7, 1), "李明")
    place(c, "worker", D(2020, 3, 1), "王强")
    place(p, "welfare_post", D(2020, 4, 1), "张芳")
    place(p, "graduate", D(2017, 7, 1), "赵亮")  # outside

    def training(unit, kind, start, groups):
        t = TrainingClass.objects.create(topic=f"{unit.name}培训{start}", form="special_class", kind=kind,
                                         start=start, end=start, place="县委党校", region_id=JINGCHUAN,
                                         organiser=unit, hours=8)  # fmt: skip
        for attendee_kind, n in groups:
            TrainingAttendee.objects.create(training=t, kind=attendee_kind, unit_name="城关镇", count=n)

    training(p, "grassroots_cadre", D(2019, 5, 5), [("grassroots_cadre", 30), ("technician", 5)])
    training(c, "technician", D(2020, 6, 6), [("technician", 20), ("rich_leader", 7)])
    training(p, "grassroots_cadre", D(2018, 5, 5), [("grassroots_cadre", 99)])  # outside

    helper = PartyOrg.objects.create(name="成效测试集团第一党支部", level="branch", kind="enterprise", unit=p)
    village = PartyOrg.objects.create(
        name="凤凰村党支部", level="branch", kind="village", region_id=FENGHUANG
    )
    pairing = Pairing.objects.create(helper=helper, village_branch=village, started_on=D(2019, 5, 1))
    PairingActivity.objects.create(pairing=pairing, kind="visit", held_on=D(2019, 6, 1), title="走访慰问")
    PairingActivity.objects.create(pairing=pairing, kind="visit", held_on=D(2021, 6, 1), title="后来的走访")
    helper2 = PartyOrg.objects.create(name="成效测试子公司党支部", level="branch", kind="enterprise", unit=c)
    Pairing.objects.create(helper=helper2, village_branch=village, started_on=D(2021, 3, 1))  # outside

    def post(unit, name, kind, region, start, end):
        cadre = Cadre.objects.create(name=name, unit=unit, level="central", region_id=region)
        Posting.objects.create(cadre=cadre, kind=kind, region_id=region, start=start, end=end)

    post(p, "刘书记", "first_secretary", FENGHUANG, D(2018, 3, 1), None)
    post(c, "陈县长", "seconded", JINGCHUAN, D(2019, 7, 1), D(2020, 6, 30))
    post(p, "周书记", "first_secretary", FENGHUANG, D(2015, 3, 1), D(2017, 3, 1))  # outside

    IndicatorTarget.objects.create(unit=p, year=2020, direct_funds=Decimal("400000"), bought=Decimal("100000"),
                                   cadres_trained=10, technicians_trained=10)  # fmt: skip
    return {
        "p": p,
        "c": c,
        "p_officer": make_user("results_p", roles=[Role.UNIT_OFFICER], unit=p, full_name="成效集团干部"),
    }


WORLD_LAYERS = (build,)


# --- numbers as Chinese reports write them -------------------------------------------------------


@pytest.mark.parametrize(
    "yuan, text",
    [
        ("393000000", "3.93亿元"),
        ("92590000", "9,259万元"),
        ("196000000", "1.96亿元"),
        ("55816800", "5,581.68万元"),
        ("53500000", "5,350万元"),
        ("252000000", "2.52亿元"),
        ("4740000", "474万元"),
        ("1050090000", "10.5亿元"),
        ("100000000", "1亿元"),
        ("99999999.99", "1亿元"),  # 10,000万 rounds up: written in 亿
        ("42345.67", "4.23万元"),
        ("10000", "1万元"),
        ("5000", "5,000元"),
        ("1234.5", "1,234.5元"),
        ("0", "0元"),
    ],
)
def test_amounts_are_written_in_wan_and_yi(yuan, text):
    assert results.amount_text(Decimal(yuan)) == text


def test_counts_and_years():
    assert results.count_text(4198, "人次") == "4,198人次"
    assert results.parse_years("2018-2020") == (2018, 2020)
    assert results.parse_years("2018—2020") == (2018, 2020)
    assert results.parse_years(" 2020 ") == (2020, 2020)
    assert results.span_text(2018, 2020) == "2018—2020年" and results.span_text(2020, 2020) == "2020年"
    for bad in ("2020-2018", "20-2020", "1999", "2018-2020-2021", "abc", "2000-2015", "3000"):
        with pytest.raises(ValueError):
            results.parse_years(bad)


# --- the figures ---------------------------------------------------------------------------------


def _by_label(report) -> dict:
    return {row["label"]: row for row in report["sources"]}


def test_every_figure_equals_a_hand_count(cast):
    report = results.gather(cast["p"], 2019, 2020, today=D(2020, 12, 31))
    f = report["funds"]
    # The unit and its sub-unit: 1,000,000 (P, 2019) + 500,000 (C, 2020); 2018's money left out.
    assert f["direct_value"] == Decimal("1500000.00") and f["direct"] == "150万元"
    assert f["brought_in"] == "20万元"
    assert f["donations_value"] == Decimal("42345.67") and f["donations"] == "4.23万元"
    assert [(c["label"], c["value"], c["count"]) for c in report["categories"]] == [
        ("教育", Decimal("700000.00"), 2),
        ("产业", Decimal("300000.00"), 1),
    ]
    assert report["project_count"] == "3个"
    assert [p["name"] for p in report["notable"]] == ["凤凰村小学改造", "凤凰村苹果园", "凤凰村幼儿园设施"]
    t = report["training"]
    assert (t["classes"], t["person_times"], t["cadres"], t["technicians"]) == (
        "2期",
        "62人次",
        "30人次",
        "25人次",
    )
    c = report["consumption"]
    assert c["bought_value"] == Decimal("450000.50") and c["bought"] == "45万元" and c["sold"] == "8万元"
    assert [(r["label"], r["bought"], r["sold"], r["count"]) for r in c["channels"]] == [
        ("自建电商平台", "15万元", "0元", "1笔"),
        ("食堂采购", "30万元", "0元", "1笔"),
        ("工会采购", "0元", "8万元", "1笔"),
    ]
    assert [(r["year"], r["bought_value"], r["sold_value"]) for r in c["years"]] == [
        ("2019年", Decimal("300000.00"), Decimal(0)),
        ("2020年", Decimal("150000.50"), Decimal("80000.00")),
    ]
    e = report["employment"]
    assert e["placed_value"] == 3 and e["graduates"] == "1人"
    assert [(k["label"], k["count"]) for k in e["kinds"]] == [
        ("贫困大学生", "1人"),
        ("务工人员", "1人"),
        ("公益性岗位", "1人"),
    ]
    pairing = report["pairing"]
    assert (pairing["count"], pairing["helpers"], pairing["villages"], pairing["counties"], pairing["activities"]) == (
        "1对", "1个", "1个", "1个", "1次",
    )  # fmt: skip
    k = report["cadres"]
    assert (k["total"], k["first_secretaries"], k["seconded"], k["team_members"], k["in_post"]) == (
        "2名", "1人次", "1人次", "0人次", "1名",
    )  # fmt: skip
    assert report["place_count"] == 2 and report["subunits"] == ["成效测试子公司"]
    targets = {(t["year"], t["name"]): t for t in report["targets"]}
    assert len(targets) == 6
    assert targets["2020年", "直接投入帮扶资金"]["target"] == "40万元"
    # 责任书 is the unit's own (outcomes.indicator_actuals): P's 2020 direct money is none of its own.
    assert targets["2020年", "购买农产品"]["actual"] == "0元"
    assert targets["2020年", "培训技术人员"]["actual"] == "20人次"  # C's class counts (a unit under P)
    # Every figure in the text is traced: the appendix holds it with its exact value and source.
    traced = _by_label(report)
    assert traced["购买农产品"]["exact"] == "450,000.50元"
    assert traced["直接投入帮扶资金"]["source"].startswith("指标 outcomes.direct_funds")
    assert traced["教育类项目数"]["text"] == "2个"


def test_the_figures_equal_the_rollup_after_a_refresh(cast):
    """The catalogue figures the report counts are the rollup's (core.indicators' one definition)."""
    from fupin.reports import selectors, services

    services.refresh()
    viewer = make_user("results_nation", roles=[Role.VIEWER], scopes=["62", "63"])
    p, c = cast["p"], cast["c"]
    for code, expected in (("outcomes.bought", "450000.50"), ("outcomes.direct_funds", "1500000.00")):
        total = sum(
            selectors.figure(viewer, code, period=str(y), unit_id=u)
            for u in (p.pk, c.pk)
            for y in (2019, 2020)
        )
        assert total == Decimal(expected)


def test_a_unit_with_nothing_recorded_still_gets_a_report(cast):
    report = results.gather(cast["jingchuan_unit"], 2020, 2020)
    assert report["funds"]["direct"] == "0元" and report["categories"] == [] and report["targets"] == []
    out = io.BytesIO()
    results.render(report, out)
    assert "2020年" in _text(out.getvalue())


# --- the document --------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _images(data: bytes) -> list[str]:
    import zipfile

    return [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/")]


def test_the_docx_holds_the_figures_the_tables_and_two_charts(cast):
    report = results.gather(cast["p"], 2019, 2020)
    out = io.BytesIO()
    results.render(report, out)
    data = out.getvalue()
    text = _text(data)
    for expected in (
        "成效测试集团有限公司",
        "2019—2020年",
        "编制日期",
        "直接投入帮扶资金150万元",
        "引进帮扶资金20万元",
        "累计募集资金4.23万元",
        "凤凰村小学改造",
        "培训62人次",
        "基层干部30人次、技术人员25人次",
        "购买帮扶地区农产品45万元",
        "帮助3人实现就业",
        "驻村第一书记1人次",
        "450,000.50元",  # the appendix's exact value
        "数据来源",
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text
    assert len(_images(data)) == 2
    assert all(png.startswith(b"\x89PNG") for png in results.charts(report).values())


def test_the_template_is_what_the_build_script_makes(tmp_path):
    """The committed template is the script's output (same text: tags and tables), so editing the
    script and forgetting to rebuild is caught."""
    from fupin.documents.docx import build_template

    built = build_template.build(tmp_path / "t.docx")
    assert _text(built.read_bytes()) == _text(results.TEMPLATE.read_bytes())


# --- pages, job, download, API, command line, who may ----------------------------------------------


def test_the_page_starts_a_job_whose_file_is_downloaded_and_audited(client, cast):
    p = cast["p"]
    client.force_login(cast["p_officer"])
    page = client.get(reverse("documents:results"))
    assert page.status_code == 200 and "成效测试集团有限公司" in page.content.decode()
    response = client.post(reverse("documents:results"), {"unit": p.pk, "first": 2019, "last": 2020})
    job = Job.objects.filter(kind="documents.results").latest("created_at")
    assert response.status_code == 302 and response["Location"] == reverse("jobs:status", args=[job.pk])
    assert job.state == Job.State.DONE, job.error
    assert job.file == "成效集团_帮扶成效报告_2019—2020年.docx"
    before = AuditEvent.objects.filter(action="export").count()
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    assert "直接投入帮扶资金150万元" in _text(data)
    event = AuditEvent.objects.filter(action="export").latest("pk")
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    assert event.actor_id == cast["p_officer"].pk and event.changes["format"] == "docx"
    assert event.changes["masked"] is True and event.changes["filters"]["years"] == "2019-2020"
    assert event.changes["count"] == len(results.gather(p, 2019, 2020)["sources"])


def test_bad_years_are_refused_on_the_form(client, cast):
    client.force_login(cast["p_officer"])
    response = client.post(reverse("documents:results"), {"unit": cast["p"].pk, "first": 2020, "last": 2019})
    assert response.status_code == 200 and "起始年度不能晚于结束年度" in response.content.decode()
    assert not Job.objects.filter(kind="documents.results").exists()


@pytest.mark.parametrize("who", ["unitofficer", "county"])
def test_a_unit_officer_of_another_unit_and_another_county_are_refused(client, cast, who):
    """大唐's unit officer and 兴海县's county officer do not see 成效集团 (it assists 泾川县)."""
    client.force_login(cast[who])
    page = client.get(reverse("documents:results")).content.decode()
    assert "成效测试集团" not in page
    response = client.post(reverse("documents:results"), {"unit": cast["p"].pk, "first": 2019, "last": 2020})
    assert response.status_code == 200 and not Job.objects.filter(kind="documents.results").exists()
    api = client.post(
        "/api/documents/results",
        {"unit": cast["p"].pk, "first": 2019, "last": 2020},
        content_type="application/json",
    )
    assert api.status_code == 404


def test_without_the_permission_the_page_is_forbidden(client, cast):
    client.force_login(cast["cadre"])  # a village cadre prints no unit's report
    assert client.get(reverse("documents:results")).status_code == 403
    api = client.post(
        "/api/documents/results",
        {"unit": cast["p"].pk, "first": 2019, "last": 2020},
        content_type="application/json",
    )
    assert api.status_code == 403


def test_the_api_starts_the_job_and_refuses_bad_years(client, cast):
    client.force_login(cast["outsider"])  # 泾川县's county officer: 成效集团 assists the county
    answer = client.post(
        "/api/documents/results",
        {"unit": cast["p"].pk, "first": 2019, "last": 2020},
        content_type="application/json",
    )
    assert answer.status_code == 202, answer.content
    body = answer.json()
    status = client.get(body["status_url"]).json()
    assert status["state"] == "done" and status["file_url"] == reverse("jobs:download", args=[body["job_id"]])
    bad = client.post(
        "/api/documents/results",
        {"unit": cast["p"].pk, "first": 2021, "last": 2019},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "起始年度" in bad.json()["detail"]


def test_the_command_writes_the_file(cast, tmp_path):
    out = tmp_path / "report.docx"
    stdout = io.StringIO()
    call_command(
        "results_report", "--unit", "成效集团", "--years", "2019-2020", "--out", str(out), stdout=stdout
    )
    assert "直接投入 150万元" in stdout.getvalue()
    assert "购买帮扶地区农产品45万元" in _text(out.read_bytes())
    call_command(
        "results_report", "--unit", str(cast["p"].pk), "--years", "2020", "--out", str(out), stdout=stdout
    )
    assert "2020年" in _text(out.read_bytes())
    with pytest.raises(CommandError, match="没有这个单位"):
        call_command("results_report", "--unit", "无此单位", "--years", "2020", "--out", str(out))
    with pytest.raises(CommandError, match="年度"):
        call_command("results_report", "--unit", "成效集团", "--years", "2020-2019", "--out", str(out))


def test_xinghai_is_untouched(cast):
    """The report reads only the unit's records: 大唐 (assisting 兴海县) shows none of 成效集团's."""
    report = results.gather(cast["datang"], 2019, 2020)
    assert report["funds"]["direct"] == "0元" and report["places_text"] == "兴海县"


def test_the_scope_matrix_entries_hold(client, cast):
    """What matrix_results.py declares: 兴海县's county officer is offered 大唐 and may start its report,
    泾川县's county officer (the outsider) is not offered it and gets 404 from the API."""
    from fupin.documents.tests.matrix_results import API, PAGES

    page, objs = PAGES["documents:results"], cast
    client.force_login(cast["county"])
    assert page.marker in client.get(page.url(objs)).content.decode()
    build, (_method, body) = API["/api/documents/results"]
    assert client.post(build(objs), body(objs), content_type="application/json").status_code == 202
    client.force_login(cast["outsider"])
    assert page.marker not in client.get(page.url(objs)).content.decode()
    assert client.post(build(objs), body(objs), content_type="application/json").status_code == 404
