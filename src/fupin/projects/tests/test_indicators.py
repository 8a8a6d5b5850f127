"""The projects app's figures in the indicator catalogue: each recounted from the records at the
county, a township and a village of 兴海县 equals a count by hand (money net of reversals, a
reversal in the year of the entry it corrects), and its drill-through lists exactly the records
counted to the county officer."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import resolve

from fupin.core import lists as core_lists
from fupin.core.indicators import catalogue, recount
from fupin.testing import MINZU_VILLAGE, TANGNAIHAI, XINGHAI

pytestmark = pytest.mark.django_db

HEKA = "632524101"  # 河卡镇
NINGQU = "632524101206"
JINGCHUAN = "620821"


def _records(made: dict) -> dict:
    """Beside the matrix's 民族村 project (in progress; 300,000 元 allocated and 1,000 元 disbursed on
    2024-05-06 from 兴海县's 500,000 元 central source; 扎西's household benefits): a county project,
    a draft in 宁曲村, 大唐's own sources, a township's source, reversals across years, 泾川县's money."""
    from fupin.projects import ledger, services
    from fupin.projects.models import FundSource, Status
    from fupin.projects.tests.factories import make_project, make_source

    datang = made["datang"]
    county_project = make_project(
        name="兴海县农村道路", place=XINGHAI, category="infrastructure", status=Status.APPROVED, year=2023
    )
    make_project(name="宁曲村幼儿园", place=NINGQU, category="education")
    make_project(name="凤凰村果园", place="620821100206")
    central = made["source"]
    ledger.fund_allocate(by=None, source=central, project=county_project, amount="100000.00",
                         date=dt.date(2024, 6, 1))  # fmt: skip
    wrong = ledger.fund_allocate(by=None, source=central, project=county_project, amount="20000.00",
                                 date=dt.date(2024, 6, 2))  # fmt: skip
    ledger.entry_reverse(by=None, entry=wrong, reason="重复", date=dt.date(2025, 1, 5))
    ledger.fund_disburse(by=None, allocation=made["allocation"], amount="2000.00", date=dt.date(2023, 12, 31))
    heka = make_source(name="河卡镇2023年县级衔接资金", kind=FundSource.Kind.COUNTY, place=HEKA, budget=None,
                       year=2023)  # fmt: skip
    ledger.fund_budget(by=None, source=heka, amount="200000.00", date=dt.date(2023, 2, 1))
    mistake = ledger.fund_budget(by=None, source=heka, amount="5000.00", date=dt.date(2023, 3, 1))
    ledger.entry_reverse(by=None, entry=mistake, reason="多录", date=dt.date(2024, 1, 10))
    for kind, place, amount in [
        (FundSource.Kind.UNIT_DIRECT, TANGNAIHAI, "80000.00"),
        (FundSource.Kind.BROUGHT_IN, MINZU_VILLAGE, "30000.00"),
    ]:
        source = make_source(name=f"大唐{kind}", kind=kind, place=place, unit=datang, budget=None)
        ledger.fund_budget(by=None, source=source, amount=amount, date=dt.date(2024, 2, 1))
    make_source(name="泾川县2024年中央衔接资金", place=JINGCHUAN, budget="70000.00")
    services.beneficiary_add(by=None, project=county_project, household=made["zhaxi"], benefit="通路")
    services.beneficiary_add(by=None, project=county_project, household=made["wang"], benefit="通路")
    return {"county_project": county_project}


WORLD_LAYERS = ("projects", _records)

D = Decimal
# (indicator, period, category): {division: count by hand}.
EXPECTED = {
    # 民族村's project (in progress), the county's (approved), 宁曲村's draft.
    ("projects.projects", "", ""): {XINGHAI: 3, TANGNAIHAI: 1, MINZU_VILLAGE: 1, HEKA: 1},
    ("projects.projects", "", "in_progress"): {XINGHAI: 1, TANGNAIHAI: 1, MINZU_VILLAGE: 1},
    ("projects.projects", "", "approved"): {XINGHAI: 1, TANGNAIHAI: 0, MINZU_VILLAGE: 0},
    ("projects.projects_by_category", "", "industry"): {XINGHAI: 1, TANGNAIHAI: 1, MINZU_VILLAGE: 1},
    ("projects.projects_by_category", "", "education"): {XINGHAI: 1, TANGNAIHAI: 0, HEKA: 1},
    # 2024: the county's 500,000, 大唐's 80,000 at 唐乃亥乡 and 30,000 at 民族村.
    ("projects.funds_budgeted", "2024", ""): {
        XINGHAI: D("610000"),
        TANGNAIHAI: D("110000"),
        MINZU_VILLAGE: D("30000"),
    },  # fmt: skip
    ("projects.funds_budgeted", "2024", "central"): {XINGHAI: D("500000"), TANGNAIHAI: 0, MINZU_VILLAGE: 0},
    ("projects.funds_budgeted", "2024", "unit_direct"): {
        XINGHAI: D("80000"),
        TANGNAIHAI: D("80000"),
        MINZU_VILLAGE: 0,
    },  # fmt: skip
    # 河卡镇's 200,000 + 5,000 − 5,000 (reversed in 2024, counted in 2023).
    ("projects.funds_budgeted", "2023", ""): {XINGHAI: D("200000"), HEKA: D("200000"), TANGNAIHAI: 0},
    # 2024: 300,000 to 民族村, 100,000 + 20,000 − 20,000 (reversed in 2025) to the county.
    ("projects.funds_allocated", "2024", ""): {
        XINGHAI: D("400000"),
        TANGNAIHAI: D("300000"),
        MINZU_VILLAGE: D("300000"),
    },  # fmt: skip
    ("projects.funds_allocated", "2024", "infrastructure"): {XINGHAI: D("100000"), TANGNAIHAI: 0},
    ("projects.funds_allocated", "2025", ""): {XINGHAI: 0, TANGNAIHAI: 0, MINZU_VILLAGE: 0},
    ("projects.funds_allocated_by_source", "2024", "central"): {
        XINGHAI: D("400000"),
        MINZU_VILLAGE: D("300000"),
    },  # fmt: skip
    ("projects.funds_disbursed", "2024", ""): {
        XINGHAI: D("1000"),
        TANGNAIHAI: D("1000"),
        MINZU_VILLAGE: D("1000"),
    },  # fmt: skip
    ("projects.funds_disbursed", "2023", "industry"): {
        XINGHAI: D("2000"),
        TANGNAIHAI: D("2000"),
        MINZU_VILLAGE: D("2000"),
    },  # fmt: skip
    ("projects.funds_disbursed_by_source", "2023", "central"): {XINGHAI: D("2000"), MINZU_VILLAGE: D("2000")},
    # 扎西 (on two projects, once) of 民族村 and 王芳 of 宁曲村; 扎西's household has two people.
    ("projects.beneficiary_households", "", ""): {XINGHAI: 2, TANGNAIHAI: 1, MINZU_VILLAGE: 1, HEKA: 1},
    ("projects.beneficiary_people", "", ""): {XINGHAI: 3, TANGNAIHAI: 2, MINZU_VILLAGE: 2, HEKA: 1},
}


def _listed(user, url: str) -> list[int]:
    parts = urlsplit(url)
    spec = resolve(parts.path).func.spec
    query = core_lists.resolve(spec, user, QueryDict(parts.query))
    assert query.valid, query.form.errors
    return sorted(r.pk for r in query.rows)


def _counted(indicator, prefix: str, period: str, category: str):
    rows = indicator.rows().filter(**{f"{indicator.code_field}__startswith": prefix})
    if period:
        rows = rows.annotate(_p=indicator.period_of).filter(_p=period)
    if category:
        rows = rows.annotate(_c=indicator.category_of).filter(_c=category)
    return rows


@pytest.mark.parametrize("key", list(EXPECTED), ids=lambda k: "-".join(filter(None, k)))
def test_recount_equals_the_hand_count(world, key):
    code, period, category = key
    indicator = catalogue()[code]
    for division, expected in EXPECTED[key].items():
        assert recount(indicator, prefix=division, period=period, category=category) == expected, division


def test_jingchuan_counts_its_own(world):
    assert recount(catalogue()["projects.funds_budgeted"], prefix=JINGCHUAN, period="2024") == D("70000")
    assert recount(catalogue()["projects.projects"], prefix=JINGCHUAN) == 1


@pytest.mark.parametrize("key", list(EXPECTED), ids=lambda k: "-".join(filter(None, k)))
def test_the_drill_lists_exactly_the_records_counted(client, world, key):
    code, period, category = key
    indicator = catalogue()[code]
    county = world["county"]
    client.force_login(county)
    for division in EXPECTED[key]:
        url = indicator.drill(division, period, category)
        assert client.get(url).status_code == 200, url
        counted = _counted(indicator, division, period, category)
        if code.startswith("projects.beneficiary"):
            # The projects that benefit the households counted.
            expected = sorted(set(counted.values_list("project_id", flat=True)))
        else:
            expected = sorted(counted.values_list("pk", flat=True))
        assert _listed(county, url) == expected, url
