"""Reads: scoped lists, totals by unit/county/year, the six 责任书 actuals and the amount filter."""

import datetime
from decimal import Decimal

import pytest

from fupin.outcomes import selectors
from fupin.outcomes.templatetags.outcomes_tags import report_amount

pytestmark = pytest.mark.django_db


def test_it_shows_each_user_their_own_places_and_unit(cast, records):
    county = set(selectors.purchase_list(user=cast["county"]))
    assert county == {records["p2019"], records["p2020"], records["s2020"]}
    assert set(selectors.purchase_list(user=cast["outsider"])) == {records["other"]}
    assert set(selectors.purchase_list(user=cast["cadre"])) == {records["p2019"]}  # 民族村 only
    assert records["other"] not in set(selectors.purchase_list(user=cast["unitofficer"]))
    assert list(selectors.purchase_list(user=cast["sysadmin"])) == []


def test_it_totals_by_unit_county_and_year(cast, records):
    purchases = selectors.purchase_list(user=cast["county"])
    assert selectors.purchase_totals(purchases) == {
        "bought": Decimal("1500000.50"),
        "sold": Decimal("80000.00"),
        "count": 3,
    }
    (county,) = selectors.purchase_totals_by(purchases, "county")
    assert (
        county["key"] == "632524" and county["label"] == "兴海县" and county["total"] == Decimal("1580000.50")
    )
    years = selectors.purchase_totals_by(purchases, "year")
    assert [(r["key"], r["bought"], r["sold"]) for r in years] == [
        (2019, Decimal("300000.00"), Decimal("0.00")),
        (2020, Decimal("1200000.50"), Decimal("80000.00")),
    ]
    (unit,) = selectors.purchase_totals_by(purchases, "unit")
    assert unit["label"] == "大唐青海能源开发有限公司"


def test_the_summary_has_a_row_for_every_key_of_either_kind_of_record(cast, records):
    """Produce and placements side by side; a year with placements but no purchase keeps its row."""
    from fupin.outcomes import services
    from fupin.outcomes.models import PlacementKind, WageBand

    services.placement_create(
        by=None, unit=cast["datang"].pk, name="卓玛", region="632524101206", employer="兴海县医院",
        kind=PlacementKind.WORKER, date=datetime.date(2021, 3, 1), wage_band=WageBand.FROM_2000,
    )  # fmt: skip
    rows = list(selectors.summary_rows(user=cast["county"], by="year"))
    assert [(r["key"], r["bought"], r["sold"], r["count"], r["placed"], r["graduates"]) for r in rows] == [
        (2019, Decimal("300000.00"), Decimal("0.00"), 1, 0, 0),
        (2020, Decimal("1200000.50"), Decimal("80000.00"), 2, 1, 1),
        (2021, Decimal("0.00"), Decimal("0.00"), 0, 1, 0),
    ]
    (county,) = selectors.summary_rows(user=cast["county"], by="county")
    assert (county["key"], county["label"], county["total"], county["placed"]) == (
        "632524", "兴海县", Decimal("1580000.50"), 2
    )  # fmt: skip
    (unit,) = selectors.summary_rows(user=cast["county"], filters={"year": 2021}, by="unit")
    assert (unit["label"], unit["total"], unit["placed"]) == ("大唐青海能源开发有限公司", Decimal("0.00"), 1)


def test_it_computes_the_produce_actuals_from_records(cast, records):
    actuals = selectors.indicator_actuals(unit_id=cast["datang"].pk, year=2020)
    assert actuals["bought"] == Decimal("1200000.50") and actuals["sold"] == Decimal("80000.00")
    (row,) = selectors.indicator_rows([records["target"]])
    rates = {i["name"]: i["rate"] for i in row["items"]}
    assert rates["bought"] == Decimal("120.0") and rates["sold"] == Decimal("80.0")
    assert rates["cadres_trained"] is None  # nothing pledged: no rate


def test_it_shows_report_amounts_in_wan_and_yi():
    assert report_amount(Decimal("252000000")) == "2.52亿元"
    assert report_amount(Decimal("55816800")) == "5,581.68万元"
    assert report_amount(Decimal("4740000")) == "474.00万元"
    assert report_amount(Decimal("1234.5")) == "1,234.50元"
    assert report_amount(None) == "—"
