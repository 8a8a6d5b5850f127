"""The demo tells the seeds' story without contradicting itself (issue 10, items 22–26).

One build of `fupin demo`, then general checks that would catch each kind of contradiction found
once: events stamped with the build time, a branch named after another township, a Qinghai branch
scored on Gansu's standard, a household header disagreeing with its latest check, a note naming a
township of another county, households in urban 社区, empty 兴海县 pages, and seed 002's figures
typed as totals instead of coming from records.
"""

from decimal import Decimal

from django.db.models import F, Sum

from fupin.accounts.models import User
from fupin.assistance.choices import TrainingKind
from fupin.assistance.models import (
    Activity,
    Cadre,
    MeasureEvent,
    Plan,
    Posting,
    TeamEvent,
    TrainingClass,
    Visit,
    WorkLog,
    WorkTeam,
)
from fupin.assistance.selectors import training_person_times
from fupin.demo.projects import SEED_002
from fupin.outcomes import selectors as outcomes
from fupin.outcomes.models import IndicatorTarget, Placement, Purchase
from fupin.party.models import (
    BranchScore,
    CadreMonthScore,
    Meeting,
    MemberEvent,
    Pairing,
    PairingActivity,
    PartyOrg,
    ReserveCadre,
    WeakCase,
    WeakCaseEvent,
)
from fupin.projects.models import FundSource, LedgerEntry, Project, ProjectEvent
from fupin.projects.selectors import unit_fund_totals
from fupin.regions.models import Region
from fupin.registry.choices import HouseholdStatus, SchoolStatus
from fupin.registry.generator import is_village_committee
from fupin.registry.models import Household, HouseholdEvent

CHN = "国家能源投资集团有限责任公司"
EVENT_MODELS = (HouseholdEvent, ProjectEvent, TeamEvent, MeasureEvent, WeakCaseEvent, MemberEvent)


def _ancestry(code: str) -> set[str]:
    return {code[:n] for n in (2, 4, 6, 9, 12) if n <= len(code)}


def _names(regions) -> dict[str, set[str]]:
    """name or short name (three characters or more, two for counties) -> the codes bearing it."""
    names: dict[str, set[str]] = {}
    for code, name, short, level in regions.values_list("code", "name", "short_name", "level"):
        for text in {name, short}:
            if len(text) >= 3 or (level <= Region.Level.COUNTY and len(text) >= 2):
                names.setdefault(text, set()).add(code)
    return names


def _foreign_places(text: str, names: dict[str, set[str]], *, own: set[str]) -> list[str]:
    """Names in `text` no place of which is in `own` (codes the record may name)."""
    return [name for name, codes in names.items() if name in text and not codes & own]


def check_event_dates(started) -> list[str]:
    """22: no event is stamped with the build time; a household's history is in date order."""
    problems = [
        f"{model.__name__}: {n} events stamped at build time"
        for model in EVENT_MODELS
        if (n := model._base_manager.filter(at__gte=started).count())
    ]
    for household in Household.objects.prefetch_related("events"):
        events = sorted(household.events.all(), key=lambda e: (e.at, e.pk))
        actions = [e.action for e in events]
        # A 建档立卡 household's history starts with identification; an ordinary one (已登记, e.g. a
        # 边缘易致贫户 of monitoring) with its registration.
        first = "create" if household.status == HouseholdStatus.REGISTERED else "identify"
        if not actions or actions[0] != first:
            problems.append(f"{household.number}: history does not start with identification: {actions}")
        for event in events:
            if event.action == "exit_approve" and event.at.year != household.exit_year:
                problems.append(
                    f"{household.number}: exit recorded in {event.at.year}, not {household.exit_year}"
                )
    return problems


def check_branch_names() -> list[str]:
    """23: a branch's name names only its own division's township and village (and their parents)."""
    problems = []
    for org in PartyOrg.objects.exclude(region=None):
        code = org.region_id
        scope = Region.objects.filter(code__startswith=code[:4], level__gte=Region.Level.COUNTY)
        wrong = _foreign_places(org.name, _names(scope), own=_ancestry(code))
        if wrong:
            problems.append(f"{org.name} ({code}) names {wrong}")
    return problems


def check_standards() -> list[str]:
    """23: a checklist or indicator set named after a province or county is used only there."""
    places = _names(Region.objects.filter(level__lte=Region.Level.COUNTY))
    problems = []
    pairs = {
        (s.org.region_id, s.checklist.name + s.checklist.issued_by)
        for s in BranchScore.objects.select_related("org", "checklist")
    } | {
        (s.cadre.org.region_id, s.indicator_set.name + s.indicator_set.issued_by)
        for s in CadreMonthScore.objects.select_related("cadre__org", "indicator_set")
    }
    for code, text in pairs:
        wrong = _foreign_places(text, places, own=_ancestry(code or ""))
        if wrong:
            problems.append(f"{code} scored against “{text}” of {wrong}")
    return problems


def check_household_flags() -> list[str]:
    """23: a household's current 两不愁三保障 flags agree with its latest check."""
    problems = []
    for household in Household.objects.prefetch_related("checks", "members"):
        latest = max(household.checks.all(), key=lambda c: c.year, default=None)
        if latest is None:
            continue
        members = list(household.members.all())
        insured = all(m.medical_insurance for m in members)
        dropout = any(m.school_status == SchoolStatus.DROPOUT for m in members)
        if (household.safe_water, insured, not dropout) != (latest.water, latest.medical, latest.education):
            problems.append(f"{household.number}: flags disagree with its {latest.year} check")
    return problems


# (records, the path to their division code, the text fields that may name places)
NOTED = [
    (ProjectEvent.objects.all(), "project__place_id", ("reason",)),
    (Project.objects.all(), "place_id", ("name", "tasks", "announcement", "beneficiaries_text")),
    (FundSource.objects.exclude(place=None), "place_id", ("name", "note")),
    (Meeting.objects.exclude(org__region=None), "org__region_id", ("topic", "minutes")),
    (PartyOrg.objects.exclude(region=None), "region_id", ("note",)),
    (PairingActivity.objects.all(), "pairing__village_branch__region_id", ("title", "description")),
    (WeakCase.objects.all(), "org__region_id", ("description", "plan", "owner")),
    (Activity.objects.exclude(region=None), "region_id", ("title", "description")),
    (WorkLog.objects.all(), "region_id", ("content",)),
    (Visit.objects.all(), "household__village_id", ("notes", "issues")),
    (HouseholdEvent.objects.all(), "household__village_id", ("reason",)),
]


def check_notes() -> list[str]:
    """23: a township named in a note is the record's own (or in the county or city the record is of)."""
    problems = []
    townships: dict[str, dict[str, set[str]]] = {}
    for records, path, fields in NOTED:
        for code, *texts in records.values_list(path, *fields).distinct():
            if not code:
                continue
            province = code[:2]
            if province not in townships:
                townships[province] = _names(
                    Region.objects.filter(code__startswith=province, level=Region.Level.TOWNSHIP)
                )
            # A village's or township's record may name its own township only (长流村's review was
            # 新垌镇's, not 镇江镇's, though both are in 高州市); a county's or city's, any of its own.
            own_prefix = code[:9] if len(code) >= 9 else code
            for text in texts:
                for name, codes in townships[province].items():
                    if name in (text or "") and not any(c.startswith(own_prefix) for c in codes):
                        problems.append(f"{records.model.__name__} at {code} names {name}: {text[:40]}")
    return problems


def test_the_demo_tells_the_seeds_story_without_contradictions(demo):
    assert check_event_dates(demo.started) == []
    assert check_branch_names() == []
    assert check_standards() == []
    assert check_household_flags() == []
    assert check_notes() == []

    # 24: households live in villages (村民委员会), never in an urban 社区/居委会.
    places = set(Household.objects.values_list("village__code", "village__name").distinct())
    assert places and [p for p in places if not is_village_committee(*p)] == []

    # 25: 兴海县's own pages have records, as its county officer sees them.
    county = User.objects.get(username="county_xinghai")
    for model in (
        Project,
        FundSource,
        Purchase,
        Placement,
        IndicatorTarget,
        BranchScore,
        WeakCase,
        ReserveCadre,
        CadreMonthScore,
        Plan,
        WorkTeam,
        WorkLog,
    ):
        assert model.objects.visible_to(county).exists(), model.__name__
    datang = Project.objects.visible_to(county).filter(unit__name="大唐青海能源开发有限公司")
    assert datang.filter(status="evaluated").exists() and datang.filter(status="proposed").exists()
    # The county's branches are scored against the county's own checklist, not Gansu's.
    assert not BranchScore.objects.filter(
        org__region__code__startswith="63", checklist__name__contains="甘肃"
    )


def test_seed_002s_figures_come_from_records(demo):
    """26: 国家能源集团's figures are seed 002's, summed from single records by year."""
    unit_id = User.objects.get(username="unit_chnenergy").unit_id
    years = range(2016, 2021)
    assert training_person_times(unit_id=unit_id, kind=TrainingKind.GRASSROOTS_CADRE) == 4198
    assert training_person_times(unit_id=unit_id, kind=TrainingKind.TECHNICIAN) == 6828
    assert TrainingClass.objects.filter(organiser_id=unit_id).count() >= 110
    assert Cadre.objects.filter(unit_id=unit_id, postings__isnull=False).distinct().count() == 55
    assert {"岳权", "胡小明", "李四方"} <= set(
        Cadre.objects.filter(unit_id=unit_id).values_list("name", flat=True)
    )
    assert Posting.objects.filter(cadre__unit_id=unit_id, kind="first_secretary", end=None).count() >= 9
    assert Pairing.objects.filter(helper__unit_id=unit_id).count() == 35
    funds = [unit_fund_totals(unit_id=unit_id, year=y) for y in years]
    assert sum(f["direct"] for f in funds) == sum(total for total, _n, _named in SEED_002.values())
    assert sum(f["brought_in"] for f in funds) == Decimal("4740000.00")
    donations = LedgerEntry.objects.filter(source__unit_id=unit_id, source__kind="donation", kind="budget")
    assert donations.aggregate(t=Sum("amount"))["t"] == Decimal("55816800.00") and donations.count() > 30
    # No source is a typed multi-year total: each has its year, and its entries are dated in it.
    sources = FundSource.objects.filter(unit_id=unit_id)
    assert not sources.filter(name__contains="累计").exists()
    assert not LedgerEntry.objects.filter(source__in=sources).exclude(date__year=F("source__year")).exists()
    # The 责任书 page shows them as actuals, year by year.
    for target in IndicatorTarget.objects.filter(unit_id=unit_id):
        actuals = outcomes.indicator_actuals(unit_id=unit_id, year=target.year)
        assert actuals["cadres_trained"] > 0 and actuals["technicians_trained"] > 0, target.year
        assert actuals["direct_funds"] > 0 and actuals["brought_in_funds"] > 0, target.year
    assert Purchase.objects.filter(unit_id=unit_id, kind="bought").aggregate(t=Sum("amount"))["t"] == Decimal(
        "252000000.00"
    )
    assert Placement.objects.filter(unit_id=unit_id).count() == 189
