"""Units (assisting enterprises and agencies) in the API, through the scoping choke point."""

from django.http import HttpRequest
from ninja import Path, Router, Schema

from fupin.apitypes import DbId
from fupin.core import lists
from fupin.core.scoping import get_visible_or_404
from fupin.orgs import selectors
from fupin.orgs.lists import UNITS
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


lists.api_list(router, "/units", UNITS, UnitOut, summary="单位列表(按数据范围)", serialize=_out)


@router.get("/units/{unit_id}", response=UnitDetailOut, summary="单位详情")
def get_unit(request: HttpRequest, unit_id: Path[DbId]):
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=unit_id)
    places = [{"code": p.region_id, "name": p.region.name} for p in selectors.unit_places(unit)]
    return {**_out(unit), "assisted_places": places}
