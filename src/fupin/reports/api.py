"""The reports API (`/api/reports`): the indicator catalogue, a figure with its breakdown and drill,
and a refresh of the rollup (a job on the queue).

A figure reads only through `reports.selectors`, scoped to the caller: a division outside the
caller's scope is refused (422, saying so), an unknown indicator is a 404.
"""

import re
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Answer
from pydantic import BaseModel

from fupin.apierrors import WRITE_ERRORS, ErrorOut
from fupin.apitypes import JobStartedOut
from fupin.core.permissions import require
from fupin.reports import selectors, tasks

router = Router(tags=["reports"])

VIEW_INDICATORS = "reports.view_indicator"
VIEW_DASHBOARD = "reports.view_dashboard"
REFRESH = "reports.refresh_rollup"

_DIVISION = re.compile(r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$")
_PERIOD = re.compile(r"^(\d{4}(-(0[1-9]|1[0-2]))?)?$")


class IndicatorOut(Schema):
    code: str
    app: str
    name: str
    definition: str
    unit: str
    period: str = Field(description="snapshot(时点)、year(年度)或 month(月度)")
    kind: str = Field(description="sum(合计)或 ratio(比率,由两个组成指标计算)")
    levels: list[str]
    categories: dict[str, str] = Field(description="分类代码及名称(无分类时为空)")


class PartOut(Schema):
    code: str
    name: str
    value: Decimal | None


class FigureOut(Schema):
    indicator: str
    name: str
    unit: str
    division: str = Field(description="区划代码;空为调用者的整个数据范围")
    period: str
    category: str
    value: Decimal | None = Field(description="数值;比率无分母时为空")
    breakdown: list[PartOut] = Field(description="下一级区划的数值")
    drill: str | None = Field(description="所统计记录的列表页面")


class RefreshIn(BaseModel):
    # A plain pydantic model, not ninja's Schema: every field is optional, and Schema reads any
    # value by attribute (a JSON list would pass as "all defaults"); this one takes objects only.
    indicator: str = Field("", max_length=64, description="只刷新这个指标;空为全部")
    division: str = Field("", max_length=12, description="只刷新这个区划下的记录;空为全部")


def _refuse(field: str, message: str) -> Answer:
    return Answer(
        422,
        {
            "detail": _("请求参数有误:%(reason)s") % {"reason": f"{field}:{message}"},
            "errors": [{"loc": ["query", field], "type": "invalid", "msg": message}],
        },
    )


@router.get("/indicators", response=list[IndicatorOut], summary="指标目录")
def list_indicators(request: HttpRequest):
    require(request, VIEW_INDICATORS)
    answer = []
    for row in selectors.indicators():
        declared = selectors.declaration(row.code)
        categories = {str(k): str(v) for k, v in (declared.categories if declared else {}).items()}
        answer.append(
            {
                "code": row.code,
                "app": row.app,
                "name": row.name,
                "definition": row.definition,
                "unit": row.unit,
                "period": row.period,
                "kind": row.kind,
                "levels": row.level_list,
                "categories": categories,
            }
        )
    return answer


@router.get(
    "/figures/{code}", response={200: FigureOut, 422: ErrorOut}, summary="指标数值(含下级分解和明细链接)"
)
def get_figure(request: HttpRequest, code: str, division: str = "", period: str = "", category: str = ""):
    require(request, VIEW_DASHBOARD)
    declared = selectors.declaration(code)
    if declared is None or code not in {row.code for row in selectors.indicators()}:
        raise Http404
    if division and not _DIVISION.match(division):
        return _refuse("division", _("区划代码应为 2、4、6、9 或 12 位数字。"))
    if not _PERIOD.match(period):
        return _refuse("period", _("期间应为年份(2026)或年月(2026-03)。"))
    known = selectors.declaration(declared.parts[0]).categories if declared.parts else declared.categories
    if category and category not in known:
        return _refuse("category", _("该指标没有这个分类。"))
    if not selectors.in_scope(request.user, division or None):
        return _refuse("division", _("该区划不在您的数据范围内。"))
    value = selectors.figure(request.user, code, division=division or None, period=period, category=category)
    with_parts = selectors.breakdown(
        request.user, code, division=division or None, period=period, category=category
    )
    return {
        "indicator": code,
        "name": str(declared.name),
        "unit": str(declared.unit),
        "division": division,
        "period": period,
        "category": category,
        "value": value,
        "breakdown": [{"code": p.code, "name": p.name, "value": p.value} for p in with_parts],
        "drill": selectors.drill_url(code, division=division, period=period, category=category),
    }


@router.post("/refresh", response={202: JobStartedOut, **WRITE_ERRORS}, summary="刷新统计汇总(后台任务)")
def refresh(request: HttpRequest, payload: RefreshIn):
    require(request, REFRESH)
    if payload.division and not selectors.in_scope(request.user, payload.division):
        raise Http404  # a division outside the caller's scope answers as a missing one
    if payload.indicator and selectors.declaration(payload.indicator) is None:
        return Answer(
            422,
            {
                "detail": _("请求参数有误:%(reason)s") % {"reason": "indicator:" + _("没有这个指标。")},
                "errors": [{"loc": ["body", "indicator"], "type": "invalid", "msg": _("没有这个指标。")}],
            },
        )
    job = tasks.start_refresh(
        by=request.user, indicators=[payload.indicator] if payload.indicator else None, area=payload.division
    )
    return Answer(
        202,
        {
            "job_id": job.pk,
            "state": job.state,
            "status_url": f"/api/jobs/{job.pk}",
            "result": job.result or {},
        },
    )
