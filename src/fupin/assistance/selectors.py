"""Reads of assistance, always through the scoping choke point (`visible_to`).

Other apps use `training_person_times` (outcomes: 培训人次 of a unit's responsibility indicators)
and the registry's household timeline gets this app's visits through `timeline_entries`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.assistance.choices import PostKind, TeamStatus
from fupin.assistance.models import (
    Activity,
    Cadre,
    Measure,
    Pairing,
    Plan,
    Posting,
    TrainingAttendee,
    TrainingClass,
    Visit,
    WorkLog,
    WorkTeam,
)
from fupin.assistance.services import serving
from fupin.orgs.selectors import places_visible_to, unit_and_descendants
from fupin.regions.models import Region
from fupin.registry import selectors as registry
from fupin.registry.choices import Status


def visit_interval_days() -> int:
    """Households not visited for this many days are flagged (setting FUPIN_VISIT_INTERVAL_DAYS)."""
    return settings.FUPIN_VISIT_INTERVAL_DAYS


def _in_division(queryset, field_path: str, user, code: str | None):
    """Narrow an already scoped queryset to a division (outside the scope it stays empty)."""
    if not code:
        return queryset
    return queryset.filter(**{f"{field_path}__startswith": code})


# --- lists ------------------------------------------------------------------------------------


def cadre_list(*, user, q: str = "", division: str = "", level: str = ""):
    cadres = Cadre.objects.visible_to(user).select_related("unit", "region", "user")
    cadres = _in_division(cadres, "region__code", user, division)
    if q:
        cadres = cadres.filter(name__contains=q)
    if level:
        cadres = cadres.filter(level=level)
    return cadres.order_by("region_id", "name", "id")


def pairing_list(*, user, q: str = "", division: str = "", active: bool | None = None, mine: bool = False):
    pairings = Pairing.objects.visible_to(user).select_related(
        "cadre", "cadre__unit", "household", "household__village"
    )
    pairings = _in_division(pairings, "household__village__code", user, division)
    if q:
        pairings = pairings.filter(Q(cadre__name__contains=q) | Q(household__head_name__contains=q))
    if active is True:
        pairings = serving(pairings)
    elif active is False:
        pairings = pairings.filter(end__isnull=False)
    if mine:
        pairings = pairings.filter(cadre__user=user)
    return pairings.order_by("household__village_id", "household__number", "-start", "id")


def assisted_place_list(*, user, division: str = "", q: str = ""):
    """定点帮扶: the units' assisted places (orgs.AssistedPlace), with their dates."""
    places = places_visible_to(user).select_related("unit", "region")
    places = _in_division(places, "region__code", user, division)
    if q:
        places = places.filter(Q(unit__name__contains=q) | Q(unit__short_name__contains=q))
    return places.order_by("unit__name", "region_id", "id")


def activity_list(*, user, division: str = "", kind: str = "", year: int | None = None):
    activities = Activity.objects.visible_to(user).select_related("region", "unit", "pairing__cadre")
    activities = _in_division(activities, "region__code", user, division)
    if kind:
        activities = activities.filter(kind=kind)
    if year:
        activities = activities.filter(held_on__year=year)
    return activities.order_by("-held_on", "-id")


def team_list(*, user, division: str = "", status: str = ""):
    today = timezone.localdate()
    # A serving team counts the members serving today; an ended team the members it had.
    serving_today = Q(postings__start__lte=today) & (
        Q(postings__end__isnull=True) | Q(postings__end__gte=today)
    )
    members = Count("postings", filter=serving_today | Q(status=TeamStatus.ENDED))
    teams = WorkTeam.objects.visible_to(user).select_related("unit", "village").annotate(members=members)
    teams = _in_division(teams, "village__code", user, division)
    if status:
        teams = teams.filter(status=status)
    return teams.order_by("village_id", "name", "id")


def posting_list(*, user, division: str = "", kind: str = "", active: bool | None = None, q: str = ""):
    postings = Posting.objects.visible_to(user).select_related("cadre", "cadre__unit", "region", "team")
    postings = _in_division(postings, "region__code", user, division)
    if kind:
        postings = postings.filter(kind=kind)
    if active is True:
        postings = serving(postings)
    if q:
        postings = postings.filter(cadre__name__contains=q)
    return postings.order_by("region_id", "kind", "start", "id")


def measure_list(
    *, user, division: str = "", type: str = "", status: str = "", household_id: int | None = None
):
    measures = Measure.objects.visible_to(user).select_related(
        "plan__household", "plan__household__village", "cadre"
    )
    measures = _in_division(measures, "plan__household__village__code", user, division)
    if type:
        measures = measures.filter(type=type)
    if status:
        measures = measures.filter(status=status)
    if household_id:
        measures = measures.filter(plan__household_id=household_id)
    return measures.order_by("plan__household__number", "id")


def visit_list(*, user, division: str = "", mine: bool = False, household_id: int | None = None):
    visits = Visit.objects.visible_to(user).select_related(
        "household", "household__village", "cadre", "visitor"
    )
    visits = _in_division(visits, "household__village__code", user, division)
    if mine:
        visits = visits.filter(visitor=user)
    if household_id:
        visits = visits.filter(household_id=household_id)
    return visits.order_by("-visited_on", "-id")


def worklog_list(*, user, division: str = "", mine: bool = False):
    logs = WorkLog.objects.visible_to(user).select_related("region", "cadre", "author")
    logs = _in_division(logs, "region__code", user, division)
    if mine:
        logs = logs.filter(author=user)
    return logs.order_by("-logged_on", "-id")


def training_list(*, user, division: str = "", kind: str = "", year: int | None = None):
    classes = (
        TrainingClass.objects.visible_to(user)
        .select_related("organiser", "region")
        .annotate(person_times=Sum("attendees__count"))
    )
    classes = _in_division(classes, "region__code", user, division)
    if kind:
        classes = classes.filter(kind=kind)
    if year:
        classes = classes.filter(start__year=year)
    return classes.order_by("-start", "id")


# --- households to visit ----------------------------------------------------------------------


def households_to_visit(*, user, q: str):
    """Households the user may visit, found by a member's name (or the registry's other searches)."""
    if not (q or "").strip():
        return registry.households_visible_to(user).none()
    return registry.household_list(user=user, filters={"q": q})


def overdue_pairings(*, user, on: datetime.date | None = None, days: int | None = None, mine: bool = False):
    """Open pairings whose household has had no visit within `days` (FUPIN_VISIT_INTERVAL_DAYS).

    Annotated with `last_visit` (None: never visited). The list goes to the cadre (mine) and to
    the township and county (their scope).
    """
    on = on or timezone.localdate()
    days = visit_interval_days() if days is None else days
    last = (
        Visit.objects.filter(household=OuterRef("household_id"))
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )
    cutoff = on - datetime.timedelta(days=days)
    pairings = pairing_list(user=user, active=True, mine=mine).filter(unvisited_since(cutoff))
    return pairings.annotate(last_visit=Subquery(last))


def unvisited_since(cutoff: datetime.date):
    """The 超期未走访 rule for a pairing row (the list, the 待办 and the indicator): no visit of its
    household on or after `cutoff` — the same as a last visit before it, or none. NOT EXISTS stops
    at the first recent visit in the (household, visited_on) index, and a count does not compute
    the last visit it does not show (a county's 待办 at 1 M people: 60 → 15 ms with the scoping
    join)."""
    recent = Visit._base_manager.filter(household_id=OuterRef("household_id"), visited_on__gte=cutoff)
    return ~Exists(recent)


# --- coverage of poor villages by first secretaries ----------------------------------------------


def _poor_villages(user, division: str):
    """Villages (regions) with a household still 未脱贫 that the user may see."""
    poor = _in_division(
        registry.households_visible_to(user).filter(status=Status.POOR), "village__code", user, division
    )
    # DISTINCT: PostgreSQL then joins the few poor villages to the regions instead of walking all
    # 557,000 villages in code order to probe each (3.8 s for a national page at a million people;
    # 15 ms so).
    return poor, Region.objects.filter(code__in=poor.values("village_id").distinct())


def _serving_first_secretary(user, on: datetime.date | None):
    """Whether the village of the outer row has a first secretary serving on `on` (EXISTS)."""
    postings = serving(Posting.objects.visible_to(user), on).filter(kind=PostKind.FIRST_SECRETARY)
    return Exists(postings.filter(region_id=OuterRef("code")))  # a Region's, or poor_villages' row


def poor_villages(*, user, division: str = "", uncovered_only: bool = False, on: datetime.date | None = None):
    """The rows of the coverage list, one per poor village (a household still 未脱贫) in code order:
    `{"code", "poor_households"}`, grouped over the poor households alone; `add_first_secretaries`
    makes a page's rows its villages.

    Grouped from the households, not a list of regions filtered by them: PostgreSQL then walks the
    poor households' own index in code order and stops at the page, where a list of regions merged
    the poor villages with every division in code order (a national page at 10 M people walked
    557,000 divisions to reach the first poor one: 177 ms; now 1 ms, the capped count 6 ms).
    `Count("village_id")` keeps the walk in the index (a count of ids read each household's row)."""
    poor, _villages = _poor_villages(user, division)
    rows = poor.order_by().values(code=F("village_id")).annotate(poor_households=Count("village_id"))
    if uncovered_only:
        rows = rows.exclude(_serving_first_secretary(user, on))
    return rows.order_by("code")


def add_first_secretaries(rows: list, on: datetime.date | None = None) -> None:
    """Make a page's rows of `poor_villages` (or an export's chunk) their villages, in place and in
    the same order: each a Region with its township and county (`parent`, `parent.parent`),
    `poor_households` and `secretaries` (names of the first secretaries serving on `on`, earliest
    start first). The rows came through the user's scope, and a posting to a village is in the scope
    of whoever sees the village: the rows' check covers these."""
    codes = [row["code"] for row in rows]
    regions = Region.objects.select_related("parent__parent").in_bulk(codes)
    names = defaultdict(list)
    postings = serving(Posting.objects.filter(kind=PostKind.FIRST_SECRETARY), on).filter(region_id__in=codes)
    for code, name in postings.order_by("start", "id").values_list("region_id", "cadre__name"):
        names[code].append(name)
    for i, row in enumerate(rows):
        village = regions[row["code"]]
        village.poor_households, village.secretaries = row["poor_households"], names[row["code"]]
        rows[i] = village


@dataclass
class CoverageGroup:
    code: str
    name: str
    villages: int = 0
    covered: int = 0

    @property
    def rate(self) -> float:
        return self.covered / self.villages if self.villages else 0.0


@dataclass
class Coverage:
    counties: list[CoverageGroup]
    townships: list[CoverageGroup] = field(default_factory=list)

    @property
    def villages(self) -> int:
        return sum(g.villages for g in self.counties)

    @property
    def covered(self) -> int:
        return sum(g.covered for g in self.counties)


def first_secretary_coverage(
    *, user, division: str = "", on: datetime.date | None = None, by_township: bool = True
) -> Coverage:
    """How many poor villages have a serving first secretary, by county (and by township): one
    grouped query, whose size is the number of townships, never the number of villages."""
    _poor, villages = _poor_villages(user, division)
    keys = ["parent__parent_id", "parent__parent__short_name"]
    if by_township:
        keys += ["parent_id", "parent__short_name"]
    groups = (
        villages.order_by()
        .values(*keys)
        .annotate(villages=Count("code"), covered=Count("code", filter=Q(_serving_first_secretary(user, on))))
        .order_by(*keys)
    )
    townships: list[CoverageGroup] = []
    counties: dict[str, CoverageGroup] = {}
    for g in groups:
        code = g["parent__parent_id"] or ""
        county = counties.setdefault(
            code, CoverageGroup(code=code, name=g["parent__parent__short_name"] or code)
        )
        county.villages += g["villages"]
        county.covered += g["covered"]
        if by_township:
            township = g["parent_id"] or ""
            name = g["parent__short_name"] or township
            townships.append(CoverageGroup(township, name, g["villages"], g["covered"]))
    return Coverage(counties=list(counties.values()), townships=townships)


# --- training person-times --------------------------------------------------------------------


def training_person_times(
    *,
    unit_id: int | None = None,
    year: int | None = None,
    kind: str | None = None,
    region_prefix: str | None = None,
    user=None,
) -> int:
    """培训人次: the attendees of the matching classes, people and counted groups alike.

    unit_id: classes organised by the unit or a unit under it; year: the class's start year;
    kind: the attendee's TrainingKind; region_prefix: the trained area's code prefix; user: only
    what that user may see (visible_to).
    """
    attendees = (
        TrainingAttendee.objects.visible_to(user) if user is not None else TrainingAttendee.objects.all()
    )
    if unit_id is not None:
        attendees = attendees.filter(training__organiser_id__in=unit_and_descendants(unit_id))
    if year is not None:
        attendees = attendees.filter(training__start__year=year)
    if kind:
        attendees = attendees.filter(kind=kind)
    if region_prefix:
        attendees = attendees.filter(training__region__code__startswith=region_prefix)
    return attendees.aggregate(total=Sum("count"))["total"] or 0


def training_attendees():
    """Every attendee row, unscoped: what training_person_times sums (the outcomes app's 责任书
    figures in the indicator catalogue count the same rows)."""
    return TrainingAttendee.objects.all()


def training_summary(*, user, division: str = "", kind: str = "", year: int | None = None):
    """Person-times by year, area, organiser and attendee kind (the report the indicators need):
    grouped rows (dicts) with `year`, `region`, `organiser`, `kind`, `classes` and `person_times`."""
    attendees = TrainingAttendee.objects.visible_to(user)
    attendees = _in_division(attendees, "training__region__code", user, division)
    if kind:
        attendees = attendees.filter(kind=kind)
    if year:
        attendees = attendees.filter(training__start__year=year)
    keys = ("year", "region_code", "region", "organiser", "kind")
    return (
        attendees.order_by()
        .values(
            "kind",
            year=ExtractYear("training__start"),
            region_code=F("training__region_id"),
            region=F("training__region__name"),
            organiser=F("training__organiser__name"),
        )
        .annotate(person_times=Sum("count"), classes=Count("training", distinct=True))
        .order_by(*keys)
    )


# --- the household timeline (registry extension point) ----------------------------------------


def timeline_entries(household, user) -> list[dict]:
    """This app's part of a household's timeline: visits, pairings and measure steps the user may see."""
    tz = timezone.get_current_timezone()
    entries = []
    for visit in (
        Visit.objects.visible_to(user).filter(household=household).select_related("visitor", "cadre")
    ):
        entries.append(
            {
                "at": datetime.datetime.combine(visit.visited_on, datetime.time(12), tzinfo=tz),
                "title": _("入户走访"),
                "text": visit.notes + (f"({_('发现问题')}:{visit.issues})" if visit.issues else ""),
                "who": str(visit.cadre or visit.visitor or ""),
                "url": reverse("assistance:visit_detail", args=[visit.pk]),
            }
        )
    for pairing in Pairing.objects.visible_to(user).filter(household=household).select_related("cadre"):
        entries.append(
            {
                "at": datetime.datetime.combine(pairing.start, datetime.time(9), tzinfo=tz),
                "title": _("结对帮扶"),
                "text": _("帮扶责任人:%(name)s") % {"name": pairing.cadre.name},
                "who": str(pairing.cadre.unit or ""),
                "url": "",
            }
        )
    return entries


def last_visits(household_ids) -> dict[int, datetime.date]:
    return dict(
        Visit.objects.filter(household_id__in=household_ids)
        .order_by()
        .values_list("household_id")
        .annotate(last=Max("visited_on"))
        .values_list("household_id", "last")
    )


# --- the household page (registry) --------------------------------------------------------------


def household_assistance(household, user) -> dict:
    """What the registry's household page shows of assistance, as far as `user` may see it:

    - `pairings`: the serving 帮扶责任人 (cadre with unit), newest first;
    - `plan`: the 一户一策 plan (or None) and `measures`: its measures with their cadres.
    """
    pairings = (
        serving(Pairing.objects.visible_to(user).filter(household=household))
        .select_related("cadre", "cadre__unit")
        .order_by("-start", "id")
    )
    return {
        "pairings": list(pairings),
        "plan": Plan.objects.visible_to(user).filter(household=household).first(),
        "measures": list(measure_list(user=user, household_id=household.pk)),
    }


# --- set-based sources for other apps -------------------------------------------------------------
# Unscoped row sources that monitoring's data-quality checks compile into their own set-based SQL
# (`queryset.query.sql_with_params()`), so they never name this app's tables; never shown as is.


def measure_rows():
    """Every 一户一策 measure: (household_id, type, status, created_at)."""
    return Measure._base_manager.order_by().values(
        "type", "status", "created_at", household_id=F("plan__household_id")
    )


def pairing_rows():
    """Every pairing (帮扶责任人 ↔ household): (household_id, start, end); serving when start ≤ day ≤ end."""
    return Pairing._base_manager.order_by().values("household_id", "start", "end")


# --- for the documents app (the assisting unit's results report) --------------------------------


def unit_training(*, unit_ids, years) -> dict:
    """Classes the units organised that started in `years`, unscoped: how many, and the person-times
    per attendee kind (training_person_times' rows): {"classes", "person_times", "by_kind":
    {kind: n}, "classes_by_kind": {class kind: n}}."""
    classes = TrainingClass.objects.filter(organiser_id__in=list(unit_ids), start__year__in=list(years))
    attendees = TrainingAttendee.objects.filter(training__in=classes.values("pk"))
    by_kind = dict(attendees.order_by().values_list("kind").annotate(n=Sum("count")).values_list("kind", "n"))
    classes_by_kind = dict(
        classes.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    return {
        "classes": classes.count(),
        "person_times": sum(n or 0 for n in by_kind.values()),
        "by_kind": {k: n or 0 for k, n in by_kind.items()},
        "classes_by_kind": classes_by_kind,
    }


def unit_postings(*, unit_ids, first: datetime.date, last: datetime.date):
    """Postings (first secretaries, work-team members, 挂职干部) of the units' cadres in force at
    some time between `first` and `last`, unscoped, with the cadre and the place."""
    return (
        Posting.objects.filter(cadre__unit_id__in=list(unit_ids), start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .select_related("cadre", "region")
        .order_by("start", "id")
    )


# --- 明白卡 and 一户一档 (the documents app) ----------------------------------------------------------


def _scoped(model, user):
    return model.objects.all() if user is None else model.objects.visible_to(user)


def card_assistance(household_ids, user, on: datetime.date | None = None) -> dict[int, dict]:
    """`household_assistance` for many households at once (a village's 明白卡), as far as `user` may
    see it (None: the system): {household id: {"pairings", "plan", "measures"}}, each measure with
    `done_on` (the day it was marked 已完成, else None). Four queries whatever the number."""
    from fupin.assistance.choices import MeasureStatus
    from fupin.assistance.models import MeasureEvent

    ids = list(household_ids)
    found = {pk: {"pairings": [], "plan": None, "measures": []} for pk in ids}
    pairings = (
        serving(_scoped(Pairing, user).filter(household_id__in=ids), on)
        .select_related("cadre", "cadre__unit")
        .order_by("household_id", "-start", "id")
    )
    for pairing in pairings:
        found[pairing.household_id]["pairings"].append(pairing)
    for plan in _scoped(Plan, user).filter(household_id__in=ids):
        found[plan.household_id]["plan"] = plan
    measures = list(
        _scoped(Measure, user)
        .filter(plan__household_id__in=ids)
        .exclude(status=MeasureStatus.CANCELLED)
        .select_related("cadre", "plan")
        .order_by("plan__household_id", "id")
    )
    done = dict(
        MeasureEvent.objects.filter(measure__in=measures, to_status=MeasureStatus.DONE)
        .order_by()
        .values_list("measure_id")
        .annotate(last=Max("at"))
        .values_list("measure_id", "last")
    )
    for measure in measures:
        at = done.get(measure.pk)
        measure.done_on = timezone.localdate(at) if at else None
        found[measure.plan.household_id]["measures"].append(measure)
    return found


def household_file_assistance(household, user) -> dict:
    """What a household's 一户一档 holds of assistance, as far as `user` may see it: every pairing
    (serving or ended, newest first), the plan, its measures (with `done_on`, cancelled ones too)
    and the visits, oldest first."""
    from fupin.assistance.choices import MeasureStatus
    from fupin.assistance.models import MeasureEvent

    pairings = (
        _scoped(Pairing, user)
        .filter(household=household)
        .select_related("cadre", "cadre__unit")
        .order_by("-start", "id")
    )
    measures = list(
        _scoped(Measure, user).filter(plan__household=household).select_related("cadre").order_by("id")
    )
    events = MeasureEvent.objects.filter(measure__in=measures).order_by("at", "id")
    done: dict[int, datetime.date] = {}
    for event in events:
        if event.to_status == MeasureStatus.DONE:
            done[event.measure_id] = timezone.localdate(event.at)
    for measure in measures:
        measure.done_on = done.get(measure.pk)
    visits = _scoped(Visit, user).filter(household=household).select_related("cadre", "visitor")
    return {
        "pairings": list(pairings),
        "plan": _scoped(Plan, user).filter(household=household).first(),
        "measures": measures,
        "visits": list(visits.order_by("visited_on", "id")),
    }
