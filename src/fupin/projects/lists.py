"""The lists of projects and their money, each declared once (fupin.core.lists): the project library,
the summary by category, the fund sources and the ledger. The page, the export and the API's list
come from the declaration, so they show the same rows and columns.

Every money figure on these pages links to the ledger entries that add up to it."""

from urllib.parse import urlencode

from django.db.models import CharField, IntegerField, Value
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fupin.core.lists import DATE, INT, MONEY, Column, ListSpec, urls
from fupin.projects import forms, selectors
from fupin.projects.indicators import counted_on
from fupin.projects.models import Beneficiary, Category, Status
from fupin.projects.templatetags.projects_money import wan, yuan

SHARED = {
    "nav": "projects/_tabs.html",
}


def _extra(tab: str, **more) -> dict:
    """The template context every projects list shares: the section, its tab, the app's styles."""
    return {
        "section": (_("项目资金"), "projects:project_list"),
        "tab": tab,
        "list_base": "projects/base.html",
        **more,
    }


def _ledger(params: dict, text) -> str:
    """A figure as a link to the ledger entries that make it up."""
    return format_html('<a href="{}?{}">{}</a>', reverse("projects:entry_list"), urlencode(params), text)


# --- the project library ------------------------------------------------------------------------

STATUS_COLOURS = {
    Status.DRAFT: "grey",
    Status.PROPOSED: "orange",
    Status.REVIEWED: "orange",
    Status.COMPLETED: "green",
    Status.EVALUATED: "green",
}


def _project_actions(project, user) -> list:
    actions = [(_("查看"), reverse("projects:project_detail", args=[project.pk]))]
    # Only a draft may be edited (the service refuses the rest): no link that would be refused.
    if project.status == Status.DRAFT and user.has_perm("projects.change_project"):
        actions.append((_("编辑"), reverse("projects:project_edit", args=[project.pk])))
    return actions


def _projects(user, f: dict):
    projects = selectors.project_list(user=user, filters=f)
    if f.get("benefits"):
        # The catalogue's beneficiary figures: the projects benefiting households of the division.
        benefiting = Beneficiary.objects.filter(
            household__isnull=False, village__code__startswith=f["benefits"]
        ).values("project_id")
        projects = projects.filter(pk__in=benefiting)
    return projects


def _entries(user, f: dict):
    entries = selectors.entry_list(user=user, filters=f)
    if f.get("source_kind"):
        entries = entries.filter(source__kind=f["source_kind"])
    if f.get("source_division"):
        entries = entries.filter(source__place__code__startswith=f["source_division"])
    if f.get("entry_year"):
        entries = entries.annotate(counted_year=ExtractYear(counted_on())).filter(
            counted_year=f["entry_year"]
        )
    return entries


PROJECTS = ListSpec(
    name="projects.project",
    url="projects:project",
    title=_("项目库"),
    filters=forms.ProjectQueryForm,
    rows=lambda user, f: _projects(user, f),
    columns=[
        Column(_("项目名称"), lambda p: p.name, sort="name"),
        Column(_("项目类别"), lambda p: p.get_category_display(), sort="category"),
        Column(_("建设性质"), lambda p: p.get_nature_display()),
        Column(_("实施地点"), lambda p: p.place.name),
        Column(_("区划代码"), lambda p: p.place_id, sort="place_id"),
        Column(_("年度"), lambda p: p.year, INT, sort="year"),
        Column(_("责任单位"), lambda p: p.unit.name if p.unit else ""),
        Column(
            _("状态"),
            lambda p: p.get_status_display(),
            sort="status",
            tag=lambda p: STATUS_COLOURS.get(p.status, "blue"),
        ),
        Column(_("资金规模(元)"), lambda p: p.budget, MONEY, sort="budget", html=lambda p: yuan(p.budget)),
        Column(
            _("已分配(元)"),
            lambda p: p.allocated,
            MONEY,
            sort="allocated",
            html=lambda p: _ledger({"project": p.pk, "kind": "allocation"}, yuan(p.allocated)),
        ),
        Column(
            _("已拨付(元)"),
            lambda p: p.disbursed,
            MONEY,
            sort="disbursed",
            html=lambda p: _ledger({"project": p.pk, "kind": "disbursement"}, yuan(p.disbursed)),
        ),
        Column(_("计划开工"), lambda p: p.start_date, DATE, sort="start_date"),
        Column(_("计划完工"), lambda p: p.end_date, DATE, sort="end_date"),
    ],
    permission="projects.view_project",
    new=("projects:project_create", "projects.add_project"),
    actions=_project_actions,
    extra=_extra("projects", table_id="project-table"),
    **SHARED,
)


# --- 分类汇总: projects and money per category --------------------------------------------------


def _summary_rows(user, f: dict):
    # Each row carries the filters it was counted with, so its figures link to exactly its rows.
    return selectors.category_summary(user=user, prefix=f.get("division", ""), year=f.get("year")).annotate(
        division_filter=Value(f.get("division", ""), output_field=CharField()),
        year_filter=Value(f.get("year") or 0, output_field=IntegerField()),
    )


def _summary_params(row, **params) -> dict:
    if row["year_filter"]:
        params["year"] = row["year_filter"]
    if row["division_filter"]:
        params["division"] = row["division_filter"]
    return params


def _summary_totals(user, query) -> dict:
    rows = list(query.rows)  # one row per category: a handful
    return {
        "totals": {
            "count": sum(r["count"] for r in rows),
            "budget": sum((r["budget"] for r in rows), selectors.ZERO),
            "allocated": sum((r["allocated"] for r in rows), selectors.ZERO),
        }
        if rows
        else None
    }


SUMMARY = ListSpec(
    name="projects.summary",
    url="projects:summary",
    title=_("项目资金分类汇总"),
    filters=forms.SummaryQueryForm,
    rows=_summary_rows,
    columns=[
        Column(_("项目类别"), lambda r: Category(r["category"]).label),
        Column(
            _("项目数"),
            lambda r: r["count"],
            INT,
            html=lambda r: format_html(
                '<a href="{}?{}">{}</a>',
                reverse("projects:project_list"),
                urlencode(_summary_params(r, category=r["category"])),
                r["count"],
            ),
        ),
        Column(_("资金规模"), lambda r: r["budget"], MONEY, html=lambda r: wan(r["budget"])),
        Column(
            _("已分配资金"),
            lambda r: r["allocated"],
            MONEY,
            html=lambda r: _ledger(
                _summary_params(r, kind="allocation", category=r["category"]), wan(r["allocated"])
            ),
        ),
    ],
    permission="projects.view_project",
    template="projects/summary.html",
    context=_summary_totals,
    notes=[_("金额为元;页面以万元、亿元显示,导出为元。")],
    extra=_extra("summary", table_id="summary-table"),
    **SHARED,
)


# --- fund sources -------------------------------------------------------------------------------


def _source_link(kind: str, field: str):
    return lambda s: _ledger({"source": s.pk, "kind": kind}, yuan(getattr(s, field)))


SOURCES = ListSpec(
    name="projects.fundsource",
    url="projects:source",
    title=_("资金来源"),
    filters=forms.SourceQueryForm,
    rows=lambda user, f: selectors.source_list(user=user, filters=f),
    columns=[
        Column(_("年度"), lambda s: s.year, INT, sort="year"),
        Column(_("资金名称"), lambda s: s.name, sort="name"),
        Column(_("资金来源"), lambda s: s.get_kind_display(), sort="kind"),
        Column(_("所属区划"), lambda s: s.place.name if s.place else ""),
        Column(_("出资单位"), lambda s: s.unit.name if s.unit else ""),
        Column(
            _("预算(元)"),
            lambda s: s.budgeted,
            MONEY,
            sort="budgeted",
            html=_source_link("budget", "budgeted"),
        ),
        Column(
            _("已分配(元)"),
            lambda s: s.allocated,
            MONEY,
            sort="allocated",
            html=_source_link("allocation", "allocated"),
        ),
        Column(
            _("可用余额(元)"),
            lambda s: s.available,
            MONEY,
            sort="available",
            html=lambda s: yuan(s.available),
        ),
        Column(
            _("已拨付(元)"),
            lambda s: s.disbursed,
            MONEY,
            sort="disbursed",
            html=_source_link("disbursement", "disbursed"),
        ),
    ],
    permission="projects.view_fundsource",
    new=("projects:source_create", "projects.manage_funds"),
    actions=lambda s, user: [(_("查看"), reverse("projects:source_detail", args=[s.pk]))],
    extra=_extra("funds", table_id="source-table"),
    **SHARED,
)


# --- the ledger ---------------------------------------------------------------------------------


def _entry_kind(entry):
    if entry.reverses_id:
        return format_html('{} <span class="tag tag-red">{}</span>', entry.get_kind_display(), _("冲正"))
    return entry.get_kind_display()


def _entry_number(pk):
    return f"#{pk}" if pk else ""


def _entry_project(entry):
    if entry.project is None:
        return "—"
    url = reverse("projects:project_detail", args=[entry.project_id])
    return format_html('<a href="{}">{}</a>', url, entry.project.name)


def _ledger_context(user, query) -> dict:
    """Above the entries: what the figure that linked here was about, and the list's totals per kind
    and balances (never one sum across kinds: see selectors.ledger_totals)."""
    if not query.valid:
        return {}
    totals = selectors.ledger_totals(query.rows)
    return {
        "heading": selectors.ledger_heading(user=user, filters=query.filters),
        "figures": selectors.ledger_figures(totals, query.filters),
    }


def _entry_actions(entry, user) -> list:
    if entry.reverses_id or not user.has_perm("projects.manage_funds"):
        return []  # a reversal is not reversed again
    return [(_("冲正"), reverse("projects:reverse", args=[entry.pk]))]


ENTRIES = ListSpec(
    name="projects.ledgerentry",
    url="projects:entry",
    title=_("资金台账"),
    filters=forms.EntryQueryForm,
    rows=lambda user, f: _entries(user, f),
    columns=[
        Column(_("编号"), lambda e: e.pk, INT, sort="id", html=lambda e: _entry_number(e.pk)),
        Column(_("业务日期"), lambda e: e.date, DATE, sort="date"),
        Column(_("类型"), lambda e: e.get_kind_display(), sort="kind", html=_entry_kind),
        Column(
            _("资金来源"),
            lambda e: e.source.name,
            html=lambda e: format_html(
                '<a href="{}">{}</a>', reverse("projects:source_detail", args=[e.source_id]), e.source.name
            ),
        ),
        Column(_("项目"), lambda e: e.project.name if e.project else "", html=_entry_project),
        Column(_("所属分配"), lambda e: e.allocation_id, INT, html=lambda e: _entry_number(e.allocation_id)),
        Column(_("冲正的分录"), lambda e: e.reverses_id, INT, html=lambda e: _entry_number(e.reverses_id)),
        Column(_("金额(元)"), lambda e: e.amount, MONEY, sort="amount", html=lambda e: yuan(e.amount)),
        Column(_("摘要"), lambda e: e.memo),
        Column(_("经办人"), lambda e: (e.actor.full_name or e.actor.username) if e.actor else _("系统")),
    ],
    permission="projects.view_ledgerentry",
    actions=_entry_actions,
    template="projects/entry_list.html",
    context=_ledger_context,
    extra=_extra("ledger", table_id="entry-table"),
    **SHARED,
)

# URL segment of each list under /projects/: the page, and export/ under it.
ROUTES = {"": PROJECTS, "summary/": SUMMARY, "funds/": SOURCES, "ledger/": ENTRIES}
URLS = [pattern for route, spec in ROUTES.items() for pattern in urls(spec, route)]
