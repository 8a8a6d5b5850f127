"""The projects API, through the scoping choke point: the library, its workflow, the fund ledger.

Reads are scoped (out of scope is 404, like missing); writes go through the services. A field error
is a 422 with one entry per field; a stale `version`, a refused step or a refused ledger entry is a
409 with the reasons in Chinese. Money travels as decimal strings ("1234.50"), never floats.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, DivisionCode, Limit, Offset, SearchText, Text
from fupin.core.scoping import get_visible_or_404
from fupin.projects import ledger, selectors, services, workflow
from fupin.projects.models import Beneficiary, Category, FundSource, LedgerEntry, Nature, Project, Status

router = Router(tags=["projects"])
# The services name fields as the forms do; the API names them as its schemas do.
ALIASES = {"unit": "unit_id", "household": "household_id"}

Money = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$")]
Year = Annotated[int, Field(ge=2010, le=2100)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]*$")]
Short = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$")]
Households = Annotated[int, Field(ge=0, le=1_000_000)]
Score = Annotated[int, Field(ge=0, le=100)]
Days = Annotated[int, Field(ge=1, le=365)]
Action = Annotated[
    str,
    StringConstraints(pattern=r"^(propose|review|approve|reject|publicise|start|accept|complete|evaluate)$"),
]
EntryKind = Annotated[str, StringConstraints(pattern=r"^(budget|allocation|disbursement)$")]


# --- projects -----------------------------------------------------------------------------------


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


class ProjectPage(Schema):
    count: int
    items: list[ProjectOut]


class ProjectFilter(Schema):
    division: DivisionCode | None = None
    category: Category | None = None
    status: Status | None = None
    year: Year | None = None
    q: SearchText = ""
    limit: Limit = 50
    offset: Offset = 0


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


def _visible_project(request, project_id: int) -> Project:
    return get_visible_or_404(
        selectors.with_money(Project.objects.select_related("place", "unit")), request.user, pk=project_id
    )


@router.get("/projects", response=ProjectPage, summary="项目库(按数据范围,可筛选)")
def list_projects(request: HttpRequest, filters: Query[ProjectFilter]):
    projects = selectors.project_list(user=request.user, filters=filters.model_dump())
    page = projects[filters.offset : filters.offset + filters.limit]
    return {"count": projects.count(), "items": [_project_out(p) for p in page]}


@router.post("/projects", response={201: ProjectOut, **WRITE_ERRORS}, summary="新增项目(草稿)")
def create_project(request: HttpRequest, payload: ProjectIn):
    try:
        project = services.project_create(by=request.user, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(201, _project_out(_visible_project(request, project.pk)))


@router.get("/projects/{project_id}", response=ProjectOut, summary="项目详情")
def get_project(request: HttpRequest, project_id: Path[DbId]):
    return _project_out(_visible_project(request, project_id))


@router.patch(
    "/projects/{project_id}", response={200: ProjectOut, **WRITE_ERRORS}, summary="修改项目(仅草稿)"
)
def update_project(request: HttpRequest, project_id: Path[DbId], payload: ProjectPatch):
    project = _visible_project(request, project_id)
    fields = payload.model_dump(exclude_unset=True)
    version = fields.pop("version")
    fields = {k: v for k, v in fields.items() if v is not None or k in ("start_date", "end_date", "unit_id")}
    try:
        services.project_update(by=request.user, project=project, version=version, request=request, **fields)
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(200, _project_out(_visible_project(request, project_id)))


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
    project = _visible_project(request, project_id)
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
    return Answer(200, _project_out(_visible_project(request, project_id)))


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
    project = _visible_project(request, project_id)
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
    project = _visible_project(request, project_id)
    rows = Beneficiary.objects.filter(project=project).select_related("household", "village")
    return [_beneficiary_out(b) for b in rows]


@router.post(
    "/projects/{project_id}/beneficiaries",
    response={201: BeneficiaryOut, **WRITE_ERRORS},
    summary="添加受益户或受益村",
)
def add_beneficiary(request: HttpRequest, project_id: Path[DbId], payload: BeneficiaryIn):
    from fupin.registry.models import Household

    project = _visible_project(request, project_id)
    household = None
    if payload.household_id:
        household = get_visible_or_404(Household.objects.all(), request.user, pk=payload.household_id)
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
    project = _visible_project(request, project_id)
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


# --- funds --------------------------------------------------------------------------------------


class SourceOut(Schema):
    id: int
    name: str
    kind: str
    kind_display: str
    year: int
    place_code: str | None
    unit_id: int | None
    note: str
    budgeted: Decimal
    allocated: Decimal
    available: Decimal
    disbursed: Decimal


class SourceFilter(Schema):
    kind: FundSource.Kind | None = None
    year: Year | None = None
    limit: Limit = 50
    offset: Offset = 0


class SourcePage(Schema):
    count: int
    items: list[SourceOut]


class SourceIn(Schema):
    name: Name
    kind: FundSource.Kind
    year: Year
    place_code: Annotated[str, StringConstraints(pattern=r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})?$")] = ""
    unit_id: DbId | None = None
    note: Short = ""


def _source_out(s: FundSource) -> dict:
    return {
        **{name: getattr(s, name) for name in SourceOut.model_fields if hasattr(s, name)},
        "kind_display": s.get_kind_display(),
        "place_code": s.place_id,
    }


def _visible_source(request, source_id: int) -> FundSource:
    return get_visible_or_404(selectors.with_balances(FundSource.objects.all()), request.user, pk=source_id)


@router.get("/sources", response=SourcePage, summary="资金来源(含预算、已分配、可用余额、已拨付)")
def list_sources(request: HttpRequest, filters: Query[SourceFilter]):
    sources = selectors.source_list(user=request.user, filters=filters.model_dump())
    page = sources[filters.offset : filters.offset + filters.limit]
    return {"count": sources.count(), "items": [_source_out(s) for s in page]}


@router.post("/sources", response={201: SourceOut, **WRITE_ERRORS}, summary="新增资金来源")
def create_source(request: HttpRequest, payload: SourceIn):
    try:
        source = services.source_create(by=request.user, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(201, _source_out(_visible_source(request, source.pk)))


@router.get("/sources/{source_id}", response=SourceOut, summary="资金来源详情")
def get_source(request: HttpRequest, source_id: Path[DbId]):
    return _source_out(_visible_source(request, source_id))


class MoneyIn(Schema):
    amount: Money
    date: datetime.date | None = None
    memo: Short = ""


class EntryOut(Schema):
    id: int
    kind: str
    source_id: int
    project_id: int | None
    allocation_id: int | None
    reverses_id: int | None
    amount: Decimal
    date: datetime.date
    memo: str
    at: datetime.datetime


def _entry_out(e: LedgerEntry) -> dict:
    return {name: getattr(e, name) for name in EntryOut.model_fields}


@router.post(
    "/sources/{source_id}/budget", response={201: EntryOut, **WRITE_ERRORS}, summary="预算下达(资金到位)"
)
def add_budget(request: HttpRequest, source_id: Path[DbId], payload: MoneyIn):
    source = _visible_source(request, source_id)
    try:
        entry = ledger.fund_budget(by=request.user, source=source, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(201, _entry_out(entry))


class AllocationIn(MoneyIn):
    source_id: DbId


@router.post(
    "/projects/{project_id}/allocations",
    response={201: EntryOut, **WRITE_ERRORS},
    summary="分配资金到项目",
)
def allocate(request: HttpRequest, project_id: Path[DbId], payload: AllocationIn):
    project = _visible_project(request, project_id)
    source = get_visible_or_404(FundSource.objects.all(), request.user, pk=payload.source_id)
    data = payload.model_dump()
    data.pop("source_id")
    try:
        entry = ledger.fund_allocate(by=request.user, source=source, project=project, request=request, **data)
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(201, _entry_out(entry))


class EntryFilter(Schema):
    kind: EntryKind | None = None
    project: DbId | None = None
    source: DbId | None = None
    allocation: DbId | None = None
    limit: Limit = 50
    offset: Offset = 0


class LedgerTotalsOut(Schema):
    """Per kind, net of reversals, and the balances between kinds (never one sum across kinds)."""

    budget: Decimal
    allocation: Decimal
    disbursement: Decimal
    unallocated: Decimal
    undisbursed: Decimal


class EntryPage(Schema):
    count: int
    total: Decimal | None
    totals: LedgerTotalsOut
    items: list[EntryOut]


@router.get(
    "/entries",
    response=EntryPage,
    summary="资金台账(分录;totals 为按类型的合计与结余;total 仅在按 kind 筛选时给出)",
)
def list_entries(request: HttpRequest, filters: Query[EntryFilter]):
    entries = selectors.entry_list(user=request.user, filters=filters.model_dump())
    page = entries[filters.offset : filters.offset + filters.limit]
    return {
        "count": entries.count(),
        # One kind's entries add up; a budget, its allocations and their payments do not.
        "total": selectors.entries_total(entries) if filters.kind else None,
        "totals": selectors.ledger_totals(entries),
        "items": [_entry_out(e) for e in page],
    }


def _visible_entry(request, entry_id: int) -> LedgerEntry:
    return get_visible_or_404(
        LedgerEntry.objects.select_related("source", "project"), request.user, pk=entry_id
    )


@router.post(
    "/entries/{entry_id}/disbursements",
    response={201: EntryOut, **WRITE_ERRORS},
    summary="对一笔资金分配拨付",
)
def disburse(request: HttpRequest, entry_id: Path[DbId], payload: MoneyIn):
    allocation = _visible_entry(request, entry_id)
    try:
        entry = ledger.fund_disburse(
            by=request.user, allocation=allocation, request=request, **payload.model_dump()
        )
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(201, _entry_out(entry))


class ReverseIn(Schema):
    reason: Annotated[Short, StringConstraints(min_length=1)]


@router.post("/entries/{entry_id}/reversal", response={201: EntryOut, **WRITE_ERRORS}, summary="冲正一笔分录")
def reverse(request: HttpRequest, entry_id: Path[DbId], payload: ReverseIn):
    entry = _visible_entry(request, entry_id)
    try:
        reversal = ledger.entry_reverse(by=request.user, entry=entry, reason=payload.reason, request=request)
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(201, _entry_out(reversal))
