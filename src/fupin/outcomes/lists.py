"""The lists of the outcomes app, each declared once (fupin.core.lists): purchases and sales on behalf,
job placements, the summary by unit, county or year, and the 责任书 table. The page, the export and
the API's list come from the declaration, so their columns are the same."""

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fupin.core.lists import BOOL, DATE, DECIMAL, INT, MONEY, Column, ListSpec, urls
from fupin.outcomes import forms, selectors
from fupin.outcomes.models import PlacementKind, PurchaseKind
from fupin.outcomes.templatetags.outcomes_tags import report_amount, yuan

PERMISSION = "outcomes.view_purchase"  # every page of the app: the view permission of its menu entry


def _extra(**more) -> dict:
    return {"section": (_("帮扶成效"), "outcomes:home"), **more}


SHARED = {"permission": PERMISSION, "nav": "outcomes/_nav.html", "template": "outcomes/list.html"}


def _edit_delete(row, user, name: str, model: str) -> list:
    """编辑 and 删除 (a confirmation page) for users who may."""
    actions = []
    if user.has_perm(f"outcomes.change_{model}"):
        actions.append((_("编辑"), reverse(f"outcomes:{name}_edit", args=[row.pk])))
    if user.has_perm(f"outcomes.delete_{model}"):
        actions.append((_("删除"), reverse(f"outcomes:{name}_delete", args=[row.pk])))
    return actions


# --- purchases ----------------------------------------------------------------------------------

PURCHASES = ListSpec(
    name="outcomes.purchase",
    url="outcomes:purchase",
    title=_("消费帮扶"),
    filters=forms.PurchaseQueryForm,
    rows=lambda user, f: selectors.purchase_list(user=user, filters=f),
    columns=[
        Column(_("日期"), lambda p: p.date, DATE, sort="date"),
        Column(_("帮扶单位"), lambda p: p.unit.name, sort="unit__name"),
        Column(
            _("类型"),
            lambda p: p.get_kind_display(),
            sort="kind",
            tag=lambda p: "blue" if p.kind == PurchaseKind.BOUGHT else "green",
        ),
        Column(_("供货地区"), lambda p: str(p.region)),
        Column(_("区划代码"), lambda p: p.region_id, sort="region_id"),
        Column(_("供货单位"), lambda p: p.supplier, sort="supplier"),
        Column(_("产品"), lambda p: p.product),
        Column(_("金额(元)"), lambda p: p.amount, MONEY, sort="amount", html=lambda p: yuan(p.amount)),
        Column(_("渠道"), lambda p: p.get_channel_display(), sort="channel"),
        Column(_("备注"), lambda p: p.note),
    ],
    new=("outcomes:purchase_create", "outcomes.add_purchase"),
    actions=lambda p, user: _edit_delete(p, user, "purchase", "purchase"),
    context=lambda user, query: {"purchase_totals": selectors.purchase_totals(query.rows)},
    extra=_extra(table_id="purchase-table"),
    **SHARED,
)


# --- placements ---------------------------------------------------------------------------------

PLACEMENT_COLOURS = {PlacementKind.GRADUATE: "blue", PlacementKind.WORKER: "green"}


def _person(placement):
    if placement.member_id:
        return format_html('{} <span class="tag tag-red">{}</span>', placement.name, _("建档立卡"))
    return placement.name


PLACEMENTS = ListSpec(
    name="outcomes.placement",
    url="outcomes:placement",
    title=_("就业帮扶"),
    filters=forms.PlacementQueryForm,
    rows=lambda user, f: selectors.placement_list(user=user, filters=f),
    columns=[
        Column(_("就业日期"), lambda p: p.date, DATE, sort="date"),
        Column(_("帮扶单位"), lambda p: p.unit.name, sort="unit__name"),
        Column(_("姓名"), lambda p: p.name, sort="name", html=_person),
        Column(_("户籍地区"), lambda p: str(p.region)),
        Column(_("区划代码"), lambda p: p.region_id, sort="region_id"),
        Column(_("就业单位"), lambda p: p.employer, sort="employer"),
        Column(
            _("就业类型"),
            lambda p: p.get_kind_display(),
            sort="kind",
            tag=lambda p: PLACEMENT_COLOURS.get(p.kind, "orange"),
        ),
        Column(_("月工资"), lambda p: p.get_wage_band_display(), sort="wage_band"),
        Column(_("建档立卡成员"), lambda p: p.member_id is not None, BOOL),
        Column(_("备注"), lambda p: p.note),
    ],
    new=("outcomes:placement_create", "outcomes.add_placement"),
    actions=lambda p, user: _edit_delete(p, user, "placement", "placement"),
    context=lambda user, query: {"placement_totals": selectors.placement_totals(query.rows)},
    extra=_extra(table_id="placement-table"),
    **SHARED,
)


# --- summary by unit, county or year ------------------------------------------------------------

MONEY_NOTE = _("金额为元;页面以万元、亿元显示,导出为元。")


def _summary_label(row):
    label = row["label"] or str(row["key"])
    if isinstance(row["key"], str) and label != row["key"]:  # a county: its code beside its name
        return format_html('{} <code class="muted">{}</code>', label, row["key"])
    return label


def _summary_totals(user, query) -> dict:
    rows = list(query.rows)  # one row per unit, county or year: tens, not thousands
    if not rows:
        return {}
    names = ("bought", "sold", "total", "count", "placed", "graduates")
    return {"summary_totals": {name: sum(r[name] for r in rows) for name in names}}


def _amount(name: str):
    return lambda r: report_amount(r[name])


SUMMARY = ListSpec(
    name="outcomes.summary",
    url="outcomes:summary",
    title=_("帮扶成效汇总"),
    filters=forms.SummaryForm,
    rows=lambda user, f: selectors.summary_rows(user=user, filters=f, by=f.get("by") or "unit"),
    columns=[
        Column(_("帮扶单位/县/年度"), lambda r: r["label"] or str(r["key"]), html=_summary_label),
        Column(_("购买农产品"), lambda r: r["bought"], MONEY, html=_amount("bought")),
        Column(_("帮助销售农产品"), lambda r: r["sold"], MONEY, html=_amount("sold")),
        Column(_("合计"), lambda r: r["total"], MONEY, html=_amount("total")),
        Column(_("记录数"), lambda r: r["count"], INT),
        Column(_("就业人数"), lambda r: r["placed"], INT),
        Column(_("其中贫困大学生"), lambda r: r["graduates"], INT),
    ],
    notes=[MONEY_NOTE],
    context=_summary_totals,
    extra=_extra(table_id="summary-table"),
    **SHARED,
)


# --- 定点帮扶责任书 ------------------------------------------------------------------------------

INDICATOR_LABELS = {
    "direct_funds": _("直接投入帮扶资金"),
    "brought_in_funds": _("引进帮扶资金"),
    "cadres_trained": _("培训基层干部(人次)"),
    "technicians_trained": _("培训技术人员(人次)"),
    "bought": _("购买农产品"),
    "sold": _("帮助销售农产品"),
}


def _indicators(targets) -> None:
    """The actuals of a page (or an export chunk) of targets, computed once per target."""
    for row in selectors.indicator_rows(targets):
        row["target"].indicators = {item["name"]: item for item in row["items"]}
        row["target"].met = row["met"]


def _rate(item):
    if item["rate"] is None:
        return "—"
    colour = "green" if item["rate"] >= 100 else "orange"
    return format_html('<span class="tag tag-{}">{}%</span>', colour, item["rate"])


# Headers made when shown, in the reader's language.
_target = lazy(lambda label: gettext("%(name)s·目标") % {"name": label}, str)
_actual = lazy(lambda label: gettext("%(name)s·完成") % {"name": label}, str)
_rate_header = lazy(lambda label: gettext("%(name)s·完成率(%%)") % {"name": label}, str)


def _indicator_columns(name: str, label) -> list[Column]:
    money = name in selectors.MONEY_INDICATORS
    kind = MONEY if money else INT

    def shown(field):
        def html(t):
            value = t.indicators[name][field]
            return report_amount(value) if money else value

        return html

    return [
        Column(_target(label), lambda t: t.indicators[name]["target"], kind, html=shown("target")),
        Column(_actual(label), lambda t: t.indicators[name]["actual"], kind, html=shown("actual")),
        Column(
            _rate_header(label),
            lambda t: t.indicators[name]["rate"],
            DECIMAL,
            html=lambda t: _rate(t.indicators[name]),
        ),
    ]


INDICATORS = ListSpec(
    name="outcomes.indicatortarget",
    url="outcomes:indicator",
    title=_("定点帮扶责任书完成情况"),
    filters=forms.TargetQueryForm,
    rows=lambda user, f: selectors.target_list(user=user, filters=f),
    columns=[
        Column(_("帮扶单位"), lambda t: t.unit.name, sort="unit__name"),
        Column(_("年度"), lambda t: t.year, INT, sort="year"),
        Column(
            _("状态"),
            lambda t: gettext("全部完成") if t.met else gettext("未全部完成"),
            tag=lambda t: "green" if t.met else "orange",
        ),
        *(c for name, label in INDICATOR_LABELS.items() for c in _indicator_columns(name, label)),
    ],
    new=("outcomes:target_create", "outcomes.add_indicatortarget"),
    actions=lambda t, user: [(_("查看"), reverse("outcomes:target_detail", args=[t.pk]))],
    batch=_indicators,
    notes=[_("完成数由系统根据项目资金、培训、消费帮扶记录自动计算")],
    extra=_extra(table_id="indicator-table"),
    **SHARED,
)

# URL segment of each list under /outcomes/: the page, and export/ under it.
ROUTES = {"purchases/": PURCHASES, "placements/": PLACEMENTS, "summary/": SUMMARY, "indicators/": INDICATORS}
URLS = [pattern for route, spec in ROUTES.items() for pattern in urls(spec, route)]
