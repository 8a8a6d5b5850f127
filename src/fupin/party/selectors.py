"""Reads of the party app, always through the scoping choke point: lists, the meeting calendar,
missed meetings, the computed weak-branch criteria and the rankings; and the one rule of who may
edit an organisation (can_edit_org), which services, pages and the API all ask."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth, Greatest, Rank
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core import permissions
from fupin.core.scoping import scope_of
from fupin.party.choices import (
    MEETING_EVERY_MONTHS,
    MeetingKind,
    MemberStatus,
    OrgLevel,
    Post,
    Stage,
    WeakCriterion,
)
from fupin.party.models import (
    BranchScore,
    CadreMonthScore,
    Meeting,
    Pairing,
    PairingActivity,
    PartyMember,
    PartyOrg,
    ReserveCadre,
    VillageCadre,
    WeakCase,
)

# --- who may edit: the paired-unit rule ---------------------------------------------------------
#
# Seeing is not editing. A user's scope (core.scoping) includes the places their unit assists, so an
# assisting unit sees the village branches it is paired with; but a branch's data, members and
# meetings are kept by the branch itself, its township and its county (users whose OWN data scopes
# cover the branch's division), and a unit's branches by that unit (and the units above it). On a
# pairing (支部结对共建) each side that keeps one of the two branches records joint activities.
# Services refuse with PermissionDenied; pages show a button only when this says yes.


def keepers(*orgs: PartyOrg | None) -> dict:
    """Who keeps these organisations, as arguments of core.permissions (`may`, `require`): a unit's
    organisation, wherever it sits, its unit; any other the users whose own data scopes cover its
    division. None keeps nothing (but the system)."""
    orgs = tuple(o for o in orgs if o is not None)
    return {
        "unit_id": [o.unit_id for o in orgs if o.unit_id is not None],
        "code": [o.region_id for o in orgs if o.unit_id is None],
        "own": True,
    }


def can_edit_org(user, org: PartyOrg | None) -> bool:
    """Whether `user` keeps `org` (see the rule above); None is the system (the demo, commands)."""
    return permissions.within(user, **keepers(org))


def may(user, perm: str, org: PartyOrg | None) -> bool:
    """`user` holds party.<perm> and keeps `org`: the test behind every party write and button."""
    return permissions.may(user, f"party.{perm}", **keepers(org))


def may_on_pairing(user, perm: str, pairing: Pairing) -> bool:
    """party.<perm> on a pairing: for whoever keeps either of its two branches."""
    return permissions.may(user, f"party.{perm}", **keepers(pairing.helper, pairing.village_branch))


def editable_orgs(user):
    """The organisations `user` keeps, as a queryset (choices of forms that pick an organisation)."""
    scope = scope_of(user)
    q = Q(pk__in=[])
    for prefix in permissions.own_prefixes(user):
        q |= Q(unit__isnull=True, region__code__startswith=prefix)
    if scope.unit_ids:
        q |= Q(unit_id__in=scope.unit_ids)
    return PartyOrg.objects.visible_to(user).filter(q)


class Allowed:
    """What a user may do on one organisation, for templates: `{% if may.add_meeting %}`."""

    def __init__(self, user, org: PartyOrg):
        self._user, self._org, self._keeps = user, org, None

    def __getitem__(self, perm: str) -> bool:
        if self._keeps is None:
            self._keeps = can_edit_org(self._user, self._org)
        return self._keeps and self._user.has_perm(f"party.{perm}")


def _in_division(queryset, path: str, code: str | None):
    return queryset.filter(**{f"{path}__startswith": code}) if code else queryset


# --- lists --------------------------------------------------------------------------------------


def org_list(*, user, q: str = "", kind: str = "", level: str = "", division: str | None = None):
    orgs = PartyOrg.objects.visible_to(user).select_related("region", "unit", "parent")
    if q:
        orgs = orgs.filter(name__contains=q)
    if kind:
        orgs = orgs.filter(kind=kind)
    if level:
        orgs = orgs.filter(level=level)
    return _in_division(orgs, "region__code", division)


def member_list(*, user, org=None, q: str = "", stage: str = "", division: str | None = None):
    members = PartyMember.objects.visible_to(user).select_related("org")
    if org is not None:
        members = members.filter(org=org)
    if q:
        members = members.filter(name__contains=q)
    if stage:
        members = members.filter(stage=stage)
    return _in_division(members, "org__region__code", division).order_by("org__name", "org_id", "id")


def meeting_list(*, user, org=None, kind: str = "", year: int | None = None, division: str | None = None):
    meetings = Meeting.objects.visible_to(user).select_related("org")
    if org is not None:
        meetings = meetings.filter(Q(org=org) | Q(org__parent=org))
    if kind:
        meetings = meetings.filter(kind=kind)
    if year:
        meetings = meetings.filter(held_on__year=year)
    return _in_division(meetings, "org__region__code", division)


def pairing_list(*, user, q: str = "", division: str | None = None):
    """Pairings with their activity count and the value donated (`activity_count`, `donated`)."""
    pairings = (
        Pairing.objects.visible_to(user)
        .select_related("helper__unit", "village_branch__region")
        .annotate(activity_count=Count("activities"), donated=Sum("activities__donated_value"))
    )
    if q:
        pairings = pairings.filter(Q(helper__name__contains=q) | Q(village_branch__name__contains=q))
    # An aggregate drops the default ordering: give it again, ending with the key.
    return _in_division(pairings, "village_branch__region__code", division).order_by("-started_on", "id")


def activity_list(*, user, pairing=None, kind: str = ""):
    activities = PairingActivity.objects.visible_to(user).select_related(
        "pairing__helper", "pairing__village_branch"
    )
    if pairing is not None:
        activities = activities.filter(pairing=pairing)
    if kind:
        activities = activities.filter(kind=kind)
    return activities


def weak_case_list(*, user, status: str = "", year: int | None = None, division: str | None = None):
    cases = WeakCase.objects.visible_to(user).select_related("org__region")
    if status:
        cases = cases.filter(status=status)
    if year:
        cases = cases.filter(year=year)
    return _in_division(cases, "org__region__code", division).order_by("-year", "org__name", "id")


def reserve_list(*, user, q: str = "", status: str = "", division: str | None = None):
    cadres = (
        ReserveCadre.objects.visible_to(user).select_related("org__region").prefetch_related("assessments")
    )
    if q:
        cadres = cadres.filter(name__contains=q)
    if status:
        cadres = cadres.filter(status=status)
    return _in_division(cadres, "org__region__code", division).order_by("org__name", "name", "id")


def cadre_list(*, user, org=None):
    cadres = VillageCadre.objects.visible_to(user).select_related("org")
    return cadres.filter(org=org) if org is not None else cadres


# --- rankings -----------------------------------------------------------------------------------
#
# A ranking is rows (dicts) with a competition rank (1, 2, 2, 4: equal totals share a rank) computed
# by the database over the whole selection, so any page of it, and its export, show the true rank.
# Its rows page by number only: a keyset filter (core.lists, past the capped count) would narrow
# the window and renumber the ranks.


def _ranked(rows, *fields, **expressions):
    rank = Window(Rank(), order_by=F("total").desc())
    return rows.values("id", "total", *fields, **expressions).annotate(rank=rank)


def score_ranking(*, user, year: int, division: str | None = None):
    """The year's standardisation scores in scope (and division), best first."""
    scores = BranchScore.objects.visible_to(user).filter(year=year)
    scores = _in_division(scores, "org__region__code", division)
    return _ranked(
        scores,
        "org_id",
        "year",
        "star",
        "satisfaction",
        org_name=F("org__name"),
        region_code=F("org__region_id"),
        region_name=F("org__region__name"),
        region_short=F("org__region__short_name"),
    ).order_by("-total", "org__name", "id")


def latest_cadre_month(user) -> datetime.date:
    """The last month scored in scope (this month when none is): where the ranking opens."""
    latest = (
        CadreMonthScore.objects.visible_to(user).order_by("-month").values_list("month", flat=True).first()
    )
    return latest or timezone.localdate().replace(day=1)


def cadre_ranking(*, user, month: datetime.date, division: str | None = None):
    """The month's cadre scores in scope (and division), best first."""
    scores = CadreMonthScore.objects.visible_to(user).filter(month=month)
    scores = _in_division(scores, "cadre__org__region__code", division)
    return _ranked(
        scores,
        "cadre_id",
        "month",
        "points",
        name=F("cadre__name"),
        post=F("cadre__post"),
        org_id=F("cadre__org_id"),
        org_name=F("cadre__org__name"),
    ).order_by("-total", "cadre__name", "id")


def cadre_history(cadre):
    return CadreMonthScore.objects.filter(cadre=cadre).order_by("-month")


# --- the meeting calendar -----------------------------------------------------------------------


@dataclass
class Period:
    """One period a meeting kind is due in: a month or a quarter."""

    kind: str
    start: datetime.date
    end: datetime.date  # inclusive
    label: str
    state: str = "upcoming"  # done | due | missed | upcoming
    meetings: list = field(default_factory=list)


def required_kinds(org: PartyOrg, has_groups: bool | None = None) -> list[str]:
    """What organisational life this organisation owes (三会一课 and 主题党日)."""
    if org.level == OrgLevel.GROUP:
        return [MeetingKind.GROUP]
    kinds = [MeetingKind.MEMBERS, MeetingKind.COMMITTEE, MeetingKind.LESSON, MeetingKind.THEME_DAY]
    if has_groups is None:
        has_groups = org.children.filter(level=OrgLevel.GROUP).exists()
    if has_groups:
        kinds.insert(2, MeetingKind.GROUP)
    return kinds


def _month_end(year: int, month: int) -> datetime.date:
    return (datetime.date(year + month // 12, month % 12 + 1, 1)) - datetime.timedelta(days=1)


def _periods(kind: str, year: int, starts: datetime.date) -> list[Period]:
    every = MEETING_EVERY_MONTHS[kind]
    periods = []
    for first in range(1, 13, every):
        last = first + every - 1
        start, end = datetime.date(year, first, 1), _month_end(year, last)
        if end < starts:
            continue  # before the organisation existed
        label = _("%(m)d月") % {"m": first} if every == 1 else _("第%(q)d季度") % {"q": (first + 2) // 3}
        periods.append(Period(kind=kind, start=start, end=end, label=label))
    return periods


def meeting_calendar(org: PartyOrg, year: int, *, today: datetime.date | None = None, meetings=None):
    """{kind: [Period]} for the year: each period done, due (the current one), missed or upcoming.

    Group meetings held by the branch's 党小组 count for the branch.
    """
    today = today or timezone.localdate()
    starts = org.founded_on or datetime.date(year, 1, 1)
    if meetings is None:
        meetings = list(
            Meeting.objects.filter(
                Q(org=org) | Q(org__parent=org, kind=MeetingKind.GROUP), held_on__year=year
            )
        )
    calendar = {}
    for kind in required_kinds(org):
        periods = _periods(kind, year, starts)
        for period in periods:
            period.meetings = [
                m for m in meetings if m.kind == kind and period.start <= m.held_on <= period.end
            ]
            if period.meetings:
                period.state = "done"
            elif period.end < today:
                period.state = "missed"
            elif period.start <= today:
                period.state = "due"
        calendar[kind] = periods
    return calendar


def ended_periods(every: int, year: int, today: datetime.date) -> int:
    """How many of the year's periods (of `every` months) have ended by `today`."""
    if year < today.year:
        return 12 // every
    return (today.month - 1) // every if year == today.year else 0


def periods_held(kind: str, every: int, year: int, ended: int):
    """For a branch with `start_month` (meeting_periods; the outer query's row): how many of its periods of
    `kind` in `year` — numbered (month - 1) // every, ended before `ended`, not before the branch was
    founded — hold at least one meeting of that kind. A 党小组会 of one of the branch's groups counts
    for the branch.

    The meetings are found by `org_id IN (the branch and its groups)`, which walks the index
    (org, kind, held_on) once per organisation. Written as `org = branch OR org.parent = branch`
    (a join under an OR) no index served it: every group meeting of the year was read once per
    branch — 23 s for one county's 64 branches at 1 M people (bench_dashboard)."""
    number = IntegerField()
    # The branch's own meetings by `org_id = branch` (not `IN (the branch)`: that semi-joined
    # every meeting back to the organisation table, one probe each, and a county's 待办 took
    # twice as long).
    of_branch = Q(org_id=OuterRef("pk"))
    if kind == MeetingKind.GROUP:
        groups = PartyOrg.objects.filter(Q(pk=OuterRef(OuterRef("pk"))) | Q(parent=OuterRef(OuterRef("pk"))))
        of_branch = Q(org__in=groups.values("pk"))
    held = (
        Meeting.objects.filter(of_branch, kind=kind, held_on__year=year)
        .annotate(period=(Cast(ExtractMonth("held_on"), number) - 1) / every)
        .filter(period__lt=ended, period__gte=(OuterRef("start_month") - 1) / every)
        .order_by()
        .values("kind")
        .annotate(n=Count("period", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(held, output_field=number), Value(0), output_field=number)


def meeting_periods(branches, *, year: int, today: datetime.date):
    """`branches` (a queryset of branches) with meeting_calendar's rule counted by the database, per
    kind: `owed_<kind>`, the periods of `year` that have ended by `today` and are not before the
    branch was founded (a 党小组会 only for a branch with groups), and `met_<kind>`, those of them
    holding at least one meeting of the kind (periods_held: a 党小组会 of one of the branch's groups
    counts for the branch; a second meeting in one period meets nothing more); `owed` and `met` are
    their sums. The one count behind the 缺会提醒 list, the 待办 and the figures 三会一课应开次数 and
    按期召开次数. Aliases, not selected: each reader annotates what it shows, so no subquery is
    evaluated for a column nobody reads."""
    number = IntegerField()
    branches = branches.alias(
        # The first month the branch owes anything in `year` (13: founded after it).
        start_month=Case(
            When(founded_on__year=year, then=Cast(ExtractMonth("founded_on"), number)),
            When(founded_on__year__gt=year, then=Value(13)),
            default=Value(1),
            output_field=number,
        ),
        has_groups=Exists(PartyOrg.objects.filter(parent=OuterRef("pk"), level=OrgLevel.GROUP)),
    )
    counts = {}
    for kind, every in MEETING_EVERY_MONTHS.items():
        ended = ended_periods(every, year, today)
        owed = Greatest(Value(ended) - (F("start_month") - 1) / every, Value(0), output_field=number)
        met = periods_held(kind, every, year, ended)
        if kind == MeetingKind.GROUP:
            owed = Case(When(has_groups=True, then=owed), default=Value(0), output_field=number)
            met = Case(When(has_groups=True, then=met), default=Value(0), output_field=number)
        counts[f"owed_{kind}"], counts[f"met_{kind}"] = owed, met
    zero = Value(0, output_field=number)
    return branches.alias(**counts).alias(
        owed=sum((F(f"owed_{kind}") for kind in MEETING_EVERY_MONTHS), zero),
        met=sum((F(f"met_{kind}") for kind in MEETING_EVERY_MONTHS), zero),
    )


def overdue_branches(*, user, year: int, division: str | None = None, today: datetime.date | None = None):
    """The visible branches that missed organisational life in `year`, each with the periods it
    missed per kind (`missed_<kind>`) and in all (`missed`): owed and not met (meeting_periods), so
    that the list pages, sorts and exports like any other."""
    branches = meeting_periods(
        org_list(user=user, level=OrgLevel.BRANCH, division=division),
        year=year,
        today=today or timezone.localdate(),
    )
    missed = {f"missed_{kind}": F(f"owed_{kind}") - F(f"met_{kind}") for kind in MEETING_EVERY_MONTHS}
    # Missed something: one kind's periods short, tested kind by kind so that the database stops at
    # the first (the monthly kinds first: most often short), rather than summing every kind's
    # subquery for every branch (the count behind the 待办 reads nothing else).
    short = Q()
    for kind in sorted(MEETING_EVERY_MONTHS, key=MEETING_EVERY_MONTHS.get):
        short |= Q(**{f"missed_{kind}__gt": 0})
    return (
        branches.annotate(**missed)
        .annotate(missed=F("owed") - F("met"))
        .filter(short)
        .order_by("region_id", "name", "id")
    )


# --- weak-branch criteria computed from records -------------------------------------------------

SECRETARY_VACANCY_DAYS = 90
RECRUITMENT_YEARS = 2
SATISFACTION_FLOOR = Decimal(60)
MISSED_MEETINGS_LIMIT = 3


def computed_criteria(org: PartyOrg, *, today: datetime.date | None = None) -> dict[str, str]:
    """{criterion: evidence} for the criteria the records show this organisation meets now."""
    today = today or timezone.localdate()
    found: dict[str, str] = {}
    has_secretary = org.members.filter(post=Post.SECRETARY, status=MemberStatus.ACTIVE).exists()
    if not has_secretary:
        since = org.secretary_vacant_since or org.founded_on or org.created_at.date()
        days = (today - since).days
        if days > SECRETARY_VACANCY_DAYS:
            found[WeakCriterion.SECRETARY_VACANT] = _("书记空缺 %(d)d 天(自 %(since)s)") % {
                "d": days,
                "since": since,
            }
    window = (
        today.replace(year=today.year - RECRUITMENT_YEARS)
        if not (today.month == 2 and today.day == 29)
        else today - datetime.timedelta(days=365 * RECRUITMENT_YEARS)
    )
    established = (org.founded_on or org.created_at.date()) <= window
    recruited = (
        org.members.filter(joined_on__gte=window).exists()
        or org.members.filter(events__to_stage=Stage.PROBATIONARY, events__on__gte=window).exists()
    )
    if established and not recruited:
        found[WeakCriterion.NO_RECRUITMENT] = _("%(since)s 以来未发展党员") % {"since": window}
    latest = org.scores.exclude(satisfaction__isnull=True).order_by("-year").first()
    if latest is not None and latest.satisfaction < SATISFACTION_FLOOR:
        found[WeakCriterion.LOW_SATISFACTION] = _("%(y)d年群众满意度 %(p)s%%") % {
            "y": latest.year,
            "p": latest.satisfaction,
        }
    calendar = meeting_calendar(org, today.year, today=today)
    missed = sum(1 for periods in calendar.values() for p in periods if p.state == "missed")
    if missed >= MISSED_MEETINGS_LIMIT:
        found[WeakCriterion.MISSED_MEETINGS] = _("%(y)d年已缺 %(n)d 次组织生活") % {
            "y": today.year,
            "n": missed,
        }
    return found


def summary(*, user) -> dict:
    """Counts for the party home page, all through the choke point."""
    orgs = PartyOrg.objects.visible_to(user)
    members = PartyMember.objects.visible_to(user).filter(status=MemberStatus.ACTIVE)
    return {
        "orgs": orgs.count(),
        "branches": orgs.filter(level=OrgLevel.BRANCH).count(),
        "members": members.filter(stage__in=[Stage.PROBATIONARY, Stage.FULL]).count(),
        "recruits": members.exclude(stage__in=[Stage.PROBATIONARY, Stage.FULL]).count(),
        "pairings": Pairing.objects.visible_to(user).count(),
        "open_weak": WeakCase.objects.visible_to(user)
        .filter(status__in=["identified", "rectifying"])
        .count(),
        "reserves": ReserveCadre.objects.visible_to(user).filter(status="in_pool").count(),
        "donated": PairingActivity.objects.visible_to(user).aggregate(v=Sum("donated_value"))["v"]
        or Decimal(0),
    }


# --- 待办 (party/todo.py) -------------------------------------------------------------------------


def missed_meetings_to_keep(
    *, user, year: int, division: str | None = None, today: datetime.date | None = None, units: bool = False
):
    """The branches `user` keeps (editable_orgs: their own places' branches, or with `units` their
    unit's) that missed organisational life in `year`: overdue_branches' rows, annotated alike."""
    kept = editable_orgs(user)
    kept = kept.filter(unit__isnull=False) if units else kept.filter(unit__isnull=True)
    return overdue_branches(user=user, year=year, division=division, today=today).filter(
        pk__in=kept.values("pk")
    )


# --- for the documents app (the assisting unit's results report) --------------------------------


def unit_pairings(*, unit_ids, first: datetime.date, last: datetime.date):
    """支部结对共建 of the units' branches (the helper kept by one of `unit_ids`) in force at some
    time between `first` and `last`, unscoped, with both branches; annotated with `activities`, the
    joint activities held in that span, as `activity_count`."""
    return (
        Pairing.objects.filter(helper__unit_id__in=list(unit_ids), started_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .annotate(
            activity_count=Count(
                "activities", filter=Q(activities__held_on__gte=first, activities__held_on__lte=last)
            )
        )
        .select_related("helper", "village_branch", "village_branch__region")
        .order_by("started_on", "id")
    )
