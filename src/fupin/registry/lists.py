"""The household list (农户), declared once (fupin.core.lists): the page, its API and its exports.

Its file is shaped otherwise than its columns: one row per member of the listed households, in the
import template's columns, so a county's export goes back in through 导入 unchanged (`export=`).
The query, the permission checks and the audit row are the mechanism's, as for every list."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fupin.core.lists import DECIMAL, INT, Column, ListSpec, display, urls
from fupin.registry import selectors
from fupin.registry.exporting import EXPORT_PERM, REVEAL_PERM
from fupin.registry.forms import ClearExportForm, HouseholdQueryForm
from fupin.registry.indicators import poor_in_year, with_income_of
from fupin.registry.views.export import member_file
from fupin.registry.views.imports import IMPORT_PERM


def _head(h):
    matched = getattr(h, "matched_name", None)
    if matched and matched != h.head_name:
        return format_html(
            '{} <span class="muted">({})</span>', h.head_name or "—", _("匹配:%(name)s") % {"name": matched}
        )
    return h.head_name or "—"


def _income(h):
    value = display(h.latest_per_capita, DECIMAL)
    if h.latest_per_capita is None:
        return "—"
    if h.latest_line is not None and h.latest_per_capita < h.latest_line:
        return format_html(
            '<span title="{}">{}</span> <span class="tag tag-red">{}</span>', h.latest_year, value, _("线下")
        )
    return format_html('<span title="{}">{}</span>', h.latest_year, value)


def _actions(h, user):
    actions = [(_("查看"), reverse("registry:household_detail", args=[h.pk]))]
    if user.has_perm("registry.change_household"):
        actions.append((_("编辑"), reverse("registry:household_edit", args=[h.pk])))
    return actions


def _toolbar(user, querystring):
    if not user.has_perm(IMPORT_PERM):
        return []
    return [
        (_("导入"), reverse("registry:import_upload")),
        (_("下载模板"), reverse("registry:import_template")),
    ]


def _households(user, filters: dict):
    """household_list with the indicators' drill filter (贫困年度) applied on top: the memo of
    household_list stays keyed by its own filters."""
    filters = dict(filters)
    year = filters.pop("poor_year", None)
    income_year = filters.pop("income_year", None)
    households = selectors.household_list(user=user, filters=filters)
    if income_year:
        households = with_income_of(households, income_year)
    return poor_in_year(households, year) if year else households


HOUSEHOLDS = ListSpec(
    name="registry.household",
    url="registry:household",
    title=_("农户"),
    filters=HouseholdQueryForm,
    rows=lambda user, f: _households(user, f),
    columns=[
        Column(
            _("户编号"),
            lambda h: h.number,
            sort="number",
            html=lambda h: format_html("<code>{}</code>", h.number),
        ),
        Column(_("户主"), lambda h: h.head_name, html=_head),
        Column(_("行政村"), lambda h: str(h.village)),
        Column(_("人口"), lambda h: h.member_count, INT),
        Column(_("属性"), lambda h: h.get_attribute_display(), sort="attribute"),
        Column(_("主要致贫原因"), lambda h: h.get_main_cause_display(), sort="main_cause"),
        Column(
            _("状态"),
            lambda h: h.get_status_display(),
            html=lambda h: render_to_string("registry/_status_tag.html", {"household": h}),
            sort="status",
        ),
        Column(_("人均纯收入(元)"), lambda h: h.latest_per_capita, DECIMAL, html=_income),
    ],
    permission="registry.view_household",
    export_permission=EXPORT_PERM,
    reveal_permission=REVEAL_PERM,
    new=("registry:household_create", "registry.add_household"),
    actions=_actions,
    toolbar=_toolbar,
    count_cap=selectors.COUNT_CAP,
    counter=selectors.count_up_to,
    export=member_file,
    clear_form=ClearExportForm,
    extra={
        "table_id": "household-table",
        "empty": _("没有符合条件的农户"),
        "clear_template": "registry/export_clear.html",
    },
)

URLS = urls(HOUSEHOLDS, "")
