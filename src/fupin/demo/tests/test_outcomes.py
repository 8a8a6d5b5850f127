"""The outcomes demo: seed 002's figures come out of the records, not out of constants."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from fupin.demo.builders import build_units
from fupin.demo.outcomes import UNIT, build_outcomes, placement_plan, split
from fupin.orgs.models import Unit
from fupin.outcomes import selectors
from fupin.outcomes.models import IndicatorTarget, Placement, PlacementKind, Purchase


@pytest.fixture
def seed_unit(db):
    call_command("regions", "load", verbosity=0)
    build_units()
    return Unit.objects.get(name=UNIT)


def test_it_splits_amounts_exactly():
    parts = split(100, [1, 1, 1])
    assert sum(parts) == 100 and sorted(parts) == [33, 33, 34]


def test_it_builds_seed_002s_figures_from_records(seed_unit):
    """2.52亿 bought over suppliers in the nine counties; 189 placements, 59 of them graduates."""
    assert build_outcomes() > 0
    purchases = Purchase.objects.filter(unit=seed_unit)
    totals = selectors.purchase_totals(purchases)
    assert totals["bought"] == Decimal("252000000.00")
    assert totals["sold"] == Decimal("46200000.00")
    counties = {row["key"] for row in selectors.purchase_totals_by(purchases, "county")}
    assert counties == set(seed_unit.assisted_places.values_list("region_id", flat=True))
    assert len(counties) == 9
    placements = selectors.placement_totals(Placement.objects.filter(unit=seed_unit))
    assert placements["count"] == 189
    assert placements[PlacementKind.GRADUATE] == 59
    # 59 graduates and 14 workers in 米脂 and 吴堡 (神东煤炭).
    shendong = Placement.objects.filter(unit=seed_unit, region_id__in=["610827", "610829"])
    assert shendong.filter(kind=PlacementKind.WORKER).count() == 14
    assert shendong.filter(kind=PlacementKind.GRADUATE).count() == 59


def test_it_makes_the_pledges_and_computes_their_produce_actuals(seed_unit):
    build_outcomes()
    target = IndicatorTarget.objects.get(unit=seed_unit, year=2020)
    actuals = selectors.indicator_actuals(unit_id=seed_unit.pk, year=2020)
    assert actuals["bought"] == Decimal("88000000.00")
    assert actuals["sold"] == Decimal("22200000.00")
    assert selectors.completion(actuals["bought"], target.bought) == Decimal("146.7")
    assert IndicatorTarget.objects.filter(unit=seed_unit).count() == 3


def test_it_is_idempotent(seed_unit):
    build_outcomes()
    counts = (Purchase.objects.count(), Placement.objects.count(), IndicatorTarget.objects.count())
    assert build_outcomes() == 0
    assert (Purchase.objects.count(), Placement.objects.count(), IndicatorTarget.objects.count()) == counts


def test_it_gives_every_placement_its_own_key():
    keys = {(row["name"], row["region_id"], row["date"]) for row in placement_plan()}
    assert len(keys) == 189
