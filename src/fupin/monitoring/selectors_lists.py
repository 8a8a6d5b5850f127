"""Reads for the monitoring lists, the overview page and the household page's monitoring section.

Every query starts from the scoping choke point (monitoring.selectors: `leads_visible_to` …), so a
list, its export and the household page show only what the user may see. Urgency (the colour of an
open case) is computed from its stored deadlines, the same rule everywhere: red past the decision
limit, orange past the current step's deadline — in Python for one case (deadlines.urgency), in SQL
for a list's filter and sort (selectors.urgency_expression, annotated) and for the grouped counts
(`urgency_q`, plain date comparisons).
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fupin.monitoring import deadlines, selectors
from fupin.monitoring.choices import OPEN_STAGES, ObjectStatus, Risk, Stage, Urgency
from fupin.monitoring.models import EliminationEvent, Layer, LeadEvent, ObjectRisk, QualityFinding
from fupin.regions.models import Region

OPEN = sorted(OPEN_STAGES)
OVERDUE = "overdue"  # the filter value for "orange or red"
RISKS = dict(Risk.choices)


def today() -> datetime.date:
    """The day urgency is judged on (a function, so a test can fix it)."""
    return timezone.localdate()


def url_or_none(name: str, *args) -> str | None:
    """The URL of a monitoring page, or None while the piece that serves it is not there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- urgency ------------------------------------------------------------------------------------


def urgency_of(case, on: datetime.date | None = None) -> str:
    """A case's urgency on `on` (default: today; then the list query's annotation when it has one)."""
    found = getattr(case, "urgency", None) if on is None else None
    return found or deadlines.urgency(case.stage, case.step_due, case.decision_due, on or today())


def urgency_q(value: str, on: datetime.date) -> Q:
    """The cases of one urgency (or OVERDUE: orange or red) on day `on`, as a plain filter on the
    dates (the grouped counts and the lists' urgency filter use it; selectors.urgency_expression,
    the same rule, is what the lists show and sort by)."""
    open_ = Q(stage__in=OPEN)
    red = open_ & Q(decision_due__lt=on)
    late_step = open_ & Q(step_due__lt=on)
    if value == Urgency.RED:
        return red
    if value == Urgency.ORANGE:
        return late_step & ~Q(decision_due__lt=on)
    if value == OVERDUE:
        return red | late_step
    if value == Urgency.ON_TIME:
        return ~(red | late_step)
    return Q()


def _with_urgency(rows, value: str):
    """`urgency` annotated (the list shows and sorts by it), and filtered to `value` when given — by
    the plain date comparisons (urgency_q, the same rule): PostgreSQL estimates those from its
    statistics, not a filter on the Case expression (a fixed guess that chose the wrong plan)."""
    on = today()
    rows = selectors.with_urgency(rows, on)
    return rows.filter(urgency_q(value, on)) if value else rows


def _prefix(field: str, division: str) -> Q:
    return Q(**{f"{field}__startswith": division}) if division else Q()


def _stage_q(stage: str) -> Q:
    if stage == "open":
        return Q(stage__in=OPEN)
    return Q(stage=stage) if stage else Q()


# --- the lists ----------------------------------------------------------------------------------


def lead_rows(user, filters: dict):
    """风险线索: division (code prefix of the village), channel, stage ("open": any open stage),
    risk, urgency (on_time, orange, red, overdue)."""
    f = filters
    rows = selectors.leads_visible_to(user).select_related("village", "household")
    rows = rows.filter(_prefix("village__code", f.get("division") or ""), _stage_q(f.get("stage") or ""))
    if f.get("channel"):
        rows = rows.filter(channel=f["channel"])
    if f.get("risk"):
        # A JSON list of codes: the quoted code is a whole element (no code contains another's quotes).
        rows = rows.filter(risks__icontains=f'"{f["risk"]}"')
    return _with_urgency(rows, f.get("urgency") or "")


def object_rows(user, filters: dict):
    """监测对象: division, type, risk (one of its risks), status, layer."""
    f = filters
    rows = (
        selectors.objects_visible_to(user)
        .select_related("household", "household__village", "layer")
        .prefetch_related("risks")
        .filter(_prefix("household__village__code", f.get("division") or ""))
    )
    for name in ("type", "status"):
        if f.get(name):
            rows = rows.filter(**{name: f[name]})
    if f.get("layer"):
        rows = rows.filter(layer=f["layer"])
    if f.get("risk"):
        rows = rows.filter(Exists(ObjectRisk.objects.filter(object=OuterRef("pk"), risk=f["risk"])))
    return rows


def elimination_rows(user, filters: dict):
    """风险消除: division, kind, stage, urgency."""
    f = filters
    rows = (
        selectors.eliminations_visible_to(user)
        .select_related("object", "object__household", "object__household__village")
        .filter(_prefix("object__household__village__code", f.get("division") or ""))
        .filter(_stage_q(f.get("stage") or ""))
    )
    if f.get("kind"):
        rows = rows.filter(kind=f["kind"])
    return _with_urgency(rows, f.get("urgency") or "")


# The grouping of the overdue list: a township is the village code's first 9 digits, a county its 6.
LEVEL_DIGITS = {"township": 9, "county": 6}


def overdue_rows(user, filters: dict):
    """逾期线索 by township (or county): per area, the open leads past their step's deadline (orange)
    and past the decision limit (red). Rows are dicts: code, orange, red, total (names: `add_names`)."""
    on = today()
    digits = LEVEL_DIGITS.get(filters.get("level") or "", 9)
    red = urgency_q(Urgency.RED, on)
    orange = urgency_q(Urgency.ORANGE, on)
    return (
        selectors.leads_visible_to(user)
        .filter(_prefix("village__code", filters.get("division") or ""))
        .filter(urgency_q(OVERDUE, on))
        .annotate(code=Substr("village_id", 1, digits))
        .order_by()
        .values("code")
        .annotate(orange=Count("pk", filter=orange), red=Count("pk", filter=red), total=Count("pk"))
        .order_by("-red", "-total", "code")
    )


def add_names(rows: list[dict]) -> None:
    """The overdue list's batch: each area's name and its parent's (县 › 乡镇), fetched at once."""
    codes = {r["code"] for r in rows}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes).select_related("parent")}
    for row in rows:
        region = regions.get(row["code"])
        row["name"] = region.name if region else row["code"]
        row["parent"] = region.parent.name if region and region.parent else ""


def quality_rows(user, filters: dict):
    """数据质量问题: division (the household's village), rule."""
    rows = (
        QualityFinding.objects.visible_to(user)
        .select_related("county", "household", "household__village")
        .filter(_prefix("household__village__code", filters.get("division") or ""))
    )
    if filters.get("rule"):
        rows = rows.filter(rule=filters["rule"])
    return rows


def layers():
    return Layer.objects.all()


# --- the overview page --------------------------------------------------------------------------


def overview(user) -> dict:
    """The counts of the overview page, all within the user's scope."""
    on = today()
    leads = selectors.leads_visible_to(user)
    by_stage = dict(
        leads.filter(stage__in=OPEN)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    stages = [
        (value, label, by_stage.get(value, 0)) for value, label in Stage.choices if value in OPEN_STAGES
    ]
    objects = selectors.objects_visible_to(user).filter(status=ObjectStatus.MONITORED)
    by_type = dict(objects.order_by().values_list("type").annotate(n=Count("pk")).values_list("type", "n"))
    todo = selectors.todo_for(user, on)
    return {
        "todo": list(todo.leads[:10]),
        "todo_eliminations": list(todo.eliminations[:10]),
        "stages": stages,
        "open_leads": sum(by_stage.values()),
        "orange": leads.filter(urgency_q(Urgency.ORANGE, on)).count(),
        "red": leads.filter(urgency_q(Urgency.RED, on)).count(),
        "by_type": by_type,
        "monitored": sum(by_type.values()),
        "eliminating": selectors.eliminations_visible_to(user).filter(stage__in=OPEN).count(),
    }


# --- the household page -------------------------------------------------------------------------


def _case(case, kind: str, on: datetime.date) -> dict:
    urgency = urgency_of(case, on)
    return {
        "case": case,
        "kind": kind,
        "open": case.stage in OPEN_STAGES,
        "urgency": urgency,
        "urgency_label": Urgency(urgency).label,
        "url": url_or_none(f"monitoring:{kind}_detail", case.pk),
        "risk_labels": [RISKS.get(code, code) for code in getattr(case, "risks", None) or ()]
        if kind == "lead"
        else [],
    }


def household_monitoring(household, user) -> dict | None:
    """The monitoring section of a household page, as far as `user` may see it (None: may see none):

    - `current`: the household's monitoring object under monitoring (else the latest one), with its
      risks and layer; `objects`: every object, newest first (a household may be identified again);
    - `open_cases`: leads and eliminations still in the review chain, each with its stage,
      deadlines, urgency and the case page's URL; `history`: the closed ones;
    - `report_url`: 发现风险 for a user who may report a lead (and once the page exists).
    """
    if not (user.has_perm("monitoring.view_lead") or user.has_perm("monitoring.view_monitoringobject")):
        return None
    on = today()
    objects = list(
        selectors.objects_visible_to(user)
        .filter(household=household)
        .select_related("layer")
        .prefetch_related("risks")
        .order_by("-identified_on", "-id")
    )
    current = next(
        (o for o in objects if o.status == ObjectStatus.MONITORED), objects[0] if objects else None
    )
    cases = [
        _case(lead, "lead", on)
        for lead in selectors.leads_visible_to(user).filter(household=household).order_by("-opened_on", "-id")
    ]
    cases += [
        _case(e, "elimination", on)
        for e in selectors.eliminations_visible_to(user)
        .filter(object__household=household)
        .select_related("object")
        .order_by("-opened_on", "-id")
    ]
    may_report = user.has_perm("monitoring.report_lead")
    return {
        "current": current,
        "current_url": url_or_none("monitoring:object_detail", current.pk) if current else None,
        "objects": [{"object": o, "url": url_or_none("monitoring:object_detail", o.pk)} for o in objects],
        "open_cases": [c for c in cases if c["open"]],
        "history": [c for c in cases if not c["open"]],
        "report_url": url_or_none("monitoring:report_lead", household.pk) if may_report else None,
    }


def risk_labels(codes) -> str:
    return "、".join(str(RISKS.get(code, code)) for code in codes or ())


def timeline_entries(household, user) -> list[dict]:
    """Monitoring's part of the household timeline (registry.timeline): every step of its leads and
    eliminations the user may see."""
    if not user.has_perm("monitoring.view_lead"):
        return []
    entries = []
    lead_events = (
        LeadEvent.objects.visible_to(user)
        .filter(lead__household=household)
        .select_related("lead", "actor")
        .order_by("at", "id")
    )
    for event in lead_events:
        entries.append(
            _entry(event, event.lead, _("风险线索 %(number)s") % {"number": event.lead.number}, "lead")
        )
    elimination_events = (
        EliminationEvent.objects.visible_to(user)
        .filter(elimination__object__household=household)
        .select_related("elimination", "actor")
        .order_by("at", "id")
    )
    for event in elimination_events:
        entries.append(
            _entry(
                event,
                event.elimination,
                _("风险消除(%(kind)s)") % {"kind": event.elimination.get_kind_display()},
                "elimination",
            )
        )
    return entries


# What each step of the chain did, named by the stage it led to (the timeline names the step, not
# the stage the case then waited at).
STEP_NAMES = {
    Stage.SUBMITTED: _lazy("农户自主申报"),
    Stage.ACCEPTED: _lazy("乡镇受理"),
    Stage.VERIFIED: _lazy("入户核实"),
    Stage.COMPARED: _lazy("信息比对"),
    Stage.PUBLICISING: _lazy("村级评议、村内公示"),
    Stage.PUBLICISED: _lazy("公示期满"),
    Stage.CHECKED: _lazy("乡镇审核"),
    Stage.DECIDED: _lazy("县级审定"),
    Stage.NOT_INCLUDED: _lazy("不予纳入"),
    Stage.REJECTED: _lazy("不予受理"),
}


def _entry(event, case, title: str, kind: str) -> dict:
    if event.from_status:
        step = STEP_NAMES.get(event.to_status, event.to_status)
    elif kind == "elimination":
        step = _("村级提出")
    elif event.to_status == Stage.SUBMITTED:
        step = STEP_NAMES[Stage.SUBMITTED]
    else:  # a cadre's, a department's or a rule's lead opens accepted
        step = _("发现风险")
    return {
        "at": event.at,
        "title": f"{title} · {step}",
        "text": event.reason,
        "who": getattr(event.actor, "full_name", "") or str(event.actor or ""),
        "url": url_or_none(f"monitoring:{kind}_detail", case.pk) or "",
    }
