"""Reads of supervision, always through the scoping choke point (`visible_to`), except the public
count, which gives numbers only.

Urgency is one rule, in Python (`urgency_of`) and in SQL (`urgency_expression`): an unclosed
finding (or unfinished task) is red past its deadline, orange from its `soon_from` day, else on time.
"""

import datetime
from collections import defaultdict

from django.db.models import Case, CharField, Count, Q, Value, When
from django.http import Http404
from django.utils import timezone

from fupin.core.permissions import own_prefixes
from fupin.core.scoping import scope_of
from fupin.orgs.selectors import unit_for
from fupin.regions.models import Region
from fupin.supervision.choices import (
    PUBLIC_BUCKETS,
    FindingState,
    TaskState,
    Urgency,
)
from fupin.supervision.models import (
    Category,
    Checklist,
    Finding,
    Inspection,
    Plan,
    Task,
)

OPEN_STATES = (FindingState.OPEN, FindingState.RECTIFYING, FindingState.SUBMITTED)
OVERDUE_ANY = "late"  # the filter value for orange and red together


def _today(today=None) -> datetime.date:
    return today or timezone.localdate()


# --- urgency ------------------------------------------------------------------------------------


def urgency_expression(today=None, *, done: Q | None = None):
    """The urgency of each row in SQL: '' when closed (`done`), else overdue / soon / due."""
    day = _today(today)
    done = done if done is not None else Q(state=FindingState.CLOSED)
    return Case(
        When(done, then=Value("")),
        When(deadline__lt=day, then=Value(Urgency.OVERDUE.value)),
        When(soon_from__lte=day, then=Value(Urgency.SOON.value)),
        default=Value(Urgency.DUE.value),
        output_field=CharField(),
    )


def urgency_of(row, today=None) -> str:
    """A finding's or task's urgency ('' when closed or done)."""
    if isinstance(row, Finding) and row.state == FindingState.CLOSED:
        return ""
    if isinstance(row, Task) and row.state == TaskState.DONE:
        return ""
    day = _today(today)
    if row.deadline < day:
        return Urgency.OVERDUE
    if row.soon_from <= day:
        return Urgency.SOON
    return Urgency.DUE


def _by_urgency(rows, urgency: str, today=None, *, done: Q | None = None):
    """`rows` with their urgency annotated (a list sorts on it), those of `urgency` when given."""
    rows = rows.annotate(urgency=urgency_expression(today, done=done))
    if not urgency:
        return rows
    if urgency == OVERDUE_ANY:
        return rows.filter(urgency__in=(Urgency.SOON, Urgency.OVERDUE))
    return rows.filter(urgency=urgency)


# --- findings -------------------------------------------------------------------------------------


def categories():
    return Category.objects.filter(active=True)


def all_categories():
    return Category.objects.all()


def finding_rows(user):
    return Finding.objects.visible_to(user)


def finding_list(
    *,
    user,
    division: str = "",
    category=None,
    severity: str = "",
    state: str = "",
    urgency: str = "",
    unit=None,
    q: str = "",
    today=None,
):
    rows = finding_rows(user).select_related("division", "category", "responsible_unit")
    if division:
        rows = rows.filter(division__code__startswith=division)
    if category:
        rows = rows.filter(category=category)
    if severity:
        rows = rows.filter(severity=severity)
    if state == "open":
        rows = rows.filter(state__in=OPEN_STATES)
    elif state:
        rows = rows.filter(state=state)
    if unit:
        rows = rows.filter(responsible_unit=unit)
    if q:
        rows = rows.filter(Q(number__icontains=q) | Q(description__contains=q))
    rows = _by_urgency(rows, urgency, today)
    return rows.order_by("-found_on", "-id")


def finding_for(user, pk):
    """The finding `pk` if the user may see it, else None (`user=None`: the system)."""
    rows = Finding.objects.all() if user is None else finding_rows(user)
    try:
        return rows.select_related("division", "category", "responsible_unit", "lead_unit").get(pk=pk)
    except (Finding.DoesNotExist, ValueError, TypeError):
        return None


def finding_or_404(user, pk) -> Finding:
    finding = finding_for(user, pk)
    if finding is None:
        raise Http404
    return finding


def timeline(finding: Finding):
    return finding.events.select_related("actor").order_by("at", "id")


def photos(finding: Finding, kind: str | None = None):
    rows = finding.photos.all()
    return rows.filter(kind=kind) if kind else rows


def photo_for(user, pk):
    from fupin.supervision.models import FindingPhoto

    return FindingPhoto.objects.visible_to(user).select_related("finding").filter(pk=pk).first()


def _acting_rows(user, perm: str):
    """Unclosed findings `user` may act on with `perm`: in their own data scopes or, for the
    responsible side, of their units."""
    if user is None or not user.has_perm(perm):
        return Finding.objects.none()
    q = Q(pk__in=[])
    for prefix in own_prefixes(user):
        q |= Q(division__code__startswith=prefix)
    if perm == "supervision.rectify_finding":
        units = scope_of(user).unit_ids
        if units:
            q |= Q(responsible_unit_id__in=units)
    return finding_rows(user).filter(q)


def findings_to_rectify(user, today=None):
    """What waits for the responsible side: 待整改 and 整改中 (sent back included)."""
    return _acting_rows(user, "supervision.rectify_finding").filter(
        state__in=(FindingState.OPEN, FindingState.RECTIFYING)
    )


def findings_to_verify(user):
    """What waits for the inspector or the county: 待核验."""
    return _acting_rows(user, "supervision.verify_finding").filter(state=FindingState.SUBMITTED)


def with_urgency(rows, today=None):
    return rows.annotate(urgency=urgency_expression(today))


def worst_urgency(rows, today=None) -> str:
    """The most urgent level among `rows` (unclosed findings or unfinished tasks)."""
    levels = set(rows.annotate(urgency=urgency_expression(today)).values_list("urgency", flat=True))
    for level in (Urgency.OVERDUE, Urgency.SOON, Urgency.DUE):
        if level in levels:
            return level
    return ""


# --- figures: closure rate and days to close ------------------------------------------------------


def _child_length(code: str) -> int:
    return {0: 2, 2: 4, 4: 6, 6: 9, 9: 12}.get(len(code), 12)


def summary(*, user, by: str = "area", division: str = "") -> list[dict]:
    """Closure rate and average days to close, grouped by area (the level below `division`, or
    below the user's own places), responsible unit or category. One pass over the matching rows'
    few columns; a county holds thousands of findings, not millions."""
    rows = finding_rows(user)
    if division:
        rows = rows.filter(division__code__startswith=division)
    root = division or (scope_of(user).prefixes[0] if len(scope_of(user).prefixes) == 1 else "")
    length = _child_length(root)
    groups: dict = defaultdict(lambda: {"total": 0, "closed": 0, "doing": 0, "todo": 0, "days": 0})
    columns = ("division_id", "responsible_unit_id", "category_id", "state", "found_on", "closed_on")
    for code, unit_id, category_id, state, found_on, closed_on in rows.values_list(*columns).iterator():
        key = {"area": code[:length], "unit": unit_id, "category": category_id}[by]
        group = groups[key]
        group["total"] += 1
        group[PUBLIC_BUCKETS[state] if state != FindingState.CLOSED else "closed"] += 1
        if state == FindingState.CLOSED and closed_on:
            group["days"] += (closed_on - found_on).days
    labels = _labels(by, [k for k in groups if k is not None])
    result = []
    for key, group in groups.items():
        closed = group["closed"]
        result.append(
            {
                "key": key,
                "label": labels.get(key, "—"),
                "total": group["total"],
                "closed": closed,
                "doing": group["doing"],
                "todo": group["todo"],
                "rate": round(closed * 100 / group["total"], 1) if group["total"] else 0,
                "avg_days": round(group["days"] / closed, 1) if closed else None,
            }
        )
    return sorted(result, key=lambda r: str(r["key"]) if r["key"] is not None else "~")


def _labels(by: str, keys) -> dict:
    if by == "area":
        return dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    if by == "category":
        return {c.pk: c.name for c in Category.objects.filter(pk__in=keys)}
    return {k: str(unit_for(None, k)) for k in keys}


def public_counts(county_code: str) -> dict:
    """已整改 / 正在整改 / 未整改 of a county, in total and per township: numbers only, read without
    a user (the public page), no description, place below the township or person."""
    rows = Finding._base_manager.filter(division__code__startswith=county_code)
    total = {"done": 0, "doing": 0, "todo": 0}
    townships: dict = defaultdict(lambda: {"done": 0, "doing": 0, "todo": 0})
    for code, state, n in (
        rows.values_list("division_id", "state")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("division_id", "state", "n")
    ):
        bucket = PUBLIC_BUCKETS[state]
        total[bucket] += n
        if len(code) >= 9:
            townships[code[:9]][bucket] += n
    return {"total": total, "townships": dict(townships)}


# --- inspections ---------------------------------------------------------------------------------


def inspection_list(*, user, division: str = "", kind: str = "", state: str = ""):
    rows = Inspection.objects.visible_to(user).select_related("area", "checklist")
    if division:
        rows = rows.filter(Q(area__code__startswith=division) | Q(area__code__in=_ancestors(division)))
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-start", "-id")


def _ancestors(code: str) -> list[str]:
    return [code[:n] for n in (2, 4, 6, 9) if n < len(code)]


def inspection_for(user, pk):
    rows = Inspection.objects.all() if user is None else Inspection.objects.visible_to(user)
    try:
        return rows.select_related("area", "checklist").get(pk=pk)
    except (Inspection.DoesNotExist, ValueError, TypeError):
        return None


def inspection_or_404(user, pk) -> Inspection:
    inspection = inspection_for(user, pk)
    if inspection is None:
        raise Http404
    return inspection


def checklists():
    return Checklist.objects.filter(active=True)


def checklist_items(inspection: Inspection):
    if inspection.checklist_id is None:
        return []
    return list(inspection.checklist.items.all())


def inspection_results(inspection: Inspection):
    return inspection.results.select_related("item", "division").order_by(
        "item__order", "item_id", "division_id"
    )


# --- plans and tasks ------------------------------------------------------------------------------


def plan_list(*, user):
    return Plan.objects.visible_to(user).select_related("area", "issuer").order_by("-start_year", "title")


def plan_for(user, pk):
    rows = Plan.objects.all() if user is None else Plan.objects.visible_to(user)
    return rows.filter(pk=pk).first() if isinstance(pk, int) else None


def plan_or_404(user, pk) -> Plan:
    plan = plan_for(user, pk)
    if plan is None:
        raise Http404
    return plan


def plan_tree(plan: Plan):
    """Goals with their measures and tasks, in order (a plan's 10 goals, 30 measures, 92 tasks)."""
    goals = list(plan.goals.order_by("order").prefetch_related("measures__tasks__lead_unit"))
    return goals


TASK_DONE = Q(state=TaskState.DONE)


def task_list(*, user, plan=None, state: str = "", urgency: str = "", unit=None, q: str = "", today=None):
    rows = Task.objects.visible_to(user).select_related(
        "plan", "measure__goal", "lead_unit", "responsible_unit"
    )
    if plan:
        rows = rows.filter(plan=plan)
    if state == "open":
        rows = rows.exclude(state=TaskState.DONE)
    elif state:
        rows = rows.filter(state=state)
    if unit:
        rows = rows.filter(Q(lead_unit=unit) | Q(responsible_unit=unit))
    if q:
        rows = rows.filter(title__contains=q)
    rows = _by_urgency(rows, urgency, today, done=TASK_DONE)
    return rows.order_by("deadline", "id")


def task_for(user, pk):
    rows = Task.objects.all() if user is None else Task.objects.visible_to(user)
    try:
        return rows.select_related("plan", "measure__goal", "lead_unit", "responsible_unit").get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        return None


def task_or_404(user, pk) -> Task:
    task = task_for(user, pk)
    if task is None:
        raise Http404
    return task


def tasks_due(user, today=None):
    """Unfinished tasks of the user's units (lead or responsible) that are orange or red."""
    units = scope_of(user).unit_ids if user is not None else ()
    if not units or not user.has_perm("supervision.report_task"):
        return Task.objects.none()
    rows = Task.objects.visible_to(user).filter(Q(lead_unit_id__in=units) | Q(responsible_unit_id__in=units))
    return _by_urgency(rows.exclude(state=TaskState.DONE), OVERDUE_ANY, today, done=TASK_DONE)


def completion_by_unit(*, user, plan=None, today=None) -> list[dict]:
    """Per responsible unit (the lead unit when none): tasks, done, overdue, completion rate."""
    day = _today(today)
    rows = Task.objects.visible_to(user)
    if plan:
        rows = rows.filter(plan=plan)
    groups: dict = defaultdict(lambda: {"total": 0, "done": 0, "overdue": 0})
    for unit_id, lead_id, state, deadline in rows.values_list(
        "responsible_unit_id", "lead_unit_id", "state", "deadline"
    ).iterator():
        group = groups[unit_id or lead_id]
        group["total"] += 1
        if state == TaskState.DONE:
            group["done"] += 1
        elif deadline < day:
            group["overdue"] += 1
    result = [
        {
            "unit": str(unit_for(None, key)),
            **group,
            "rate": round(group["done"] * 100 / group["total"], 1) if group["total"] else 0,
        }
        for key, group in groups.items()
    ]
    return sorted(result, key=lambda r: (-r["overdue"], r["unit"]))


def goal_or_404(user, pk):
    from fupin.supervision.models import Goal

    goal = Goal.objects.visible_to(user).select_related("plan").filter(pk=pk).first()
    if goal is None:
        raise Http404
    return goal


def measure_or_404(user, pk):
    from fupin.supervision.models import Measure

    measure = Measure.objects.visible_to(user).select_related("goal__plan").filter(pk=pk).first()
    if measure is None:
        raise Http404
    return measure


def next_order(rows) -> int:
    """The number after the last of `rows` (goals of a plan, measures of a goal, tasks of a measure)."""
    last = rows.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


# --- assessments ------------------------------------------------------------------------------------


def assessment_list(*, user, year=None, unit=None, kind: str = "", division=None, state: str = ""):
    from fupin.supervision.models import Assessment

    rows = Assessment.objects.visible_to(user).select_related("unit", "county")
    if division:
        code = getattr(division, "code", division)
        rows = rows.filter(county__code__startswith=code)
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    if year:
        rows = rows.filter(year=year)
    if unit:
        rows = rows.filter(unit=unit)
    return rows.order_by("-year", "kind", "county_id", "unit__name", "id")


def assessment_or_404(user, pk):
    """The assessment `pk` in the user's scope (None: the system, as the API re-reads what it wrote)."""
    from fupin.supervision.models import Assessment

    rows = Assessment.objects.all() if user is None else Assessment.objects.visible_to(user)
    assessment = rows.select_related("unit", "county").filter(pk=pk).first()
    if assessment is None:
        raise Http404
    return assessment


def assessment_items(assessment):
    """The checklist's lines with their evidence (one query for all files)."""
    from django.db.models import Prefetch

    from fupin.supervision.models import AssessmentEvidence

    return assessment.items.prefetch_related(
        Prefetch("evidence", queryset=AssessmentEvidence.objects.order_by("id"))
    ).order_by("order")


def assessment_item_for(assessment, pk):
    """An item of an assessment already read in the user's scope, or None."""
    return assessment.items.filter(pk=pk).first()


def evidence_for(user, pk):
    from fupin.supervision.models import AssessmentEvidence

    return (
        AssessmentEvidence.objects.visible_to(user).select_related("item__assessment").filter(pk=pk).first()
    )
