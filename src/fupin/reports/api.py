"""The reports API (`/api/reports`): the indicator catalogue, a figure with its breakdown and drill,
and a refresh of the rollup (a job on the queue).

A figure reads only through `reports.selectors`, scoped to the caller: a division outside the
caller's scope is refused (422, saying so), an unknown indicator is a 404.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Answer
from pydantic import BaseModel

from fupin.apierrors import WRITE_ERRORS, ErrorOut, service_error
from fupin.apitypes import JobStartedOut, job_started
from fupin.core.permissions import require
from fupin.reports import selectors, tabulations, tasks

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
    return Answer(202, job_started(job))


# --- 统计报表 (reports/tabulations.py): the forms, a form's figures, a county's own, a generation ---

VIEW_TABULATION = "reports.view_tabulation"
ADD_TABULATION = "reports.add_tabulation"


class TabColumnIn(BaseModel):
    indicator: str = Field(max_length=64, description="指标代码(指标目录)")
    category: str = Field("", max_length=64, description="分类代码;空为合计")
    header: str = Field("", max_length=40, description="栏目名称;空为指标或分类名称")
    group: str = Field("", max_length=40, description="上级栏目(相邻栏目相同时合并为两行表头)")
    wan: bool = Field(False, description="以元计量的指标按万元列示")


class TabulationIn(BaseModel):
    name: str = Field(max_length=100, description="报表名称")
    rows: str = Field("children", description="children(下一级区划)或 categories(指标分类)")
    row_indicator: str = Field("", max_length=64, description="按分类分行时,分类所用的指标")
    period: str = Field(description="month、quarter、year 或 snapshot")
    unit_line: str = Field("", max_length=100, description="计量单位说明,如 单位:户、人")
    notes: str = Field("", max_length=2000)
    summary: bool = Field(False, description="生成文字通报(由合计行生成)")
    columns: list[TabColumnIn] = Field(description="栏目,按顺序")
    county: str = Field("", max_length=12, description="定义报表的县(区划代码);空为调用者所在的县")


class TabColumnOut(Schema):
    indicator: str
    category: str
    header: str
    group: str
    wan: bool


class TabulationOut(Schema):
    id: int
    code: str
    name: str
    rows: str
    row_indicator: str
    period: str
    unit_line: str
    notes: str
    summary: bool
    shipped: bool
    owner: str = Field(description="定义报表的县;空为国家通用")
    version: int
    columns: list[TabColumnOut]


class TabRowOut(Schema):
    code: str
    name: str
    kind: str = Field(description="total(合计)、own(本级)或 row")
    values: list[Decimal | None]


class TabHeaderOut(Schema):
    header: str
    group: str
    unit: str
    money: bool = Field(description="按万元列示")


class TabTableOut(Schema):
    tabulation: int
    title: str
    area: str
    period: str
    period_label: str
    unit_line: str
    summary: str
    notes: list[str]
    columns: list[TabHeaderOut]
    rows: list[TabRowOut]


class TabGenerateIn(BaseModel):
    area: str = Field(max_length=12, description="区划代码")
    period: str = Field("", max_length=10, description="期间:2026-11、2026-Q4、2026;空为当前")


def _tab_out(row) -> dict:
    return {
        "id": row.pk,
        "code": row.code,
        "name": row.name,
        "rows": row.rows,
        "row_indicator": row.row_indicator,
        "period": row.period,
        "unit_line": row.unit_line,
        "notes": row.notes,
        "summary": row.summary,
        "shipped": row.shipped,
        "owner": row.owner,
        "version": row.version,
        "columns": [c.as_dict() for c in tabulations.columns_of(row)],
    }


def _missing(message: str) -> Answer:
    return Answer(404, {"detail": message})


@router.get("/tabulations", response=list[TabulationOut], summary="统计报表列表")
def list_tabulations(request: HttpRequest):
    require(request, VIEW_TABULATION)
    return [_tab_out(row) for row in tabulations.visible(request.user).order_by("-shipped", "position", "id")]


@router.get(
    "/tabulations/{tabulation_id}/figures",
    response={200: TabTableOut, 404: ErrorOut, 422: ErrorOut},
    summary="统计报表的数据(按区划和期间)",
)
def tabulation_figures(request: HttpRequest, tabulation_id: int, area: str = "", period: str = ""):
    require(request, VIEW_TABULATION)
    form = tabulations.visible(request.user).filter(pk=tabulation_id).first()
    if form is None:
        return _missing(_("没有这个报表。"))
    if area and not _DIVISION.match(area):
        return _refuse("area", _("区划代码应为 2、4、6、9 或 12 位数字。"))
    area = area or scope_root_of(request.user) or ""
    try:
        table = tabulations.build(request.user, form, area=area, period=period)
    except tabulations.OutOfScope:
        return _missing(_("该区划不在您的数据范围内或不存在。"))
    except tabulations.Refused as error:
        return _refuse(error.field, error.message)
    return {
        "tabulation": form.pk,
        "title": table.title,
        "area": table.area.code,
        "period": table.period,
        "period_label": table.period_label,
        "unit_line": table.unit_line,
        "summary": table.summary,
        "notes": table.notes,
        "columns": [
            {"header": c.header, "group": c.group, "unit": c.unit, "money": c.money} for c in table.columns
        ],
        "rows": [{"code": r.code, "name": r.name, "kind": r.kind, "values": r.values} for r in table.rows],
    }


def scope_root_of(user) -> str | None:
    from fupin.core.forms import scope_root

    return scope_root(user)


@router.post(
    "/tabulations",
    response={201: TabulationOut, 404: ErrorOut, **WRITE_ERRORS},
    summary="定义统计报表(县级,不需开发)",
)
def create_tabulation(request: HttpRequest, payload: TabulationIn):
    require(request, ADD_TABULATION)
    owner = payload.county or tabulations.owner_for(request.user)
    if not owner or len(owner) != 6 or not selectors.in_scope(request.user, owner):
        raise Http404  # a county outside the caller's scope answers as a missing one
    require(request, ADD_TABULATION, code=owner)
    data = payload.model_dump()
    data.pop("county")
    try:
        row = tabulations.define(by=request.user, data=data, owner=owner)
    except DjangoValidationError as error:
        return service_error(error)
    return Answer(201, _tab_out(row))


@router.post(
    "/tabulations/{tabulation_id}/generate",
    response={202: JobStartedOut, 404: ErrorOut, **WRITE_ERRORS},
    summary="生成统计报表文件(后台任务)",
)
def generate_tabulation(request: HttpRequest, tabulation_id: int, payload: TabGenerateIn):
    require(request, VIEW_TABULATION)
    form = tabulations.visible(request.user).filter(pk=tabulation_id).first()
    if form is None:
        raise Http404
    if not _DIVISION.match(payload.area):
        return _refuse("area", _("区划代码应为 2、4、6、9 或 12 位数字。"))
    if not selectors.in_scope(request.user, payload.area):
        raise Http404  # an area outside the caller's scope answers as a missing one
    try:
        period = tabulations.parse_period(
            form.period, payload.period or tabulations.default_period(form.period)
        )
    except tabulations.Refused as error:
        return _refuse(error.field, error.message)
    job = tasks.start_tabulate(by=request.user, tabulation=form, area=payload.area, period=period)
    return Answer(202, job_started(job))
