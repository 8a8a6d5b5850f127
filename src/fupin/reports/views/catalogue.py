"""Reports pages: the indicator catalogue (指标目录) and the rollup's 刷新.

The catalogue is a list of the one list mechanism (core.lists: the page, its export and the same
filters): every declared indicator's code, name, definition, unit, period and levels, as the
`reports.Indicator` rows hold them. It is national reference, not place data: no scope applies.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from fupin.core.forms import form_page
from fupin.core.lists import BOOL, Column, FilterForm, ListSpec, urls
from fupin.core.permissions import may
from fupin.reports import selectors, tasks
from fupin.reports.models import KIND_LABELS, PERIOD_LABELS, Indicator

VIEW_PERM = "reports.view_indicator"
REFRESH_PERM = "reports.refresh_rollup"


class CatalogueQueryForm(FilterForm):
    q = forms.CharField(label=gettext_lazy("代码或名称"), required=False, max_length=64)
    period = forms.ChoiceField(
        label=gettext_lazy("统计周期"),
        required=False,
        choices=[("", gettext_lazy("全部")), *PERIOD_LABELS.items()],
    )


def catalogue_rows(user, filters: dict):
    rows = Indicator.objects.filter(declared=True).order_by("position", "code", "id")
    if filters.get("q"):
        rows = rows.filter(Q(code__icontains=filters["q"]) | Q(name__icontains=filters["q"]))
    if filters.get("period"):
        rows = rows.filter(period=filters["period"])
    return rows


def _toolbar(user, querystring) -> list[tuple[str, str]]:
    if may(user, REFRESH_PERM):
        return [(_("刷新汇总"), reverse("reports:refresh_rollup"))]
    return []


def _updated() -> str:
    run = selectors.last_refresh()
    if run is None:
        return _("汇总表尚未刷新。")
    return _("数据更新于 %(at)s(%(how)s)。") % {
        "at": date_format(localtime(run.started_at), "Y-m-d H:i"),
        "how": _("全量") if run.full else _("增量"),
    }


CATALOGUE = ListSpec(
    name="reports.indicator",
    url="reports:indicator",
    title=gettext_lazy("指标目录"),
    filters=CatalogueQueryForm,
    rows=catalogue_rows,
    columns=[
        Column(gettext_lazy("指标代码"), lambda r: r.code, sort="code"),
        Column(gettext_lazy("指标名称"), lambda r: r.name, sort="name"),
        Column(gettext_lazy("指标定义"), lambda r: r.definition),
        Column(gettext_lazy("计量单位"), lambda r: r.unit),
        Column(gettext_lazy("统计周期"), lambda r: str(PERIOD_LABELS.get(r.period, r.period)), sort="period"),
        Column(gettext_lazy("计算方式"), lambda r: str(KIND_LABELS.get(r.kind, r.kind))),
        Column(gettext_lazy("适用层级"), lambda r: r.levels_display),
        Column(gettext_lazy("启用"), lambda r: r.active, BOOL),
    ],
    permission=VIEW_PERM,
    toolbar=_toolbar,
    notes=(
        gettext_lazy(
            "每个指标由其所属模块声明,数值由汇总表按区划逐级汇总;点击驾驶舱中的数字可查看所统计的记录。"
        ),
    ),
    context=lambda user, query: {"updated": _updated()},
)


class RefreshForm(forms.Form):
    indicator = forms.ChoiceField(label=gettext_lazy("指标"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("全部指标"))] + [
            (row.code, f"{row.code} {row.name}") for row in selectors.indicators()
        ]


@login_required
@require_http_methods(["GET", "POST"])
def refresh_rollup(request):
    """刷新: a full refresh of the rollup (or of one indicator) as the user's job on the queue."""
    form = RefreshForm(request.POST or None)
    return form_page(
        request,
        form,
        write=lambda f: tasks.start_refresh(
            by=request.user, indicators=[f.cleaned_data["indicator"]] if f.cleaned_data["indicator"] else None
        ),
        success=lambda job: reverse("jobs:status", args=[job.pk]),
        done=_("已提交刷新任务。"),
        title=_("刷新汇总"),
        back=reverse("reports:indicator_list"),
        perm=REFRESH_PERM,
        intro=_updated(),
    )


urlpatterns = [
    *urls(CATALOGUE, "indicators/"),
    path("indicators/refresh/", refresh_rollup, name="refresh_rollup"),
]
