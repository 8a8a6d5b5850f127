"""The lists of monitoring, each declared once (fupin.core.lists): 风险线索, 监测对象, 风险消除, 逾期线索
(per township or county) and 数据质量问题. The page, its export (masked for everyone) and the clear
export (registry.reveal_household, with a purpose) all come from the declaration; the rows from
monitoring.selectors_lists, through the scoping choke point.
监测对象 also exports in the national collection's layout (OBJECTS_NATIONAL: the same list, its file
written by monitoring.exchange).

Urgency is the lists' colour: an open case past its step's deadline is orange, past the decision
limit red (deadlines.urgency); the list filters and sorts on the same rule in SQL
(selectors.urgency_expression, a Case/When on the dates).
"""

from dataclasses import replace

from django import forms
from django.http import QueryDict
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from fupin.core import crypto
from fupin.core.lists import (
    AFTER_PARAM,
    BOOL,
    DATE,
    DATETIME,
    INT,
    Column,
    FilterForm,
    ListSpec,
    export_clear_view,
    export_view,
    urls,
)
from fupin.core.masking import mask_text
from fupin.core.pagination import PAGE_PARAM, SIZE_PARAM
from fupin.monitoring import exchange
from fupin.monitoring import selectors_lists as rows
from fupin.monitoring.choices import (
    Channel,
    EliminationKind,
    ObjectStatus,
    ObjectType,
    Risk,
    Stage,
    Urgency,
)
from fupin.monitoring.indicators import current_objects
from fupin.monitoring.quality import CHECKS
from fupin.regions.forms import RegionField

ALL = [("", _("全部"))]
REVEAL_PERM = "registry.reveal_household"  # as every list with personal data: registry's reveal
LEAD_PERM = "monitoring.view_lead"
OBJECT_PERM = "monitoring.view_monitoringobject"
ELIMINATION_PERM = "monitoring.view_elimination"
QUALITY_PERM = "monitoring.view_qualityfinding"
SECTION = {"section": (_("防返贫监测"), "monitoring:home")}
NAV = "monitoring/_nav.html"

URGENCY_COLOURS = {Urgency.ON_TIME: "green", Urgency.ORANGE: "orange", Urgency.RED: "red"}
STATUS_COLOURS = {ObjectStatus.MONITORED: "orange", ObjectStatus.ELIMINATED: "green"}
CLOSED_COLOURS = {Stage.DECIDED: "green", Stage.NOT_INCLUDED: "grey", Stage.REJECTED: "grey"}


# --- query forms --------------------------------------------------------------------------------


class DivisionForm(FilterForm):
    region_fields = ("division",)
    division = RegionField(label=_("区划"), required=False)


STAGES = ALL + [("open", _("办理中(全部环节)"))] + Stage.choices


def _period_field(label):
    """A year (2026) or a month (2026-03): the period a figure of the indicator catalogue counts,
    so its drill lists the records of that period (monitoring.indicators)."""
    return forms.RegexField(
        label=label,
        required=False,
        regex=r"^\d{4}(-(0[1-9]|1[0-2]))?$",
        error_messages={"invalid": _("请填写年度(如2026)或月份(如2026-03)")},
        widget=forms.TextInput(attrs={"placeholder": "2026-03"}),
    )


def _in_period(rows, field: str, period: str):
    """`rows` whose date `field` falls in `period` (a year or a month, as _period_field takes)."""
    if not period:
        return rows
    year, _dash, month = period.partition("-")
    rows = rows.filter(**{f"{field}__year": int(year)})
    return rows.filter(**{f"{field}__month": int(month)}) if month else rows


URGENCIES = ALL + [(rows.OVERDUE, _("已逾期(黄色和红色)"))] + Urgency.choices


class LeadQueryForm(DivisionForm):
    channel = forms.ChoiceField(label=_("线索来源"), required=False, choices=ALL + Channel.choices)
    stage = forms.ChoiceField(label=_("环节"), required=False, choices=STAGES)
    risk = forms.ChoiceField(label=_("风险类型"), required=False, choices=ALL + Risk.choices)
    urgency = forms.ChoiceField(label=_("预警"), required=False, choices=URGENCIES)
    opened_in = _period_field(_("发起年月"))


class ObjectQueryForm(DivisionForm):
    type = forms.ChoiceField(label=_("监测对象类型"), required=False, choices=ALL + ObjectType.choices)
    risk = forms.ChoiceField(label=_("风险类型"), required=False, choices=ALL + Risk.choices)
    status = forms.ChoiceField(label=_("风险状态"), required=False, choices=ALL + ObjectStatus.choices)
    layer = forms.ModelChoiceField(
        label=_("帮扶层级"),
        required=False,
        queryset=rows.layers(),
        to_field_name="code",
        empty_label=_("全部"),
    )
    identified_in = _period_field(_("识别年月"))
    eliminated_in = _period_field(_("风险消除年月"))
    current = forms.BooleanField(label=_("每户只看当前监测对象"), required=False)


def _lead_rows(user, filters: dict):
    return _in_period(rows.lead_rows(user, filters), "opened_on", filters.get("opened_in") or "")


def _object_rows(user, filters: dict):
    """object_rows, narrowed by the indicators' drill filters (identification and elimination
    period, each household's current object only)."""
    found = rows.object_rows(user, filters)
    found = _in_period(found, "identified_on", filters.get("identified_in") or "")
    found = _in_period(found, "eliminated_on", filters.get("eliminated_in") or "")
    return current_objects(found) if filters.get("current") else found


class EliminationQueryForm(DivisionForm):
    kind = forms.ChoiceField(label=_("消除方式"), required=False, choices=ALL + EliminationKind.choices)
    stage = forms.ChoiceField(label=_("环节"), required=False, choices=STAGES)
    urgency = forms.ChoiceField(label=_("预警"), required=False, choices=URGENCIES)


class OverdueQueryForm(DivisionForm):
    level = forms.ChoiceField(
        label=_("统计到"), required=False, choices=[("township", _("乡镇")), ("county", _("县"))]
    )


class QualityQueryForm(DivisionForm):
    rule = forms.ChoiceField(label=_("检查项"), required=False, choices=ALL + list(CHECKS.items()))


# --- cells --------------------------------------------------------------------------------------


def _tag(text, colour):
    return format_html('<span class="tag tag-{}">{}</span>', colour, text)


def _household_link(household, fallback: str = ""):
    if household is None:
        return fallback or "—"
    return format_html(
        '<a href="{}">{}</a> <code>{}</code>',
        reverse("registry:household_detail", args=[household.pk]),
        household.head_name or household.number,
        household.number,
    )


def _household_text(household, fallback: str = "") -> str:
    return f"{household.head_name} {household.number}" if household else fallback


def _case_link(kind: str, case, text: str):
    url = rows.url_or_none(f"monitoring:{kind}_detail", case.pk)
    return format_html('<a href="{}">{}</a>', url, text) if url else text


def _urgency(case) -> str:
    return str(Urgency(rows.urgency_of(case)).label) if case.stage in rows.OPEN else ""


def _urgency_html(case):
    value = rows.urgency_of(case)
    return _tag(Urgency(value).label, URGENCY_COLOURS[value]) if case.stage in rows.OPEN else "—"


def _stage_html(case):
    colour = CLOSED_COLOURS.get(case.stage, "blue")
    return _tag(case.get_stage_display(), colour)


def _phone(case) -> str:
    household = getattr(case, "household", None)
    return case.phone_masked or (household.phone_masked if household else "")


def _phone_clear(case) -> str:
    household = getattr(case, "household", None)
    token = case.phone_enc or (household.phone_enc if household else "")
    return crypto.decrypt(token) if token else ""


def _id_clear(lead) -> str:
    return crypto.decrypt(lead.id_number_enc) if lead.id_number_enc else ""


def _object_household(row):
    return row.object.household


def _risks(obj) -> str:
    return "、".join(str(r.get_risk_display()) for r in obj.risks.all())


def _view(kind: str):
    """The 查看 action to the case page (once the workflow's page exists)."""

    def actions(row, user):
        url = rows.url_or_none(f"monitoring:{kind}_detail", row.pk)
        return [(_("办理"), url)] if url else []

    return actions


def _household_actions(path):
    def actions(row, user):
        household = path(row)
        return [(_("农户"), reverse("registry:household_detail", args=[household.pk]))] if household else []

    return actions


def _national_buttons(user, querystring: str) -> list[tuple[str, str]]:
    """导出国家格式 (masked) and, for a user who may reveal, its clear export: the page's filters."""
    params = QueryDict(querystring, mutable=True)
    for name in (PAGE_PARAM, SIZE_PARAM, AFTER_PARAM):
        params.pop(name, None)
    suffix = f"?{params.urlencode()}" if params else ""
    buttons = [(_("导出国家格式"), reverse("monitoring:object_national_export") + suffix)]
    if user.has_perm(REVEAL_PERM):
        buttons.append((_("导出国家格式(明文)"), reverse("monitoring:object_national_export_clear") + suffix))
    return buttons


# --- the lists ----------------------------------------------------------------------------------

LEADS = ListSpec(
    name="monitoring.lead",
    url="monitoring:lead",
    title=_("风险线索"),
    filters=LeadQueryForm,
    rows=_lead_rows,
    columns=[
        Column(
            _("受理编号"),
            lambda r: r.number,
            sort="number",
            html=lambda r: _case_link("lead", r, r.number),  # a link that looks like one (not <code>)
        ),
        Column(_("线索来源"), lambda r: r.get_channel_display(), sort="channel"),
        Column(_("行政村"), lambda r: str(r.village), sort="village_id"),
        Column(
            _("农户"),
            lambda r: _household_text(r.household, r.applicant_name),
            html=lambda r: _household_link(r.household, r.applicant_name),
        ),
        Column(_("风险类型"), lambda r: rows.risk_labels(r.risks)),
        Column(_("环节"), lambda r: r.get_stage_display(), sort="stage", html=_stage_html),
        Column(_("本环节时限"), lambda r: r.step_due, DATE, sort="step_due"),
        Column(_("审定时限"), lambda r: r.decision_due, DATE, sort="decision_due"),
        Column(_("预警"), _urgency, html=_urgency_html, sort="urgency"),
        Column(_("发起日期"), lambda r: r.opened_on, DATE, sort="opened_on"),
        Column(_("联系电话"), _phone, clear=_phone_clear, page=False),
        Column(_("申报人身份证号"), lambda r: r.id_number_masked, clear=_id_clear, page=False),
    ],
    permission=LEAD_PERM,
    reveal_permission=REVEAL_PERM,
    actions=_view("lead"),
    nav=NAV,
    notes=[_("黄色预警:超过本环节时限;红色预警:超过审定时限(自发起之日起,时限按各省规定)。")],
    extra={**SECTION, "empty": _("没有符合条件的风险线索")},
)

OBJECTS = ListSpec(
    name="monitoring.object",
    url="monitoring:object",
    title=_("监测对象"),
    filters=ObjectQueryForm,
    rows=_object_rows,
    columns=[
        Column(
            _("农户"),
            lambda r: _household_text(r.household),
            html=lambda r: _household_link(r.household),
            sort="household__number",
        ),
        Column(_("行政村"), lambda r: str(r.household.village), sort="household__village_id"),
        Column(_("监测对象类型"), lambda r: r.get_type_display(), sort="type"),
        Column(_("风险类型"), _risks),
        Column(
            _("风险状态"),
            lambda r: r.get_status_display(),
            sort="status",
            html=lambda r: _tag(r.get_status_display(), STATUS_COLOURS.get(r.status, "grey")),
        ),
        Column(_("帮扶层级"), lambda r: str(r.layer or ""), sort="layer__order"),
        Column(_("原建档立卡户"), lambda r: r.former_poor, BOOL),
        Column(_("兜底保障"), lambda r: r.safety_net, BOOL),
        Column(_("识别日期"), lambda r: r.identified_on, DATE, sort="identified_on"),
        Column(_("风险消除日期"), lambda r: r.eliminated_on, DATE, sort="eliminated_on"),
        Column(
            _("联系电话"), lambda r: r.household.phone_masked, clear=lambda r: _phone_clear_of(r.household)
        ),
    ],
    permission=OBJECT_PERM,
    reveal_permission=REVEAL_PERM,
    actions=lambda r, user: [
        (label, url)
        for label, url in (
            (_("查看"), rows.url_or_none("monitoring:object_detail", r.pk)),
            (_("农户"), reverse("registry:household_detail", args=[r.household_id])),
        )
        if url
    ],
    nav=NAV,
    toolbar=_national_buttons,
    extra={**SECTION, "empty": _("没有符合条件的监测对象")},
)

# The same list written in the national collection's layout (monitoring.exchange): the list's filters,
# scope, permissions and clear-export rule, its own file. Its url is the list's, so the clear-export
# form leads back to the list; its own export URLs are added to URLS below.
OBJECTS_NATIONAL = replace(
    OBJECTS,
    name="monitoring.object_national",
    title=_("监测对象(国家采集表格式)"),
    export=exchange.national_file,
    toolbar=None,
)


def _phone_clear_of(household) -> str:
    return crypto.decrypt(household.phone_enc) if household.phone_enc else ""


ELIMINATIONS = ListSpec(
    name="monitoring.elimination",
    url="monitoring:elimination",
    title=_("风险消除"),
    filters=EliminationQueryForm,
    rows=rows.elimination_rows,
    columns=[
        Column(
            _("农户"),
            lambda r: _household_text(_object_household(r)),
            html=lambda r: _household_link(_object_household(r)),
            sort="object__household__number",
        ),
        Column(
            _("行政村"), lambda r: str(_object_household(r).village), sort="object__household__village_id"
        ),
        Column(_("监测对象类型"), lambda r: r.object.get_type_display()),
        Column(_("消除方式"), lambda r: r.get_kind_display(), sort="kind"),
        Column(_("环节"), lambda r: r.get_stage_display(), sort="stage", html=_stage_html),
        Column(_("本环节时限"), lambda r: r.step_due, DATE, sort="step_due"),
        Column(_("审定时限"), lambda r: r.decision_due, DATE, sort="decision_due"),
        Column(_("预警"), _urgency, html=_urgency_html, sort="urgency"),
        Column(_("发起日期"), lambda r: r.opened_on, DATE, sort="opened_on"),
        Column(_("审定日期"), lambda r: r.decided_on, DATE, sort="decided_on"),
        Column(
            _("联系电话"),
            lambda r: _object_household(r).phone_masked,
            clear=lambda r: _phone_clear_of(_object_household(r)),
        ),
    ],
    permission=ELIMINATION_PERM,
    reveal_permission=REVEAL_PERM,
    actions=_view("elimination"),
    nav=NAV,
    extra={**SECTION, "empty": _("没有符合条件的风险消除")},
)


def _overdue_link(row, urgency: str, count: int):
    """A count that opens the lead list of that area and urgency."""
    if not count:
        return "0"
    query = urlencode({"division": row["code"], "urgency": urgency})
    return format_html('<a href="{}?{}">{}</a>', reverse("monitoring:lead_list"), query, count)


OVERDUE = ListSpec(
    name="monitoring.overdue",
    url="monitoring:overdue",
    title=_("逾期线索"),
    filters=OverdueQueryForm,
    rows=rows.overdue_rows,
    columns=[
        Column(_("上级"), lambda r: r.get("parent", "")),
        Column(_("地区"), lambda r: r.get("name", r["code"])),
        Column(_("区划代码"), lambda r: r["code"], html=lambda r: format_html("<code>{}</code>", r["code"])),
        Column(
            _("黄色预警"),
            lambda r: r["orange"],
            INT,
            html=lambda r: _overdue_link(r, Urgency.ORANGE, r["orange"]),
        ),
        Column(
            _("红色预警"), lambda r: r["red"], INT, html=lambda r: _overdue_link(r, Urgency.RED, r["red"])
        ),
        Column(
            _("合计"), lambda r: r["total"], INT, html=lambda r: _overdue_link(r, rows.OVERDUE, r["total"])
        ),
    ],
    permission=LEAD_PERM,
    batch=rows.add_names,
    nav=NAV,
    notes=[_("办理中、已超过本环节时限或审定时限的风险线索,按乡镇(或县)统计;点击数字查看线索。")],
    extra={**SECTION, "empty": _("没有逾期的风险线索")},
)


def _finding_actions(row, user):
    actions = [(_("农户"), reverse("registry:household_detail", args=[row.household_id]))]
    if row.object_id:
        url = rows.url_or_none("monitoring:object_detail", row.object_id)
        if url:
            actions.append((_("监测对象"), url))
    return actions


QUALITY = ListSpec(
    name="monitoring.quality",
    url="monitoring:quality",
    title=_("数据质量问题"),
    filters=QualityQueryForm,
    rows=rows.quality_rows,
    columns=[
        Column(_("检查项"), lambda r: str(CHECKS.get(r.rule, r.rule)), sort="rule"),
        Column(_("县"), lambda r: str(r.county), sort="county_id"),
        Column(
            _("农户"),
            lambda r: _household_text(r.household),
            html=lambda r: _household_link(r.household),
            sort="household__number",
        ),
        Column(_("行政村"), lambda r: str(r.household.village)),
        # The checks write no personal data; masked all the same, as every export's free text.
        Column(_("问题"), lambda r: mask_text(r.detail)),
        Column(_("发现时间"), lambda r: r.found_at, DATETIME, sort="found_at"),
    ],
    permission=QUALITY_PERM,
    actions=_finding_actions,
    nav=NAV,
    notes=[_("国家监测系统同样运行的数据质量检查;每次检查按县重写。")],
    extra={**SECTION, "empty": _("没有发现数据质量问题")},
)

# URL segment of each list: /monitoring/<route>, <route>export/, <route>export/clear/
ROUTES = {
    "leads/": LEADS,
    "objects/": OBJECTS,
    "eliminations/": ELIMINATIONS,
    "overdue/": OVERDUE,
    "quality/": QUALITY,
}
URLS = [pattern for route, spec in ROUTES.items() for pattern in urls(spec, route)]
URLS += [
    path("objects/national/", export_view(OBJECTS_NATIONAL), name="object_national_export"),
    path("objects/national/clear/", export_clear_view(OBJECTS_NATIONAL), name="object_national_export_clear"),
]
