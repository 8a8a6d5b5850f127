"""A monitoring object's page (risks, 一户一策 measures, 帮扶责任人, its cases) and the village's
提出风险消除 form, which shows first what the proposal stands on and every reason it would be refused."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.forms import form_page
from fupin.core.menu import section_for
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.monitoring import forms, selectors, services
from fupin.monitoring.models import MonitoringObject


def _object(request, pk: int) -> MonitoringObject:
    return get_visible_or_404(
        MonitoringObject.objects.select_related("household__village", "layer", "lead"), request.user, pk=pk
    )


@login_required
def object_detail(request, pk: int):
    obj = _object(request, pk)
    context = selectors.object_detail(obj, request.user)
    context["section"] = section_for(request)
    return render(request, "monitoring/object_detail.html", context)


@login_required
def propose_elimination(request, pk: int):
    obj = _object(request, pk)
    require(request, services.REPORT, code=obj.household.village_id, own=True)
    refusals, basis = selectors.elimination_refusals(obj, timezone.localdate())
    form = forms.ProposeEliminationForm(request.POST or None)
    detail = reverse("monitoring:object_detail", args=[obj.pk])
    household = obj.household
    return form_page(
        request,
        form,
        write=lambda f: services.propose_elimination(
            by=request.user,
            object=obj,
            kind=f.cleaned_data["kind"],
            basis={"note": f.cleaned_data["note"]} if f.cleaned_data["note"] else None,
            request=request,
        ),
        success=lambda elimination: reverse("monitoring:elimination_detail", args=[elimination.pk]),
        done=_("已提出风险消除,请尽快入户核实。"),
        title=_("提出风险消除"),
        subtitle=f"{household.head_name} {household.number}",
        back=detail,
        crumbs=[(household.head_name or household.number, detail)],
        template="monitoring/object_eliminate.html",
        refusals=refusals,
        basis=basis,
        object=obj,
    )


urlpatterns = [
    path("objects/<int:pk>/", object_detail, name="object_detail"),
    path("objects/<int:pk>/eliminate/", propose_elimination, name="propose_elimination"),
]
