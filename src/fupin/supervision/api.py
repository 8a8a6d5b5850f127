"""The supervision API, through the scoping choke point: findings (the list, a finding with its
timeline, recording one, each step of the closed loop), inspections and tasks (lists, detail, a
task's progress report).

A step answers 200 with the finding as it is now; a refused step or a stale `version` 409 with every
reason, a field error 422 with one entry per field (apierrors). Recording a finding and submitting a
rectification carry photos, so they are multipart forms; the other steps are JSON.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Router, Schema
from ninja import Status as Answer
from ninja.files import UploadedFile
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, DivisionCode, Text
from fupin.core import lists
from fupin.core.permissions import require
from fupin.core.scoping import scope_of
from fupin.orgs.selectors import unit_for
from fupin.regions.models import Region
from fupin.registry.selectors import household_for
from fupin.supervision import selectors, services
from fupin.supervision.choices import (
    AssessmentKind,
    AssessmentState,
    FindingState,
    Severity,
    TaskState,
    Urgency,
)
from fupin.supervision.lists import (
    ASSESSMENT_PERM,
    ASSESSMENTS,
    FINDING_PERM,
    FINDINGS,
    INSPECTION_PERM,
    INSPECTIONS,
    TASK_PERM,
    TASKS,
)

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


def _write(call, out, *, status: int = 200, aliases: dict[str, str] | None = None) -> Answer:
    """Every write of this API: `call()` runs the service (and any check that refuses like one), the
    answer is `status` with `out(what it returned)` — the object as it is now — or the refusal, 409
    or 422 (apierrors.service_error, the service's field names renamed by `aliases`)."""
    try:
        done = call()
    except REFUSALS as exc:
        return service_error(exc, aliases)
    return Answer(status, out(done))


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
    return _write(
        lambda: services.record_finding(
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
            **_resolve(request, payload),
        ),
        finding_detail_out,
        status=201,
        aliases=ALIASES,
    )


@router.get("/findings/{finding_id}", response=FindingDetailOut, summary="督查问题详情(含办理记录)")
def get_finding(request: HttpRequest, finding_id: Path[DbId]):
    return finding_detail_out(_finding(request, finding_id))


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
    return _write(
        lambda: services.plan_rectification(
            by=request.user,
            finding=finding,
            version=payload.version,
            plan=payload.plan,
            responsible_person=payload.responsible_person,
            request=request,
        ),
        finding_detail_out,
        aliases=ALIASES,
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
    return _write(
        lambda: services.submit_rectification(
            by=request.user,
            finding=finding,
            version=payload.version,
            result=payload.result,
            before_photos=before_photos or [],
            after_photos=after_photos or [],
            request=request,
        ),
        finding_detail_out,
        aliases=ALIASES,
    )


@router.post(
    "/findings/{finding_id}/close", response={200: FindingDetailOut, **WRITE_ERRORS}, summary="核验销号"
)
def finding_close(request: HttpRequest, finding_id: Path[DbId], payload: CloseIn):
    finding = _finding(request, finding_id)
    return _write(
        lambda: services.close_finding(
            by=request.user, finding=finding, version=payload.version, note=payload.note, request=request
        ),
        finding_detail_out,
        aliases=ALIASES,
    )


@router.post(
    "/findings/{finding_id}/send-back", response={200: FindingDetailOut, **WRITE_ERRORS}, summary="退回整改"
)
def finding_send_back(request: HttpRequest, finding_id: Path[DbId], payload: SendBackIn):
    finding = _finding(request, finding_id)
    return _write(
        lambda: services.send_back(
            by=request.user,
            finding=finding,
            version=payload.version,
            reasons=payload.reasons,
            request=request,
        ),
        finding_detail_out,
        aliases=ALIASES,
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
    return _write(
        lambda: services.report_task(
            by=request.user,
            task=task,
            version=payload.version,
            progress=payload.progress,
            note=payload.note,
            reported_on=payload.reported_on,
            request=request,
        ),
        lambda report: task_out(selectors.task_for(None, report.task_id)),
    )


# --- assessments (考核) ----------------------------------------------------------------------------


class SupAssessmentOut(Schema):
    id: int
    kind: AssessmentKind
    unit_id: int | None
    unit: str
    county_code: str
    county: str
    year: int
    state: AssessmentState
    total: Decimal
    version: int


class SupEvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    note: str
    url: str


class SupAssessmentItemOut(Schema):
    id: int
    order: int
    code: str
    name: str
    max_points: Decimal
    indicator: str
    period: str
    comparison: str
    target: Decimal | None
    actual: Decimal | None
    rate: Decimal | None
    met: bool | None
    suggested: Decimal
    score: Decimal
    note: str
    evidence: list[SupEvidenceOut]


class SupAssessmentDetailOut(SupAssessmentOut):
    note: str
    computed_at: datetime.datetime | None
    items: list[SupAssessmentItemOut]


def assessment_out(assessment) -> dict:
    return {
        "id": assessment.pk,
        "kind": assessment.kind,
        "unit_id": assessment.unit_id,
        "unit": str(assessment.unit or ""),
        "county_code": assessment.county_id,
        "county": str(assessment.county),
        "year": assessment.year,
        "state": assessment.state,
        "total": assessment.total,
        "version": assessment.version,
    }


def assessment_detail_out(assessment) -> dict:
    items = []
    for item in selectors.assessment_items(assessment):
        items.append(
            {
                **{
                    name: getattr(item, name)
                    for name in (
                        "order",
                        "code",
                        "name",
                        "max_points",
                        "indicator",
                        "period",
                        "comparison",
                        "target",
                        "actual",
                        "rate",
                        "met",
                        "suggested",
                        "score",
                        "note",
                    )
                },
                "id": item.pk,
                "evidence": [
                    {
                        "id": e.pk,
                        "name": e.name,
                        "content_type": e.content_type,
                        "size": e.size,
                        "note": e.note,
                        "url": reverse("supervision:evidence_file", args=[e.pk]),
                    }
                    for e in item.evidence.all()
                ],
            }
        )
    return {
        **assessment_out(assessment),
        "note": assessment.note,
        "computed_at": assessment.computed_at,
        "items": items,
    }


lists.api_list(
    router, "/assessments", ASSESSMENTS, SupAssessmentOut, summary="考核列表", serialize=assessment_out
)


def _assessment(request, assessment_id: int):
    require(request, ASSESSMENT_PERM)
    return selectors.assessment_or_404(request.user, assessment_id)


def _now(assessment) -> dict:
    return assessment_detail_out(selectors.assessment_or_404(None, assessment.pk))


class SupAssessmentIn(Schema):
    kind: AssessmentKind
    county_code: DivisionCode
    year: Annotated[int, Field(ge=2000, le=2100)]
    unit_id: DbId | None = None


def _division_in_scope(request, code: str):
    """The division `code` if the caller's scope covers it (None: no such division); out of scope
    answers as missing (404), the choke point's rule."""
    if not scope_of(request.user).covers_code(code):
        raise Http404
    return Region.objects.filter(code=code).first()


@router.post(
    "/assessments",
    response={200: SupAssessmentDetailOut, 201: SupAssessmentDetailOut, **WRITE_ERRORS},
    summary="新建考核或按最新数据重新计算评分稿(帮扶单位或县级)",
)
def assessment_create(request: HttpRequest, payload: SupAssessmentIn):
    require(request, services.ASSESS)
    county = _division_in_scope(request, payload.county_code)
    try:
        if county is None:
            raise ValidationError({"county": _("行政区划不存在")})
        if payload.kind == AssessmentKind.COUNTY:
            if payload.unit_id:
                raise ValidationError({"unit_id": _("县级考核不填帮扶单位")})
            existed = selectors.assessment_list(user=request.user, kind=payload.kind, division=county.code)
            existed = existed.filter(year=payload.year, county=county).exists()
            assessment = services.assess_county(
                by=request.user, county=county, year=payload.year, request=request
            )
        else:
            unit = unit_for(request.user, payload.unit_id) if payload.unit_id else None
            if unit is None:
                raise ValidationError({"unit_id": _("所选单位不存在或不在您的数据范围内")})
            existed = selectors.assessment_list(user=request.user, unit=unit, year=payload.year)
            existed = existed.filter(county=county).exists()
            assessment = services.assess_unit(
                by=request.user, unit=unit, year=payload.year, county=county, request=request
            )
    except REFUSALS as exc:
        return service_error(exc, {"county": "county_code", "unit": "unit_id"})
    return Answer(200 if existed else 201, _now(assessment))


@router.get(
    "/assessments/{assessment_id}", response=SupAssessmentDetailOut, summary="考核详情(含各项评分和佐证材料)"
)
def get_assessment(request: HttpRequest, assessment_id: Path[DbId]):
    return assessment_detail_out(_assessment(request, assessment_id))


@router.post(
    "/assessments/{assessment_id}/refresh",
    response={200: SupAssessmentDetailOut, **WRITE_ERRORS},
    summary="按最新数据重新计算评分稿",
)
def assessment_refresh(request: HttpRequest, assessment_id: Path[DbId]):
    assessment = _assessment(request, assessment_id)
    return _write(
        lambda: services.refresh_assessment(by=request.user, assessment=assessment, request=request),
        lambda _: _now(assessment),
    )


def _item(assessment, item_id: int):
    item = selectors.assessment_item_for(assessment, item_id)
    if item is None:
        raise Http404
    return item


class SupScoreIn(Schema):
    score: Annotated[Decimal, Field(ge=0, le=100, decimal_places=1)]
    note: Reason = ""


@router.post(
    "/assessments/{assessment_id}/items/{item_id}/score",
    response={200: SupAssessmentDetailOut, **WRITE_ERRORS},
    summary="调整一项得分(与建议得分不同时须写明理由)",
)
def assessment_score(
    request: HttpRequest, assessment_id: Path[DbId], item_id: Path[DbId], payload: SupScoreIn
):
    assessment = _assessment(request, assessment_id)
    item = _item(assessment, item_id)
    return _write(
        lambda: services.score_item(
            by=request.user, item=item, score=payload.score, note=payload.note, request=request
        ),
        lambda _: _now(assessment),
    )


class SupEvidenceIn(Schema):
    """A multipart form: optional for the parser, so an out-of-scope assessment answers 404 first."""

    note: Reason = ""


@router.post(
    "/assessments/{assessment_id}/items/{item_id}/evidence",
    response={200: SupAssessmentDetailOut, **WRITE_ERRORS},
    summary="上传一项的佐证材料(照片或 PDF,multipart)",
)
def assessment_evidence(
    request: HttpRequest,
    assessment_id: Path[DbId],
    item_id: Path[DbId],
    payload: Form[SupEvidenceIn],
    files: File[list[UploadedFile]] = None,
):
    assessment = _assessment(request, assessment_id)
    item = _item(assessment, item_id)
    return _write(
        lambda: services.add_evidence(
            by=request.user, item=item, files=files or [], note=payload.note, request=request
        ),
        lambda _: _now(assessment),
    )


class SupFinalizeIn(StepIn):
    note: Annotated[Text, StringConstraints(max_length=1000)] = ""


@router.post(
    "/assessments/{assessment_id}/finalize",
    response={200: SupAssessmentDetailOut, **WRITE_ERRORS},
    summary="考核定稿(定稿后不能再修改)",
)
def assessment_finalize(request: HttpRequest, assessment_id: Path[DbId], payload: SupFinalizeIn):
    assessment = _assessment(request, assessment_id)
    return _write(
        lambda: services.finalize_assessment(
            by=request.user,
            assessment=assessment,
            version=payload.version,
            note=payload.note,
            request=request,
        ),
        lambda _: _now(assessment),
    )


# --- plans: plan → goals → measures → tasks -------------------------------------------------------


class PlanPartOut(Schema):
    id: int
    order: int
    title: str


class PlanMeasureOut(PlanPartOut):
    tasks: list[TaskOut]


class PlanGoalOut(PlanPartOut):
    measures: list[PlanMeasureOut]


class WorkPlanOut(Schema):
    id: int
    title: str
    area_code: str
    issuer_id: int | None
    start_year: int
    end_year: int
    description: str
    soon_days: int
    version: int
    goals: list[PlanGoalOut]


def plan_out(plan) -> dict:
    return {
        "id": plan.pk,
        "title": plan.title,
        "area_code": plan.area_id,
        "issuer_id": plan.issuer_id,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "description": plan.description,
        "soon_days": plan.soon_days,
        "version": plan.version,
        "goals": [
            {
                "id": goal.pk,
                "order": goal.order,
                "title": goal.title,
                "measures": [
                    {
                        "id": measure.pk,
                        "order": measure.order,
                        "title": measure.title,
                        "tasks": [task_out(task) for task in measure.tasks.all()],
                    }
                    for measure in goal.measures.all()
                ],
            }
            for goal in selectors.plan_tree(plan)
        ],
    }


PLAN_PERM = "supervision.view_plan"


class WorkPlanIn(Schema):
    title: Line
    area_code: DivisionCode
    start_year: Annotated[int, Field(ge=2000, le=2100)]
    end_year: Annotated[int, Field(ge=2000, le=2100)]
    issuer_unit_id: DbId | None = None
    description: Annotated[Text, StringConstraints(max_length=4000)] = ""
    soon_days: Annotated[int, Field(ge=0, le=365)] = 7


@router.post("/plans", response={201: WorkPlanOut, **WRITE_ERRORS}, summary="制定工作计划")
def plan_create(request: HttpRequest, payload: WorkPlanIn):
    require(request, services.MANAGE_PLAN)
    area = _division_in_scope(request, payload.area_code)

    def create():
        issuer = None
        if payload.issuer_unit_id:
            issuer = unit_for(request.user, payload.issuer_unit_id)
            if issuer is None:
                raise ValidationError({"issuer_unit_id": _("所选单位不存在或不在您的数据范围内")})
        if area is None:
            raise ValidationError({"area_code": _("行政区划不存在")})
        return services.create_plan(
            by=request.user,
            title=payload.title,
            area=area,
            start_year=payload.start_year,
            end_year=payload.end_year,
            issuer=issuer,
            description=payload.description,
            soon_days=payload.soon_days,
            request=request,
        )

    return _write(create, plan_out, status=201, aliases={"area": "area_code"})


@router.get("/plans/{plan_id}", response=WorkPlanOut, summary="工作计划详情(目标、措施、任务)")
def get_plan(request: HttpRequest, plan_id: Path[DbId]):
    require(request, PLAN_PERM)
    return plan_out(selectors.plan_or_404(request.user, plan_id))


class PlanPartIn(Schema):
    """A goal or a measure; without `order` it goes after the last."""

    order: Annotated[int, Field(ge=1, le=999)] | None = None
    title: Annotated[Text, StringConstraints(min_length=1, max_length=200)]


@router.post("/plans/{plan_id}/goals", response={201: PlanGoalOut, **WRITE_ERRORS}, summary="新增行动目标")
def goal_create(request: HttpRequest, plan_id: Path[DbId], payload: PlanPartIn):
    require(request, PLAN_PERM)
    plan = selectors.plan_or_404(request.user, plan_id)
    return _write(
        lambda: services.add_goal(
            by=request.user,
            plan=plan,
            order=payload.order or selectors.next_order(plan.goals.all()),
            title=payload.title,
            request=request,
        ),
        lambda goal: {"id": goal.pk, "order": goal.order, "title": goal.title, "measures": []},
        status=201,
    )


@router.post(
    "/goals/{goal_id}/measures", response={201: PlanMeasureOut, **WRITE_ERRORS}, summary="新增具体措施"
)
def measure_create(request: HttpRequest, goal_id: Path[DbId], payload: PlanPartIn):
    require(request, PLAN_PERM)
    goal = selectors.goal_or_404(request.user, goal_id)
    return _write(
        lambda: services.add_measure(
            by=request.user,
            goal=goal,
            order=payload.order or selectors.next_order(goal.measures.all()),
            title=payload.title,
            request=request,
        ),
        lambda measure: {"id": measure.pk, "order": measure.order, "title": measure.title, "tasks": []},
        status=201,
    )


class PlanTaskIn(Schema):
    order: Annotated[int, Field(ge=1, le=999)] | None = None
    title: Annotated[Text, StringConstraints(min_length=1, max_length=300)]
    lead_unit_id: DbId
    responsible_unit_id: DbId | None = None
    deadline: Day


@router.post("/measures/{measure_id}/tasks", response={201: TaskOut, **WRITE_ERRORS}, summary="新增任务")
def task_create(request: HttpRequest, measure_id: Path[DbId], payload: PlanTaskIn):
    require(request, PLAN_PERM)
    measure = selectors.measure_or_404(request.user, measure_id)

    def add():
        units = {}
        for name in ("lead_unit", "responsible_unit"):
            pk = getattr(payload, f"{name}_id")
            units[name] = unit_for(request.user, pk) if pk else None
            if pk and units[name] is None:
                raise ValidationError({f"{name}_id": _("所选单位不存在或不在您的数据范围内")})
        return services.add_task(
            by=request.user,
            measure=measure,
            order=payload.order or selectors.next_order(measure.tasks.all()),
            title=payload.title,
            deadline=payload.deadline,
            request=request,
            **units,
        )

    return _write(
        add,
        lambda task: task_out(selectors.task_for(None, task.pk)),
        status=201,
        aliases={"lead_unit": "lead_unit_id", "responsible_unit": "responsible_unit_id"},
    )


__all__ = ["router"]
