"""/api/regions: the national division tree, read only.

Division codes are public national reference data (published by the National Bureau of Statistics),
so any signed-in user or token may read all of them: these endpoints deliberately do not go through
the data-scope choke point. Records *about* places are scoped; the places themselves are not.
"""

from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from pydantic import Field, StringConstraints

from fupin.apitypes import DivisionCode, SearchText
from fupin.regions import selectors
from fupin.regions.models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    level: int
    level_label: str
    parent_code: str | None
    child_count: int | None = None

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(Region.Level(obj.level).label)

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent_id


class PathItem(Schema):
    code: str
    short_name: str


class RegionDetailOut(RegionOut):
    path: list[PathItem]
    full_name: str


class SearchIn(Schema):
    q: Annotated[SearchText, StringConstraints(min_length=1)] = Field(
        ..., description="简称的一部分,或拼音首字母开头(如 xhx)"
    )
    level: int | None = Field(None, ge=1, le=5)
    within: DivisionCode | None = Field(None, description="只在此区划代码之下查找")
    limit: int = Field(20, ge=1, description=f"最多 {selectors.SEARCH_LIMIT_MAX} 条")


def _region_or_error(code: str) -> Region:
    return get_object_or_404(Region, code=code)


@router.get("/", response=list[RegionOut], summary="省级区划")
def provinces(request):
    return selectors.children_of(None)


@router.get("/search", response=list[RegionOut], summary="按名称或拼音首字母查找区划")
def search(request, params: Query[SearchIn]):
    return selectors.search(params.q, level=params.level, within=params.within, limit=params.limit)


@router.get("/{code}", response=RegionDetailOut, summary="区划详情(含上级路径)")
def detail(request, code: Path[DivisionCode]):
    region = _region_or_error(code)
    path = selectors.path_of(region)
    region.path = path
    region.full_name = " › ".join(r.short_name for r in path)
    region.child_count = region.children.count()
    return region


@router.get("/{code}/children", response=list[RegionOut], summary="下级区划")
def children(request, code: Path[DivisionCode]):
    _region_or_error(code)
    return selectors.children_of(code)
