"""The outcomes pages: the overview, the forms of purchases, placements and 责任书 targets (the lists:
outcomes.lists). Thin views: reads through outcomes.selectors (the scoping choke point), writes through
outcomes.services; a service's field error lands under its field, a stale version keeps the input."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.forms import form_page
from fupin.core.permissions import may, require
from fupin.core.scoping import get_visible_or_404
from fupin.outcomes import selectors, services
from fupin.outcomes.forms import (
    PlacementForm,
    PurchaseForm,
    SummaryForm,
    TargetForm,
)
from fupin.outcomes.lists import INDICATOR_LABELS
from fupin.outcomes.models import IndicatorTarget, Placement, Purchase


def _view_perm(view):
    """Every page of the app needs the view permission of its menu entry."""

    def wrapped(request, *args, **kwargs):
        require(request, "outcomes.view_purchase")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_required(wrapped)


def _filters(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


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


@_view_perm
def purchase_create(request):
    form = PurchaseForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        perm="outcomes.add_purchase",
        write=lambda f: services.purchase_create(by=request.user, request=request, **f.service_fields()),
        title=_("新增消费帮扶"),
        back=reverse("outcomes:purchase_list"),
        success=reverse("outcomes:purchase_list"),
    )


@_view_perm
def purchase_edit(request, pk: int):
    purchase = get_visible_or_404(Purchase.objects.select_related("unit"), request.user, pk=pk)
    require(request, "outcomes.change_purchase")
    initial = {name: getattr(purchase, name) for name in services.PURCHASE_FIELDS}
    initial.update(unit=purchase.unit_id, region=purchase.region_id, version=purchase.version)
    form = PurchaseForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        write=lambda f: services.purchase_update(
            by=request.user,
            purchase=purchase,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        title=_("编辑消费帮扶"),
        back=reverse("outcomes:purchase_list"),
        success=reverse("outcomes:purchase_list"),
    )


def _delete_page(request, record, *, perm: str, delete, back: str, listed: str):
    """删除: a page naming the record and asking to confirm; the POST deletes it."""
    form = forms.Form(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        perm=perm,
        write=lambda f: delete(),
        done=_("已删除。"),
        success=back,
        title=_("删除"),
        subtitle=str(record),
        intro=_("确定删除该记录吗?"),
        back=back,
        crumbs=[(listed, back)],
        template="outcomes/delete_form.html",
    )


@_view_perm
def purchase_delete(request, pk: int):
    purchase = get_visible_or_404(Purchase.objects.all(), request.user, pk=pk)
    return _delete_page(
        request,
        purchase,
        perm="outcomes.delete_purchase",
        delete=lambda: services.purchase_delete(by=request.user, purchase=purchase, request=request),
        back=reverse("outcomes:purchase_list"),
        listed=_("消费帮扶"),
    )


# --- placements ---------------------------------------------------------------------------------


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
    form = PlacementForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        perm="outcomes.add_placement",
        write=lambda f: services.placement_create(by=request.user, request=request, **f.service_fields()),
        title=_("新增就业帮扶"),
        back=reverse("outcomes:placement_list"),
        success=reverse("outcomes:placement_list"),
    )


@_view_perm
def placement_edit(request, pk: int):
    placement = get_visible_or_404(Placement.objects.select_related("member__household"), request.user, pk=pk)
    require(request, "outcomes.change_placement")
    form = PlacementForm(request.POST or None, user=request.user, initial=_placement_initial(placement))
    return form_page(
        request,
        form,
        write=lambda f: services.placement_update(
            by=request.user,
            placement=placement,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        title=_("编辑就业帮扶"),
        back=reverse("outcomes:placement_list"),
        success=reverse("outcomes:placement_list"),
    )


@_view_perm
def placement_delete(request, pk: int):
    placement = get_visible_or_404(Placement.objects.all(), request.user, pk=pk)
    return _delete_page(
        request,
        placement,
        perm="outcomes.delete_placement",
        delete=lambda: services.placement_delete(by=request.user, placement=placement, request=request),
        back=reverse("outcomes:placement_list"),
        listed=_("就业帮扶"),
    )


# --- 定点帮扶责任书 ------------------------------------------------------------------------------


@_view_perm
def target_create(request):
    form = TargetForm(request.POST or None, user=request.user, initial={"year": timezone.localdate().year})
    return form_page(
        request,
        form,
        perm="outcomes.add_indicatortarget",
        write=lambda f: services.target_set(by=request.user, request=request, **f.service_fields()),
        title=_("新增责任书目标"),
        back=reverse("outcomes:indicator_list"),
        success=reverse("outcomes:indicator_list"),
    )


@_view_perm
def target_detail(request, pk: int):
    """One unit's pledge for a year: each indicator's target, actual and completion; its own
    people edit the targets here (the actuals are computed, never typed)."""
    target = get_visible_or_404(IndicatorTarget.objects.select_related("unit"), request.user, pk=pk)
    # A pledge is signed by the unit itself: only its own people set its targets.
    may_edit = may(request.user, "outcomes.change_indicatortarget", unit_id=target.unit_id)
    if request.method == "POST":
        require(
            request,
            "outcomes.change_indicatortarget",
            unit_id=target.unit_id,
            reason=_("只能填写本单位的责任书目标"),
        )
    initial = {name: getattr(target, name) for name in services.TARGET_FIELDS}
    initial["version"] = target.version
    form = (
        TargetForm(request.POST or None, user=request.user, initial=initial, editing=True)
        if may_edit
        else None
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
    return form_page(
        request,
        form,
        write=lambda f: services.target_update(
            by=request.user,
            target=target,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        success=request.path,
        template="outcomes/target_detail.html",
        **context,
    )
