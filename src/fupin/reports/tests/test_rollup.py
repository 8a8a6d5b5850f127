"""The rollup equals a recount from the records, for every declared indicator, at every level of
the test world (province, city, county, township, village of 兴海县 and 泾川县, and the whole), in
every period and category present; plus test-only declarations that exercise what the apps' may
not (a MONTH figure, money with a unit, a distinct count over several categories, a ratio);
the incremental refresh; a second full refresh that changes nothing; the selectors' scope.
"""

from decimal import Decimal

import pytest
from django.db.models import CharField, Count, F, Sum
from django.db.models.functions import Cast

from fupin.core import indicators as declared
from fupin.core.indicators import MONTH, RATIO, YEAR, Indicator, month_of, recount
from fupin.outcomes.models import Purchase
from fupin.registry.models import Household, Member
from fupin.reports import apps as hooks
from fupin.reports import selectors, services
from fupin.reports.models import DirtyCode, Rollup, RollupTotal
from fupin.testing import CAST_REGIONS, MINZU_VILLAGE, NINGQU_VILLAGE, XINGHAI, make_user

WORLD_LAYERS = ("households", "party", "assistance", "projects", "outcomes", "monitoring")

CODES = ["", *(code for code, _name, _level, _parent in CAST_REGIONS)]

# Test-only declarations: what the catalogue may lack when this runs.
TEST_INDICATORS = [
    Indicator(
        code="rtest.members_by_relation",
        name="成员(测试)",
        definition="",
        unit="户",
        rows=lambda: Household._base_manager.all(),
        code_field="village_id",
        # A household with several relations counts once in the total: a distinct count.
        value=Count("id", distinct=True),
        category_of=F("members__relation"),
        categories={"head": "户主", "spouse": "配偶", "son": "之子"},
        sources=(("registry.Member", "household__village_id"),),
    ),
    Indicator(
        code="rtest.purchases",
        name="采购金额(测试)",
        definition="",
        unit="元",
        period=MONTH,
        rows=lambda: Purchase._base_manager.all(),
        code_field="region_id",
        value=Sum("amount"),
        period_of=month_of("date"),
        category_of=F("kind"),
        categories={"bought": "购买", "sold": "帮销"},
        unit_field="unit_id",
    ),
    Indicator(
        code="rtest.incomes",
        name="收入户数(测试)",
        definition="",
        unit="户",
        period=YEAR,
        rows=lambda: Household._base_manager.filter(incomes__isnull=False),
        code_field="village_id",
        value=Count("id"),
        period_of=Cast("incomes__year", CharField()),
    ),
    Indicator(
        code="rtest.households",
        name="户(测试)",
        definition="",
        unit="户",
        rows=lambda: Household._base_manager.all(),
        value=Count("id"),
        sources=(("registry.Household", "village_id"),),
    ),  # fmt: skip
    Indicator(
        code="rtest.members",
        name="人(测试)",
        definition="",
        unit="人",
        rows=lambda: Member._base_manager.all(),
        code_field="household__village_id",
        value=Count("id"),
        sources=(("registry.Member", "household__village_id"),),
    ),  # fmt: skip
    Indicator(
        code="rtest.size",
        name="户均人口(测试)",
        definition="",
        unit="人",
        kind=RATIO,
        parts=("rtest.members", "rtest.households"),
        scale=100,
    ),  # fmt: skip
]


@pytest.fixture(autouse=True)
def test_declarations():
    declared.catalogue()
    for ind in TEST_INDICATORS:
        declared.register(ind)
    hooks.connect_sources()  # their sources too (at start only the apps' declarations were seen)
    yield
    for ind in TEST_INDICATORS:
        declared.CATALOGUE.pop(ind.code, None)


@pytest.fixture
def national(cast):
    """A viewer of both provinces of the world (stands for a national one)."""
    from fupin.accounts.roles import Role

    return make_user("national", roles=[Role.VIEWER], scopes=["63", "62"])


def _periods(ind) -> list[str]:
    if ind.kind == RATIO:
        return sorted({p for part in ind.parts for p in _periods(declared.CATALOGUE[part])})
    stored = set(Rollup.objects.filter(indicator=ind.code).values_list("period", flat=True))
    years = {p[:4] for p in stored if len(p) == 7}
    return sorted({"", *stored, *years})


def _categories(ind) -> list[str]:
    return ["", *ind.categories] if ind.kind != RATIO else ["", *declared.CATALOGUE[ind.parts[0]].categories]


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return Decimal(a).quantize(Decimal("0.000001")) == Decimal(b).quantize(Decimal("0.000001"))


def test_every_indicator_equals_its_recount_at_every_level(world, national):
    services.refresh()
    checked = 0
    wrong = []
    for ind in declared.CATALOGUE.values():
        for period in _periods(ind):
            for category in _categories(ind):
                for code in CODES:
                    expected = recount(ind, prefix=code, period=period, category=category)
                    got = selectors.figure(
                        national, ind.code, division=code or None, period=period, category=category
                    )
                    checked += 1
                    if not _same(expected, got):
                        wrong.append((ind.code, code, period, category, expected, got))
    assert not wrong, wrong[:20]
    assert checked > 100
    # The world holds something for the test declarations (else the comparison proves little).
    assert selectors.figure(national, "rtest.purchases", period="2020") > 0
    assert selectors.figure(national, "rtest.members_by_relation", category="spouse") == 1


def test_unit_figures(world, national):
    services.refresh(indicators=["rtest.purchases"])
    datang = world["datang"].pk
    for period in ("", "2019", "2020", "2020-01"):
        for category in ("", "bought", "sold"):
            ind = declared.CATALOGUE["rtest.purchases"]
            expected = recount(ind, period=period, category=category, unit_id=datang)
            assert _same(
                expected,
                selectors.figure(national, ind.code, period=period, category=category, unit_id=datang),
            )


def test_ratio_breakdown_and_categories(world, national):
    services.refresh()
    parts = selectors.breakdown(national, "rtest.size", division=XINGHAI)
    values = {p.code: p.value for p in parts}
    expected = recount(declared.CATALOGUE["rtest.size"], prefix="632524203")
    assert _same(values["632524203"], expected)
    cats = selectors.by_category(national, "rtest.members_by_relation", division=XINGHAI)
    assert [key for key, _label, _v in cats] == ["head", "spouse", "son"]
    assert dict((k, v) for k, _l, v in cats)["head"] == recount(
        declared.CATALOGUE["rtest.members_by_relation"], prefix=XINGHAI, category="head"
    )
    trend = selectors.trend(national, "rtest.incomes", division=XINGHAI, periods=["2018", "2019", "2020"])
    assert [v for _p, v in trend] == [1, 1, 0]


@pytest.mark.parametrize("division", [None, XINGHAI, MINZU_VILLAGE])
def test_a_trend_reads_what_figure_reads_in_each_period(world, national, division):
    """trend reads all its periods at once; each point equals figure's for that period, for every
    indicator (sums, ratios, snapshots, monthly figures read by month and by year)."""
    services.refresh()
    months = [f"2020-{m:02d}" for m in range(1, 13)]
    years = ["2018", "2019", "2020", "2021", "2026"]
    # And `figures` (every indicator at once, the 驾驶舱's read) answers what figure and trend do.
    every = list(declared.catalogue())
    read = selectors.figures(national, every, division=division, periods=months + years, categorised=every)
    for code in declared.catalogue():
        for periods in (months, years):
            points = selectors.trend(national, code, division=division, periods=periods)
            each = [(p, selectors.figure(national, code, division=division, period=p)) for p in periods]
            assert len(points) == len(each) and all(
                a == b and _same(x, y) for (a, x), (b, y) in zip(points, each, strict=True)
            ), code
            assert all(
                _same(x, y) for (_p, x), (_q, y) in zip(read.trend(code, periods), each, strict=True)
            ), code
        # Categories too, as by_category reads them.
        for period in ("2020", "2020-09", "2026", ""):
            assert read.by_category(code, period) == selectors.by_category(
                national, code, division=division, period=period
            ), code
        # A period it did not read, and '' (every period), are read the ordinary way.
        for period in ("", "2017"):
            assert _same(
                read.figure(code, period), selectors.figure(national, code, division=division, period=period)
            )
    outsider = selectors.figures(world["outsider"], ["rtest.households"], division=XINGHAI, periods=years)
    assert outsider is None


def _rows(indicator=None):
    rows = Rollup.objects.all()
    if indicator:
        rows = rows.filter(indicator=indicator)
    return set(
        rows.values_list("indicator", "category", "period", "unit_id", "code", "village", "value").order_by()
    )


def _totals():
    return set(
        RollupTotal.objects.values_list(
            "indicator", "category", "period", "unit_id", "code", "parent", "value"
        ).order_by()
    )


def test_second_full_refresh_changes_nothing(world):
    services.refresh()
    first, totals = _rows(), _totals()
    assert first and totals
    assert services.totals_mismatch() == []
    # Every level above the village has its totals: 兴海县's townships, the county, city, province.
    assert {t[4] for t in totals} >= {"632524101", XINGHAI, "6325", "63", "62"}
    assert {(t[4], t[5]) for t in totals} >= {("632524101", XINGHAI), (XINGHAI, "6325"), ("63", "")}
    run = services.refresh()
    assert _rows() == first and _totals() == totals
    assert run.full and run.rows == len(first)


@pytest.mark.parametrize("area", [XINGHAI, "63", MINZU_VILLAGE])
def test_an_areas_refresh_rewrites_its_totals_and_those_above(world, area):
    """A county's own refresh (`refresh(area=…)`) rewrites the totals under it and above it: after
    records changed without marks (a bulk update), the area's refresh gives what a full one gives."""
    services.refresh()
    Household._base_manager.filter(village_id=MINZU_VILLAGE).update(member_count=F("member_count") + 3)
    services.refresh(area=area)
    assert services.totals_mismatch() == []
    after = _totals()
    services.refresh()
    assert _totals() == after


def test_incremental_refresh_changes_only_the_touched_village(
    world, national, django_capture_on_commit_callbacks, monkeypatch
):
    from fupin.registry import services as registry
    from fupin.testing import person_id

    # The world's own marks wait in its never-committed transaction: start a set of this test's.
    monkeypatch.setattr(hooks._local, "pending", None, raising=False)

    services.refresh()
    before, before_totals = _rows(), _totals()
    DirtyCode.objects.all().delete()
    zhaxi = world["zhaxi"]
    with django_capture_on_commit_callbacks(execute=True):
        registry.member_add(by=None, household=zhaxi, name="次仁", id_number=person_id(77), relation="son")
    # The hooks marked 民族村 (its households and members changed), nothing else.
    assert set(DirtyCode.objects.values_list("code", flat=True)) == {MINZU_VILLAGE}
    assert "registry.Member" in set(DirtyCode.objects.values_list("source", flat=True))
    run = services.drain()
    assert run is not None and not run.full
    # Only the indicators counting households or members were rewritten.
    assert 0 < run.indicators < len(services._stored())
    assert not DirtyCode.objects.exists()
    after, totals_after = _rows(), _totals()
    changed = before ^ after
    assert changed
    assert {row[4] for row in changed} <= set(services.ancestors([MINZU_VILLAGE]))
    assert any(row[0] == "rtest.members" for row in changed)
    # The totals above 民族村 followed (its township, county, city, province), nothing else.
    changed_totals = before_totals ^ totals_after
    assert {row[4] for row in changed_totals} == set(services.ancestors([MINZU_VILLAGE])) - {MINZU_VILLAGE}
    assert services.totals_mismatch() == []
    # And the incremental result is what a full refresh writes.
    services.refresh()
    assert _rows() == after and _totals() == totals_after
    assert selectors.figure(national, "rtest.members", division=MINZU_VILLAGE) == recount(
        declared.CATALOGUE["rtest.members"], prefix=MINZU_VILLAGE
    )


def test_selector_scope(world, national):
    services.refresh()
    county, outsider, unit, admin = (world[k] for k in ("county", "outsider", "unitofficer", "sysadmin"))
    xinghai = recount(declared.CATALOGUE["rtest.households"], prefix=XINGHAI)
    assert xinghai
    assert selectors.figure(county, "rtest.households") == xinghai
    assert selectors.figure(county, "rtest.households", division=NINGQU_VILLAGE) == 1
    assert selectors.figure(outsider, "rtest.households", division=XINGHAI) is None
    assert selectors.figure(outsider, "rtest.households", division="63") is None
    assert selectors.breakdown(outsider, "rtest.households", division=XINGHAI) == []
    assert selectors.figure(unit, "rtest.households") == xinghai  # 大唐 assists 兴海县
    assert selectors.figure(admin, "rtest.households") is None
    assert selectors.breakdown(admin, "rtest.households") == []
    # Breakdown: every child listed, 0 where nothing is counted; the scope's roots for None.
    roots = selectors.breakdown(county, "rtest.households")
    assert [(p.code, p.value) for p in roots] == [(XINGHAI, xinghai)]
    towns = selectors.breakdown(county, "rtest.households", division=XINGHAI)
    assert [p.code for p in towns] == ["632524101", "632524203"]
    provinces = selectors.breakdown(national, "rtest.households")
    assert [p.code for p in provinces] == ["62", "63"]
    assert selectors.breakdown(national, "rtest.households", division=MINZU_VILLAGE) == []


def test_catalogue_sync(world):
    services.sync_catalogue()
    from fupin.reports.models import Indicator as Row

    row = Row.objects.get(code="rtest.size")
    assert row.kind == RATIO and row.name == "户均人口(测试)"
    assert "rtest.size" in [r.code for r in selectors.indicators()]
    Row.objects.filter(code="rtest.households").update(active=False)
    run = services.refresh(indicators=["rtest.households"])
    assert run.indicators == 0


def test_periodic_drain_and_job(world):
    from fupin.reports import tasks

    DirtyCode.objects.create(code=MINZU_VILLAGE)
    run = tasks.drain_now()
    assert run is not None and run.codes == 5
    assert tasks.drain_now() is None
    job = tasks.start_refresh(by=world["county"], indicators=["rtest.households"])
    job.refresh_from_db()
    assert job.state == job.State.DONE, job.error
    assert job.result["indicators"] == 1


def test_month_keys(world):
    services.refresh(indicators=["rtest.purchases"])
    months = set(Rollup.objects.filter(indicator="rtest.purchases").values_list("period", flat=True))
    # The world's sale on behalf of 2020-09-30: the same key on both databases.
    assert "2020-09" in months and all(len(m) == 7 and m[4] == "-" for m in months)


def test_a_households_own_edit_marks_its_village(world, django_capture_on_commit_callbacks, monkeypatch):
    """A versioned edit is an UPDATE (core.versioning.update_if_current), not a save(): it still tells
    the rollup's hooks, so the 驾驶舱 follows within the minute, not the next night."""
    from fupin.registry import services as registry

    monkeypatch.setattr(hooks._local, "pending", None, raising=False)
    DirtyCode.objects.all().delete()
    zhaxi = world["zhaxi"]
    with django_capture_on_commit_callbacks(execute=True):
        registry.household_update(
            by=world["county"], household=zhaxi, version=zhaxi.version, safe_water=False
        )
    assert set(DirtyCode.objects.values_list("code", "source")) == {(MINZU_VILLAGE, "registry.Household")}
    # A write that changes nothing is no write: nothing marked.
    DirtyCode.objects.all().delete()
    zhaxi.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        registry.household_update(
            by=world["county"], household=zhaxi, version=zhaxi.version, safe_water=False
        )
    assert not DirtyCode.objects.exists()
