"""Supervision's lists, each declared once (fupin.core.lists): 督查问题, 督查, 任务. The page, its export
and the API's list come from the declaration; the rows from supervision.selectors, scoped.

Urgency is the lists' colour: an unclosed finding (an unfinished task) is orange from its warning
day, red past its deadline (selectors.urgency_expression, the same rule in SQL).
"""

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fupin.core.lists import DATE, Column, FilterForm, ListSpec, urls
from fupin.orgs.selectors import units_visible_to
from fupin.regions.forms import RegionField
from fupin.supervision import selectors
from fupin.supervision.choices import (
    AssessmentKind,
    AssessmentState,
    FindingState,
    InspectionKind,
    InspectionState,
    Severity,
    TaskState,
    Urgency,
)

ALL = [("", _("全部"))]
FINDING_PERM = "supervision.view_finding"
INSPECTION_PERM = "supervision.view_inspection"
TASK_PERM = "supervision.view_task"
ASSESSMENT_PERM = "supervision.view_assessment"
SECTION = {"section": (_("督查督办"), "supervision:home")}
NAV = "supervision/_nav.html"

URGENCY_COLOURS = {Urgency.DUE: "green", Urgency.SOON: "orange", Urgency.OVERDUE: "red"}
STATE_COLOURS = {
    FindingState.OPEN: "red",
    FindingState.RECTIFYING: "orange",
    FindingState.SUBMITTED: "blue",
    FindingState.CLOSED: "green",
}
URGENCIES = ALL + [(selectors.OVERDUE_ANY, _("临期和逾期"))] + Urgency.choices


# --- query forms ----------------------------------------------------------------------------------


class FindingQueryForm(FilterForm):
    region_fields = ("division",)

    division = RegionField(label=_("区划"), required=False)
    category = forms.ModelChoiceField(
        label=_("问题类别"), required=False, queryset=selectors.all_categories(), empty_label=_("全部")
    )
    severity = forms.ChoiceField(label=_("严重程度"), required=False, choices=ALL + Severity.choices)
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=ALL + [("open", _("未销号(全部)"))] + FindingState.choices
    )
    urgency = forms.ChoiceField(label=_("预警"), required=False, choices=URGENCIES)
    unit = forms.ModelChoiceField(
        label=_("责任单位"), required=False, queryset=units_visible_to(None), empty_label=_("全部")
    )
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = units_visible_to(user)


class InspectionQueryForm(FilterForm):
    region_fields = ("division",)

    division = RegionField(label=_("区划"), required=False)
    kind = forms.ChoiceField(label=_("方式"), required=False, choices=ALL + InspectionKind.choices)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + InspectionState.choices)


class TaskQueryForm(FilterForm):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=ALL + [("open", _("未完成(全部)"))] + TaskState.choices
    )
    urgency = forms.ChoiceField(label=_("预警"), required=False, choices=URGENCIES)
    unit = forms.ModelChoiceField(
        label=_("牵头或责任单位"), required=False, queryset=units_visible_to(None), empty_label=_("全部")
    )
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = units_visible_to(user)


class AssessmentQueryForm(FilterForm):
    region_fields = ("division",)

    division = RegionField(label=_("考核地区"), required=False)
    kind = forms.ChoiceField(label=_("考核类型"), required=False, choices=ALL + AssessmentKind.choices)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + AssessmentState.choices)


# --- cells ------------------------------------------------------------------------------------------


def _tag(text, colour):
    return format_html('<span class="tag tag-{}">{}</span>', colour, text)


def _urgency(row) -> str:
    value = getattr(row, "urgency", None)
    if value is None:
        value = selectors.urgency_of(row)
    return str(Urgency(value).label) if value else ""


def _urgency_html(row):
    value = getattr(row, "urgency", None)
    if value is None:
        value = selectors.urgency_of(row)
    return _tag(Urgency(value).label, URGENCY_COLOURS[value]) if value else "—"


def _link(name: str, row, text):
    return format_html('<a href="{}">{}</a>', reverse(name, args=[row.pk]), text)


def _short(text: str, n: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --- the lists ----------------------------------------------------------------------------------------

FINDINGS = ListSpec(
    name="supervision.finding",
    url="supervision:finding",
    title=_("督查问题"),
    filters=FindingQueryForm,
    rows=lambda user, f: selectors.finding_list(user=user, **f),
    columns=[
        Column(
            _("问题编号"),
            lambda r: r.number,
            sort="number",
            html=lambda r: _link("supervision:finding_detail", r, r.number),
        ),
        Column(_("问题描述"), lambda r: _short(r.description)),
        Column(_("问题类别"), lambda r: str(r.category), sort="category__order"),
        Column(_("严重程度"), lambda r: r.get_severity_display(), sort="severity"),
        Column(_("所属区划"), lambda r: str(r.division), sort="division_id"),
        Column(_("责任单位"), lambda r: str(r.responsible_unit or "")),
        Column(
            _("状态"),
            lambda r: r.get_state_display(),
            sort="state",
            html=lambda r: _tag(r.get_state_display(), STATE_COLOURS[r.state]),
        ),
        Column(_("整改时限"), lambda r: r.deadline, DATE, sort="deadline"),
        Column(_("预警"), _urgency, html=_urgency_html, sort="urgency"),
        Column(_("发现日期"), lambda r: r.found_on, DATE, sort="found_on"),
        Column(_("销号日期"), lambda r: r.closed_on, DATE, sort="closed_on"),
    ],
    permission=FINDING_PERM,
    new=("supervision:finding_new", "supervision.record_finding"),
    actions=lambda r, user: [(_("办理"), reverse("supervision:finding_detail", args=[r.pk]))],
    nav=NAV,
    notes=[_("黄色预警:临近整改时限;红色预警:超过整改时限,已上报责任单位的上级。")],
    extra={**SECTION, "empty": _("没有符合条件的督查问题")},
)

INSPECTIONS = ListSpec(
    name="supervision.inspection",
    url="supervision:inspection",
    title=_("督查"),
    filters=InspectionQueryForm,
    rows=lambda user, f: selectors.inspection_list(user=user, **f),
    columns=[
        Column(
            _("名称"),
            lambda r: r.title,
            sort="title",
            html=lambda r: _link("supervision:inspection_detail", r, r.title),
        ),
        Column(_("方式"), lambda r: r.get_kind_display(), sort="kind"),
        Column(_("督查范围"), lambda r: str(r.area), sort="area_id"),
        Column(_("督查清单"), lambda r: str(r.checklist or "")),
        Column(_("开始日期"), lambda r: r.start, DATE, sort="start"),
        Column(_("结束日期"), lambda r: r.end, DATE, sort="end"),
        Column(_("状态"), lambda r: r.get_state_display(), sort="state"),
    ],
    permission=INSPECTION_PERM,
    new=("supervision:inspection_new", "supervision.record_inspection"),
    actions=lambda r, user: [(_("查看"), reverse("supervision:inspection_detail", args=[r.pk]))],
    nav=NAV,
    extra={**SECTION, "empty": _("没有符合条件的督查")},
)

TASKS = ListSpec(
    name="supervision.task",
    url="supervision:task",
    title=_("任务"),
    filters=TaskQueryForm,
    rows=lambda user, f: selectors.task_list(user=user, **f),
    columns=[
        Column(
            _("任务"),
            lambda r: r.title,
            html=lambda r: _link("supervision:task_detail", r, _short(r.title, 50)),
        ),
        Column(_("工作计划"), lambda r: str(r.plan), sort="plan__title"),
        Column(_("牵头单位"), lambda r: str(r.lead_unit)),
        Column(_("责任单位"), lambda r: str(r.responsible_unit or "")),
        Column(_("完成时限"), lambda r: r.deadline, DATE, sort="deadline"),
        Column(_("状态"), lambda r: r.get_state_display(), sort="state"),
        Column(_("完成进度(%)"), lambda r: r.progress, "int", sort="progress"),
        Column(_("预警"), _urgency, html=_urgency_html, sort="urgency"),
    ],
    permission=TASK_PERM,
    actions=lambda r, user: [(_("查看"), reverse("supervision:task_detail", args=[r.pk]))],
    nav=NAV,
    extra={**SECTION, "empty": _("没有符合条件的任务")},
)


def _assessed(row) -> str:
    return str(row.unit) if row.unit_id else str(row.county)


def _assessment_toolbar(user, query) -> list:
    if not user.has_perm("supervision.assess"):
        return []
    return [(_("新建县级考核"), reverse("supervision:county_assessment_new"))]


ASSESSMENTS = ListSpec(
    name="supervision.assessment",
    url="supervision:assessment",
    title=_("考核"),
    filters=AssessmentQueryForm,
    rows=lambda user, f: selectors.assessment_list(user=user, **f),
    columns=[
        Column(
            _("考核对象"),
            _assessed,
            html=lambda r: _link("supervision:assessment_detail", r, _assessed(r)),
        ),
        Column(_("考核类型"), lambda r: r.get_kind_display(), sort="kind"),
        Column(_("年度"), lambda r: r.year, "int", sort="year"),
        Column(_("考核地区"), lambda r: str(r.county), sort="county_id"),
        Column(_("得分"), lambda r: r.total, "decimal", sort="total"),
        Column(_("状态"), lambda r: r.get_state_display(), sort="state"),
    ],
    permission=ASSESSMENT_PERM,
    new=("supervision:assessment_new", "supervision.assess"),
    toolbar=_assessment_toolbar,
    actions=lambda r, user: [(_("查看"), reverse("supervision:assessment_detail", args=[r.pk]))],
    nav=NAV,
    notes=[
        _(
            "帮扶单位考核按责任书六项指标,由县考核;县级巩固成果考核按考核标准,数据取自指标汇总,由市、省级考核。"
        )
    ],
    extra={**SECTION, "empty": _("暂无考核")},
)

URLS = [
    *urls(FINDINGS, "findings/"),
    *urls(INSPECTIONS, "inspections/"),
    *urls(TASKS, "tasks/"),
    *urls(ASSESSMENTS, "assessments/"),
]
