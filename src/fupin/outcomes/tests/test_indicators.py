"""The outcomes app's figures in the indicator catalogue: each recounted from the records at the
county, a township and a village of 兴海县 equals a count by hand; the six 责任书 figures of 大唐
equal what the 责任书 page shows (`selectors.indicator_actuals`); each drill-through lists exactly
the records counted (for training: the classes holding the attendees counted)."""

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

HEKA = "632524101"  # 河卡镇, the township of 宁曲村
JINGCHUAN = "620821"


def _records(made: dict) -> None:
    """Beside fupin.testing's outcome records (大唐 bought 300,000 元 from 民族村 in 2019 and
    1,200,000.50 元 at the county in 2020, sold 80,000 元 for 宁曲村 in 2020, placed a graduate of
    民族村 in 2020; 泾川县's unit bought from 凤凰村): 大唐's funds and classes, a second placement."""
    from fupin.assistance import services as assistance
    from fupin.assistance.choices import TrainingForm, TrainingKind
    from fupin.outcomes import services
    from fupin.outcomes.models import PlacementKind, WageBand
    from fupin.projects import ledger
    from fupin.projects import services as projects
    from fupin.projects.models import FundSource

    datang, other = made["datang"], made["jingchuan_unit"]

    def source(unit, kind, place):
        return projects.source_create(by=None, name=f"{unit.name}{kind}{place}", kind=kind, year=2020,
                                      place_code=place, unit_id=unit.pk)  # fmt: skip

    def budget(src, amount, day):
        return ledger.fund_budget(by=None, source=src, amount=amount, date=day)

    direct = source(datang, FundSource.Kind.UNIT_DIRECT, XINGHAI)
    budget(direct, "100000.00", dt.date(2019, 3, 31))
    budget(direct, "250000.00", dt.date(2020, 3, 31))
    mistake = budget(direct, "1000.00", dt.date(2020, 6, 1))
    ledger.entry_reverse(by=None, entry=mistake, reason="重复录入", date=dt.date(2021, 1, 5))
    brought = source(datang, FundSource.Kind.BROUGHT_IN, MINZU_VILLAGE)
    budget(brought, "40000.00", dt.date(2019, 9, 1))
    budget(brought, "5000.00", dt.date(2020, 1, 10))
    budget(source(datang, FundSource.Kind.DONATION, XINGHAI), "9999.00", dt.date(2020, 10, 17))
    budget(source(other, FundSource.Kind.UNIT_DIRECT, JINGCHUAN), "77777.00", dt.date(2020, 3, 1))

    def training(unit, start, region, *attendees):
        assistance.training_create(
            by=None, topic="培训", form=TrainingForm.SPECIAL_CLASS, kind=TrainingKind.GRASSROOTS_CADRE,
            start=start, end=start, place="兴海县", organiser=unit, region=region, attendees=attendees,
        )  # fmt: skip

    training(datang, dt.date(2019, 5, 1), TANGNAIHAI,
             {"kind": "grassroots_cadre", "count": 30}, {"kind": "technician", "count": 12})  # fmt: skip
    training(datang, dt.date(2020, 6, 1), XINGHAI, {"kind": "grassroots_cadre", "name": "才让"},
             {"kind": "grassroots_cadre", "count": 20}, {"kind": "technician", "count": 8})  # fmt: skip
    training(other, dt.date(2020, 6, 1), JINGCHUAN, {"kind": "grassroots_cadre", "count": 99})
    services.placement_create(
        by=None, unit=datang.pk, name="王芳", region="632524101206", employer="兴海县光伏电站",
        kind=PlacementKind.WORKER, date=dt.date(2020, 8, 1), wage_band=WageBand.FROM_2000,
    )  # fmt: skip


WORLD_LAYERS = ("outcome_records", _records)

D = Decimal
# (indicator, period, category): {division: count by hand}.
EXPECTED = {
    ("outcomes.bought", "2019", ""): {
        XINGHAI: D("300000"),
        TANGNAIHAI: D("300000"),
        MINZU_VILLAGE: D("300000"),
    },
    ("outcomes.bought", "2020", ""): {XINGHAI: D("1200000.50"), TANGNAIHAI: 0, MINZU_VILLAGE: 0},
    ("outcomes.sold", "2020", ""): {XINGHAI: D("80000"), HEKA: D("80000"), TANGNAIHAI: 0},
    ("outcomes.placements", "2020", ""): {XINGHAI: 2, TANGNAIHAI: 1, MINZU_VILLAGE: 1, HEKA: 1},
    ("outcomes.placements", "2020", "graduate"): {XINGHAI: 1, TANGNAIHAI: 1, MINZU_VILLAGE: 1, HEKA: 0},
    ("outcomes.direct_funds", "2019", ""): {XINGHAI: D("100000"), TANGNAIHAI: 0, MINZU_VILLAGE: 0},
    ("outcomes.direct_funds", "2020", ""): {XINGHAI: D("250000"), TANGNAIHAI: 0, MINZU_VILLAGE: 0},
    ("outcomes.brought_in_funds", "2019", ""): {
        XINGHAI: D("40000"),
        TANGNAIHAI: D("40000"),
        MINZU_VILLAGE: D("40000"),
    },  # fmt: skip
    ("outcomes.brought_in_funds", "2020", ""): {XINGHAI: D("5000"), MINZU_VILLAGE: D("5000")},
    ("outcomes.cadres_trained", "2019", ""): {XINGHAI: 30, TANGNAIHAI: 30, MINZU_VILLAGE: 0},
    ("outcomes.cadres_trained", "2020", ""): {XINGHAI: 21, TANGNAIHAI: 0, MINZU_VILLAGE: 0},
    ("outcomes.technicians_trained", "2019", ""): {XINGHAI: 12, TANGNAIHAI: 12, MINZU_VILLAGE: 0},
    ("outcomes.technicians_trained", "2020", ""): {XINGHAI: 8, TANGNAIHAI: 0},
}

DUTY = {
    "direct_funds": "outcomes.direct_funds",
    "brought_in_funds": "outcomes.brought_in_funds",
    "cadres_trained": "outcomes.cadres_trained",
    "technicians_trained": "outcomes.technicians_trained",
    "bought": "outcomes.bought",
    "sold": "outcomes.sold",
}


@pytest.mark.parametrize("key", list(EXPECTED), ids=lambda k: "-".join(filter(None, k)))
def test_recount_equals_the_hand_count(world, key):
    code, period, category = key
    indicator = catalogue()[code]
    for division, expected in EXPECTED[key].items():
        assert recount(indicator, prefix=division, period=period, category=category) == expected, division


@pytest.mark.parametrize("year", [2019, 2020, 2021])
def test_the_duty_figures_are_the_pages(world, year):
    from fupin.outcomes.selectors import indicator_actuals

    datang = world["datang"].pk
    shown = indicator_actuals(unit_id=datang, year=year)
    for name, code in DUTY.items():
        assert recount(catalogue()[code], period=str(year), unit_id=datang) == shown[name], name
    # The other unit's records count for it, not for 大唐.
    other = world["jingchuan_unit"].pk
    assert recount(catalogue()["outcomes.direct_funds"], period="2020", unit_id=other) == D("77777")


def _listed(user, url: str) -> list[int]:
    parts = urlsplit(url)
    spec = resolve(parts.path).func.spec
    query = core_lists.resolve(spec, user, QueryDict(parts.query))
    assert query.valid, query.form.errors
    return sorted(r.pk for r in query.rows)


@pytest.mark.parametrize("key", list(EXPECTED), ids=lambda k: "-".join(filter(None, k)))
def test_the_drill_lists_exactly_the_records_counted(client, world, key):
    code, period, category = key
    indicator = catalogue()[code]
    county = world["county"]
    client.force_login(county)
    for division in EXPECTED[key]:
        url = indicator.drill(division, period, category)
        assert client.get(url).status_code == 200, url
        rows = indicator.rows().filter(**{f"{indicator.code_field}__startswith": division})
        rows = rows.annotate(_p=indicator.period_of).filter(_p=period)
        if category:
            rows = rows.annotate(_c=indicator.category_of).filter(_c=category)
        field = "training_id" if code.endswith("_trained") else "pk"
        assert _listed(county, url) == sorted(set(rows.values_list(field, flat=True))), url
