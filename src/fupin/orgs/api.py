"""Units (assisting enterprises and agencies) in the API, through the scoping choke point."""

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema

from fupin.apitypes import DbId, Limit, Offset, SearchText
from fupin.core.scoping import get_visible_or_404
from fupin.orgs import selectors
from fupin.orgs.models import Unit

router = Router(tags=["orgs"])


class PlaceOut(Schema):
    code: str
    name: str


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_display: str
    region_code: str | None
    parent_id: int | None


class UnitDetailOut(UnitOut):
    assisted_places: list[PlaceOut]


class UnitFilter(Schema):
    q: SearchText = ""
    kind: Unit.Kind | None = None
    limit: Limit = 50
    offset: Offset = 0


class UnitPage(Schema):
    count: int
    items: list[UnitOut]


def _out(unit: Unit) -> dict:
    return {
        "id": unit.id,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "kind_display": unit.get_kind_display(),
        "region_code": unit.region_id,
        "parent_id": unit.parent_id,
    }


@router.get("/units", response=UnitPage, summary="单位列表(按数据范围)")
def list_units(request: HttpRequest, filters: Query[UnitFilter]):
    units = selectors.unit_list(user=request.user, q=filters.q, kind=filters.kind or "")
    page = units[filters.offset : filters.offset + filters.limit]
    return {"count": units.count(), "items": [_out(u) for u in page]}


@router.get("/units/{unit_id}", response=UnitDetailOut, summary="单位详情")
def get_unit(request: HttpRequest, unit_id: Path[DbId]):
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=unit_id)
    places = [{"code": p.region_id, "name": p.region.name} for p in selectors.unit_places(unit)]
    return {**_out(unit), "assisted_places": places}
