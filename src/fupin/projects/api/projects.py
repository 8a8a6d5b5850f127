"""The project library: projects, their workflow and events, their beneficiaries."""

import datetime
from decimal import Decimal
from functools import partial
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, patch_answer, service_error
from fupin.apitypes import DbId, DivisionCode, Text
from fupin.core import lists
from fupin.core.scoping import get_visible_or_404
from fupin.projects import selectors, services, workflow
from fupin.projects.api.common import ALIASES, Money, Name, Short, Year
from fupin.projects.lists import PROJECTS
from fupin.projects.models import Beneficiary, Category, Nature, Project
from fupin.registry.selectors import household_or_404

router = Router()

Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Households = Annotated[int, Field(ge=0, le=1_000_000)]
Score = Annotated[int, Field(ge=0, le=100)]
Days = Annotated[int, Field(ge=1, le=365)]
Action = Annotated[
    str,
    StringConstraints(pattern=r"^(propose|review|approve|reject|publicise|start|accept|complete|evaluate)$"),
]


class ProjectOut(Schema):
    id: int
    name: str
    category: str
    category_display: str
    nature: str
    place_code: str
    place_name: str
    year: int
    start_date: datetime.date | None
    end_date: datetime.date | None
    unit_id: int | None
    unit_name: str
    tasks: str
    budget: Decimal
    allocated: Decimal
    disbursed: Decimal
    beneficiaries_text: str
    target_households: int
    performance_targets: str
    benefit_mechanism: str
    status: str
    status_display: str
    expert_review_date: datetime.date | None
    expert_names: str
    expert_opinion: str
    publicity_start: datetime.date | None
    publicity_end: datetime.date | None
    evaluation_score: int | None
    version: int


class ProjectFields(Schema):
    category: Category
    nature: Nature = Nature.NEW
    year: Year
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    unit_id: DbId | None = None
    tasks: Text = ""
    budget: Money = "0"
    beneficiaries_text: Text = ""
    target_households: Households = 0
    performance_targets: Text = ""
    benefit_mechanism: Text = ""


class ProjectIn(ProjectFields):
    name: Name
    place_code: DivisionCode


class ProjectPatch(Schema):
    version: Version
    name: Name | None = None
    place_code: DivisionCode | None = None
    category: Category | None = None
    nature: Nature | None = None
    year: Year | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    unit_id: DbId | None = None
    tasks: Text | None = None
    budget: Money | None = None
    beneficiaries_text: Text | None = None
    target_households: Households | None = None
    performance_targets: Text | None = None
    benefit_mechanism: Text | None = None


def visible_project(request, project_id: int) -> Project:
    """A project through the choke point (out of scope is 404), with its allocated and disbursed money."""
    return get_visible_or_404(
        selectors.with_money(Project.objects.select_related("place", "unit")), request.user, pk=project_id
    )


def _project_out(p: Project) -> dict:
    money = (
        {"allocated": p.allocated, "disbursed": p.disbursed}
        if hasattr(p, "allocated")
        else selectors.project_money(p)
    )
    return {
        **{name: getattr(p, name) for name in ProjectOut.model_fields if hasattr(p, name)},
        "category_display": p.get_category_display(),
        "status_display": p.get_status_display(),
        "place_code": p.place_id,
        "place_name": p.place.name,
        "unit_name": p.unit.name if p.unit else "",
        "allocated": money["allocated"],
        "disbursed": money["disbursed"],
    }


lists.api_list(
    router, "/projects", PROJECTS, ProjectOut, summary="项目库(按数据范围,可筛选)", serialize=_project_out
)


@router.post("/projects", response={201: ProjectOut, **WRITE_ERRORS}, summary="新增项目(草稿)")
def create_project(request: HttpRequest, payload: ProjectIn):
    try:
        project = services.project_create(by=request.user, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(201, _project_out(visible_project(request, project.pk)))


@router.get("/projects/{project_id}", response=ProjectOut, summary="项目详情")
def get_project(request: HttpRequest, project_id: Path[DbId]):
    return _project_out(visible_project(request, project_id))


@router.patch(
    "/projects/{project_id}", response={200: ProjectOut, **WRITE_ERRORS}, summary="修改项目(仅草稿)"
)
def update_project(request: HttpRequest, project_id: Path[DbId], payload: ProjectPatch):
    project = visible_project(request, project_id)
    return patch_answer(
        request,
        payload,
        partial(services.project_update, project=project),
        lambda _: _project_out(visible_project(request, project_id)),  # its money, as a read gives it
        aliases=ALIASES,
        clearable=("start_date", "end_date", "unit_id"),
    )


class ProjectTransitionIn(Schema):
    action: Action
    reason: Text = ""
    expert_names: Short = ""
    expert_opinion: Text = ""
    expert_review_date: datetime.date | None = None
    publicity_days: Days | None = None
    announcement: Text = ""
    score: Score | None = None


@router.post(
    "/projects/{project_id}/transitions",
    response={200: ProjectOut, **WRITE_ERRORS},
    summary="项目流程:申报、审核、批准、退回、公示、开工、验收、竣工公告、绩效评价",
)
def transition_project(request: HttpRequest, project_id: Path[DbId], payload: ProjectTransitionIn):
    project = visible_project(request, project_id)
    details = {
        k: v for k, v in payload.model_dump().items() if k not in ("action", "reason") and v not in (None, "")
    }
    try:
        workflow.project_transition(
            by=request.user,
            project=project,
            action=payload.action,
            reason=payload.reason,
            request=request,
            **details,
        )
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(200, _project_out(visible_project(request, project_id)))


class ProjectEventOut(Schema):
    at: datetime.datetime
    actor: str
    action: str
    action_display: str
    from_status: str
    to_status: str
    reason: str


@router.get("/projects/{project_id}/events", response=list[ProjectEventOut], summary="项目流程记录")
def list_events(request: HttpRequest, project_id: Path[DbId]):
    project = visible_project(request, project_id)
    return [
        {
            "at": e.at,
            "actor": (e.actor.full_name or e.actor.username) if e.actor else "",
            "action": e.action,
            "action_display": e.get_action_display(),
            "from_status": e.from_status,
            "to_status": e.to_status,
            "reason": e.reason,
        }
        for e in project.events.select_related("actor")
    ]


class BeneficiaryOut(Schema):
    id: int
    household_id: int | None
    head_name: str
    village_code: str
    village_name: str
    benefit: str
    amount: Decimal | None


class BeneficiaryIn(Schema):
    household_id: DbId | None = None
    village_code: Annotated[str, StringConstraints(pattern=r"^(\d{12})?$")] = ""
    benefit: Annotated[Short, StringConstraints(min_length=1)]
    amount: Money | None = None


def _beneficiary_out(b: Beneficiary) -> dict:
    return {
        "id": b.pk,
        "household_id": b.household_id,
        "head_name": b.household.head_name if b.household else "",
        "village_code": b.village_id,
        "village_name": b.village.name,
        "benefit": b.benefit,
        "amount": b.amount,
    }


@router.get("/projects/{project_id}/beneficiaries", response=list[BeneficiaryOut], summary="项目受益对象")
def list_beneficiaries(request: HttpRequest, project_id: Path[DbId]):
    project = visible_project(request, project_id)
    rows = Beneficiary.objects.filter(project=project).select_related("household", "village")
    return [_beneficiary_out(b) for b in rows]


@router.post(
    "/projects/{project_id}/beneficiaries",
    response={201: BeneficiaryOut, **WRITE_ERRORS},
    summary="添加受益户或受益村",
)
def add_beneficiary(request: HttpRequest, project_id: Path[DbId], payload: BeneficiaryIn):
    project = visible_project(request, project_id)
    household = None
    if payload.household_id:
        household = household_or_404(request.user, payload.household_id)
    try:
        row = services.beneficiary_add(
            by=request.user,
            project=project,
            household=household,
            village_code=payload.village_code,
            benefit=payload.benefit,
            amount=payload.amount,
            request=request,
        )
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(201, _beneficiary_out(row))


class BeneficiaryPatch(Schema):
    """A correction of what the beneficiary gets; omitted fields keep their value, amount null clears it."""

    benefit: Annotated[Short, StringConstraints(min_length=1)] | None = None
    amount: Money | None = None


class BeneficiaryRemoveIn(Schema):
    reason: Annotated[Short, StringConstraints(min_length=1)]


def _visible_beneficiary(request, project_id: int, beneficiary_id: int) -> Beneficiary:
    project = visible_project(request, project_id)
    return get_visible_or_404(
        Beneficiary.objects.select_related("household", "village"),
        request.user,
        pk=beneficiary_id,
        project=project,
    )


@router.patch(
    "/projects/{project_id}/beneficiaries/{beneficiary_id}",
    response={200: BeneficiaryOut, **WRITE_ERRORS},
    summary="更正受益内容或受益金额",
)
def update_beneficiary(
    request: HttpRequest, project_id: Path[DbId], beneficiary_id: Path[DbId], payload: BeneficiaryPatch
):
    beneficiary = _visible_beneficiary(request, project_id, beneficiary_id)
    fields = payload.model_dump(exclude_unset=True)
    if fields.get("benefit", "") is None:
        fields.pop("benefit")  # null benefit: unchanged (it cannot be cleared)
    try:
        row = services.beneficiary_update(by=request.user, beneficiary=beneficiary, request=request, **fields)
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(200, _beneficiary_out(row))


# A POST with its reason rather than DELETE with a body: the matrix and clients handle it alike.
@router.post(
    "/projects/{project_id}/beneficiaries/{beneficiary_id}/remove",
    response={204: None, **WRITE_ERRORS},
    summary="删除受益对象(须填写原因,记入项目流程记录)",
)
def remove_beneficiary(
    request: HttpRequest, project_id: Path[DbId], beneficiary_id: Path[DbId], payload: BeneficiaryRemoveIn
):
    beneficiary = _visible_beneficiary(request, project_id, beneficiary_id)
    try:
        services.beneficiary_remove(
            by=request.user, beneficiary=beneficiary, reason=payload.reason, request=request
        )
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(204, None)
