"""The supervision API, through the scoping choke point: findings (the list, a finding with its
timeline, recording one, each step of the closed loop), inspections and tasks (lists, detail, a
task's progress report).

A step answers 200 with the finding as it is now; a refused step or a stale `version` 409 with every
reason, a field error 422 with one entry per field (apierrors). Recording a finding and submitting a
rectification carry photos, so they are multipart forms; the other steps are JSON.
"""

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Router, Schema
from ninja import Status as Answer
from ninja.files import UploadedFile
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, DivisionCode, Text
from fupin.core import lists
from fupin.core.permissions import require
from fupin.orgs.selectors import unit_for
from fupin.regions.models import Region
from fupin.registry.selectors import household_for
from fupin.supervision import selectors, services
from fupin.supervision.choices import FindingState, Severity, TaskState, Urgency
from fupin.supervision.lists import FINDING_PERM, FINDINGS, INSPECTION_PERM, INSPECTIONS, TASK_PERM, TASKS

router = Router(tags=["supervision"])

Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Line = Annotated[str, StringConstraints(max_length=100, pattern=r"^[^\x00-\x1f]*$")]
Day = Annotated[datetime.date, Field(ge=datetime.date(2000, 1, 1), le=datetime.date(2100, 12, 31))]
Reason = Annotated[Text, StringConstraints(max_length=200)]


class SupervisionEventOut(Schema):
    at: datetime.datetime
    actor: str
    action: str
    from_status: str
    to_status: str
    reason: str


class FindingOut(Schema):
    id: int
    number: str
    description: str
    category: str
    severity: Severity
    division_code: str
    found_on: datetime.date
    deadline: datetime.date
    state: FindingState
    urgency: Urgency | None
    escalated: bool
    responsible_unit_id: int | None
    responsible_unit: str
    lead_unit_id: int | None
    responsible_person: str
    closed_on: datetime.date | None
    version: int


class FindingDetailOut(FindingOut):
    requirement: str
    notes: str
    location: str
    plan: str
    result: str
    inspection_id: int | None
    household_id: int | None
    photos: dict[str, int]
    events: list[SupervisionEventOut]


def finding_out(finding) -> dict:
    return {
        "id": finding.pk,
        "number": finding.number,
        "description": finding.description,
        "category": str(finding.category),
        "severity": finding.severity,
        "division_code": finding.division_id,
        "found_on": finding.found_on,
        "deadline": finding.deadline,
        "state": finding.state,
        "urgency": selectors.urgency_of(finding) or None,
        "escalated": finding.escalation >= 2,
        "responsible_unit_id": finding.responsible_unit_id,
        "responsible_unit": str(finding.responsible_unit or ""),
        "lead_unit_id": finding.lead_unit_id,
        "responsible_person": finding.responsible_person,
        "closed_on": finding.closed_on,
        "version": finding.version,
    }


def finding_detail_out(finding) -> dict:
    finding = selectors.finding_for(None, finding.pk)  # as it is now
    counts: dict[str, int] = {}
    for photo in selectors.photos(finding):
        counts[photo.kind] = counts.get(photo.kind, 0) + 1
    return {
        **finding_out(finding),
        "requirement": finding.requirement,
        "notes": finding.notes,
        "location": finding.location,
        "plan": finding.plan,
        "result": finding.result,
        "inspection_id": finding.inspection_id,
        "household_id": finding.household_id,
        "photos": counts,
        "events": [
            {
                "at": e.at,
                "actor": (e.actor.full_name or e.actor.username) if e.actor else "",
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "reason": e.reason,
            }
            for e in selectors.timeline(finding)
        ],
    }


def _finding(request, finding_id: int):
    require(request, FINDING_PERM)
    return selectors.finding_or_404(request.user, finding_id)


lists.api_list(router, "/findings", FINDINGS, FindingOut, summary="督查问题列表", serialize=finding_out)


class FindingIn(Schema):
    division_code: DivisionCode
    category_id: DbId
    description: Annotated[Text, StringConstraints(min_length=1)]
    deadline: Day
    # Optional rather than defaulted: a defaulted enum is written inline in the OpenAPI document
    # (allOf), unlike its component elsewhere; omitted means 一般.
    severity: Severity | None = None
    requirement: Text = ""
    notes: Text = ""
    location: Line = ""
    found_on: Day | None = None
    responsible_unit_id: DbId | None = None
    lead_unit_id: DbId | None = None
    assisting_unit_id: DbId | None = None
    responsible_person: Line = ""
    household_id: DbId | None = None


def _resolve(request, payload: FindingIn) -> dict:
    """The ids of a new finding as records, each in the caller's scope; a 422 names any that is not."""
    errors = {}
    division = Region.objects.filter(code=payload.division_code).first()
    if division is None:
        errors["division_code"] = _("行政区划不存在")
    category = selectors.categories().filter(pk=payload.category_id).first()
    if category is None:
        errors["category_id"] = _("问题类别不存在或已停用")
    units = {}
    for name in ("responsible_unit", "lead_unit", "assisting_unit"):
        pk = getattr(payload, f"{name}_id")
        units[name] = unit_for(request.user, pk) if pk else None
        if pk and units[name] is None:
            errors[f"{name}_id"] = _("所选单位不存在或不在您的数据范围内")
    household = None
    if payload.household_id:
        household = household_for(request.user, pk=payload.household_id)
        if household is None:
            errors["household_id"] = _("所选农户不存在或不在您的数据范围内")
    if errors:
        raise ValidationError(errors)
    return {"division": division, "category": category, "household": household, **units}


ALIASES = {
    "division": "division_code",
    "category": "category_id",
    "household": "household_id",
    "responsible_unit": "responsible_unit_id",
    "lead_unit": "lead_unit_id",
}


@router.post(
    "/findings",
    response={201: FindingDetailOut, **WRITE_ERRORS},
    summary="登记督查问题(可附取证照片,multipart)",
)
def record_finding(request: HttpRequest, payload: Form[FindingIn], photos: File[list[UploadedFile]] = None):
    require(request, services.RECORD)
    try:
        records = _resolve(request, payload)
        finding = services.record_finding(
            by=request.user,
            description=payload.description,
            deadline=payload.deadline,
            severity=payload.severity or Severity.GENERAL,
            requirement=payload.requirement,
            notes=payload.notes,
            location=payload.location,
            found_on=payload.found_on,
            responsible_person=payload.responsible_person,
            photos=photos or [],
            request=request,
            **records,
        )
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(201, finding_detail_out(finding))


@router.get("/findings/{finding_id}", response=FindingDetailOut, summary="督查问题详情(含办理记录)")
def get_finding(request: HttpRequest, finding_id: Path[DbId]):
    return finding_detail_out(_finding(request, finding_id))


def _run(write, finding):
    try:
        write()
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(200, finding_detail_out(finding))


class StepIn(Schema):
    version: Version


class PlanIn(StepIn):
    plan: Annotated[Text, StringConstraints(min_length=1)]
    responsible_person: Line | None = None


class SubmitIn(Schema):
    """A multipart form: every field optional for the parser, so an out-of-scope finding answers 404
    before its fields are judged (the service then names each missing one in a 422)."""

    version: Version | None = None
    result: Text = ""


class CloseIn(StepIn):
    note: Annotated[Text, StringConstraints(max_length=500)] = ""


class SendBackIn(StepIn):
    reasons: list[Reason] = Field(min_length=1, max_length=20)


@router.post(
    "/findings/{finding_id}/plan", response={200: FindingDetailOut, **WRITE_ERRORS}, summary="制定整改措施"
)
def finding_plan(request: HttpRequest, finding_id: Path[DbId], payload: PlanIn):
    finding = _finding(request, finding_id)
    return _run(
        lambda: services.plan_rectification(
            by=request.user,
            finding=finding,
            version=payload.version,
            plan=payload.plan,
            responsible_person=payload.responsible_person,
            request=request,
        ),
        finding,
    )


@router.post(
    "/findings/{finding_id}/submit",
    response={200: FindingDetailOut, **WRITE_ERRORS},
    summary="提交整改核验(整改前后照片,multipart)",
)
def finding_submit(
    request: HttpRequest,
    finding_id: Path[DbId],
    payload: Form[SubmitIn],
    before_photos: File[list[UploadedFile]] = None,
    after_photos: File[list[UploadedFile]] = None,
):
    finding = _finding(request, finding_id)
    if payload.version is None:
        return service_error(ValidationError({"version": _("此项为必填项")}))
    return _run(
        lambda: services.submit_rectification(
            by=request.user,
            finding=finding,
            version=payload.version,
            result=payload.result,
            before_photos=before_photos or [],
            after_photos=after_photos or [],
            request=request,
        ),
        finding,
    )


@router.post(
    "/findings/{finding_id}/close", response={200: FindingDetailOut, **WRITE_ERRORS}, summary="核验销号"
)
def finding_close(request: HttpRequest, finding_id: Path[DbId], payload: CloseIn):
    finding = _finding(request, finding_id)
    return _run(
        lambda: services.close_finding(
            by=request.user, finding=finding, version=payload.version, note=payload.note, request=request
        ),
        finding,
    )


@router.post(
    "/findings/{finding_id}/send-back", response={200: FindingDetailOut, **WRITE_ERRORS}, summary="退回整改"
)
def finding_send_back(request: HttpRequest, finding_id: Path[DbId], payload: SendBackIn):
    finding = _finding(request, finding_id)
    return _run(
        lambda: services.send_back(
            by=request.user,
            finding=finding,
            version=payload.version,
            reasons=payload.reasons,
            request=request,
        ),
        finding,
    )


# --- inspections ----------------------------------------------------------------------------------


class InspectionOut(Schema):
    id: int
    kind: str
    title: str
    area_code: str
    start: datetime.date
    end: datetime.date
    state: str
    checklist: str


class CheckResultOut(Schema):
    item: str
    division_code: str
    result: str
    note: str


class InspectionDetailOut(InspectionOut):
    plan: str
    places: list[str]
    results: list[CheckResultOut]
    finding_ids: list[int]


def inspection_out(inspection) -> dict:
    return {
        "id": inspection.pk,
        "kind": inspection.kind,
        "title": inspection.title,
        "area_code": inspection.area_id,
        "start": inspection.start,
        "end": inspection.end,
        "state": inspection.state,
        "checklist": str(inspection.checklist or ""),
    }


lists.api_list(
    router, "/inspections", INSPECTIONS, InspectionOut, summary="督查列表", serialize=inspection_out
)


@router.get("/inspections/{inspection_id}", response=InspectionDetailOut, summary="督查详情(含检查结果)")
def get_inspection(request: HttpRequest, inspection_id: Path[DbId]):
    require(request, INSPECTION_PERM)
    inspection = selectors.inspection_or_404(request.user, inspection_id)
    return {
        **inspection_out(inspection),
        "plan": inspection.plan,
        "places": list(inspection.places.values_list("code", flat=True)),
        "results": [
            {"item": r.item.text, "division_code": r.division_id, "result": r.result, "note": r.note}
            for r in selectors.inspection_results(inspection)
        ],
        "finding_ids": list(inspection.findings.values_list("pk", flat=True)),
    }


# --- tasks ----------------------------------------------------------------------------------------


class TaskOut(Schema):
    id: int
    plan_id: int
    goal: str
    measure: str
    title: str
    lead_unit_id: int
    lead_unit: str
    responsible_unit_id: int | None
    responsible_unit: str
    deadline: datetime.date
    state: TaskState
    progress: int
    urgency: Urgency | None
    version: int


def task_out(task) -> dict:
    return {
        "id": task.pk,
        "plan_id": task.plan_id,
        "goal": task.measure.goal.title,
        "measure": task.measure.title,
        "title": task.title,
        "lead_unit_id": task.lead_unit_id,
        "lead_unit": str(task.lead_unit),
        "responsible_unit_id": task.responsible_unit_id,
        "responsible_unit": str(task.responsible_unit or ""),
        "deadline": task.deadline,
        "state": task.state,
        "progress": task.progress,
        "urgency": selectors.urgency_of(task) or None,
        "version": task.version,
    }


lists.api_list(router, "/tasks", TASKS, TaskOut, summary="任务列表", serialize=task_out)


def _task(request, task_id: int):
    require(request, TASK_PERM)
    return selectors.task_or_404(request.user, task_id)


@router.get("/tasks/{task_id}", response=TaskOut, summary="任务详情")
def get_task(request: HttpRequest, task_id: Path[DbId]):
    return task_out(_task(request, task_id))


class TaskReportIn(StepIn):
    progress: Annotated[int, Field(ge=0, le=100)]
    note: Annotated[Text, StringConstraints(min_length=1)]
    reported_on: Day | None = None


@router.post("/tasks/{task_id}/report", response={200: TaskOut, **WRITE_ERRORS}, summary="报告任务进展")
def task_report(request: HttpRequest, task_id: Path[DbId], payload: TaskReportIn):
    task = _task(request, task_id)
    try:
        services.report_task(
            by=request.user,
            task=task,
            version=payload.version,
            progress=payload.progress,
            note=payload.note,
            reported_on=payload.reported_on,
            request=request,
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, task_out(selectors.task_for(None, task.pk)))


__all__ = ["router"]
