"""The projects demo: seed 002's totals come out of the records, seed 004's project went the whole way."""

import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Sum

from fupin.demo.builders import build_units, build_users
from fupin.demo.projects import CHANGLIU, COUNTIES, MAOMING_PROJECT, build_projects
from fupin.orgs.models import Unit
from fupin.projects import selectors
from fupin.projects.models import FundSource, LedgerEntry, Project, Status

# Seed 002, as the report states it: category -> (yuan, number of projects or None when not given).
SEED_002 = {
    "education": (Decimal("393000000"), 113),
    "medical": (Decimal("92590000"), 44),
    "housing_water": (Decimal("196000000"), None),
    "infrastructure": (Decimal("152000000"), None),
    "industry": (Decimal("163000000"), 85),
    "ecology": (Decimal("53500000"), None),  # three yearly phases, 2018—2020
}


@pytest.fixture
def shipped_regions(db):
    call_command("regions", "load", verbosity=0)


@pytest.fixture
def built(shipped_regions):
    build_units()
    build_users()
    started = time.perf_counter()
    made = build_projects()
    return made, time.perf_counter() - started


def test_seed_002_totals_come_out_of_the_ledger(built):
    made, seconds = built
    assert made > 0 and seconds < 20
    unit = Unit.objects.get(name="国家能源投资集团有限责任公司")
    projects = Project.objects.filter(unit=unit, place__code__in=COUNTIES)
    for category, (total, count) in SEED_002.items():
        mine = projects.filter(category=category)
        if count is not None:
            assert mine.count() == count, category
        allocated = LedgerEntry.objects.filter(project__in=mine, kind="allocation").aggregate(
            t=Sum("amount")
        )["t"]
        disbursed = LedgerEntry.objects.filter(project__in=mine, kind="disbursement").aggregate(
            t=Sum("amount")
        )["t"]
        assert allocated.quantize(Decimal("0.01")) == total, category
        assert disbursed.quantize(Decimal("0.01")) == total, category
    # The same figures through the selector the summary page uses.
    rows = {r["category"]: r for r in selectors.category_totals(prefix="")}
    assert rows["education"]["allocated"] >= Decimal("393000000.00")
    assert set(projects.values_list("place_id", flat=True)) == set(COUNTIES)
    assert set(projects.filter(category="ecology").values_list("place_id", flat=True)) == {"632726"}  # 黄河源
    # Money by year: each source is one county's year, its budget issued in that year.
    sources = FundSource.objects.filter(unit=unit, kind="unit_direct")
    assert sources.count() > 9 and not sources.filter(name__contains="累计").exists()
    assert not LedgerEntry.objects.filter(source__in=sources).exclude(date__year=F("source__year")).exists()


def test_donations_and_funds_brought_in_are_sources_of_their_own(built):
    """Three 扶贫日 campaigns of many gifts (5,581.68万 in all); twelve gifts brought in (474万)."""
    unit = Unit.objects.get(name="国家能源投资集团有限责任公司")
    campaigns = selectors.with_balances(FundSource.objects.filter(unit=unit, kind="donation"))
    assert campaigns.count() == 3
    assert sum(c.budgeted for c in campaigns) == Decimal("55816800.00")
    assert LedgerEntry.objects.filter(source__in=campaigns, kind="budget").count() > 30
    totals = [selectors.unit_fund_totals(unit_id=unit.pk, year=y) for y in range(2016, 2021)]
    assert sum(t["brought_in"] for t in totals) == Decimal("4740000.00")
    assert sum(t["direct"] for t in totals) == sum(v for v, _n in SEED_002.values())


def test_the_changliu_project_went_through_the_whole_procedure(built):
    project = Project.objects.get(name=MAOMING_PROJECT, place_id=CHANGLIU)
    assert project.status == Status.EVALUATED
    steps = list(project.events.values_list("action", flat=True))
    assert steps == [
        "create",
        "propose",
        "review",
        "approve",
        "publicise",
        "start",
        "accept",
        "complete",
        "evaluate",
    ]
    assert project.events.get(action="propose").actor.username == "fs_changliu"
    assert selectors.project_money(project)["disbursed"] == Decimal("600000.00")


def test_it_is_idempotent(built):
    counts = (Project.objects.count(), LedgerEntry.objects.count(), FundSource.objects.count())
    assert build_projects() == 0
    assert (Project.objects.count(), LedgerEntry.objects.count(), FundSource.objects.count()) == counts
    assert Project.objects.values("place_id").annotate(n=Count("id")).count() >= 10
