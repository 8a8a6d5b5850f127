"""The outcomes API: purchases and sales on behalf, job placements, totals, 责任书 targets and their
completion. Reads go through the scoping choke point (out of scope is 404, like missing); writes go
through outcomes.services: a field error is a 422 naming the field, a stale `version` a 409."""

import datetime
from decimal import Decimal
from functools import partial
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, patch_answer, service_error
from fupin.apitypes import DbId, DivisionCode, Limit, Offset, SearchText
from fupin.core import lists
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.core.validators import NO_CONTROL_LINE
from fupin.orgs import selectors as orgs
from fupin.outcomes import selectors, services
from fupin.outcomes.lists import PLACEMENTS, PURCHASES
from fupin.outcomes.models import (
    Channel,
    IndicatorTarget,
    Placement,
    PlacementKind,
    Purchase,
    PurchaseKind,
    WageBand,
)

router = Router(tags=["outcomes"])

Year = Annotated[int, Field(ge=2000, le=2100)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
# Money travels as a decimal string ("1234.50"), never a float.
Money = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$")]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Name = Annotated[SearchText, StringConstraints(min_length=1)]
LongText = Annotated[str, StringConstraints(max_length=100, min_length=1, pattern=NO_CONTROL_LINE)]
Note = Annotated[str, StringConstraints(max_length=200, pattern=NO_CONTROL_LINE)]
Grouping = Literal["unit", "county", "year"]

# The services name fields as the forms do; the API names them as its schemas do.
ALIASES = {"unit": "unit_id", "region": "region_code", "member": "member_id"}


# --- purchases ----------------------------------------------------------------------------------


class PurchaseOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    kind: str
    kind_display: str
    region_code: str
    region_name: str
    supplier: str
    product: str
    amount: Decimal
    date: datetime.date
    channel: str
    note: str
    version: int


class PurchaseIn(Schema):
    unit_id: DbId
    kind: PurchaseKind
    region_code: DivisionCode
    supplier: LongText
    product: LongText
    amount: Money
    date: datetime.date
    channel: Channel = Channel.OTHER
    note: Note = ""


class PurchasePatch(Schema):
    version: Version
    unit_id: DbId | None = None
    kind: PurchaseKind | None = None
    region_code: DivisionCode | None = None
    supplier: LongText | None = None
    product: LongText | None = None
    amount: Money | None = None
    date: datetime.date | None = None
    channel: Channel | None = None
    note: Note | None = None


def _purchase_out(p: Purchase) -> dict:
    return {
        **{name: getattr(p, name) for name in PurchaseOut.model_fields if hasattr(p, name)},
        "unit_name": p.unit.name,
        "kind_display": p.get_kind_display(),
        "region_code": p.region_id,
        "region_name": str(p.region),
    }


def _fields(payload: dict) -> dict:
    """API names to service names, dropping what the caller left out."""
    renames = {api: svc for svc, api in ALIASES.items()}
    return {renames.get(k, k): v for k, v in payload.items() if v is not None}


def _purchase(request, purchase_id: int) -> Purchase:
    return get_visible_or_404(Purchase.objects.select_related("unit", "region"), request.user, pk=purchase_id)


lists.api_list(
    router,
    "/purchases",
    PURCHASES,
    PurchaseOut,
    summary="消费帮扶记录(采购与帮助销售;金额合计见 /purchases/totals)",
    serialize=_purchase_out,
)


@router.post("/purchases", response={201: PurchaseOut, **WRITE_ERRORS}, summary="新增消费帮扶记录")
def create_purchase(request: HttpRequest, payload: PurchaseIn):
    try:
        purchase = services.purchase_create(by=request.user, request=request, **_fields(payload.model_dump()))
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(201, _purchase_out(_purchase(request, purchase.pk)))


class TotalRow(Schema):
    key: str
    label: str
    bought: Decimal
    sold: Decimal
    total: Decimal
    count: int


class TotalsFilter(Schema):
    by: Grouping = "unit"
    unit_id: DbId | None = None
    division: DivisionCode | None = Field(None, description="区划代码前缀(县、乡、村)")
    year: Year | None = None


@router.get("/purchases/totals", response=list[TotalRow], summary="消费帮扶汇总(按单位、县或年度)")
def purchase_totals(request: HttpRequest, filters: Query[TotalsFilter]):
    require(request, "outcomes.view_purchase")
    chosen = {"unit": filters.unit_id, "division": filters.division or "", "year": filters.year}
    purchases = selectors.purchase_list(user=request.user, filters=chosen)
    rows = selectors.purchase_totals_by(purchases, filters.by)
    return [{**r, "key": str(r["key"]), "label": str(r["label"])} for r in rows]


@router.get("/purchases/{purchase_id}", response=PurchaseOut, summary="消费帮扶记录详情")
def get_purchase(request: HttpRequest, purchase_id: Path[DbId]):
    require(request, "outcomes.view_purchase")
    return _purchase_out(_purchase(request, purchase_id))


@router.patch(
    "/purchases/{purchase_id}", response={200: PurchaseOut, **WRITE_ERRORS}, summary="修改消费帮扶记录"
)
def update_purchase(request: HttpRequest, purchase_id: Path[DbId], payload: PurchasePatch):
    purchase = _purchase(request, purchase_id)
    return patch_answer(
        request,
        payload,
        lambda **fields: services.purchase_update(purchase=purchase, **_fields(fields)),
        lambda _: _purchase_out(_purchase(request, purchase_id)),
        aliases=ALIASES,
    )


@router.delete("/purchases/{purchase_id}", response={204: None}, summary="删除消费帮扶记录")
def delete_purchase(request: HttpRequest, purchase_id: Path[DbId]):
    services.purchase_delete(by=request.user, purchase=_purchase(request, purchase_id), request=request)
    return Answer(204, None)


# --- placements ---------------------------------------------------------------------------------


class PlacementOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    name: str
    member_id: int | None
    region_code: str
    region_name: str
    employer: str
    kind: str
    kind_display: str
    date: datetime.date
    wage_band: str
    note: str
    version: int


class PlacementIn(Schema):
    unit_id: DbId
    name: Name | None = None
    member_id: DbId | None = Field(
        None, description="建档立卡家庭成员(可选);给出时姓名和户籍地区默认取自登记"
    )
    region_code: DivisionCode | None = None
    employer: LongText
    kind: PlacementKind
    date: datetime.date
    wage_band: WageBand
    note: Note = ""


class PlacementPatch(Schema):
    version: Version
    unit_id: DbId | None = None
    name: Name | None = None
    region_code: DivisionCode | None = None
    employer: LongText | None = None
    kind: PlacementKind | None = None
    date: datetime.date | None = None
    wage_band: WageBand | None = None
    note: Note | None = None


def _placement_out(p: Placement) -> dict:
    return {
        **{name: getattr(p, name) for name in PlacementOut.model_fields if hasattr(p, name)},
        "unit_name": p.unit.name,
        "kind_display": p.get_kind_display(),
        "region_code": p.region_id,
        "region_name": str(p.region),
    }


def _placement(request, placement_id: int) -> Placement:
    return get_visible_or_404(
        Placement.objects.select_related("unit", "region"), request.user, pk=placement_id
    )


lists.api_list(
    router, "/placements", PLACEMENTS, PlacementOut, summary="就业帮扶记录", serialize=_placement_out
)


@router.post("/placements", response={201: PlacementOut, **WRITE_ERRORS}, summary="新增就业帮扶记录")
def create_placement(request: HttpRequest, payload: PlacementIn):
    fields = _fields(payload.model_dump())
    fields.setdefault("name", "")
    fields.setdefault("region", "")
    try:
        placement = services.placement_create(by=request.user, request=request, **fields)
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(201, _placement_out(_placement(request, placement.pk)))


@router.get("/placements/{placement_id}", response=PlacementOut, summary="就业帮扶记录详情")
def get_placement(request: HttpRequest, placement_id: Path[DbId]):
    require(request, "outcomes.view_purchase")
    return _placement_out(_placement(request, placement_id))


@router.patch(
    "/placements/{placement_id}", response={200: PlacementOut, **WRITE_ERRORS}, summary="修改就业帮扶记录"
)
def update_placement(request: HttpRequest, placement_id: Path[DbId], payload: PlacementPatch):
    placement = _placement(request, placement_id)
    return patch_answer(
        request,
        payload,
        lambda **fields: services.placement_update(placement=placement, **_fields(fields)),
        lambda _: _placement_out(_placement(request, placement_id)),
        aliases=ALIASES,
    )


@router.delete("/placements/{placement_id}", response={204: None}, summary="删除就业帮扶记录")
def delete_placement(request: HttpRequest, placement_id: Path[DbId]):
    services.placement_delete(by=request.user, placement=_placement(request, placement_id), request=request)
    return Answer(204, None)


# --- 定点帮扶责任书 ------------------------------------------------------------------------------


class IndicatorItem(Schema):
    name: str
    target: Decimal
    actual: Decimal = Field(description="由记录计算")
    rate: Decimal | None = Field(None, description="完成率(%),目标为0时为空")


class IndicatorRow(Schema):
    target_id: int
    unit_id: int
    unit_name: str
    year: int
    version: int
    met: bool
    items: list[IndicatorItem]


class IndicatorFilter(Schema):
    unit_id: DbId | None = None
    year: Year | None = None
    limit: Limit = 50
    offset: Offset = 0


def _indicator_out(row: dict) -> dict:
    target = row["target"]
    return {
        "target_id": target.pk,
        "unit_id": target.unit_id,
        "unit_name": target.unit.name,
        "year": target.year,
        "version": target.version,
        "met": row["met"],
        "items": [
            {"name": i["name"], "target": i["target"], "actual": i["actual"], "rate": i["rate"]}
            for i in row["items"]
        ],
    }


@router.get("/indicators", response=list[IndicatorRow], summary="定点帮扶责任书:目标与完成情况")
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilter]):
    require(request, "outcomes.view_purchase")
    targets = selectors.target_list(
        user=request.user, filters={"unit": filters.unit_id, "year": filters.year}
    )
    page = targets[filters.offset : filters.offset + filters.limit]
    return [_indicator_out(row) for row in selectors.indicator_rows(page)]


class TargetFields(Schema):
    direct_funds: Money = "0"
    brought_in_funds: Money = "0"
    cadres_trained: Count = 0
    technicians_trained: Count = 0
    bought: Money = "0"
    sold: Money = "0"
    note: Note = ""


class TargetIn(TargetFields):
    year: Year


class TargetPatch(Schema):
    version: Version
    direct_funds: Money | None = None
    brought_in_funds: Money | None = None
    cadres_trained: Count | None = None
    technicians_trained: Count | None = None
    bought: Money | None = None
    sold: Money | None = None
    note: Note | None = None


def _target_row(request, target_id: int) -> dict:
    target = get_visible_or_404(IndicatorTarget.objects.select_related("unit"), request.user, pk=target_id)
    return _indicator_out(selectors.indicator_rows([target])[0])


@router.post(
    "/units/{unit_id}/targets",
    response={201: IndicatorRow, **WRITE_ERRORS},
    summary="新增单位的责任书年度目标",
)
def create_target(request: HttpRequest, unit_id: Path[DbId], payload: TargetIn):
    unit = orgs.unit_or_404(request.user, unit_id)
    try:
        target = services.target_set(by=request.user, unit=unit.pk, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc, ALIASES)
    return Answer(201, _target_row(request, target.pk))


@router.patch(
    "/targets/{target_id}", response={200: IndicatorRow, **WRITE_ERRORS}, summary="修改责任书年度目标"
)
def update_target(request: HttpRequest, target_id: Path[DbId], payload: TargetPatch):
    target = get_visible_or_404(IndicatorTarget.objects.all(), request.user, pk=target_id)
    return patch_answer(
        request,
        payload,
        partial(services.target_update, target=target),
        lambda _: _target_row(request, target_id),
        aliases=ALIASES,
    )
