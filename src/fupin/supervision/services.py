"""Writes of supervision: findings and their closed loop, inspections and their check results,
plans broken into tasks and the tasks' progress.

Every write is atomic, audited, and writes an event per state change; a refusal raises
TransitionRefused with every reason (in Chinese), a stale `version` StaleVersion, a field problem
ValidationError keyed by field, before anything is written. `by` is the acting user (None: the
system — the demo, the nightly deadline check).

A finding's closed loop (问题清单 → 整改措施 → 销号):

    record_finding (督查 / 县)             → OPEN        待整改, with its evidence
    plan_rectification (责任方)  OPEN       → RECTIFYING  整改中, the plan recorded (again after 退回)
    submit_rectification (责任方) RECTIFYING → SUBMITTED  待核验, before and after photos required
    close_finding (督查 / 县)   SUBMITTED  → CLOSED      已销号, refused without the evidence
    send_back (督查 / 县)       SUBMITTED  → RECTIFYING  退回, with its reasons

Who acts: the inspector or the county office (`record_finding`, `verify_finding`) within their
own data scopes; the responsible side (`rectify_finding`): users whose own data scopes cover the
finding's division (the village, its township, the county) or the users of the responsible unit.
The nightly `escalate_findings` warns once when a finding turns orange and, once red, escalates it
to the responsible unit's superior (the division above when there is no unit above).
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fupin.audit.services import audit_diff, audit_record, audit_snapshot
from fupin.core import validators
from fupin.core.audit_actions import AuditAction
from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.core.permissions import require
from fupin.core.photos import check_photo, max_bytes, max_mb, photo_type
from fupin.core.versioning import update_if_current
from fupin.outcomes import selectors as outcomes
from fupin.reports import selectors as reports
from fupin.supervision.choices import (
    AssessmentKind,
    AssessmentState,
    CheckResult,
    Escalation,
    FindingState,
    InspectionKind,
    InspectionState,
    PhotoKind,
    Severity,
    TaskState,
)
from fupin.supervision.models import (
    Assessment,
    AssessmentEvidence,
    AssessmentItem,
    Checklist,
    ChecklistItem,
    CheckResultRow,
    Finding,
    FindingEvent,
    FindingPhoto,
    Goal,
    Inspection,
    Measure,
    Plan,
    Task,
    TaskEvent,
    TaskReport,
)
from fupin.supervision.standards import STANDARDS

RECORD = "supervision.record_finding"
RECTIFY = "supervision.rectify_finding"
VERIFY = "supervision.verify_finding"
INSPECT = "supervision.record_inspection"
MANAGE_PLAN = "supervision.manage_plan"
ASSESS = "supervision.assess"
REPORT_TASK = "supervision.report_task"

MAX_PHOTOS = 9  # per kind and step: what a phone's picker sends at once
MAX_REASON = 200

# The events' actions (FindingEvent.action): what the timeline says for each step.
RECORDED, PLANNED, SUBMITTED, CLOSED, SENT_BACK, WARNED, ESCALATED = (
    "recorded",
    "planned",
    "submitted",
    "closed",
    "sent_back",
    "warned",
    "escalated",
)


def action_label(action: str) -> str:
    return {
        RECORDED: _("登记问题"),
        PLANNED: _("制定整改措施"),
        SUBMITTED: _("提交整改核验"),
        CLOSED: _("核验销号"),
        SENT_BACK: _("退回整改"),
        WARNED: _("临期提醒"),
        ESCALATED: _("逾期上报"),
    }.get(action, action)


# --- shared helpers ------------------------------------------------------------------------------


def _today(on=None) -> datetime.date:
    return on or timezone.localdate()


def _audit(by, request, instance, action: str, region_code: str, before: dict | None = None) -> None:
    old = {} if action == AuditAction.CREATE else (before or {})
    audit_record(
        action=action,
        actor=by,
        request=request,
        obj=instance,
        region_code=region_code,
        changes=audit_diff(old, audit_snapshot(instance)),
    )


def _date(errors: dict, field: str, value, *, required=True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            errors[field] = _("此项为必填项")
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = _("请输入日期(YYYY-MM-DD)")
        return None


def _reasons(errors: dict, value, field: str = "reasons") -> list[str]:
    """Every reason given (a list, or text with one reason a line); at least one."""
    if isinstance(value, str):
        value = value.splitlines()
    reasons = []
    for item in value or ():
        text = " ".join(str(item or "").split())
        if not text:
            continue
        if len(text) > MAX_REASON:
            errors[field] = _("每条理由最多%(n)d个字") % {"n": MAX_REASON}
        elif validators.has_control(text):
            errors[field] = _("含有不允许的控制字符")
        reasons.append(text)
    if not reasons and field not in errors:
        errors[field] = _("请填写退回理由(每条一行)")
    return reasons


def _photos(errors: dict, field: str, uploads) -> list[tuple]:
    """(upload, content type) of each acceptable photo; the field's error names every refused one."""
    uploads = [u for u in (uploads or ()) if u]
    if len(uploads) > MAX_PHOTOS:
        errors[field] = _("照片最多%(n)d张") % {"n": MAX_PHOTOS}
        return []
    checked, problems = [], []
    for upload in uploads:
        try:
            checked.append((upload, check_photo(upload)))
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        errors[field] = ";".join(problems)
    return checked


def _save_photos(finding: Finding, kind: str, checked) -> None:
    for upload, content_type in checked:
        FindingPhoto.objects.create(
            finding=finding, kind=kind, file=upload, content_type=content_type, size=upload.size
        )


def soon_from(deadline: datetime.date, days: int) -> datetime.date:
    """The first orange day of a deadline warned `days` ahead."""
    return deadline - datetime.timedelta(days=days)


# --- findings ------------------------------------------------------------------------------------


def rectifiers(finding: Finding) -> dict:
    """Who answers for a finding (the `require` arguments of the responsible side): the users whose
    own data scopes cover its division, and the responsible unit's users."""
    return {"code": finding.division_id, "unit_id": finding.responsible_unit_id, "own": True}


def may_rectify(user, finding: Finding) -> bool:
    from fupin.core.permissions import may

    return may(user, RECTIFY, **rectifiers(finding))


def may_verify(user, finding: Finding) -> bool:
    from fupin.core.permissions import may

    return may(user, VERIFY, code=finding.division_id, own=True)


@transaction.atomic
def record_finding(
    *,
    by,
    division,
    category,
    description: str,
    deadline,
    severity: str = Severity.GENERAL,
    requirement: str = "",
    notes: str = "",
    location: str = "",
    found_on=None,
    inspection: Inspection | None = None,
    check_item: ChecklistItem | None = None,
    household=None,
    project=None,
    party_org=None,
    cadre=None,
    work_team=None,
    assisting_unit=None,
    lead_unit=None,
    responsible_unit=None,
    responsible_person: str = "",
    photos=(),
    request=None,
) -> Finding:
    """登记问题: a finding at `division` (a Region), with its evidence photos; state 待整改.

    The linked records (household, project …) and units are objects the caller fetched in its
    user's scope (the other apps' selectors); the service checks the place, the fields and the dates."""
    errors: dict = {}
    if division is None:
        errors["division"] = _("请选择问题所属区划")
    else:
        require(by, RECORD, code=division.code, own=True)
    if category is None:
        errors["category"] = _("请选择问题类别")
    elif not category.active:
        errors["category"] = _("该问题类别已停用")
    description = validators.text(errors, "description", description, max_length=2000, required=True)
    requirement = validators.text(errors, "requirement", requirement, max_length=2000)
    notes = validators.text(errors, "notes", notes, max_length=2000)
    location = validators.text(errors, "location", location, max_length=100, single_line=True)
    responsible_person = validators.text(
        errors, "responsible_person", responsible_person, max_length=50, single_line=True
    )
    if severity not in Severity.values:
        errors["severity"] = _("无效的严重程度")
    found = _date(errors, "found_on", found_on, required=False) or _today()
    if found > _today():
        errors["found_on"] = _("日期不能晚于今天(%(today)s)") % {"today": _today().isoformat()}
    due = _date(errors, "deadline", deadline)
    if due and due < found:
        errors["deadline"] = _("整改时限不能早于发现日期")
    if household is not None and division is not None and not household.village_id.startswith(division.code):
        errors["household"] = _("该农户不在问题所属区划内")
    if inspection is not None and division is not None and not division.code.startswith(inspection.area_id):
        errors["division"] = _("问题所属区划不在该次督查的范围内")
    checked = _photos(errors, "photos", photos)
    validators.raise_errors(errors)
    finding = Finding.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:16]}",
        description=description,
        category=category,
        severity=severity,
        requirement=requirement,
        notes=notes,
        location=location,
        division=division,
        found_on=found,
        inspection=inspection,
        check_item=check_item,
        household=household,
        project=project,
        party_org=party_org,
        cadre=cadre,
        work_team=work_team,
        assisting_unit=assisting_unit,
        lead_unit=lead_unit,
        responsible_unit=responsible_unit,
        responsible_person=responsible_person,
        deadline=due,
        soon_from=soon_from(due, category.soon_days),
        recorded_by=by,
    )
    # The number reads by year and row: DC2026000123.
    finding.number = f"DC{found.year}{finding.pk:06d}"
    Finding.objects.filter(pk=finding.pk).update(number=finding.number)
    _save_photos(finding, PhotoKind.EVIDENCE, checked)
    FindingEvent.objects.create(
        finding=finding, actor=by, from_status="", to_status=FindingState.OPEN, action=RECORDED
    )
    _audit(by, request, finding, AuditAction.CREATE, division.code)
    return finding


def _begin(by, finding: Finding, version, sources, step: str) -> Finding:
    """Lock the row, compare the version and the state (the permission was checked by the caller)."""
    row = Finding._base_manager.select_for_update().get(pk=finding.pk)
    if version is not None and row.version != version:
        raise StaleVersion()
    if row.state not in sources:
        raise TransitionRefused(
            [_("该问题当前状态为“%(state)s”,不能%(step)s") % {"state": row.get_state_display(), "step": step}]
        )
    return row


def _advance(by, row: Finding, to: str, action: str, values: dict, reason: str = "", request=None) -> Finding:
    before = audit_snapshot(row)
    old = row.state
    update_if_current(row, row.version, {**values, "state": to})
    row.refresh_from_db()
    FindingEvent.objects.create(
        finding=row, actor=by, from_status=old, to_status=to, action=action, reason=reason
    )
    _audit(by, request, row, AuditAction.UPDATE, row.division_id, before)
    return row


@transaction.atomic
def plan_rectification(
    *, by, finding: Finding, version: int | None, plan: str, responsible_person=None, on=None, request=None
) -> Finding:
    """整改措施: the responsible side records (or, after 退回, revises) its plan; 整改中."""
    require(by, RECTIFY, **rectifiers(finding))
    row = _begin(by, finding, version, (FindingState.OPEN, FindingState.RECTIFYING), _("制定整改措施"))
    errors: dict = {}
    plan = validators.text(errors, "plan", plan, max_length=2000, required=True)
    values = {"plan": plan, "planned_on": _today(on)}
    if responsible_person is not None:
        values["responsible_person"] = validators.text(
            errors, "responsible_person", responsible_person, max_length=50, single_line=True
        )
    validators.raise_errors(errors)
    return _advance(by, row, FindingState.RECTIFYING, PLANNED, values, request=request)


def has_before_evidence(finding: Finding) -> bool:
    return finding.photos.filter(kind__in=(PhotoKind.EVIDENCE, PhotoKind.BEFORE)).exists()


def has_after_evidence(finding: Finding) -> bool:
    return finding.photos.filter(kind=PhotoKind.AFTER).exists()


@transaction.atomic
def submit_rectification(
    *,
    by,
    finding: Finding,
    version: int | None,
    result: str,
    before_photos=(),
    after_photos=(),
    on=None,
    request=None,
) -> Finding:
    """提交核验: what was done, with photos after the rectification and before it (the inspector's
    evidence photos count as before); 待核验."""
    require(by, RECTIFY, **rectifiers(finding))
    row = _begin(by, finding, version, (FindingState.RECTIFYING,), _("提交整改核验"))
    errors: dict = {}
    result = validators.text(errors, "result", result, max_length=2000, required=True)
    before = _photos(errors, "before_photos", before_photos)
    after = _photos(errors, "after_photos", after_photos)
    if not before and "before_photos" not in errors and not has_before_evidence(row):
        errors["before_photos"] = _("请上传整改前的照片")
    if not after and "after_photos" not in errors:
        errors["after_photos"] = _("请上传整改后的照片")
    validators.raise_errors(errors)
    _save_photos(row, PhotoKind.BEFORE, before)
    _save_photos(row, PhotoKind.AFTER, after)
    return _advance(
        by,
        row,
        FindingState.SUBMITTED,
        SUBMITTED,
        {"result": result, "submitted_on": _today(on)},
        request=request,
    )


def _last_submitter(finding: Finding):
    event = finding.events.filter(action=SUBMITTED).order_by("-at", "-id").first()
    return event.actor_id if event else None


@transaction.atomic
def close_finding(
    *, by, finding: Finding, version: int | None, note: str = "", on=None, request=None
) -> Finding:
    """销号: the inspector or the county verifies the rectification and closes the finding. Refused
    without before and after photos, and to the person who submitted it."""
    require(by, VERIFY, code=finding.division_id, own=True)
    row = _begin(by, finding, version, (FindingState.SUBMITTED,), _("核验销号"))
    errors: dict = {}
    note = validators.text(errors, "note", note, max_length=500)
    validators.raise_errors(errors)
    reasons = []
    if not has_before_evidence(row) or not has_after_evidence(row):
        reasons.append(_("销号需要整改前、后的照片作为佐证"))
    if by is not None and _last_submitter(row) == by.pk:
        reasons.append(_("核验人不能是提交整改的人"))
    if reasons:
        raise TransitionRefused(reasons)
    return _advance(
        by, row, FindingState.CLOSED, CLOSED, {"closed_on": _today(on)}, reason=note, request=request
    )


@transaction.atomic
def send_back(*, by, finding: Finding, version: int | None, reasons, request=None) -> Finding:
    """退回: the rectification falls short; back to 整改中 with every reason."""
    require(by, VERIFY, code=finding.division_id, own=True)
    row = _begin(by, finding, version, (FindingState.SUBMITTED,), _("退回整改"))
    errors: dict = {}
    listed = _reasons(errors, reasons)
    validators.raise_errors(errors)
    return _advance(
        by,
        row,
        FindingState.RECTIFYING,
        SENT_BACK,
        {"submitted_on": None},
        reason="\n".join(listed),
        request=request,
    )


def _superior(finding: Finding) -> tuple:
    """(unit, division) a red finding goes up to: the responsible unit's superior, else the
    division above the finding's."""
    unit = finding.responsible_unit
    if unit is not None and unit.parent_id:
        return unit.parent, None
    return None, finding.division.parent


@transaction.atomic
def escalate_findings(*, today: datetime.date | None = None) -> dict:
    """The deadline check (nightly, the system's): each unclosed finding turns orange once (临期提醒)
    and, past its deadline, red once (逾期上报, to the superior); an event for each level reached."""
    day = _today(today)
    counts = {"warned": 0, "escalated": 0}
    open_rows = Finding._base_manager.exclude(state=FindingState.CLOSED).select_related(
        "responsible_unit__parent", "division__parent", "category"
    )
    # Each level is taken by a conditional update: a second run (or a second consumer) finds the
    # level already reached and writes nothing, so every level is marked and told once.
    for finding in open_rows.filter(soon_from__lte=day, escalation__lt=Escalation.WARNED):
        if not Finding._base_manager.filter(pk=finding.pk, escalation__lt=Escalation.WARNED).update(
            escalation=Escalation.WARNED
        ):
            continue
        FindingEvent.objects.create(
            finding=finding,
            from_status=finding.state,
            to_status=finding.state,
            action=WARNED,
            reason=_("距整改时限%(date)s不足%(n)d天")
            % {"date": finding.deadline.isoformat(), "n": finding.category.soon_days},
        )
        counts["warned"] += 1
    for finding in open_rows.filter(deadline__lt=day, escalation__lt=Escalation.ESCALATED):
        unit, division = _superior(finding)
        if not Finding._base_manager.filter(pk=finding.pk, escalation__lt=Escalation.ESCALATED).update(
            escalation=Escalation.ESCALATED, escalated_unit=unit, escalated_division=division
        ):
            continue
        to = unit or division
        reason = _("已超过整改时限%(date)s") % {"date": finding.deadline.isoformat()}
        if to is not None:
            reason += _(",上报%(to)s") % {"to": to}
        FindingEvent.objects.create(
            finding=finding,
            from_status=finding.state,
            to_status=finding.state,
            action=ESCALATED,
            reason=reason,
        )
        counts["escalated"] += 1
    return counts


# --- inspections ---------------------------------------------------------------------------------


@transaction.atomic
def create_inspection(
    *,
    by,
    kind: str,
    title: str,
    area,
    start,
    end,
    plan: str = "",
    places=(),
    inspectors=(),
    checklist: Checklist | None = None,
    request=None,
) -> Inspection:
    """A 暗访 / 明查 of `area` (a Region) from `start` to `end`, at `places` (Regions inside it)."""
    errors: dict = {}
    if area is None:
        errors["area"] = _("请选择督查范围")
    else:
        require(by, INSPECT, code=area.code, own=True)
    if kind not in InspectionKind.values:
        errors["kind"] = _("无效的督查方式")
    title = validators.text(errors, "title", title, max_length=100, required=True, single_line=True)
    plan = validators.text(errors, "plan", plan, max_length=4000)
    first = _date(errors, "start", start)
    last = _date(errors, "end", end)
    if first and last and last < first:
        errors["end"] = _("结束日期不能早于开始日期")
    places = list(places or ())
    if area is not None and any(not p.code.startswith(area.code) for p in places):
        errors["places"] = _("督查地点须在督查范围内")
    if checklist is not None and not checklist.active:
        errors["checklist"] = _("该督查清单已停用")
    validators.raise_errors(errors)
    inspection = Inspection.objects.create(
        kind=kind,
        title=title,
        plan=plan,
        area=area,
        start=first,
        end=last,
        checklist=checklist,
        created_by=by,
    )
    inspection.places.set(places)
    inspection.inspectors.set(list(inspectors or ()))
    _audit(by, request, inspection, AuditAction.CREATE, area.code)
    return inspection


@transaction.atomic
def record_check(
    *,
    by,
    inspection: Inspection,
    item: ChecklistItem,
    division,
    result: str,
    note: str = "",
    open_finding: bool = False,
    finding: dict | None = None,
    request=None,
) -> tuple[CheckResultRow, Finding | None]:
    """One checklist item's result at one place (again: the latest answer stands). A failed item
    may open a finding in the same step: `finding` holds record_finding's fields (category,
    description and deadline at least; the item's category and requirement by default)."""
    require(by, INSPECT, code=inspection.area_id, own=True)
    errors: dict = {}
    if item.checklist_id != inspection.checklist_id:
        errors["item"] = _("该检查项不属于本次督查的清单")
    if division is None or not division.code.startswith(inspection.area_id):
        errors["division"] = _("检查地点须在督查范围内")
    if result not in CheckResult.values:
        errors["result"] = _("无效的检查结果")
    note = validators.text(errors, "note", note, max_length=1000)
    if open_finding and result != CheckResult.FAIL:
        errors["result"] = _("只有不合格的检查项才能登记问题")
    validators.raise_errors(errors)
    # Where results were recorded is where the inspection went, whatever the plan listed.
    inspection.places.add(division)
    row, created = CheckResultRow.objects.update_or_create(
        inspection=inspection,
        item=item,
        division=division,
        defaults={"result": result, "note": note, "recorded_by": by},
    )
    made = None
    if open_finding:
        fields = dict(finding or {})
        fields.setdefault("category", item.category)
        fields.setdefault("requirement", item.requirement)
        fields.setdefault("description", note or item.text)
        made = record_finding(
            by=by, division=division, inspection=inspection, check_item=item, request=request, **fields
        )
    _audit(by, request, row, AuditAction.CREATE if created else AuditAction.UPDATE, division.code)
    return row, made


@transaction.atomic
def finish_inspection(*, by, inspection: Inspection, version: int | None, request=None) -> Inspection:
    require(by, INSPECT, code=inspection.area_id, own=True)
    row = Inspection._base_manager.select_for_update().get(pk=inspection.pk)
    if version is not None and row.version != version:
        raise StaleVersion()
    if row.state != InspectionState.PLANNED:
        raise TransitionRefused([_("该次督查已完成")])
    before = audit_snapshot(row)
    update_if_current(row, row.version, {"state": InspectionState.DONE})
    row.refresh_from_db()
    _audit(by, request, row, AuditAction.UPDATE, row.area_id, before)
    return row


# --- plans, goals, measures, tasks ---------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    by,
    title: str,
    area,
    start_year: int,
    end_year: int,
    issuer=None,
    description: str = "",
    soon_days: int = 7,
    request=None,
) -> Plan:
    errors: dict = {}
    if area is None:
        errors["area"] = _("请选择适用范围")
    else:
        require(by, MANAGE_PLAN, code=area.code, own=True)
    title = validators.text(errors, "title", title, max_length=100, required=True, single_line=True)
    description = validators.text(errors, "description", description, max_length=4000)
    first = validators.year(errors, "start_year", start_year, latest=2100)
    last = validators.year(errors, "end_year", end_year, latest=2100)
    if first and last and last < first:
        errors["end_year"] = _("截止年度不能早于起始年度")
    validators.raise_errors(errors)
    plan = Plan.objects.create(
        title=title,
        area=area,
        start_year=first,
        end_year=last,
        issuer=issuer,
        description=description,
        soon_days=soon_days,
    )
    _audit(by, request, plan, AuditAction.CREATE, area.code)
    return plan


@transaction.atomic
def add_goal(*, by, plan: Plan, order: int, title: str, request=None) -> Goal:
    require(by, MANAGE_PLAN, code=plan.area_id, own=True)
    errors: dict = {}
    title = validators.text(errors, "title", title, max_length=200, required=True, single_line=True)
    if plan.goals.filter(order=order).exists():
        errors["order"] = _("该序号已存在")
    validators.raise_errors(errors)
    goal = Goal.objects.create(plan=plan, order=order, title=title)
    _audit(by, request, goal, AuditAction.CREATE, plan.area_id)
    return goal


@transaction.atomic
def add_measure(*, by, goal: Goal, order: int, title: str, request=None) -> Measure:
    require(by, MANAGE_PLAN, code=goal.plan.area_id, own=True)
    errors: dict = {}
    title = validators.text(errors, "title", title, max_length=200, required=True, single_line=True)
    if goal.measures.filter(order=order).exists():
        errors["order"] = _("该序号已存在")
    validators.raise_errors(errors)
    measure = Measure.objects.create(goal=goal, order=order, title=title)
    _audit(by, request, measure, AuditAction.CREATE, goal.plan.area_id)
    return measure


@transaction.atomic
def add_task(
    *,
    by,
    measure: Measure,
    order: int,
    title: str,
    lead_unit,
    deadline,
    responsible_unit=None,
    request=None,
) -> Task:
    plan = measure.goal.plan
    require(by, MANAGE_PLAN, code=plan.area_id, own=True)
    errors: dict = {}
    title = validators.text(errors, "title", title, max_length=300, required=True, single_line=True)
    if lead_unit is None:
        errors["lead_unit"] = _("请选择牵头单位")
    due = _date(errors, "deadline", deadline)
    if measure.tasks.filter(order=order).exists():
        errors["order"] = _("该序号已存在")
    validators.raise_errors(errors)
    task = Task.objects.create(
        plan=plan,
        measure=measure,
        order=order,
        title=title,
        lead_unit=lead_unit,
        responsible_unit=responsible_unit,
        deadline=due,
        soon_from=soon_from(due, plan.soon_days),
    )
    TaskEvent.objects.create(task=task, actor=by, from_status="", to_status=TaskState.NOT_STARTED)
    _audit(by, request, task, AuditAction.CREATE, plan.area_id)
    return task


def task_keepers(task: Task) -> dict:
    """Who reports on a task: its lead and responsible units, and the plan's area (own scopes)."""
    return {
        "code": task.plan.area_id,
        "unit_id": [u for u in (task.lead_unit_id, task.responsible_unit_id) if u],
        "own": True,
    }


@transaction.atomic
def report_task(
    *,
    by,
    task: Task,
    version: int | None,
    progress: int,
    note: str,
    reported_on=None,
    photo=None,
    request=None,
) -> TaskReport:
    """A progress report (进展) with its evidence; 100% completes the task, anything less keeps it
    (or puts it) 进行中."""
    require(by, REPORT_TASK, **task_keepers(task))
    row = Task._base_manager.select_for_update().get(pk=task.pk)
    if version is not None and row.version != version:
        raise StaleVersion()
    errors: dict = {}
    if row.state == TaskState.DONE:
        raise TransitionRefused([_("该任务已完成")])
    note = validators.text(errors, "note", note, max_length=2000, required=True)
    try:
        percent = int(progress)
        if not 0 <= percent <= 100:
            raise ValueError
    except (TypeError, ValueError):
        errors["progress"] = _("完成进度应为0到100之间的整数")
        percent = 0
    day = _date(errors, "reported_on", reported_on, required=False) or _today()
    checked = _photos(errors, "photo", [photo] if photo else [])
    validators.raise_errors(errors)
    report = TaskReport.objects.create(
        task=row, reported_on=day, progress=percent, note=note, photo=checked[0][0] if checked else "", by=by
    )
    to = TaskState.DONE if percent == 100 else TaskState.IN_PROGRESS
    before = audit_snapshot(row)
    old = row.state
    update_if_current(
        row,
        row.version,
        {"progress": percent, "state": to, "completed_on": day if to == TaskState.DONE else None},
    )
    row.refresh_from_db()
    if old != to:
        TaskEvent.objects.create(task=row, actor=by, from_status=old, to_status=to, reason=note[:200])
    _audit(by, request, row, AuditAction.UPDATE, row.plan.area_id, before)
    return report


# --- assessment: an assisting unit's year against its six 责任书 indicators -------------------------

# The indicators in the 责任书's order, with their points (100 in all); labels as outcomes names them.
PLEDGE_ITEMS = (
    ("direct_funds", _lazy("直接投入帮扶资金(元)"), Decimal(20)),
    ("brought_in_funds", _lazy("引进帮扶资金(元)"), Decimal(20)),
    ("cadres_trained", _lazy("培训基层干部(人次)"), Decimal(15)),
    ("technicians_trained", _lazy("培训技术人员(人次)"), Decimal(15)),
    ("bought", _lazy("购买农产品(元)"), Decimal(15)),
    ("sold", _lazy("帮助销售农产品(元)"), Decimal(15)),
)
POINT = Decimal("0.1")


def _suggested(max_points: Decimal, rate) -> Decimal:
    """Full points at 100% or more, in proportion below; no pledge (rate None) scores full points
    only when something was done, since nothing was promised."""
    if rate is None:
        return max_points
    return (max_points * min(Decimal(rate), Decimal(100)) / 100).quantize(POINT)


def _write_items(assessment: Assessment, rows: list[dict]) -> Decimal:
    """The checklist's lines written in place (by code), so a refreshed draft keeps each item's
    evidence and every score the assessor adjusted with a note; the suggestion follows the figures.
    Returns the total."""
    kept = {item.code: item for item in assessment.items.all()}
    total = Decimal(0)
    for fields in rows:
        item = kept.pop(fields["code"], None)
        score = fields["suggested"]
        if item is not None and item.note:
            score = min(item.score, fields["max_points"])  # the assessor's adjustment stands
        if item is None:
            AssessmentItem.objects.create(assessment=assessment, score=score, **fields)
        else:
            AssessmentItem.objects.filter(pk=item.pk).update(score=score, **fields)
        total += score
    AssessmentItem.objects.filter(pk__in=[item.pk for item in kept.values()]).delete()
    return total


@transaction.atomic
def assess_unit(*, by, unit, year: int, county, request=None) -> Assessment:
    """Open (or refresh, while a draft) a unit's assessment for `year` in `county`: each indicator's
    target (the unit's 责任书 pledge, as the assessor sees it), actual (outcomes' figures from
    records) and completion, scored in proportion; the assessor may then adjust each score."""
    errors: dict = {}
    if county is None:
        errors["county"] = _("请选择考核地区")
    else:
        require(by, ASSESS, code=county.code, own=True)
    if unit is None:
        errors["unit"] = _("请选择帮扶单位")
    number = validators.year(errors, "year", year)
    validators.raise_errors(errors)
    assessment, created = Assessment.objects.get_or_create(
        unit=unit, year=number, county=county, defaults={"assessor": by}
    )
    if assessment.state == AssessmentState.FINAL:
        raise TransitionRefused([_("该考核已定稿,不能重新计算")])
    # The pledge as the assessor sees it (outcomes' scoped list); the system (by None) reads no
    # pledge through it, so its items show actuals only.
    pledge = None
    if by is not None:
        pledge = outcomes.target_list(user=by, filters={"unit": unit, "year": number}).first()
    actuals = outcomes.indicator_actuals(unit_id=unit.pk, year=number)
    rows = []
    for order, (code, name, points) in enumerate(PLEDGE_ITEMS, start=1):
        target = getattr(pledge, code) if pledge is not None else None
        actual = actuals[code]
        rate = outcomes.completion(actual, target)
        score = _suggested(points, rate) if target or actual else Decimal(0)
        rows.append(
            {
                "order": order,
                "code": code,
                "name": str(name),
                "max_points": points,
                "target": target,
                "actual": actual,
                "rate": rate,
                "suggested": score,
            }
        )
    total = _write_items(assessment, rows)
    Assessment.objects.filter(pk=assessment.pk).update(total=total, assessor=by)
    assessment.refresh_from_db()
    _audit(by, request, assessment, AuditAction.CREATE if created else AuditAction.UPDATE, county.code)
    return assessment


def assessor_code(assessment: Assessment) -> str:
    """The division whose own scope must cover an assessor: the county itself for a unit's assessment
    (the county assesses the units assisting it); the level above for a county's assessment (the city
    or province viewer: a county never assesses itself)."""
    if assessment.kind == AssessmentKind.COUNTY:
        return assessment.county.parent_id or assessment.county_id
    return assessment.county_id


SELF_ASSESSMENT = _lazy("县级巩固成果考核由上级(市、省)考核,县不能考核本县")


def may_assess(user, assessment: Assessment) -> bool:
    from fupin.core.permissions import may

    return may(user, ASSESS, code=assessor_code(assessment), own=True)


def _require_assessor(by, assessment: Assessment) -> None:
    reason = str(SELF_ASSESSMENT) if assessment.kind == AssessmentKind.COUNTY else ""
    require(by, ASSESS, code=assessor_code(assessment), own=True, reason=reason)


def _draft(by, assessment: Assessment, refusal: str) -> Assessment:
    """The assessment's row locked, the assessor checked, refused once final."""
    row = (
        Assessment._base_manager.select_related("county")
        .select_for_update(of=("self",))
        .get(pk=assessment.pk)
    )
    _require_assessor(by, row)
    if row.state == AssessmentState.FINAL:
        raise TransitionRefused([refusal])
    return row


CENT = Decimal("0.01")


def _standard_value(by, standard, county_code: str, period: str) -> Decimal | None:
    """The standard's figure for the county from the rollup, as the assessor may read it."""
    value = reports.figure(
        by, standard.indicator, division=county_code, period=period, category=standard.category
    )
    if standard.of is None or value is None:
        return value
    code, category = standard.of
    denominator = reports.figure(by, code, division=county_code, period=period, category=category)
    if not denominator:
        return None
    return Decimal(value) * 100 / Decimal(denominator)


@transaction.atomic
def assess_county(*, by, county, year: int, request=None) -> Assessment:
    """Open (or refresh, while a draft) a county's assessment for `year` against the consolidation
    standards (supervision.standards): each standard's figure read from the rollup
    (reports.selectors.figure, as the assessor sees it), judged against its threshold; a standard met
    suggests its points, one not met none. Only the level above the county assesses it."""
    errors: dict = {}
    if county is None:
        errors["county"] = _("请选择考核地区")
    elif county.level != 3:
        errors["county"] = _("请选择到县级")
    number = validators.year(errors, "year", year)
    validators.raise_errors(errors)
    require(by, ASSESS, code=county.parent_id or county.code, own=True, reason=str(SELF_ASSESSMENT))
    assessment = Assessment.objects.filter(kind=AssessmentKind.COUNTY, county=county, year=number).first()
    created = assessment is None
    if created:
        assessment = Assessment.objects.create(
            kind=AssessmentKind.COUNTY, unit=None, county=county, year=number, assessor=by
        )
    else:
        assessment = _draft(by, assessment, _("该考核已定稿,不能重新计算"))
    rows = []
    for order, standard in enumerate(STANDARDS, start=1):
        period = standard.period_for(number)
        value = _standard_value(by, standard, county.code, period)
        met = standard.judge(value)
        rows.append(
            {
                "order": order,
                "code": standard.key,
                "name": str(standard.name),
                "max_points": standard.points,
                "target": standard.threshold,
                "actual": None if value is None else Decimal(value).quantize(CENT),
                "indicator": standard.indicator,
                "period": period,
                "comparison": standard.comparison,
                "met": met,
                "suggested": standard.points if met else Decimal(0),
            }
        )
    total = _write_items(assessment, rows)
    Assessment.objects.filter(pk=assessment.pk).update(total=total, assessor=by, computed_at=timezone.now())
    assessment.refresh_from_db()
    _audit(by, request, assessment, AuditAction.CREATE if created else AuditAction.UPDATE, county.code)
    return assessment


def refresh_assessment(*, by, assessment: Assessment, request=None) -> Assessment:
    """Compute a draft again from the records (the same service that opened it)."""
    if assessment.kind == AssessmentKind.COUNTY:
        return assess_county(by=by, county=assessment.county, year=assessment.year, request=request)
    return assess_unit(
        by=by, unit=assessment.unit, year=assessment.year, county=assessment.county, request=request
    )


@transaction.atomic
def score_item(*, by, item: AssessmentItem, score, note: str = "", request=None) -> AssessmentItem:
    """Adjust one item's score (0 to its points) with a note saying why, on a draft."""
    assessment = _draft(by, item.assessment, _("该考核已定稿,不能修改评分"))
    errors: dict = {}
    note = validators.text(errors, "note", note, max_length=200, single_line=True)
    try:
        value = Decimal(str(score)).quantize(POINT)
        if not 0 <= value <= item.max_points:
            errors["score"] = _("得分应在0到%(n)s之间") % {"n": item.max_points}
    except (ArithmeticError, ValueError):
        errors["score"] = _("请输入分数")
        value = Decimal(0)
    if not errors.get("score") and value != item.suggested and not note:
        errors["note"] = _("调整得分须写明理由")
    validators.raise_errors(errors)
    AssessmentItem.objects.filter(pk=item.pk).update(score=value, note=note)
    total = sum(assessment.items.values_list("score", flat=True), Decimal(0))
    Assessment.objects.filter(pk=assessment.pk).update(total=total)
    item.refresh_from_db()
    _audit(by, request, item, AuditAction.UPDATE, assessment.county_id)
    return item


@transaction.atomic
def finalize_assessment(*, by, assessment: Assessment, version: int | None, note: str = "", request=None):
    row = _draft(by, assessment, _("该考核已定稿"))
    if version is not None and row.version != version:
        raise StaleVersion()
    errors: dict = {}
    note = validators.text(errors, "note", note, max_length=1000)
    validators.raise_errors(errors)
    before = audit_snapshot(row)
    update_if_current(row, row.version, {"state": AssessmentState.FINAL, "note": note})
    row.refresh_from_db()
    _audit(by, request, row, AuditAction.UPDATE, row.county_id, before)
    return row


MAX_EVIDENCE = 9  # files per upload
PDF = b"%PDF-"


def check_evidence(upload) -> str:
    """The content type of an acceptable evidence file (a photo, or a PDF by its first bytes)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF):
        if upload.size > max_bytes():
            raise ValidationError(
                _("文件“%(name)s”超过 %(mb)s MB") % {"name": upload.name, "mb": max_mb()}, code="too_large"
            )
        return "application/pdf"
    if photo_type(upload) is None:
        raise ValidationError(
            _("“%(name)s”不是 JPEG、PNG、WebP 图片或 PDF 文件") % {"name": upload.name}, code="bad_type"
        )
    return check_photo(upload)


@transaction.atomic
def add_evidence(
    *, by, item: AssessmentItem, files, note: str = "", request=None
) -> list[AssessmentEvidence]:
    """佐证材料: photos or PDFs attached to an item by the assessor, while the assessment is a draft."""
    assessment = _draft(by, item.assessment, _("该考核已定稿,不能再上传佐证材料"))
    errors: dict = {}
    note = validators.text(errors, "note", note, max_length=200, single_line=True)
    uploads = [u for u in (files or ()) if u]
    checked, problems = [], []
    if not uploads:
        errors["files"] = _("请选择要上传的佐证材料")
    elif len(uploads) > MAX_EVIDENCE:
        errors["files"] = _("每次最多上传%(n)d个文件") % {"n": MAX_EVIDENCE}
    else:
        for upload in uploads:
            try:
                checked.append((upload, check_evidence(upload)))
            except ValidationError as exc:
                problems.extend(exc.messages)
    if problems:
        errors["files"] = ";".join(problems)
    validators.raise_errors(errors)
    made = []
    for upload, content_type in checked:
        name = " ".join(str(upload.name or "").split())[:100] or "file"
        if validators.has_control(name):
            name = "file"
        evidence = AssessmentEvidence.objects.create(
            item=item, file=upload, name=name, content_type=content_type, size=upload.size, note=note, by=by
        )
        _audit(by, request, evidence, AuditAction.CREATE, assessment.county_id)
        made.append(evidence)
    return made


__all__ = [
    "add_evidence",
    "add_goal",
    "add_measure",
    "add_task",
    "assess_county",
    "assess_unit",
    "close_finding",
    "create_inspection",
    "create_plan",
    "escalate_findings",
    "finalize_assessment",
    "finish_inspection",
    "plan_rectification",
    "record_check",
    "record_finding",
    "refresh_assessment",
    "report_task",
    "score_item",
    "send_back",
    "submit_rectification",
]
