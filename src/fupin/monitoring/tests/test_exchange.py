"""监测对象 in the national collection's layout (monitoring.exchange, the OBJECTS_NATIONAL variant of
the 监测对象 list): the form's columns in order, numbers as numbers and dates as dates, the ID number
masked unless the clear export's rule is met, the list's filters and scope, one audit row per file.

The world: 扎西 (民族村, 脱贫不稳定户, three risks, a 2025 income with medical costs, a 一户一策 with
measures of three national kinds and a cancelled one, a 帮扶责任人); 王芳 (宁曲村, 边缘易致贫户, risk
eliminated); 李强 (泾川县, the outsider's county).
"""

import datetime
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.urls import reverse

from fupin.assistance.models import Cadre, Measure, Pairing, Plan
from fupin.audit.models import AuditEvent
from fupin.monitoring import exchange
from fupin.monitoring.choices import DisasterKind, EliminationKind, ObjectStatus, ObjectType
from fupin.monitoring.models import MonitoringObject, ObjectRisk
from fupin.regions.models import Region
from fupin.registry import services as registry
from fupin.registry.models import YearlyIncome
from fupin.testing import HEAD_ID, NINGQU_VILLAGE, OTHER_ID, xlsx_rows

D = datetime.date
HEADERS = [
    "省",
    "市",
    "县",
    "乡",
    "村",
    "户编号",
    "户主姓名",
    "证件号码",
    "家庭人口数",
    "监测对象类别",
    "风险类型1",
    "风险类型2",
    "风险类型3",
    "风险类型4",
    "风险类型5",
    "自然灾害类型",
    "识别监测时间",
    "是否原建档立卡户",
    "收入年度",
    "人均纯收入",
    "合规自付支出",
    "帮扶措施",
    "帮扶责任人",
    "风险是否消除",
    "风险消除方式",
    "风险消除时间",
    "是否兜底保障",
]
COL = {name: i for i, name in enumerate(HEADERS)}


def _object(household, type_, risks, identified, **fields):
    obj = MonitoringObject.objects.create(household=household, type=type_, identified_on=identified, **fields)
    for order, (risk, kind) in enumerate(risks):
        ObjectRisk.objects.create(object=obj, risk=risk, disaster_kind=kind, order=order)
    return obj


def build(made):
    zhaxi, wang, li = made["zhaxi"], made["wang"], made["li"]
    _object(
        zhaxi,
        ObjectType.UNSTABLE,
        [("illness", ""), ("disaster", DisasterKind.FLOOD), ("water", "")],
        D(2025, 6, 1),
        former_poor=True,
    )
    registry.income_record(
        by=None, household=zhaxi, year=2025, wages=12000, business=2000, medical_costs=3000
    )
    plan = Plan.objects.create(household=zhaxi)
    for kind, status in (
        ("health", "active"),
        ("employment", "done"),
        ("asset_income", "planned"),  # 资产收益: 产业 on the national form
        ("relocation", "cancelled"),  # cancelled: not a measure of the household's
    ):
        Measure.objects.create(plan=plan, type=kind, content="措施", status=status)
    cadre = Cadre.objects.create(name="帮扶干部甲", level="county", region=Region.objects.get(code="632524"))
    Pairing.objects.create(cadre=cadre, household=zhaxi, start=D(2025, 6, 2))
    _object(
        wang,
        ObjectType.MARGINAL,
        [("job_instability", "")],
        D(2025, 1, 10),
        status=ObjectStatus.ELIMINATED,
        elimination_kind=EliminationKind.ASSISTED,
        eliminated_on=D(2025, 12, 20),
        safety_net=False,
    )
    _object(li, ObjectType.SUDDEN, [("accident", "")], D(2025, 3, 3))
    return {}


WORLD_LAYERS = ("households", build)


def _file(client, user, params=None, *, clear_purpose=None):
    client.force_login(user)
    if clear_purpose is None:
        return client.get(reverse("monitoring:object_national_export"), params or {})
    url = reverse("monitoring:object_national_export_clear")
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(url, {"purpose": clear_purpose, "confirm": "on"})


def _rows(response) -> dict:
    sheet = xlsx_rows(response)
    assert sheet[0] == HEADERS
    return {row[COL["户主姓名"]]: row for row in sheet[1:]}


def test_the_columns_are_the_national_forms_in_order(client, cast):
    assert exchange.headers() == HEADERS
    response = _file(client, cast["county"])
    assert response.status_code == 200
    assert "国家采集表" in unquote(response["Content-Disposition"])
    assert list(_rows(response)) == ["扎西", "王芳"]  # the list's order: latest identified first


def test_a_row_holds_codes_numbers_and_dates(client, cast):
    row = _rows(_file(client, cast["county"]))["扎西"]
    zhaxi = cast["zhaxi"]
    assert row[: COL["户编号"]] == ["青海省", "海南藏族自治州", "兴海县", "唐乃亥乡", "民族村村民委员会"]
    assert row[COL["户编号"]] == zhaxi.number
    assert row[COL["家庭人口数"]] == 2 and isinstance(row[COL["家庭人口数"]], int)
    assert row[COL["监测对象类别"]] == "脱贫不稳定户"
    # The form's codes as text (01, not 1); 因安全饮水 has no code, so its name.
    assert row[COL["风险类型1"] : COL["风险类型5"] + 1] == ["01", "02", "因安全饮水", None, None]
    assert row[COL["自然灾害类型"]] == "洪涝"
    assert row[COL["识别监测时间"]] == datetime.datetime(2025, 6, 1)
    assert row[COL["是否原建档立卡户"]] == "是"
    income = YearlyIncome.objects.get(household=zhaxi, year=2025)
    assert row[COL["收入年度"]] == 2025  # the latest of 2018, 2019 and 2025
    assert row[COL["人均纯收入"]] == pytest.approx(float(income.per_capita))
    assert row[COL["合规自付支出"]] == pytest.approx(float(income.compliant_costs))
    assert income.compliant_costs == Decimal("3000")
    assert row[COL["帮扶措施"]] == "产业、就业、健康"  # national kinds, in the form's order, once each
    assert row[COL["帮扶责任人"]] == "帮扶干部甲"
    assert row[COL["风险是否消除"]] == "否"
    assert row[COL["风险消除方式"]] is None and row[COL["风险消除时间"]] is None
    assert row[COL["是否兜底保障"]] == "否"
    wang = _rows(_file(client, cast["county"]))["王芳"]
    assert wang[COL["风险类型1"]] == "07" and wang[COL["风险是否消除"]] == "是"
    assert wang[COL["风险消除方式"]] == "帮扶消除" and wang[COL["风险消除时间"]] == datetime.datetime(
        2025, 12, 20
    )
    assert wang[COL["收入年度"]] is None and wang[COL["帮扶措施"]] is None  # none recorded: empty cells


def test_the_id_number_is_masked_by_default_and_audited(client, cast):
    row = _rows(_file(client, cast["county"]))["扎西"]
    shown = row[COL["证件号码"]]
    assert HEAD_ID not in " ".join(str(c) for c in row)
    assert shown.startswith(HEAD_ID[:4]) and shown.endswith(HEAD_ID[-4:]) and "*" in shown
    audit = AuditEvent.objects.filter(action="export", object_type="monitoring.object_national").latest("id")
    assert audit.changes["masked"] is True and audit.changes["count"] == 2


def test_the_clear_file_needs_the_reveal_permission_and_a_purpose(client, cast):
    client.force_login(cast["cadre"])  # a village cadre may not reveal
    assert client.get(reverse("monitoring:object_national_export_clear")).status_code == 403
    client.force_login(cast["county"])
    form = client.get(reverse("monitoring:object_national_export_clear"))
    assert form.status_code == 200 and "用途" in form.content.decode()
    refused = client.post(
        reverse("monitoring:object_national_export_clear"), {"purpose": "", "confirm": "on"}
    )
    assert refused.status_code == 200 and "xlsx" not in refused.get("Content-Type", "")
    rows = _rows(_file(client, cast["county"], clear_purpose="上传国家防返贫监测信息系统"))
    assert rows["扎西"][COL["证件号码"]] == HEAD_ID
    audit = AuditEvent.objects.filter(action="export", object_type="monitoring.object_national").latest("id")
    assert audit.changes["masked"] is False and "国家" in audit.changes["purpose"]


def test_the_lists_filters_are_honoured(client, cast):
    county = cast["county"]
    assert list(_rows(_file(client, county, {"type": ObjectType.MARGINAL}))) == ["王芳"]
    assert list(_rows(_file(client, county, {"division": NINGQU_VILLAGE}))) == ["王芳"]
    assert list(_rows(_file(client, county, {"status": ObjectStatus.MONITORED}))) == ["扎西"]
    assert list(_rows(_file(client, county, {"risk": "disaster"}))) == ["扎西"]
    assert list(_rows(_file(client, county, {"sort": "identified_on"}))) == ["王芳", "扎西"]
    clear = _rows(_file(client, county, {"type": ObjectType.MARGINAL}, clear_purpose="上传国家系统核对"))
    assert list(clear) == ["王芳"]
    audit = AuditEvent.objects.filter(action="export", object_type="monitoring.object_national").latest("id")
    assert audit.changes["filters"] == {"type": ObjectType.MARGINAL}


def test_a_refused_filter_gives_no_file(client, cast):
    client.force_login(cast["county"])
    response = client.get(reverse("monitoring:object_national_export"), {"layer": "no-such-layer"})
    assert response.status_code == 400


def test_the_outsider_sees_nothing_of_xinghai(client, cast):
    rows = _rows(_file(client, cast["outsider"]))
    assert list(rows) == ["李强"]  # 泾川县's own object only
    text = " ".join(str(c) for row in rows.values() for c in row)
    assert "扎西" not in text and "兴海县" not in text and OTHER_ID not in text
    # Their clear file holds their own county's ID number and nothing of 兴海县's.
    clear = _rows(_file(client, cast["outsider"], clear_purpose="上传国家防返贫监测信息系统"))
    assert list(clear) == ["李强"] and clear["李强"][COL["证件号码"]] == OTHER_ID
    # Asking for 兴海县 by name is refused (the list's division picker), not answered with an empty file.
    client.force_login(cast["outsider"])
    assert client.get(reverse("monitoring:object_national_export"), {"division": "632524"}).status_code == 400
    refused = client.post(
        reverse("monitoring:object_national_export_clear") + "?division=632524",
        {"purpose": "上传国家系统", "confirm": "on"},
    )
    assert refused.status_code == 400 and "扎西" not in refused.content.decode()
    assert xlsx_rows(_file(client, cast["outsider"], {"type": ObjectType.UNSTABLE})) == [HEADERS]


def test_the_object_list_offers_the_national_file_with_its_filters(client, cast):
    client.force_login(cast["county"])
    page = client.get(reverse("monitoring:object_list"), {"type": "marginal", "page": "2"}).content.decode()
    assert reverse("monitoring:object_national_export") + "?type=marginal" in page
    assert reverse("monitoring:object_national_export_clear") + "?type=marginal" in page
    client.force_login(cast["cadre"])
    page = client.get(reverse("monitoring:object_list")).content.decode()
    assert reverse("monitoring:object_national_export") in page
    assert reverse("monitoring:object_national_export_clear") not in page


def test_the_file_is_in_chinese_whatever_the_pages_language(client, cast):
    client.force_login(cast["county"])
    response = client.get(reverse("monitoring:object_national_export"), headers={"accept-language": "en"})
    sheet = xlsx_rows(response)
    assert sheet[0] == HEADERS and sheet[1][COL["是否原建档立卡户"]] == "是"
