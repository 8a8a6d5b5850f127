"""Branch pairings (支部结对共建) and their activities: visits, lectures, donations, joint events."""

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.forms import form_page
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.party import selectors, services
from fupin.party.forms import ActivityForm, PairingForm
from fupin.party.models import Pairing


@login_required
def pairing_create(request):
    require(request, "party.add_pairing")
    form = PairingForm(request.POST or None, user=request.user, initial={"started_on": timezone.localdate()})
    return form_page(
        request,
        form,
        write=lambda f: services.pairing_create(by=request.user, request=request, **f.service_fields()),
        template="party/form.html",
        title=_("新增支部结对"),
        back=reverse("party:pairing_list"),
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
    require(request, "party.add_pairingactivity", **selectors.keepers(pairing.helper, pairing.village_branch))
    form = ActivityForm(request.POST or None, initial={"held_on": timezone.localdate()})
    back = reverse("party:pairing_detail", args=[pairing.pk])
    return form_page(
        request,
        form,
        write=lambda f: services.activity_add(
            by=request.user, pairing=pairing, request=request, **f.cleaned_data
        ),
        template="party/form.html",
        title=_("记录共建活动"),
        subtitle=str(pairing),
        back=back,
        success=back,
    )
