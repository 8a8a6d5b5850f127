"""The fund ledger: sources, budgets, allocations to projects, disbursements, reversals."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, Limit, Offset
from fupin.core import lists
from fupin.core.scoping import get_visible_or_404
from fupin.projects import ledger, selectors, services
from fupin.projects.api.common import ALIASES, Money, Name, Short, Year
from fupin.projects.api.projects import visible_project
from fupin.projects.lists import SOURCES
from fupin.projects.models import FundSource, LedgerEntry

router = Router()

EntryKind = Annotated[str, StringConstraints(pattern=r"^(budget|allocation|disbursement)$")]


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


lists.api_list(
    router,
    "/sources",
    SOURCES,
    SourceOut,
    summary="资金来源(含预算、已分配、可用余额、已拨付)",
    serialize=_source_out,
)


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
    project = visible_project(request, project_id)
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
