"""The 驾驶舱: each business user's home page (`/`), and its wall-screen layout.

For the user's area (the root of their scope, or a division inside it chosen by `?division=`) it
shows the key figures with their trend, each a link to the list of the records it counts; 待办
(core.todo) with its levels coloured; charts; and a map of the area one level down (provinces →
cities → counties, from the GeoJSON shipped in static/reports/maps), or below the county, where
no boundaries exist, a ranked bar chart. The same breakdown is drawn as a table of links, so the
drill-down works by keyboard and without scripts.

Every number comes from `reports.selectors` (the rollup, scoped to the reader): a division
outside the scope is a 404, like one that does not exist. Which indicators are the key figures
is data here (by code, the first declared of each slot's candidates), since the catalogue is
declared by the owning apps and may grow.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core import indicators as declared
from fupin.core import todo as core_todo
from fupin.core import views as core_views
from fupin.core.menu import menu_for
from fupin.core.scoping import scope_of
from fupin.core.shell_info import role_labels, scope_places
from fupin.regions.models import Region
from fupin.regions.selectors import is_wellformed_code, path_of
from fupin.reports import selectors

PERM = "reports.view_dashboard"

# Key figures, one slot each: the first declared code of a slot is shown. A county, city,
# province or national viewer gets the wide set; a township or village (a cadre) the short one.
WIDE_FIGURES = (
    ("registry.households",),
    ("registry.people",),
    ("registry.incidence", "registry.poor_people"),
    ("monitoring.objects_by_type", "monitoring.objects"),
    ("monitoring.overdue_leads",),
    ("assistance.paired_households", "assistance.pairings"),
    ("assistance.visits",),
    ("assistance.secretary_coverage", "assistance.covered_villages"),
    ("party.meetings_held",),
    ("projects.funds_disbursed", "projects.funds_allocated", "projects.funds"),
)
NARROW_FIGURES = (
    ("registry.households",),
    ("monitoring.objects_by_type", "monitoring.objects"),
    ("monitoring.overdue_leads",),
    ("assistance.visits",),
    ("assistance.overdue_visits",),
)
WIDE_COUNT, NARROW_COUNT = 10, 5

# The charts: (id, title, candidates, kind). "pie"/"bar": the figure by category; "months": the
# figure per month over the last twelve (or per year over five, for a yearly figure).
CHARTS = (
    ("objects-type", gettext_lazy("监测对象(按类型)"), ("monitoring.objects_by_type",), "pie"),
    ("objects-risk", gettext_lazy("监测对象(按风险类型)"), ("monitoring.objects_by_risk",), "bar"),
    (
        "funds",
        gettext_lazy("资金(按项目类别)"),
        ("projects.funds_allocated", "projects.funds_disbursed"),
        "pie",
    ),
    ("projects", gettext_lazy("项目(按状态)"), ("projects.projects",), "bar"),
    ("visits", gettext_lazy("走访次数(按月)"), ("assistance.visits",), "months"),
)

WALL_REFRESH_SECONDS = 300  # the wall screen reloads itself every five minutes
MAPS = "reports/maps/{}.json"  # per province (its cities and counties), and "china" (provinces)
_BREAKDOWN_SUFFIX = re.compile(r"[((]按[^))]*[))]$")


@dataclass
class Figure:
    code: str
    name: str
    unit: str
    value: Decimal | None
    period: str
    period_label: str
    url: str | None
    trend: list[tuple[str, float | None]] = field(default_factory=list)

    @property
    def display(self) -> str:
        return _number(self.value)


def _number(value) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _float(value) -> float | None:
    return None if value is None else float(value)


def _declared(candidates) -> declared.Indicator | None:
    for code in candidates:
        ind = selectors.declaration(code)
        if ind is not None:
            return ind
    return None


def _short_name(ind: declared.Indicator) -> str:
    """The name without its breakdown's "(按…)": the key figure is the total."""
    return _BREAKDOWN_SUFFIX.sub("", str(ind.name))


def _months(today: datetime.date, count: int = 12) -> list[str]:
    year, month = today.year, today.month
    months = []
    for _i in range(count):
        months.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _years(today: datetime.date, count: int = 5) -> list[str]:
    return [str(today.year - n) for n in range(count - 1, -1, -1)]


def _trend_periods(ind: declared.Indicator, today) -> list[str]:
    if ind.period == declared.MONTH:
        return _months(today)
    if ind.period == declared.YEAR:
        return _years(today)
    return []


def _pick_period(ind, today, trend) -> tuple[str, str]:
    """The period a figure is shown for, and its label: a snapshot as it stands; a monthly figure
    for this year so far; a yearly figure for its latest year with a value (an incidence is
    counted after the year's end) among the five of its trend."""
    if ind.period == declared.SNAPSHOT:
        return "", _("当前")
    if ind.period == declared.MONTH:
        return str(today.year), _("%(year)s年") % {"year": today.year}
    year = str(today.year)
    for period, value in reversed(trend):
        if value:
            year = period
            break
    return year, _("%(year)s年") % {"year": year}


def key_figures(user, division: str | None, *, narrow: bool) -> list[Figure]:
    """The key figures of the area, each with its trend and its drill list."""
    slots = NARROW_FIGURES if narrow else WIDE_FIGURES
    wanted = NARROW_COUNT if narrow else WIDE_COUNT
    chosen: list[declared.Indicator] = []
    for candidates in slots:
        ind = _declared(candidates)
        if ind is not None and ind not in chosen:
            chosen.append(ind)
    # Fewer declared than wanted (a catalogue still growing): fill from the catalogue's order.
    for ind in declared.catalogue().values():
        if len(chosen) >= wanted:
            break
        if ind not in chosen and not ind.unit_field:
            chosen.append(ind)
    today = timezone.localdate()
    chosen = chosen[:wanted]
    # Every figure and trend point from one read (selectors.figures), not two reads a figure.
    periods_of = {ind.code: _trend_periods(ind, today) for ind in chosen}
    every = sorted({p for periods in periods_of.values() for p in periods} | {str(today.year)})
    read = selectors.figures(user, [ind.code for ind in chosen], division=division, periods=every)
    if read is None:  # outside the scope: nothing to show
        return []
    figures = []
    for ind in chosen:
        periods = periods_of[ind.code]
        trend = read.trend(ind.code, periods) if periods else []
        period, label = _pick_period(ind, today, trend)
        figures.append(
            Figure(
                code=ind.code,
                name=_short_name(ind),
                unit=str(ind.unit),
                value=read.figure(ind.code, period),
                period=period,
                period_label=label,
                url=selectors.drill_url(ind.code, division=division, period=period),
                trend=[(p, _float(v)) for p, v in trend],
            )
        )
    return figures


def _charts(user, division: str | None) -> list[dict]:
    today = timezone.localdate()
    drawn = [(chart_id, title, _declared(candidates), kind) for chart_id, title, candidates, kind in CHARTS]
    drawn = [(chart_id, title, ind, kind) for chart_id, title, ind, kind in drawn if ind is not None]
    # The trends and categories of every chart from one read (selectors.figures).
    every = sorted({p for _c, _t, ind, _k in drawn for p in _trend_periods(ind, today)})
    read = selectors.figures(
        user,
        [ind.code for _c, _t, ind, _k in drawn],
        division=division,
        periods=every,
        categorised=[ind.code for _c, _t, ind, kind in drawn if kind != "months"],
    )
    if read is None:
        return []
    charts = []
    for chart_id, title, ind, kind in drawn:
        if kind == "months":
            periods = _trend_periods(ind, today)
            if not periods:
                continue
            points = read.trend(ind.code, periods)
            labels, values = [p for p, _v in points], [_float(v) for _p, v in points]
            unit = str(ind.unit)
        else:
            if not ind.categories:
                continue
            period, _label = _pick_period(ind, today, read.trend(ind.code, _trend_periods(ind, today)))
            rows = read.by_category(ind.code, period)
            labels, values = [label for _k, label, _v in rows], [_float(v) for _k, _l, v in rows]
            unit = str(ind.unit)
        charts.append(
            {
                "id": chart_id,
                "title": str(title),
                "kind": kind,
                "unit": unit,
                "labels": labels,
                "values": values,
                "empty": not any(values),
            }
        )
    return charts


def _map_of(area: Region | None, roots: list[Region]) -> dict | None:
    """Which boundaries draw the area's children: the provinces of China, a province's cities,
    a city's counties; None below the county (no boundaries: a ranked bar chart instead)."""
    if area is None:
        if roots and all(len(r.code) == 2 for r in roots):
            return {"url": static(MAPS.format("china")), "level": "province", "within": ""}
        return None
    if len(area.code) == 2:
        return {"url": static(MAPS.format(area.code)), "level": "city", "within": area.code}
    if len(area.code) == 4:
        return {"url": static(MAPS.format(area.code[:2])), "level": "county", "within": area.code}
    return None


def _area(request, scope) -> tuple[Region | None, list[Region]]:
    """The division shown (None: the whole of a scope with several roots) and the scope's roots."""
    roots = list(Region.objects.filter(code__in=scope.prefixes).order_by("code"))
    code = (request.GET.get("division") or "").strip()
    if code:
        if not is_wellformed_code(code) or not scope.covers_code(code):
            raise Http404
        area = Region.objects.filter(code=code).first()
        if area is None:
            raise Http404
        return area, roots
    return (roots[0] if len(roots) == 1 else None), roots


def _crumbs(area: Region | None, scope, roots) -> list[Region]:
    if area is None:
        return []
    return [r for r in path_of(area) if scope.covers_code(r.code)]


def _link(division: str | None, **params) -> str:
    query = {"division": division or "", **params}
    return "?" + urlencode({k: v for k, v in query.items() if v})


def _profile_context(request) -> dict:
    """The profile card's context (core.views.home's), shown on the 驾驶舱 as 个人信息."""
    user = request.user
    return {
        "scope": scope_of(user),
        "scope_places": scope_places(user),
        "role_names": role_labels(user),
        "quick_links": [item for item in menu_for(request) if item["icon"] != "home"],
    }


def dashboard_context(request) -> dict:
    user = request.user
    scope = scope_of(user)
    area, roots = _area(request, scope)
    division = area.code if area else None
    # The short set for a viewer whose places are townships or villages (a cadre), wherever they look.
    narrow = bool(scope.prefixes) and all(len(code) >= 9 for code in scope.prefixes)
    figures = key_figures(user, division, narrow=narrow)
    chosen = request.GET.get("figure") or ""
    figure = next((f for f in figures if f.code == chosen), figures[0] if figures else None)
    parts = []
    if figure is not None:
        parts = selectors.breakdown(user, figure.code, division=division, period=figure.period)
    wall = request.GET.get("screen") == "wall" or request.resolver_match.url_name == "dashboard_wall"
    extra = {"screen": "wall"} if wall else {}
    if figure is not None and chosen:
        extra["figure"] = figure.code
    rows = [
        {
            "code": p.code,
            "name": p.name,
            "value": p.value,
            "display": _number(p.value),
            "url": _link(p.code, **extra),
        }
        for p in parts
    ]
    ranked = sorted(rows, key=lambda r: (r["value"] is None, -(r["value"] or 0), r["code"]))
    run = selectors.last_refresh()
    data = {
        "figure": {"code": figure.code, "name": figure.name, "unit": figure.unit} if figure else None,
        "parts": [
            {"code": r["code"], "name": r["name"], "value": _float(r["value"]), "url": r["url"]} for r in rows
        ],
        "map": _map_of(area, roots) if rows else None,
        "trends": {
            f.code: {"periods": [p for p, _v in f.trend], "values": [v for _p, v in f.trend]} for f in figures
        },
        "charts": _charts(user, division),
        "wall": wall,
        "labels": {"none": _("无数据")},
    }
    return {
        "area": area,
        "area_name": area.name if area else _("全部辖区"),
        "roots": roots,
        "crumbs": _crumbs(area, scope, roots),
        "several_roots": len(roots) > 1,
        "division": division or "",
        "figures": figures,
        "figure": figure,
        "rows": rows,
        "ranked": ranked,
        "total_display": _number(sum((r["value"] or 0) for r in rows)) if rows else "",
        "todos": core_todo.todos_for(user),
        "refreshed_at": run.started_at if run else None,
        "dashboard_data": data,
        "wall": wall,
        "wall_url": _link(division, screen="wall", figure=chosen),
        "exit_wall_url": "/" + _link(division, figure=chosen),
        "wall_refresh": WALL_REFRESH_SECONDS,
        "narrow": narrow,
    }


@login_required
def home(request):
    """`/`: the 驾驶舱 for a user who may see it; the profile card (core) for the administrators
    and anyone without a place."""
    user = request.user
    if not user.has_perm(PERM) or scope_of(user).is_empty:
        return core_views.home(request)
    context = {**_profile_context(request), **dashboard_context(request)}
    template = "reports/dashboard_wall.html" if context["wall"] else "reports/dashboard.html"
    return render(request, template, context)


@login_required
def wall(request):
    """The wall screen (大屏) from the menu: the 驾驶舱's `?screen=wall` layout."""
    user = request.user
    if not user.has_perm(PERM) or scope_of(user).is_empty:
        return core_views.home(request)
    return render(request, "reports/dashboard_wall.html", dashboard_context(request))


urlpatterns = [path("wall/", wall, name="dashboard_wall")]
