"""统计报表 pages: the list of forms (core.lists), a form's page (choose the area and period, 预览
and 下载 .xlsx), and a county officer's own form defined without code (name, rows, columns picked
from the indicator catalogue, their order and headers).

Every number comes from `reports.tabulations.build` (the rollup through `reports.selectors`,
scoped to the reader). A form the reader may not open (another county's) is a 404, like a missing
one; an area outside the reader's scope is refused by the picker. A county's (or a township's,
a village's) form answers the download at once, audited like every export; a city's or a
province's goes to the job queue and its file is downloaded from the job's page.
"""

from __future__ import annotations

import tempfile

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fupin.core.forms import ScopedForm, form_page, scope_root
from fupin.core.lists import INT, XLSX_TYPE, Column, FilterForm, ListSpec, audit_export, urls
from fupin.core.menu import section_for
from fupin.core.permissions import may, require
from fupin.regions.forms import RegionField
from fupin.reports import selectors, tabulations, tasks
from fupin.reports.models import ROWS_LABELS, TAB_PERIOD_LABELS, Tabulation

VIEW_PERM = "reports.view_tabulation"
ADD_PERM = "reports.add_tabulation"
CHANGE_PERM = "reports.change_tabulation"
DELETE_PERM = "reports.delete_tabulation"


# --- the list ---------------------------------------------------------------------------------


class TabulationQueryForm(FilterForm):
    q = forms.CharField(label=gettext_lazy("报表名称"), required=False, max_length=50)
    source = forms.ChoiceField(
        label=gettext_lazy("来源"),
        required=False,
        choices=[
            ("", gettext_lazy("全部")),
            ("shipped", gettext_lazy("国家通用")),
            ("own", gettext_lazy("本地自定义")),
        ],
    )


def tabulation_rows(user, filters: dict):
    rows = tabulations.visible(user)
    if filters.get("q"):
        rows = rows.filter(name__icontains=filters["q"])
    if filters.get("source") == "shipped":
        rows = rows.filter(shipped=True)
    elif filters.get("source") == "own":
        rows = rows.filter(shipped=False)
    return rows.order_by("-shipped", "position", "id")


def _source(row) -> str:
    return str(tabulations.SHIPPED_LABEL) if row.shipped else _("%(code)s 自定义") % {"code": row.owner}


def _actions(row, user) -> list[tuple[str, str]]:
    found = [(_("生成"), reverse("reports:tabulation_detail", args=[row.pk]))]
    if not row.shipped and may(user, CHANGE_PERM, code=row.owner):
        found.append((_("修改"), reverse("reports:tabulation_edit", args=[row.pk])))
    return found


TABULATIONS = ListSpec(
    name="reports.tabulation",
    url="reports:tabulation",
    title=gettext_lazy("统计报表"),
    filters=TabulationQueryForm,
    rows=tabulation_rows,
    columns=[
        Column(
            gettext_lazy("报表名称"),
            tabulations.display_name,
            sort="name",
            html=lambda r: format_html(
                '<a href="{}">{}</a>',
                reverse("reports:tabulation_detail", args=[r.pk]),
                tabulations.display_name(r),
            ),
        ),
        Column(gettext_lazy("行"), lambda r: str(ROWS_LABELS.get(r.rows, r.rows))),
        Column(
            gettext_lazy("报表周期"), lambda r: str(TAB_PERIOD_LABELS.get(r.period, r.period)), sort="period"
        ),
        Column(gettext_lazy("栏目数"), lambda r: len(r.columns or []), INT),
        Column(gettext_lazy("来源"), _source),
        Column(gettext_lazy("版本"), lambda r: r.version, INT),
    ],
    permission=VIEW_PERM,
    new=("reports:tabulation_create", ADD_PERM),
    actions=_actions,
    notes=(
        gettext_lazy(
            "报表的数字全部取自统计汇总表(指标目录中的指标),可选择任一有权查看的区划和期间生成;"
            "县级可用指标自行定义报表,无需开发。"
        ),
    ),
)


# --- a form's page: 预览 and 下载 --------------------------------------------------------------


class GenerateForm(ScopedForm):
    region_fields = ("area",)
    area = RegionField(label=gettext_lazy("区划"), required=True)
    period = forms.CharField(label=gettext_lazy("期间"), required=False, max_length=10)

    def __init__(self, *args, tabulation: Tabulation, **kwargs):
        super().__init__(*args, **kwargs)
        self.tabulation = tabulation
        shapes = {"month": "2026-11", "quarter": "2026-Q4", "year": "2026"}
        if tabulation.period in shapes:
            self.fields["period"].help_text = _("格式:%(shape)s") % {"shape": shapes[tabulation.period]}
            self.fields["period"].initial = tabulations.default_period(tabulation.period)
        else:
            self.fields["period"].widget = forms.HiddenInput()

    def clean_period(self):
        try:
            return tabulations.parse_period(self.tabulation.period, self.cleaned_data.get("period") or "")
        except tabulations.Refused as error:
            raise ValidationError(error.message) from error


def _visible_or_404(user, pk) -> Tabulation:
    found = tabulations.visible(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _generate_form(request, tabulation):
    params = request.GET if "area" in request.GET else None
    if params is None:
        initial = {
            "area": scope_root(request.user) or "",
            "period": tabulations.default_period(tabulation.period),
        }
        return GenerateForm(initial=initial, user=request.user, tabulation=tabulation), False
    return GenerateForm(params, user=request.user, tabulation=tabulation), True


@login_required
def tabulation_detail(request, pk: int):
    require(request, VIEW_PERM)
    tabulation = _visible_or_404(request.user, pk)
    form, bound = _generate_form(request, tabulation)
    table = None
    if not bound and form.initial.get("area"):
        # The reader's own area, for the default period: the preview at once.
        try:
            table = tabulations.build(request.user, tabulation, area=form.initial["area"])
        except (tabulations.OutOfScope, tabulations.Refused):
            table = None
    elif bound and form.is_valid():
        try:
            table = tabulations.build(
                request.user,
                tabulation,
                area=form.cleaned_data["area"].code,
                period=form.cleaned_data["period"],
            )
        except tabulations.OutOfScope as error:
            raise Http404 from error
    section = section_for(request)
    return render(
        request,
        "reports/tabulation_detail.html",
        {
            "tabulation": tabulation,
            "name": tabulations.display_name(tabulation),
            "form": form,
            "table": table,
            "top": table.header_rows()[0] if table else [],
            "second": table.header_rows()[1] if table else [],
            "crumbs": [section or (_("统计报表"), reverse("reports:tabulation_list"))],
            "query": request.GET.urlencode(),
            "may_edit": not tabulation.shipped and may(request.user, CHANGE_PERM, code=tabulation.owner),
            "columns": tabulations.columns_of(tabulation),
        },
    )


def direct_response(request, table) -> FileResponse:
    """The form's .xlsx answered at once (a county's form: fast), with its one audit row."""
    handle = tempfile.TemporaryFile()
    tabulations.write_xlsx(table, handle)
    handle.seek(0)
    audit_export(
        request=request,
        name=TABULATIONS.name,
        title=table.title,
        filters=table.filters(),
        count=len(table.data_rows),
        masked=True,
        fmt="xlsx",
    )
    return FileResponse(handle, as_attachment=True, filename=table.filename, content_type=XLSX_TYPE)


@login_required
def tabulation_download(request, pk: int):
    require(request, VIEW_PERM)
    tabulation = _visible_or_404(request.user, pk)
    form, bound = _generate_form(request, tabulation)
    if not bound:
        form = GenerateForm(
            {"area": form.initial.get("area") or "", "period": form.initial.get("period") or ""},
            user=request.user,
            tabulation=tabulation,
        )
    if not form.is_valid():
        return redirect(reverse("reports:tabulation_detail", args=[pk]) + "?" + request.GET.urlencode())
    area, period = form.cleaned_data["area"].code, form.cleaned_data["period"]
    if len(area) < tabulations.DIRECT_CODE_LENGTH:
        if not selectors.in_scope(request.user, area):
            raise Http404
        job = tasks.start_tabulate(by=request.user, tabulation=tabulation, area=area, period=period)
        return redirect("jobs:status", job.pk)
    try:
        table = tabulations.build(request.user, tabulation, area=area, period=period)
    except tabulations.OutOfScope as error:
        raise Http404 from error
    return direct_response(request, table)


# --- a county's own form, defined without code --------------------------------------------------


def _item_choices():
    choices = [("", "---------")]
    for row in selectors.indicators():
        ind = selectors.declaration(row.code)
        if ind is None:
            continue
        options = [(row.code, f"{row.name}({row.unit})")]
        for key, label in (ind.categories or {}).items():
            options.append((f"{row.code}|{key}", f"{row.name} · {label}"))
        choices.append((f"{row.name}({row.code})", options))
    return choices


class ColumnForm(forms.Form):
    # A plain text field drawn as a select: the one rule (validate_definition) judges the value.
    item = forms.CharField(label=gettext_lazy("指标(及分类)"), required=False, max_length=140)
    header = forms.CharField(label=gettext_lazy("栏目名称"), required=False, max_length=40)
    group = forms.CharField(label=gettext_lazy("上级栏目"), required=False, max_length=40)
    wan = forms.BooleanField(label=gettext_lazy("按万元列示"), required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].widget = forms.Select(choices=choices)


ColumnFormSet = forms.formset_factory(
    ColumnForm, extra=0, can_order=True, can_delete=True, max_num=tabulations.MAX_COLUMNS
)


class DefineForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("报表名称"), max_length=100)
    rows = forms.ChoiceField(label=gettext_lazy("行"), choices=list(ROWS_LABELS.items()))
    row_indicator = forms.ChoiceField(label=gettext_lazy("分类行所用指标"), required=False)
    period = forms.ChoiceField(label=gettext_lazy("报表周期"), choices=list(TAB_PERIOD_LABELS.items()))
    unit_line = forms.CharField(label=gettext_lazy("计量单位说明"), required=False, max_length=100)
    notes = forms.CharField(
        label=gettext_lazy("填报说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary = forms.BooleanField(label=gettext_lazy("生成文字通报"), required=False)

    def __init__(self, *args, formset, **kwargs):
        super().__init__(*args, **kwargs)
        self.formset = formset
        self.fields["row_indicator"].choices = [("", _("(按下一级区划分行时不选)"))] + [
            (row.code, f"{row.name}({row.code})")
            for row in selectors.indicators()
            if (selectors.declaration(row.code) and selectors.declaration(row.code).categories)
        ]

    def columns(self) -> list[tuple[int, dict]]:
        """(index in the formset, column) of the rows filled in, in the order chosen."""
        found = []
        for i, sub in enumerate(self.formset.forms):
            data = sub.cleaned_data if sub.is_valid() else {}
            if not data.get("item") or data.get("DELETE"):
                continue
            code, _sep, category = data["item"].partition("|")
            order = data.get("ORDER")
            found.append(
                (
                    order if order is not None else 10_000 + i,
                    i,
                    {
                        "indicator": code,
                        "category": category,
                        "header": data.get("header", ""),
                        "group": data.get("group", ""),
                        "wan": data.get("wan", False),
                    },
                )
            )
        found.sort(key=lambda entry: (entry[0], entry[1]))
        return [(i, column) for _order, i, column in found]

    def clean(self):
        cleaned = super().clean()
        if not self.formset.is_valid():
            raise ValidationError(_("请检查下面的栏目。"))
        columns = self.columns()
        data = {**cleaned, "columns": [column for _i, column in columns]}
        try:
            self.definition = tabulations.validate_definition(data)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                if key.startswith("columns."):
                    _prefix, index, name = key.split(".")
                    sub = self.formset.forms[columns[int(index)][0]]
                    sub.add_error(name if name in ("header", "group", "wan") else "item", messages)
                    self.add_error(
                        None, _("第 %(n)d 栏:%(m)s") % {"n": int(index) + 1, "m": ";".join(messages)}
                    )
                elif key in self.fields:
                    self.add_error(key, messages)
                else:
                    self.add_error(None, messages)
        return cleaned


def _initial_columns(tabulation: Tabulation | None) -> list[dict]:
    if tabulation is None:
        return []
    return [
        {
            "item": c.indicator + (f"|{c.category}" if c.category else ""),
            "header": c.header,
            "group": c.group,
            "wan": c.wan,
            "ORDER": i + 1,
        }
        for i, c in enumerate(tabulations.columns_of(tabulation))
    ]


def _define_page(request, tabulation: Tabulation | None):
    owner = tabulation.owner if tabulation else tabulations.owner_for(request.user)
    if not owner:
        raise Http404  # a viewer above the county defines no county form
    require(request, CHANGE_PERM if tabulation else ADD_PERM, code=owner)
    choices = _item_choices()
    initial_columns = _initial_columns(tabulation)
    blank = 8 if tabulation is None else 4
    formset = ColumnFormSet(
        request.POST or None,
        prefix="col",
        initial=initial_columns + [{} for _i in range(blank)],
        form_kwargs={"choices": choices},
    )
    initial = (
        {
            "name": tabulation.name,
            "rows": tabulation.rows,
            "row_indicator": tabulation.row_indicator,
            "period": tabulation.period,
            "unit_line": tabulation.unit_line,
            "notes": tabulation.notes,
            "summary": tabulation.summary,
        }
        if tabulation
        else {"rows": "children", "period": "month"}
    )
    form = DefineForm(request.POST or None, initial=initial, formset=formset)
    return form_page(
        request,
        form,
        write=lambda f: tabulations.define(
            by=request.user, data=f.definition, owner=owner, tabulation=tabulation
        ),
        success=lambda t: reverse("reports:tabulation_detail", args=[t.pk]),
        done=_("报表已保存。"),
        title=_("修改报表") if tabulation else _("新建报表"),
        back=reverse("reports:tabulation_detail", args=[tabulation.pk])
        if tabulation
        else reverse("reports:tabulation_list"),
        # 统计报表 itself is the section's crumb (core.menu.section_for).
        crumbs=[
            (tabulations.display_name(tabulation), reverse("reports:tabulation_detail", args=[tabulation.pk]))
        ]
        if tabulation
        else [],
        template="reports/tabulation_form.html",
        formset=formset,
        tabulation=tabulation,
        intro=_(
            "从指标目录中选择指标(及分类)作为栏目,按“排序”排列;相邻栏目填写相同的“上级栏目”时合并为两行表头。"
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def tabulation_create(request):
    return _define_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def tabulation_edit(request, pk: int):
    require(request, VIEW_PERM)
    tabulation = _visible_or_404(request.user, pk)
    if tabulation.shipped:
        raise Http404  # the shipped forms are national: kept by the system
    return _define_page(request, tabulation)


@login_required
@require_POST
def tabulation_delete(request, pk: int):
    from django.contrib import messages

    from fupin.audit.services import audit_record

    require(request, VIEW_PERM)
    tabulation = _visible_or_404(request.user, pk)
    if tabulation.shipped:
        raise Http404
    require(request, DELETE_PERM, code=tabulation.owner)
    audit_record(
        action="delete",
        request=request,
        object_type="reports.tabulation",
        object_id=str(tabulation.pk),
        object_repr=tabulation.name,
        region_code=tabulation.owner,
    )
    tabulation.delete()
    messages.success(request, _("报表已删除。"))
    return redirect("reports:tabulation_list")


urlpatterns = [
    *urls(TABULATIONS, "tabulations/"),
    path("tabulations/new/", tabulation_create, name="tabulation_create"),
    path("tabulations/<int:pk>/", tabulation_detail, name="tabulation_detail"),
    path("tabulations/<int:pk>/download/", tabulation_download, name="tabulation_download"),
    path("tabulations/<int:pk>/edit/", tabulation_edit, name="tabulation_edit"),
    path("tabulations/<int:pk>/delete/", tabulation_delete, name="tabulation_delete"),
]
