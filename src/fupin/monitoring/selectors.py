"""Reads of monitoring records, always through the scoping choke point (`visible_to`).

- `leads_visible_to`, `objects_visible_to`, `eliminations_visible_to`: the scoped querysets;
- `case_urgency`, `with_urgency`: how late an open case is (orange past its step, red past the
  decision limit), in Python for one case and in SQL for a list;
- `overdue_leads(user, today)`: the open cases past a deadline, with their counts per township and
  county (the lists of issue 12);
- `todo_for(user, today)`: what waits for this user (待办), by the step permissions they hold;
- `object_detail(object, user)`: a monitoring object with its risks, 一户一策 measures (mapped onto
  the national measure kinds) and 帮扶责任人, from the assistance app's selectors;
- the facts the review chain decides on: `monitoring_line`, `no_labour_capacity`,
  `elimination_refusals`, `open_lead_for`, `open_object_for`.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from fupin.assistance import selectors as assistance
from fupin.assistance.choices import MeasureType
from fupin.core.permissions import may, own_prefixes
from fupin.core.scoping import scope_of
from fupin.monitoring import deadlines
from fupin.monitoring.choices import (
    OPEN_STAGES,
    MeasureKind,
    ObjectStatus,
    Stage,
    Urgency,
)
from fupin.monitoring.models import DibaoStandard, Elimination, Lead, MonitoringLine, MonitoringObject
from fupin.regions.models import Region
from fupin.registry.choices import Labour

OPEN = sorted(OPEN_STAGES)


def leads_visible_to(user):
    return Lead.objects.visible_to(user)


def objects_visible_to(user):
    return MonitoringObject.objects.visible_to(user)


def eliminations_visible_to(user):
    return Elimination.objects.visible_to(user)


def case_code(case) -> str:
    """The village code a lead or an elimination belongs to (permissions are scoped by it)."""
    if isinstance(case, Lead):
        return case.village_id
    return case.object.household.village_id


def case_household(case):
    """The registry household of a case (a self-report's lead may have none yet)."""
    if isinstance(case, Lead):
        return case.household
    return case.object.household


# --- urgency ------------------------------------------------------------------------------------


def case_urgency(case, today: datetime.date) -> str:
    """choices.Urgency of one lead or elimination on `today`."""
    return deadlines.urgency(case.stage, case.step_due, case.decision_due, today)


def urgency_expression(today: datetime.date):
    """The same rule as deadlines.urgency, in SQL: a list can filter and sort by it."""
    return Case(
        When(~Q(stage__in=OPEN), then=Value(Urgency.ON_TIME)),
        When(decision_due__lt=today, then=Value(Urgency.RED)),
        When(step_due__lt=today, then=Value(Urgency.ORANGE)),
        default=Value(Urgency.ON_TIME),
        output_field=CharField(),
    )


def with_urgency(cases, today: datetime.date):
    """Annotate `urgency` (choices.Urgency) on a queryset of leads or eliminations."""
    return cases.annotate(urgency=urgency_expression(today))


def _late(today: datetime.date) -> Q:
    return Q(stage__in=OPEN) & (Q(step_due__lt=today) | Q(decision_due__lt=today))


# --- overdue cases, per township and county -------------------------------------------------------


@dataclass
class AreaCount:
    code: str
    name: str
    orange: int = 0
    red: int = 0

    @property
    def total(self) -> int:
        return self.orange + self.red


@dataclass
class Overdue:
    """Open leads and eliminations past a deadline (`urgency` annotated, the reddest and oldest
    first) and their counts per township and per county."""

    leads: object
    eliminations: object
    townships: list[AreaCount] = field(default_factory=list)
    counties: list[AreaCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(c.total for c in self.counties)


def _count_by_area(rows, village_path: str, today: datetime.date, townships: dict, counties: dict):
    """Add the orange and red counts of `rows` to their township (9 digits) and county (6)."""
    grouped = (
        rows.order_by()
        .annotate(
            township=Substr(village_path, 1, 9),
            county=Substr(village_path, 1, 6),
            late=urgency_expression(today),
        )
        .values("township", "county", "late")
        .annotate(n=Count("pk"))
    )
    for row in grouped:
        for code, bucket in ((row["township"], townships), (row["county"], counties)):
            count = bucket.setdefault(code, AreaCount(code, code))
            if row["late"] == Urgency.RED:
                count.red += row["n"]
            elif row["late"] == Urgency.ORANGE:
                count.orange += row["n"]


def overdue_leads(user, today: datetime.date) -> Overdue:
    """What the user may see of the open cases past their step's deadline (orange) or the decision
    limit (red), and how many per township and county. Two grouped queries for the counts, whose
    size is the number of townships; the lists are querysets for a page (core.lists)."""
    leads = with_urgency(leads_visible_to(user).filter(_late(today)), today).select_related(
        "village", "household"
    )
    eliminations = with_urgency(eliminations_visible_to(user).filter(_late(today)), today).select_related(
        "object__household__village"
    )
    townships: dict[str, AreaCount] = {}
    counties: dict[str, AreaCount] = {}
    _count_by_area(leads, "village_id", today, townships, counties)
    _count_by_area(eliminations, "object__household__village_id", today, townships, counties)
    names = dict(Region.objects.filter(code__in=[*townships, *counties]).values_list("code", "short_name"))
    for count in (*townships.values(), *counties.values()):
        count.name = names.get(count.code) or count.code
    order = ("-urgency", "decision_due", "step_due", "pk")  # descending: red, orange, on_time
    return Overdue(
        leads=leads.order_by(*order),
        eliminations=eliminations.order_by(*order),
        townships=sorted(townships.values(), key=lambda c: c.code),
        counties=sorted(counties.values(), key=lambda c: c.code),
    )


# --- 待办: what waits for this user ---------------------------------------------------------------

# Who takes a case from each stage: the permission of the step (services.py checks the same).
STAGE_PERMS = {
    Stage.SUBMITTED: "monitoring.check_lead",
    Stage.ACCEPTED: "monitoring.report_lead",
    Stage.VERIFIED: "monitoring.report_lead",
    Stage.COMPARED: "monitoring.report_lead",
    Stage.PUBLICISING: "monitoring.report_lead",
    Stage.PUBLICISED: "monitoring.check_lead",
    Stage.CHECKED: "monitoring.decide_lead",
}


@dataclass
class Todo:
    leads: object
    eliminations: object

    @property
    def total(self) -> int:
        return self.leads.count() + self.eliminations.count()


def _waiting_q(stages: list[str], today: datetime.date) -> Q:
    """Cases at one of `stages`; a 公示 waits only once its days are over."""
    q = Q(stage__in=[s for s in stages if s != Stage.PUBLICISING])
    if Stage.PUBLICISING in stages:
        q |= Q(stage=Stage.PUBLICISING, publicity_to__lt=today)
    return q


def todo_for(user, today: datetime.date) -> Todo:
    """The cases waiting for this user: the township accepts self-reports (待受理) and checks the
    publicised cases (待乡镇审核); the county decides the checked ones (待县级审定); the village
    verifies, compares, holds the 评议 and ends a 公示 whose days are over. Decided by the step
    permissions the user holds and the places they answer for (their own data scopes: an assisting
    unit sees its villages but does not run them). The most urgent first."""
    stages = [stage for stage, perm in STAGE_PERMS.items() if user is not None and user.has_perm(perm)]
    if not stages:
        return Todo(leads_visible_to(user).none(), eliminations_visible_to(user).none())
    own = _own_q(user)
    waiting = _waiting_q(stages, today)
    order = ("-urgency", "decision_due", "step_due", "pk")
    leads = with_urgency(leads_visible_to(user).filter(waiting & own("village__code")), today)
    eliminations = with_urgency(
        eliminations_visible_to(user).filter(
            _waiting_q([s for s in stages if s != Stage.SUBMITTED], today)
            & own("object__household__village__code")
        ),
        today,
    )
    return Todo(
        leads.select_related("village", "household").order_by(*order),
        eliminations.select_related("object__household__village").order_by(*order),
    )


def _own_q(user):
    prefixes = own_prefixes(user)

    def q(path: str) -> Q:
        found = Q(pk__in=[])
        for prefix in prefixes:
            found |= Q(**{f"{path}__startswith": prefix})
        return found

    return q


# --- the standards ----------------------------------------------------------------------------


def _nearest(model, code: str, year: int):
    prefixes = [code[:n] for n in (6, 4, 2) if len(code) >= n]
    rows = {row.region_id: row for row in model.objects.filter(year=year, region_id__in=prefixes)}
    return next((rows[p] for p in prefixes if p in rows), None)


def monitoring_line(code: str, year: int) -> MonitoringLine | None:
    """The 监测标准 of `year` for a place: the nearest area's (county, then city, then province)."""
    return _nearest(MonitoringLine, code, year)


def dibao_standard(code: str, year: int) -> DibaoStandard | None:
    """The rural 低保 standard of `year` for a place: the nearest area's, as the monitoring line."""
    return _nearest(DibaoStandard, code, year)


def standards_visible_to(model, user):
    """The monitoring lines (or 低保 standards) a user may read: those of the areas in their scope and
    those of the province, city and county above it, whose standards apply to their places."""
    prefixes = scope_of(user).prefixes
    above = {p[:n] for p in prefixes for n in (2, 4, 6) if len(p) > n}
    return model.objects.filter(
        Q(region_id__in=above) | scope_of(user).region_q("region__code")
    ).select_related("region")


def no_labour_capacity(household) -> bool:
    """整户无劳动能力: the household has members and every one is recorded 丧失劳动力 or 无劳动力.

    A member whose labour is not recorded is not proof of incapacity, so 兜底 is not allowed on it.
    Read through the household (already fetched in scope): its members are its child rows."""
    labours = list(household.members.values_list("labour", flat=True))
    return bool(labours) and all(labour in (Labour.LOST, Labour.NONE) for labour in labours)


def open_lead_for(household, *, exclude=None) -> Lead | None:
    """The household's lead still in the review chain, if any (one at a time)."""
    leads = Lead.objects.filter(household=household, stage__in=OPEN)
    if exclude is not None:
        leads = leads.exclude(pk=exclude.pk)
    return leads.order_by("-opened_on", "-pk").first()


def open_object_for(household) -> MonitoringObject | None:
    """The household's monitoring object whose risk is not eliminated (at most one)."""
    return MonitoringObject.objects.filter(household=household, status=ObjectStatus.MONITORED).first()


def open_elimination_for(obj) -> Elimination | None:
    return Elimination.objects.filter(object=obj, stage__in=OPEN).order_by("-pk").first()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months; the 31st of a shorter month becomes its last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def elimination_refusals(obj, today: datetime.date) -> tuple[list[str], dict]:
    """Why the risk of `obj` cannot be proposed as eliminated on `today` (every reason), and the
    figures the proposal stands on (its `basis`).

    Income "stably above the monitoring line for at least `stable_months` months" (data: the
    province's Procedure): the registry holds yearly incomes, not monthly ones, so the proxy is the
    latest year's income (per person, after 合规自付支出: the one income definition) above that
    year's line, and the object identified at least `stable_months` months ago — the household has
    been followed under assistance that long, and the national data-quality check flags an
    elimination within six months of identification for the same reason."""
    household = obj.household
    limits = deadlines.limits_for(household.village_id)
    reasons: list[str] = []
    basis: dict = {"stable_months": limits.stable_months, "identified_on": obj.identified_on.isoformat()}
    if obj.status != ObjectStatus.MONITORED:
        reasons.append(_("该监测对象的风险已消除"))
    if obj.safety_net and no_labour_capacity(household):
        reasons.append(_("兜底户不标注风险消除(整户无劳动能力兜底保障)"))
    if open_elimination_for(obj) is not None:
        reasons.append(_("该监测对象已有正在办理的风险消除"))
    income = household.incomes.order_by("-year").first()
    if income is None:
        reasons.append(_("该户没有年度收入记录,无法判断收入是否稳定超过监测标准"))
    else:
        line = monitoring_line(household.village_id, income.year)
        figure = income.per_capita_after_costs
        basis.update(income_year=income.year, per_capita_after_costs=str(figure))
        if line is None:
            reasons.append(_("未设定%(year)d年的监测标准") % {"year": income.year})
        else:
            basis["line"] = str(line.amount)
            if Decimal(figure) <= line.amount:
                reasons.append(
                    _("%(year)d年人均纯收入(扣除合规自付支出)%(income)s元,未超过监测标准%(line)s元")
                    % {"year": income.year, "income": figure, "line": line.amount}
                )
    stable_since = add_months(obj.identified_on, limits.stable_months)
    if stable_since > today:
        reasons.append(
            _("识别未满%(months)d个月(%(date)s起方可提出风险消除)")
            % {"months": limits.stable_months, "date": stable_since.isoformat()}
        )
    check = household.checks.order_by("-year").first()
    if check is None:
        reasons.append(_("该户没有“两不愁三保障”及饮水安全核查记录"))
    else:
        basis["check_year"] = check.year
        if not check.passed:
            failed = ", ".join(str(check._meta.get_field(item).verbose_name) for item in check.failed_items())
            reasons.append(
                _("%(year)d年“三保障”及饮水安全未全部达标:%(items)s") % {"year": check.year, "items": failed}
            )
    lead = open_lead_for(household)
    if lead is not None:
        reasons.append(_("该户有正在办理的风险线索(%(number)s),存在新的风险") % {"number": lead.number})
    return reasons, basis


# --- a monitoring object's page -------------------------------------------------------------------

# 一户一策's measure types (assistance.MeasureType) as the national measure kinds (choices.MeasureKind).
MEASURE_KINDS = {
    MeasureType.INDUSTRY: MeasureKind.INDUSTRY,
    MeasureType.EMPLOYMENT: MeasureKind.EMPLOYMENT,
    MeasureType.RELOCATION: MeasureKind.RELOCATION,
    # 教育帮扶 in a household's plan is 雨露计划, 助学 and the like; 义务教育 on the national form is the
    # guarantee of schooling (控辍保学), which a plan does not list as a measure of its own.
    MeasureType.EDUCATION: MeasureKind.OTHER_EDUCATION,
    MeasureType.HEALTH: MeasureKind.HEALTH,
    MeasureType.HOUSING: MeasureKind.HOUSING,
    # 生态补偿 in a plan is chiefly a 生态护林员/草管员 post (生态公益岗位), paid for work; the national
    # form counts those posts under 公益岗.
    MeasureType.ECOLOGY: MeasureKind.PUBLIC_POST,
    # 社会保障兜底 (低保, 特困 support) is what the national form calls 综合保障.
    MeasureType.SAFETY_NET: MeasureKind.SOCIAL_SECURITY,
    MeasureType.MICROCREDIT: MeasureKind.FINANCE,
    # 资产收益 (shares in 光伏 stations, 扶贫车间 built with assistance funds) is industry assistance's
    # benefit-linking on the national form (产业帮扶), not a kind of its own.
    MeasureType.ASSET_INCOME: MeasureKind.INDUSTRY,
    # The plan's 其他 is mostly the 帮扶责任人's and assisting unit's own help (慰问, 捐赠, 消费帮扶),
    # which the national form counts as 社会帮扶; it has no 其他 kind.
    MeasureType.OTHER: MeasureKind.SOCIAL_HELP,
}


def measure_kind(measure_type: str) -> str:
    return MEASURE_KINDS.get(measure_type, MeasureKind.SOCIAL_HELP)


def object_detail(obj, user) -> dict:
    """Everything a monitoring object's page shows, as far as `user` may see it (`obj` was fetched
    in scope): its risks, the 一户一策 measures with their national kinds, the serving 帮扶责任人,
    the lead that identified it, its eliminations (history kept) and what the user may do."""
    household = obj.household
    help_ = assistance.household_assistance(household, user)
    measures = [
        {"measure": m, "kind": measure_kind(m.type), "kind_label": MeasureKind(measure_kind(m.type)).label}
        for m in help_["measures"]
    ]
    eliminations = list(
        eliminations_visible_to(user)
        .filter(object=obj)
        .select_related("proposed_by")
        .order_by("-opened_on", "-pk")
    )
    open_elimination = next((e for e in eliminations if e.stage in OPEN_STAGES), None)
    can_propose = (
        obj.status == ObjectStatus.MONITORED
        and open_elimination is None
        and may(user, "monitoring.report_lead", code=household.village_id, own=True)
    )
    return {
        "object": obj,
        "household": household,
        "risks": list(obj.risks.all()),
        "measures": measures,
        "pairings": help_["pairings"],
        "plan": help_["plan"],
        "lead": obj.lead,
        "eliminations": eliminations,
        "open_elimination": open_elimination,
        "can_propose_elimination": can_propose,
        "no_labour_capacity": no_labour_capacity(household),
    }


# --- 待办's counts (monitoring/todo.py) --------------------------------------------------------------

SOON_DAYS = 1  # a step due today or tomorrow is near its deadline


def waiting_by_stage(user, today: datetime.date, *, division: str = "") -> dict[str, list[dict]]:
    """What waits for `user` (todo_for's rule) under `division`, counted per stage: {"lead": rows,
    "elimination": rows}, each row {stage, late (orange or red), soon (on time, its step due within
    SOON_DAYS), total}. A 公示 still running waits for nobody and one whose days are over is left
    out too: the lists cannot filter "公示期满" (see the todo provider)."""
    stages = [
        stage
        for stage, perm in STAGE_PERMS.items()
        if stage != Stage.PUBLICISING and user is not None and user.has_perm(perm)
    ]
    found: dict[str, list[dict]] = {"lead": [], "elimination": []}
    if not stages:
        return found
    own = _own_q(user)
    late = _late(today)
    soon = ~late & Q(step_due__lte=today + datetime.timedelta(days=SOON_DAYS))
    for kind, rows, path, kind_stages in (
        ("lead", leads_visible_to(user), "village__code", stages),
        (
            "elimination",
            eliminations_visible_to(user),
            "object__household__village__code",
            [s for s in stages if s != Stage.SUBMITTED],
        ),
    ):
        rows = rows.filter(own(path), stage__in=kind_stages)
        if division:
            rows = rows.filter(**{f"{path}__startswith": division})
        counted = (
            rows.order_by()
            .values("stage")
            .annotate(late=Count("pk", filter=late), soon=Count("pk", filter=soon), total=Count("pk"))
        )
        by_stage = {row["stage"]: row for row in counted}
        found[kind] = [by_stage[s] for s in kind_stages if s in by_stage]
    return found


# --- the national exchange (fupin.exchange) ---------------------------------------------------------


def current_objects(user, *, area: str = ""):
    """Each household's current monitoring object (its latest identified, as the indicators count
    it) that `user` may see, under the division `area` (a code prefix; "" the whole scope), with its
    risks prefetched in the form's order: the 监测对象名单 and the national file of objects."""
    from django.db.models import OuterRef, Subquery  # noqa: PLC0415 - local to this block

    latest = (
        MonitoringObject.objects.filter(household_id=OuterRef("household_id"))
        .order_by("-identified_on", "-id")
        .values("pk")[:1]
    )
    objects = MonitoringObject.objects.visible_to(user).filter(pk=Subquery(latest))
    if area:
        objects = objects.filter(household__village__code__startswith=area)
    return objects.prefetch_related("risks").order_by()


# --- 明白卡 and 一户一档 (the documents app) ----------------------------------------------------------


def card_monitoring(household_ids, user) -> dict[int, MonitoringObject]:
    """The monitoring object a 明白卡 shows for each household (already fetched in scope): the one
    under monitoring, else the latest; absent when the household never was one, or when `user`
    (None: the system) may not see monitoring objects. One query whatever the number."""
    if user is not None and not user.has_perm("monitoring.view_monitoringobject"):
        return {}
    objects = MonitoringObject.objects.all() if user is None else objects_visible_to(user)
    found: dict[int, MonitoringObject] = {}
    for obj in objects.filter(household_id__in=list(household_ids)).order_by(
        "household_id", "-identified_on", "-id"
    ):
        held = found.get(obj.household_id)
        if held is None or (obj.status == ObjectStatus.MONITORED and held.status != ObjectStatus.MONITORED):
            found[obj.household_id] = obj
    return found
