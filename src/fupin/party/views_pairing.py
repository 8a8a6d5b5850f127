"""Branch pairings (支部结对共建) and their activities: visits, lectures, donations, joint events."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from fupin.core.scoping import get_visible_or_404
from fupin.party import selectors, services
from fupin.party.forms import ActivityForm, PairingForm, QueryForm
from fupin.party.listing import Column, export_list, render_list
from fupin.party.models import Pairing
from fupin.party.views import filters_of, require_perm, save_form

PAIRING_COLUMNS = [
    Column(_l("帮扶方支部"), lambda p: p.helper),
    Column(_l("所属单位"), lambda p: p.helper.unit),
    Column(_l("结对村支部"), lambda p: p.village_branch),
    Column(_l("所在区划"), lambda p: p.village_branch.region),
    Column(_l("开始日期"), lambda p: p.started_on),
    Column(_l("结束日期"), lambda p: p.ended_on),
    Column(_l("活动次数"), lambda p: p.activity_count, num=True),
    Column(_l("捐赠折合金额(元)"), lambda p: p.donated, num=True),
]


def _pairing_rows(request):
    form = QueryForm(request.GET or None, user=request.user)
    f = filters_of(form)
    rows = (
        selectors.pairing_list(user=request.user, q=f.get("q", ""), division=f.get("division"))
        .annotate(activity_count=Count("activities"), donated=Sum("activities__donated_value"))
        .order_by("-started_on", "id")
    )  # an aggregate drops the default ordering
    return form, rows


@login_required
def pairing_list(request):
    require_perm(request, "party.view_pairing")
    form, rows = _pairing_rows(request)
    toolbar = (
        [(_("新增"), reverse("party:pairing_create"))] if request.user.has_perm("party.add_pairing") else []
    )
    return render_list(
        request,
        title=_("支部结对共建"),
        form=form,
        rows=rows,
        columns=PAIRING_COLUMNS,
        export="party:pairing_export",
        toolbar=toolbar,
        actions=lambda p: [(_("查看"), reverse("party:pairing_detail", args=[p.pk]))],
    )


@login_required
def pairing_export(request):
    require_perm(request, "party.view_pairing")
    _form, rows = _pairing_rows(request)
    return export_list(
        request,
        filename=_("支部结对共建") + ".xlsx",
        object_type="party.pairing",
        rows=rows,
        columns=PAIRING_COLUMNS,
    )


@login_required
def pairing_create(request):
    require_perm(request, "party.add_pairing")
    form = PairingForm(request.POST or None, user=request.user, initial={"started_on": timezone.localdate()})
    return save_form(
        request,
        form,
        lambda f: services.pairing_create(by=request.user, request=request, **f.service_fields()),
        template="party/form.html",
        context={"title": _("新增支部结对"), "back": reverse("party:pairing_list")},
        success=lambda p: reverse("party:pairing_detail", args=[p.pk]),
    )


def _pairing(request, pk: int) -> Pairing:
    return get_visible_or_404(
        Pairing.objects.select_related("helper__unit", "village_branch__region"), request.user, pk=pk
    )


@login_required
def pairing_detail(request, pk: int):
    pairing = _pairing(request, pk)
    activities = selectors.activity_list(user=request.user, pairing=pairing)
    return render(
        request,
        "party/pairing_detail.html",
        {
            "pairing": pairing,
            "activities": activities,
            "donated": activities.aggregate(v=Sum("donated_value"))["v"],
            "can_add": selectors.may_on_pairing(request.user, "add_pairingactivity", pairing),
        },
    )


@login_required
def activity_create(request, pk: int):
    pairing = _pairing(request, pk)
    if not selectors.may_on_pairing(request.user, "add_pairingactivity", pairing):
        raise PermissionDenied(_("没有权限。"))
    form = ActivityForm(request.POST or None, initial={"held_on": timezone.localdate()})
    back = reverse("party:pairing_detail", args=[pairing.pk])
    return save_form(
        request,
        form,
        lambda f: services.activity_add(by=request.user, pairing=pairing, request=request, **f.cleaned_data),
        template="party/form.html",
        context={"title": _("记录共建活动"), "subtitle": str(pairing), "back": back},
        success=back,
    )
