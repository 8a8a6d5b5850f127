"""统计报表 (reports/tabulations.py): every shipped form's numbers equal the rollup, the records'
recount and a count by hand; scope; the .xlsx read back; a county's own form defined without code
(and refused with a bad indicator, on the page and in the API); the job path; the command line.

The world: the cast's households, the party, assistance and projects matrices' records, and the
monitoring objects of monitoring/tests/test_indicators.py (扎西 of 民族村, 2 people, 脱贫不稳定户
因病+因残, identified 2025-12-01; 王芳 of 宁曲村, 1, 边缘易致贫户 因病, identified 2025-06-10,
eliminated 2026-02-20; 多杰 of 民族村, 2, now 边缘易致贫户 缺劳动力 identified 2026-03-02, his
2025 突发严重困难户 object eliminated 2025-08-01; 李强 of 泾川县 脱贫不稳定户 identified 2026-01-10).
Projects: the central source of 兴海县 (the county itself: 500,000 元 budgeted in 2024), the
project of 民族村 (industry, in progress), 300,000 元 allocated and 1,000 元 disbursed in 2024.
Assistance: 宁曲村 is poor (王芳 identified) with a first secretary since 2023; a 2019 class of
兴海县 itself (the county's code) with PERSON_TIMES 党员 attendees. Party: 民族村's branch (no
group, founded before this year), no meeting this year.
"""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fupin.accounts.roles import Role
from fupin.assistance.tests.matrix import PERSON_TIMES
from fupin.audit.models import AuditEvent
from fupin.core import indicators as declared
from fupin.core.indicators import recount
from fupin.jobs.models import Job
from fupin.jobs.services import job_file
from fupin.monitoring.tests.test_indicators import build as monitoring_records
from fupin.reports import selectors, services, tabulations
from fupin.reports.models import Tabulation
from fupin.testing import (
    JINGCHUAN,
    MINZU_VILLAGE,
    NINGQU_VILLAGE,
    TANGNAIHAI,
    XINGHAI,
    make_user,
    response_bytes,
)

pytestmark = pytest.mark.django_db

HEKA = NINGQU_VILLAGE[:9]  # 河卡镇


def _ready(made: dict) -> dict:
    services.refresh()
    tabulations.ensure_shipped()
    return {}


WORLD_LAYERS = ("households", "party", "assistance", "projects", monitoring_records, _ready)

SHIPPED = {
    "monitoring_by_type",
    "monitoring_by_risk",
    "monitoring_quarterly",
    "secretary_coverage",
    "training",
    "funds_by_category",
    "funds_by_source",
    "project_progress",
    "party_meetings",
}
# The period each form is read for below (its records' dates).
PERIODS = {
    "monitoring_by_type": "2026-03",
    "monitoring_by_risk": "2026-03",
    "monitoring_quarterly": "2026-Q1",
    "secretary_coverage": "",
    "training": "2019",
    "funds_by_category": "2024",
    "funds_by_source": "2024",
    "project_progress": "",
    "party_meetings": str(timezone.localdate().year),
}


def form(code: str) -> Tabulation:
    return Tabulation.objects.get(code=code)


def _cells(table) -> dict[str, list]:
    return {row.name: [None if v is None else Decimal(v) for v in row.values] for row in table.rows}


def test_the_shipped_forms_are_written_once(world):
    assert set(Tabulation.objects.filter(shipped=True).values_list("code", flat=True)) == SHIPPED
    assert tabulations.ensure_shipped() == 0  # idempotent: nothing newer to write
    Tabulation.objects.filter(code="training").update(version=0, name="旧名")
    assert tabulations.ensure_shipped() == 1
    assert form("training").name == "培训人次统计表"


def _keys(ind, kind, period):
    if ind.period == declared.SNAPSHOT:
        return [""]
    if kind == "quarter":
        q = int(period[-1])
        return [f"{period[:4]}-{m:02d}" for m in range(q * 3 - 2, q * 3 + 1)]
    return [period]


def _recount(ind, prefix, keys, category):
    if ind.kind == declared.RATIO and len(keys) > 1:
        n, d = (_recount(declared.CATALOGUE[c], prefix, keys, category) for c in ind.parts)
        return None if not d else Decimal(n) * ind.scale / Decimal(d)
    if ind.kind == declared.RATIO:
        return recount(ind, prefix=prefix, period=keys[0], category=category)
    return sum(Decimal(recount(ind, prefix=prefix, period=k, category=category)) for k in keys)


def _figure(user, ind, division, keys, category):
    if ind.kind == declared.RATIO and len(keys) > 1:
        n, d = (_figure(user, declared.CATALOGUE[c], division, keys, category) for c in ind.parts)
        return None if not d else Decimal(n) * ind.scale / Decimal(d)
    values = [selectors.figure(user, ind.code, division=division, period=k, category=category) for k in keys]
    return None if any(v is None for v in values) else sum(values)


@pytest.mark.parametrize("code", sorted(SHIPPED))
@pytest.mark.parametrize("area", [XINGHAI, TANGNAIHAI, HEKA, MINZU_VILLAGE])
def test_every_cell_equals_the_rollup_and_the_records(world, code, area):
    """Each cell of each shipped form, at the county, both townships and a village: the rollup's
    figure (selectors) and the records' recount (core.indicators.recount, bypassing the rollup)."""
    county = world["county"]
    tab = form(code)
    table = tabulations.build(county, tab, area=area, period=PERIODS[code])
    for i, col in enumerate(tabulations.columns_of(tab)):
        ind = selectors.declaration(col.indicator)
        keys = _keys(ind, tab.period, table.period)
        scale = Decimal(10000) if col.wan else Decimal(1)
        for row in table.rows:
            if row.kind == "own":
                continue  # checked by test_the_own_row_is_what_no_child_holds
            if tab.rows == "children":
                division, category = (area if row.kind == "total" else row.code), col.category
            else:
                division, category = area, ("" if row.kind == "total" else row.code)
            value = row.values[i]
            rolled = _figure(county, ind, division, keys, category)
            counted = _recount(ind, division, keys, category)
            if rolled is None:
                assert value is None and counted is None, (code, row.name, col)
                continue
            assert value == rolled / scale, (code, row.name, col)
            assert Decimal(counted) == rolled, (code, row.name, col)


def test_monitoring_by_type_is_the_hand_count(world):
    """兴海县: 扎西 (2) 脱贫不稳定户; 王芳 (1) and 多杰 (2) 边缘易致贫户 — 3 households, 5 people;
    唐乃亥乡 holds 扎西 and 多杰, 河卡镇 王芳."""
    table = tabulations.build(world["county"], form("monitoring_by_type"), area=XINGHAI, period="2026-03")
    assert [c.group for c in table.columns[:4]] == [
        "监测对象合计",
        "监测对象合计",
        "脱贫不稳定户",
        "脱贫不稳定户",
    ]
    # 合计 户/人, 脱贫不稳定户 户/人, 边缘易致贫户 户/人, 突发严重困难户 户/人
    assert _cells(table) == {
        "合计": [3, 5, 1, 2, 2, 3, 0, 0],
        "河卡镇": [1, 1, 0, 0, 1, 1, 0, 0],
        "唐乃亥乡": [2, 4, 1, 2, 1, 2, 0, 0],
    }
    assert table.title == "兴海县2026年3月防返贫监测对象统计表"


def test_monitoring_by_risk_is_the_hand_count(world):
    """因病: 扎西 and 王芳 (2 households, 3 people); 因残: 扎西; 缺劳动力: 多杰; 扎西's two risks
    count once in the total."""
    table = tabulations.build(world["county"], form("monitoring_by_risk"), area=XINGHAI, period="2026-03")
    headers = [(c.group, c.header) for c in table.columns]
    total = _cells(table)["合计"]

    def cell(group, header):
        return total[headers.index((group, header))]

    assert (cell("监测对象合计", "户数"), cell("监测对象合计", "人数")) == (3, 5)
    assert (cell("因病", "户数"), cell("因病", "人数")) == (2, 3)
    assert (cell("因残", "户数"), cell("因残", "人数")) == (1, 2)
    assert (cell("缺劳动力", "户数"), cell("缺劳动力", "人数")) == (1, 2)
    assert cell("因自然灾害", "户数") == 0  # 多杰's 2025 object is history


def test_the_quarterly_notice_says_it_in_words(world):
    """2026 Q1: 多杰 identified (边缘易致贫户, 唐乃亥乡), 王芳's risk eliminated (河卡镇); 2025 Q4: 扎西
    identified; 泾川县's 李强 (2026-01) is not 兴海县's."""
    notice = form("monitoring_quarterly")
    table = tabulations.build(world["county"], notice, area=XINGHAI, period="2026-Q1")
    # 新增识别, 其中 脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户, 新增识别人数, 风险消除, 风险消除人数
    # (多杰's household: two people; 王芳's: one)
    assert _cells(table) == {
        "合计": [1, 0, 1, 0, 2, 1, 1],
        "河卡镇": [0, 0, 0, 0, 0, 1, 1],
        "唐乃亥乡": [1, 0, 1, 0, 2, 0, 0],
    }
    assert table.summary == (
        "兴海县2026年第一季度新增识别监测对象1户(其中脱贫不稳定户0户、边缘易致贫户1户、突发严重困难户0户),"
        "新增识别人数2人,风险消除1户,风险消除人数1人。"
    )
    earlier = tabulations.build(world["county"], notice, area=XINGHAI, period="2025Q4")
    assert _cells(earlier)["合计"] == [1, 1, 0, 0, 2, 0, 0]  # 扎西 and 卓玛
    jingchuan = tabulations.build(world["outsider"], notice, area=JINGCHUAN, period="2026-Q1")
    assert _cells(jingchuan)["合计"] == [1, 1, 0, 0, 1, 0, 0]


def test_secretary_coverage_training_and_projects_are_the_hand_count(world):
    county = world["county"]
    coverage = tabulations.build(county, form("secretary_coverage"), area=XINGHAI)
    assert _cells(coverage) == {"合计": [1, 1, 100], "河卡镇": [1, 1, 100], "唐乃亥乡": [0, 0, None]}
    training = tabulations.build(county, form("training"), area=XINGHAI, period="2019")
    cells = _cells(training)
    party_member = [c.header for c in training.columns].index("党员")
    assert cells["合计"][0] == cells["合计"][party_member] == PERSON_TIMES
    assert cells["唐乃亥乡"][0] == cells["河卡镇"][0] == 0
    assert cells["本级"][0] == PERSON_TIMES  # the class is the county's own: in no township
    progress = tabulations.build(county, form("project_progress"), area=XINGHAI)
    in_progress = [c.header for c in progress.columns].index("实施中")
    assert _cells(progress)["合计"][0] == _cells(progress)["合计"][in_progress] == 1
    assert _cells(progress)["唐乃亥乡"][in_progress] == 1 and _cells(progress)["河卡镇"][0] == 0


def test_funds_are_in_wan_yuan_by_category_and_source(world):
    county = world["county"]
    by_category = tabulations.build(county, form("funds_by_category"), area=XINGHAI, period="2024")
    assert _cells(by_category)["合计"] == [Decimal("30"), Decimal("0.1")]
    assert _cells(by_category)["产业"] == [Decimal("30"), Decimal("0.1")]
    assert _cells(by_category)["教育"] == [0, 0]
    by_source = tabulations.build(county, form("funds_by_source"), area=XINGHAI, period="2024")
    assert _cells(by_source)["中央衔接资金"] == [Decimal("50"), Decimal("30"), Decimal("0.1")]
    # The source sits at the county: in 唐乃亥乡 only what went to its project.
    township = tabulations.build(county, form("funds_by_source"), area=TANGNAIHAI, period="2024")
    assert _cells(township)["合计"] == [0, Decimal("30"), Decimal("0.1")]
    assert tabulations.build(county, form("funds_by_source"), area=XINGHAI, period="2023").rows[0].values == [
        0,
        0,
        0,
    ]


def test_party_meetings_due_is_the_hand_count(world):
    """民族村's branch (no group, founded before this year) owes, of this year's ended periods, the
    monthly 支部委员会 and 主题党日 and the quarterly 党员大会 and 党课; nothing was held this year."""
    month = timezone.localdate().month
    due = 2 * (month - 1) + 2 * ((month - 1) // 3)
    table = tabulations.build(
        world["county"], form("party_meetings"), area=XINGHAI, period=PERIODS["party_meetings"]
    )
    held, owed, met, rate = _cells(table)["唐乃亥乡"]
    assert (held, owed, met) == (0, due, 0)
    assert rate == (0 if due else None)


def test_the_own_row_is_what_no_child_holds(world):
    table = tabulations.build(world["county"], form("funds_by_category"), area=XINGHAI, period="2024")
    assert all(row.kind != "own" for row in table.rows)  # rows by category: no 本级
    budget = tabulations.build(world["county"], form("training"), area=XINGHAI, period="2019")
    own = next(r for r in budget.rows if r.kind == "own")
    children = [r for r in budget.rows if r.kind == "row"]
    assert own.values[0] == budget.rows[0].values[0] - sum(r.values[0] for r in children)


# --- scope ------------------------------------------------------------------------------------


def test_a_county_sees_only_its_own_rows_and_the_outsider_nothing(client, world):
    outsider = world["outsider"]
    with pytest.raises(tabulations.OutOfScope):
        tabulations.build(outsider, form("monitoring_by_type"), area=XINGHAI)
    with pytest.raises(tabulations.OutOfScope):
        tabulations.build(world["cadre"], form("monitoring_by_type"), area=XINGHAI)  # a village cadre
    own = tabulations.build(outsider, form("monitoring_by_type"), area=JINGCHUAN)
    assert {r.code for r in own.rows if r.kind == "row"} == {"620821100"}
    client.force_login(outsider)
    page = client.get(
        reverse("reports:tabulation_detail", args=[form("monitoring_by_type").pk]), {"area": XINGHAI}
    )
    assert page.status_code == 200 and "唐乃亥乡" not in page.content.decode()
    assert page.context["table"] is None and page.context["form"].errors
    answer = client.get(f"/api/reports/tabulations/{form('monitoring_by_type').pk}/figures?area={XINGHAI}")
    assert answer.status_code == 404 and "数据范围" in answer.json()["detail"]
    download = client.get(
        reverse("reports:tabulation_download", args=[form("monitoring_by_type").pk]), {"area": XINGHAI}
    )
    assert download.status_code == 302 and download["Location"].startswith(
        reverse("reports:tabulation_detail", args=[form("monitoring_by_type").pk])
    )


def test_the_village_cadre_reads_the_form_for_the_village(client, world):
    client.force_login(world["cadre"])
    page = client.get(reverse("reports:tabulation_detail", args=[form("monitoring_by_type").pk]))
    assert page.status_code == 200
    table = page.context["table"]
    assert table.area.code == MINZU_VILLAGE and _cells(table)["合计"][:2] == [2, 4]


# --- the file ---------------------------------------------------------------------------------


def test_the_xlsx_reads_back_in_the_offices_layout(client, world):
    client.force_login(world["county"])
    before = AuditEvent.objects.filter(action="export").count()
    tab = form("monitoring_by_type")
    answer = client.get(
        reverse("reports:tabulation_download", args=[tab.pk]), {"area": XINGHAI, "period": "2026-03"}
    )
    assert answer.status_code == 200
    assert "attachment" in answer["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response_bytes(answer)))
    ws = book.active
    assert ws["A1"].value == "兴海县2026年3月防返贫监测对象统计表"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:J1" in merged  # the title over the 2 + 8 columns
    assert "A3:A4" in merged and "C3:D3" in merged  # two header rows; 户数/人数 under 监测对象合计
    assert ws["C3"].value == "监测对象合计" and ws["C4"].value == "户数" and ws["D4"].value == "人数"
    assert ws["B5"].value == "合计" and ws["C5"].value == 3 and ws["D5"].value == 5
    assert ws["C5"].data_type == "n"
    rows = {ws.cell(r, 2).value: ws.cell(r, 3).value for r in range(6, 8)}
    assert rows == {"河卡镇": 1, "唐乃亥乡": 2}
    assert ws["A6"].value == "632524101"
    assert "单位:户、人" in [c.value for c in ws[2]]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for word in ("填报单位", "负责人", "填报人", "填报日期"):
        assert word in text
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.print_title_rows == "$3:$4"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    event = AuditEvent.objects.filter(action="export").order_by("-id").first()
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    assert event.changes["list"] == "reports.tabulation" and event.changes["masked"] is True
    assert event.changes["filters"]["area"] == XINGHAI and event.changes["count"] == 2


def test_money_is_written_in_wan_yuan_with_a_number_format(world, tmp_path):
    table = tabulations.build(world["county"], form("funds_by_category"), area=XINGHAI, period="2024")
    tabulations.write_xlsx(table, tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "f.xlsx").active
    assert ws["C4"].value == 30 and ws["D4"].value == pytest.approx(0.1)
    assert ws["C4"].number_format == "#,##0.00"


def test_the_notice_text_is_in_the_file(world, tmp_path):
    table = tabulations.build(world["county"], form("monitoring_quarterly"), area=XINGHAI, period="2026-Q1")
    tabulations.write_xlsx(table, tmp_path / "n.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "n.xlsx").active
    assert ws["A3"].value == table.summary


# --- a county's own form ----------------------------------------------------------------------


def _post(items: list[tuple[str, str, str]], **fields) -> dict:
    data = {
        "name": "兴海县监测对象月报",
        "rows": "children",
        "row_indicator": "",
        "period": "month",
        "unit_line": "单位:户",
        "notes": "",
        "col-TOTAL_FORMS": str(len(items) + 1),
        "col-INITIAL_FORMS": "0",
        "col-MIN_NUM_FORMS": "0",
        "col-MAX_NUM_FORMS": "40",
        **fields,
    }
    for i, (item, header, group) in enumerate(items):
        data.update(
            {
                f"col-{i}-item": item,
                f"col-{i}-header": header,
                f"col-{i}-group": group,
                f"col-{i}-ORDER": str(i + 1),
            }
        )
    data[f"col-{len(items)}-item"] = ""  # a blank line is no column
    return data


def test_a_county_officer_defines_a_form_without_code(client, world):
    client.force_login(world["county"])
    assert client.get(reverse("reports:tabulation_create")).status_code == 200
    answer = client.post(
        reverse("reports:tabulation_create"),
        _post(
            [
                ("monitoring.objects_by_type|marginal", "户数", "边缘易致贫户"),
                ("monitoring.object_people_by_type|marginal", "人数", "边缘易致贫户"),
                ("registry.households", "", ""),
            ]
        ),
    )
    assert answer.status_code == 302, answer.context["form"].errors if answer.context else ""
    own = Tabulation.objects.get(name="兴海县监测对象月报")
    assert own.owner == XINGHAI and not own.shipped and own.code == f"{XINGHAI}-{own.pk}"
    assert [c["indicator"] for c in own.columns][:2] == [
        "monitoring.objects_by_type",
        "monitoring.object_people_by_type",
    ]
    table = tabulations.build(world["county"], own, area=XINGHAI, period="2026-03")
    assert _cells(table)["合计"][:2] == [2, 3]
    assert table.columns[2].header == "登记户数"
    # Listed for 兴海县, missing for 泾川县.
    assert "兴海县监测对象月报" in client.get(reverse("reports:tabulation_list")).content.decode()
    client.force_login(world["outsider"])
    assert "兴海县监测对象月报" not in client.get(reverse("reports:tabulation_list")).content.decode()
    assert client.get(reverse("reports:tabulation_detail", args=[own.pk])).status_code == 404


def test_a_bad_indicator_is_a_field_error_on_the_page(client, world):
    client.force_login(world["county"])
    answer = client.post(reverse("reports:tabulation_create"), _post([("registry.nothing", "", "")]))
    assert answer.status_code == 200
    column = answer.context["formset"].forms[0]
    assert "指标目录中没有这个指标" in str(column.errors["item"])
    # A yearly figure in a monthly form, 万元 on a count.
    answer = client.post(reverse("reports:tabulation_create"), _post([("projects.funds_allocated", "", "")]))
    assert "不能用于月报" in str(answer.context["formset"].forms[0].errors["item"])
    assert not Tabulation.objects.filter(shipped=False, name="兴海县监测对象月报").exists()


def test_the_api_defines_lists_and_refuses(client, world):
    client.force_login(world["county"])
    body = {
        "name": "API 报表",
        "period": "year",
        "unit_line": "单位:万元",
        "columns": [{"indicator": "projects.funds_allocated", "wan": True}],
    }
    created = client.post("/api/reports/tabulations", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["owner"] == XINGHAI
    bad = client.post(
        "/api/reports/tabulations",
        {**body, "columns": [{"indicator": "registry.nothing"}]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "指标目录中没有这个指标" in bad.json()["detail"]
    assert bad.json()["errors"][0]["loc"] == ["body", "columns.0.indicator"]
    wan = client.post(
        "/api/reports/tabulations",
        {**body, "columns": [{"indicator": "registry.households", "wan": True}]},
        content_type="application/json",
    )
    assert wan.status_code == 422
    listed = client.get("/api/reports/tabulations").json()
    assert {"API 报表", "防返贫监测对象统计表"} <= {row["name"] for row in listed}
    figures = client.get(
        f"/api/reports/tabulations/{created.json()['id']}/figures?area={XINGHAI}&period=2024"
    )
    assert figures.status_code == 200
    assert (
        figures.json()["rows"][0]["values"] == ["30.00"]
        or Decimal(figures.json()["rows"][0]["values"][0]) == 30
    )
    bad_period = client.get(
        f"/api/reports/tabulations/{created.json()['id']}/figures?area={XINGHAI}&period=2024-03"
    )
    assert bad_period.status_code == 422 and "期间格式" in bad_period.json()["detail"]
    # The outsider defines nothing for 兴海县 and generates nothing there.
    client.force_login(world["outsider"])
    assert (
        client.post(
            "/api/reports/tabulations", {**body, "county": XINGHAI}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/reports/tabulations/{form('training').pk}/generate",
            {"area": XINGHAI},
            content_type="application/json",
        ).status_code
        == 404
    )


# --- the job path and the command line --------------------------------------------------------


def test_a_province_form_goes_to_the_job_queue(client, world):
    viewer = make_user("tab-province", roles=[Role.VIEWER], scopes=["63"])
    client.force_login(viewer)
    tab = form("monitoring_by_type")
    answer = client.get(
        reverse("reports:tabulation_download", args=[tab.pk]), {"area": "63", "period": "2026-03"}
    )
    assert answer.status_code == 302
    job = Job.objects.filter(owner=viewer, kind="reports.tabulate").get()
    assert answer["Location"] == reverse("jobs:status", args=[job.pk])
    assert job.state == Job.State.DONE, job.error
    assert job.result["count"] == 1 and job.result["masked"] is True
    assert job.result["filters"] == {"tabulation": "monitoring_by_type", "area": "63", "period": "2026-03"}
    ws = openpyxl.load_workbook(job_file(job)).active
    assert ws["A1"].value == "青海省2026年3月防返贫监测对象统计表"
    assert ws["B6"].value == "海南藏族自治州" and ws["C6"].value == 3


def test_the_api_generates_on_the_queue(client, world):
    client.force_login(world["county"])
    answer = client.post(
        f"/api/reports/tabulations/{form('training').pk}/generate",
        {"area": XINGHAI, "period": "2019"},
        content_type="application/json",
    )
    assert answer.status_code == 202
    job = Job.objects.get(pk=answer.json()["job_id"])
    assert job.state == Job.State.DONE and job_file(job) is not None


def test_the_command_line_writes_the_file(world, tmp_path):
    out = tmp_path / "form.xlsx"
    stdout = io.StringIO()
    call_command(
        "reports",
        "tabulate",
        "monitoring_by_type",
        area=XINGHAI,
        period="2026-03",
        out=str(out),
        stdout=stdout,
    )
    assert "兴海县2026年3月防返贫监测对象统计表" in stdout.getvalue()
    ws = openpyxl.load_workbook(out).active
    assert ws["C5"].value == 3
    event = AuditEvent.objects.filter(action="export").order_by("-id").first()
    assert event.changes["list"] == "reports.tabulation" and event.region_code == XINGHAI
