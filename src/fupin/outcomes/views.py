"""The outcomes pages: overview, purchases, placements, the summary by unit/county/year and the
责任书 table. Thin views: reads through outcomes.selectors (the scoping choke point), writes through
outcomes.services; a service's field error lands under its field, a stale version keeps the input."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_record
from fupin.core.errors import StaleVersion
from fupin.core.exports import xlsx_response
from fupin.core.forms import apply_service_errors
from fupin.core.pagination import paginate
from fupin.core.scoping import get_visible_or_404
from fupin.outcomes import selectors, services
from fupin.outcomes.forms import (
    PlacementForm,
    PlacementQueryForm,
    PurchaseForm,
    PurchaseQueryForm,
    SummaryForm,
    TargetForm,
    TargetQueryForm,
)
from fupin.outcomes.models import IndicatorTarget, Placement, PlacementKind, Purchase

INDICATOR_LABELS = {
    "direct_funds": _("直接投入帮扶资金"),
    "brought_in_funds": _("引进帮扶资金"),
    "cadres_trained": _("培训基层干部(人次)"),
    "technicians_trained": _("培训技术人员(人次)"),
    "bought": _("购买农产品"),
    "sold": _("帮助销售农产品"),
}


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("没有权限。"))


def _view_perm(view):
    """Every page of the app needs the view permission of its menu entry."""

    def wrapped(request, *args, **kwargs):
        _require(request, "outcomes.view_purchase")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_required(wrapped)


def _filters(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


def _money_cell(value):
    # Excel keeps every number as a double; two-decimal yuan below 10^12 display exactly.
    return None if value is None else float(value)


def _export(request, *, object_type: str, title: str, headers, rows):
    rows = list(rows)
    audit_record(
        action=AuditEvent.Action.EXPORT,
        request=request,
        object_type=object_type,
        object_repr=title,
        changes={"count": len(rows)},
        detail=_("导出 %(count)d 条") % {"count": len(rows)},
    )
    stamp = timezone.localtime().strftime("%Y%m%d")
    return xlsx_response(f"{title}_{stamp}.xlsx", headers, rows)


# --- overview -----------------------------------------------------------------------------------


@_view_perm
def home(request):
    """The app's overview: totals of the user's scope, the biggest units and counties, the pledges."""
    form = SummaryForm(request.GET or None, user=request.user)
    filters = _filters(form)
    purchases = selectors.purchase_list(user=request.user, filters=filters)
    placements = selectors.placement_list(user=request.user, filters=filters)
    targets = selectors.target_list(user=request.user, filters={"year": filters.get("year")})
    return render(
        request,
        "outcomes/home.html",
        {
            "form": form,
            "purchase_totals": selectors.purchase_totals(purchases),
            "placement_totals": selectors.placement_totals(placements),
            "by_unit": selectors.purchase_totals_by(purchases, "unit")[:10],
            "by_county": selectors.purchase_totals_by(purchases, "county")[:10],
            "target_count": targets.count(),
        },
    )


# --- purchases ----------------------------------------------------------------------------------


def _purchases(request):
    form = PurchaseQueryForm(request.GET or None, user=request.user)
    return form, selectors.purchase_list(user=request.user, filters=_filters(form))


@_view_perm
def purchase_list(request):
    form, purchases = _purchases(request)
    return render(
        request,
        "outcomes/purchase_list.html",
        {"form": form, "page": paginate(request, purchases), "totals": selectors.purchase_totals(purchases)},
    )


@_view_perm
def purchase_export(request):
    _form, purchases = _purchases(request)
    headers = [_("日期"), _("帮扶单位"), _("类型"), _("供货地区"), _("区划代码"), _("供货单位"), _("产品")]
    headers += [_("金额(元)"), _("渠道"), _("备注")]
    rows = (
        [
            p.date.isoformat(),
            p.unit.name,
            p.get_kind_display(),
            str(p.region),
            p.region_id,
            p.supplier,
            p.product,
            _money_cell(p.amount),
            p.get_channel_display(),
            p.note,
        ]
        for p in purchases.iterator(chunk_size=2000)
    )
    return _export(request, object_type="outcomes.purchase", title=_("消费帮扶"), headers=headers, rows=rows)


def _save(request, form, template: str, context: dict, write, success_url: str):
    """Run `write(form)`; on a field error or a stale version re-render with the input kept."""
    if request.method == "POST" and form.is_valid():
        try:
            write(form)
        except StaleVersion as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(success_url)
    return render(request, template, {**context, "form": form})


@_view_perm
def purchase_create(request):
    _require(request, "outcomes.add_purchase")
    form = PurchaseForm(request.POST or None, user=request.user)

    def write(form):
        services.purchase_create(by=request.user, request=request, **form.service_fields())

    context = {"title": _("新增消费帮扶"), "back": reverse("outcomes:purchase_list")}
    return _save(request, form, "outcomes/form.html", context, write, reverse("outcomes:purchase_list"))


@_view_perm
def purchase_edit(request, pk: int):
    purchase = get_visible_or_404(Purchase.objects.select_related("unit"), request.user, pk=pk)
    _require(request, "outcomes.change_purchase")
    initial = {name: getattr(purchase, name) for name in services.PURCHASE_FIELDS}
    initial.update(unit=purchase.unit_id, region=purchase.region_id, version=purchase.version)
    form = PurchaseForm(request.POST or None, user=request.user, initial=initial)

    def write(form):
        services.purchase_update(
            by=request.user,
            purchase=purchase,
            version=form.cleaned_data["version"] or 0,
            request=request,
            **form.service_fields(),
        )

    context = {"title": _("编辑消费帮扶"), "back": reverse("outcomes:purchase_list")}
    return _save(request, form, "outcomes/form.html", context, write, reverse("outcomes:purchase_list"))


@require_POST
@_view_perm
def purchase_delete(request, pk: int):
    purchase = get_visible_or_404(Purchase.objects.all(), request.user, pk=pk)
    _require(request, "outcomes.delete_purchase")
    services.purchase_delete(by=request.user, purchase=purchase, request=request)
    messages.success(request, _("已删除。"))
    return redirect("outcomes:purchase_list")


# --- placements ---------------------------------------------------------------------------------


def _placements(request):
    form = PlacementQueryForm(request.GET or None, user=request.user)
    return form, selectors.placement_list(user=request.user, filters=_filters(form))


@_view_perm
def placement_list(request):
    form, placements = _placements(request)
    return render(
        request,
        "outcomes/placement_list.html",
        {
            "form": form,
            "page": paginate(request, placements),
            "totals": selectors.placement_totals(placements),
        },
    )


@_view_perm
def placement_export(request):
    _form, placements = _placements(request)
    headers = [_("就业日期"), _("帮扶单位"), _("姓名"), _("户籍地区"), _("区划代码"), _("就业单位")]
    headers += [_("就业类型"), _("月工资"), _("建档立卡成员"), _("备注")]
    rows = (
        [
            p.date.isoformat(),
            p.unit.name,
            p.name,
            str(p.region),
            p.region_id,
            p.employer,
            p.get_kind_display(),
            p.get_wage_band_display(),
            _("是") if p.member_id else _("否"),
            p.note,
        ]
        for p in placements.iterator(chunk_size=2000)
    )
    return _export(request, object_type="outcomes.placement", title=_("就业帮扶"), headers=headers, rows=rows)


def _placement_initial(placement: Placement) -> dict:
    initial = {
        name: getattr(placement, name) for name in ("name", "employer", "kind", "date", "wage_band", "note")
    }
    initial.update(unit=placement.unit_id, region=placement.region_id, version=placement.version)
    if placement.member_id:
        initial["household_number"] = placement.member.household.number
    return initial


@_view_perm
def placement_create(request):
    _require(request, "outcomes.add_placement")
    form = PlacementForm(request.POST or None, user=request.user)

    def write(form):
        services.placement_create(by=request.user, request=request, **form.service_fields())

    context = {"title": _("新增就业帮扶"), "back": reverse("outcomes:placement_list")}
    return _save(request, form, "outcomes/form.html", context, write, reverse("outcomes:placement_list"))


@_view_perm
def placement_edit(request, pk: int):
    placement = get_visible_or_404(Placement.objects.select_related("member__household"), request.user, pk=pk)
    _require(request, "outcomes.change_placement")
    form = PlacementForm(request.POST or None, user=request.user, initial=_placement_initial(placement))

    def write(form):
        services.placement_update(
            by=request.user,
            placement=placement,
            version=form.cleaned_data["version"] or 0,
            request=request,
            **form.service_fields(),
        )

    context = {"title": _("编辑就业帮扶"), "back": reverse("outcomes:placement_list")}
    return _save(request, form, "outcomes/form.html", context, write, reverse("outcomes:placement_list"))


@require_POST
@_view_perm
def placement_delete(request, pk: int):
    placement = get_visible_or_404(Placement.objects.all(), request.user, pk=pk)
    _require(request, "outcomes.delete_placement")
    services.placement_delete(by=request.user, placement=placement, request=request)
    messages.success(request, _("已删除。"))
    return redirect("outcomes:placement_list")


# --- summary by unit / county / year ------------------------------------------------------------


def _summary(request):
    form = SummaryForm(request.GET or None, user=request.user)
    filters = _filters(form)
    by = filters.get("by") or "unit"
    purchases = selectors.purchase_totals_by(selectors.purchase_list(user=request.user, filters=filters), by)
    placements = selectors.placement_totals_by(
        selectors.placement_list(user=request.user, filters=filters), by
    )
    zero = Decimal("0.00")
    rows = {r["key"]: {**r, "placed": 0, "graduates": 0} for r in purchases}
    for r in placements:
        row = rows.setdefault(
            r["key"],
            {"key": r["key"], "label": r["label"], "bought": zero, "sold": zero, "total": zero, "count": 0},
        )
        row.update(placed=r["count"], graduates=r[PlacementKind.GRADUATE])
    ordered = sorted(rows.values(), key=lambda r: r["key"] if by == "year" else (-r["total"], -r["placed"]))
    return form, by, ordered


@_view_perm
def summary(request):
    form, by, rows = _summary(request)
    totals = {
        name: sum(r[name] for r in rows)
        for name in ("bought", "sold", "total", "count", "placed", "graduates")
    }
    return render(request, "outcomes/summary.html", {"form": form, "by": by, "rows": rows, "totals": totals})


@_view_perm
def summary_export(request):
    _form, by, rows = _summary(request)
    first = {"unit": _("帮扶单位"), "county": _("县"), "year": _("年度")}[by]
    headers = [first, _("购买农产品(元)"), _("帮助销售农产品(元)"), _("合计(元)"), _("记录数")]
    headers += [_("就业人数"), _("其中贫困大学生")]
    out = (
        [
            str(r["label"]),
            _money_cell(r["bought"]),
            _money_cell(r["sold"]),
            _money_cell(r["total"]),
            r["count"],
            r["placed"],
            r["graduates"],
        ]
        for r in rows
    )
    return _export(
        request, object_type="outcomes.purchase", title=_("帮扶成效汇总"), headers=headers, rows=out
    )


# --- 定点帮扶责任书 ------------------------------------------------------------------------------


def _indicators(request):
    form = TargetQueryForm(request.GET or None, user=request.user)
    return form, selectors.target_list(user=request.user, filters=_filters(form))


@_view_perm
def indicator_list(request):
    form, targets = _indicators(request)
    page = paginate(request, targets)
    return render(
        request,
        "outcomes/indicator_list.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.indicator_rows(page.object_list),
            "labels": INDICATOR_LABELS,
        },
    )


@_view_perm
def indicator_export(request):
    _form, targets = _indicators(request)
    headers = [_("帮扶单位"), _("年度")]
    for label in INDICATOR_LABELS.values():
        headers += [
            _("%(name)s·目标") % {"name": label},
            _("%(name)s·完成") % {"name": label},
            _("%(name)s·完成率(%%)") % {"name": label},
        ]
    rows = []
    for row in selectors.indicator_rows(targets):
        cells = [row["target"].unit.name, row["target"].year]
        for item in row["items"]:
            cast = _money_cell if item["money"] else (lambda v: v)
            rate = None if item["rate"] is None else float(item["rate"])
            cells += [cast(item["target"]), cast(item["actual"]), rate]
        rows.append(cells)
    return _export(
        request,
        object_type="outcomes.indicatortarget",
        title=_("定点帮扶责任书完成情况"),
        headers=headers,
        rows=rows,
    )


@_view_perm
def target_create(request):
    _require(request, "outcomes.add_indicatortarget")
    form = TargetForm(request.POST or None, user=request.user, initial={"year": timezone.localdate().year})

    def write(form):
        services.target_set(by=request.user, request=request, **form.service_fields())

    context = {"title": _("新增责任书目标"), "back": reverse("outcomes:indicator_list")}
    return _save(request, form, "outcomes/form.html", context, write, reverse("outcomes:indicator_list"))


@_view_perm
def target_detail(request, pk: int):
    """One unit's pledge for a year: each indicator's target, actual and completion; its own
    people edit the targets here (the actuals are computed, never typed)."""
    target = get_visible_or_404(IndicatorTarget.objects.select_related("unit"), request.user, pk=pk)
    may_edit = request.user.has_perm("outcomes.change_indicatortarget") and services.may_set_targets(
        request.user, target.unit_id
    )
    if request.method == "POST" and not may_edit:
        raise PermissionDenied(_("只能填写本单位的责任书目标"))
    initial = {name: getattr(target, name) for name in services.TARGET_FIELDS}
    initial["version"] = target.version
    form = (
        TargetForm(request.POST or None, user=request.user, initial=initial, editing=True)
        if may_edit
        else None
    )

    def write(form):
        services.target_update(
            by=request.user,
            target=target,
            version=form.cleaned_data["version"] or 0,
            request=request,
            **form.service_fields(),
        )

    context = {
        "target": target,
        "row": selectors.indicator_rows([target])[0],
        "labels": INDICATOR_LABELS,
        "by_county": selectors.purchase_totals_by(
            Purchase.objects.visible_to(request.user).filter(unit_id=target.unit_id, date__year=target.year),
            "county",
        ),
    }
    if form is None:
        return render(request, "outcomes/target_detail.html", context)
    return _save(request, form, "outcomes/target_detail.html", context, write, request.path)
