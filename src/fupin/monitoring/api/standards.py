"""The standards in the API: monitoring lines (监测标准) and rural 低保 standards per year and area.

A province sets its own, a county (or city) may set its own; the nearest applies (GET …/applicable).
A reader sees the standards of their places and of the areas above them; a PUT writes one year's
figure for one area, needing the change (or add) permission and the area among the writer's own
places (a county officer sets its county's, not the province's)."""

from decimal import Decimal
from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DIVISION_CODE_PATTERN, DivisionCode, Text
from fupin.core.permissions import require
from fupin.core.scoping import scope_of
from fupin.monitoring import selectors, services
from fupin.monitoring.models import DibaoStandard, MonitoringLine

router = Router()

StandardYear = Annotated[int, Field(ge=2016, le=2100)]


class MonitoringStandardOut(Schema):
    region_code: str
    region_name: str
    year: int
    amount: Decimal
    note: str


class MonitoringStandardIn(Schema):
    amount: Annotated[Decimal, Field(gt=0, lt=10_000_000, max_digits=12, decimal_places=2)]
    note: Annotated[Text, StringConstraints(max_length=200)] = ""


class MonitoringStandardFilter(Schema):
    year: StandardYear | None = None
    region: Annotated[str, StringConstraints(pattern=DIVISION_CODE_PATTERN)] | None = Field(
        None, description="区划代码前缀"
    )


class MonitoringApplicableOut(Schema):
    code: str
    year: int
    monitoring_line: MonitoringStandardOut | None
    dibao_standard: MonitoringStandardOut | None


def _out(row) -> dict:
    return {
        "region_code": row.region_id,
        "region_name": row.region.name,
        "year": row.year,
        "amount": row.amount,
        "note": row.note,
    }


def _list(request, model, perm: str, filters: MonitoringStandardFilter) -> list[dict]:
    require(request, perm)
    rows = selectors.standards_visible_to(model, request.user)
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.region:
        rows = rows.filter(region__code__startswith=filters.region)
    return [_out(r) for r in rows.order_by("-year", "region_id")[:500]]


def _put(request, setter, code: str, year: int, payload: MonitoringStandardIn):
    # A place neither in the writer's scope nor above it answers like a missing one (404); the areas
    # above (the province's line a county reads) are refused by the service (403).
    prefixes = scope_of(request.user).prefixes
    if not (scope_of(request.user).covers_code(code) or any(p.startswith(code) for p in prefixes)):
        raise Http404
    try:
        row = setter(
            by=request.user, region=code, year=year, amount=payload.amount, note=payload.note, request=request
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _out(row))


@router.get(
    "/standards/monitoring-lines", response=list[MonitoringStandardOut], summary="监测标准(按年度和地区)"
)
def list_monitoring_lines(request: HttpRequest, filters: Query[MonitoringStandardFilter]):
    return _list(request, MonitoringLine, "monitoring.view_monitoringline", filters)


@router.put(
    "/standards/monitoring-lines/{region_code}/{year}",
    response={200: MonitoringStandardOut, **WRITE_ERRORS},
    summary="设定监测标准(省、市或县,某一年度)",
)
def put_monitoring_line(
    request: HttpRequest,
    region_code: Path[DivisionCode],
    year: Path[StandardYear],
    payload: MonitoringStandardIn,
):
    return _put(request, services.set_monitoring_line, region_code, year, payload)


@router.get("/standards/dibao", response=list[MonitoringStandardOut], summary="农村低保标准(按年度和地区)")
def list_dibao_standards(request: HttpRequest, filters: Query[MonitoringStandardFilter]):
    return _list(request, DibaoStandard, "monitoring.view_dibaostandard", filters)


@router.put(
    "/standards/dibao/{region_code}/{year}",
    response={200: MonitoringStandardOut, **WRITE_ERRORS},
    summary="设定农村低保标准(省、市或县,某一年度)",
)
def put_dibao_standard(
    request: HttpRequest,
    region_code: Path[DivisionCode],
    year: Path[StandardYear],
    payload: MonitoringStandardIn,
):
    return _put(request, services.set_dibao_standard, region_code, year, payload)


class MonitoringApplicableFilter(Schema):
    code: DivisionCode = Field(description="村、乡镇或县的区划代码")
    year: StandardYear | None = Field(None, description="年度(默认今年)")


@router.get(
    "/standards/applicable", response=MonitoringApplicableOut, summary="某地某年适用的监测标准和低保标准"
)
def applicable_standards(request: HttpRequest, filters: Query[MonitoringApplicableFilter]):
    require(request, "monitoring.view_monitoringline")
    if not scope_of(request.user).covers_code(filters.code):
        raise Http404  # out of scope answers like missing
    year = filters.year or timezone.localdate().year
    line = selectors.monitoring_line(filters.code, year)
    dibao = selectors.dibao_standard(filters.code, year)
    return {
        "code": filters.code,
        "year": year,
        "monitoring_line": _out(line) if line else None,
        "dibao_standard": _out(dibao) if dibao else None,
    }
