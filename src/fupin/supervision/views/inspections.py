"""The inspections' pages: a new 暗访 / 明查, an inspection's page with its checklist results, and
recording one item's result (a failed item may open a finding in the same step)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.forms import form_page
from fupin.core.permissions import may, require
from fupin.core.steps import run_step
from fupin.supervision import forms, lists, selectors, services
from fupin.supervision.choices import CheckResult, InspectionState


@login_required
def inspection_new(request):
    require(request, services.INSPECT)
    form = forms.InspectionForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title=_("新建督查"),
        back=reverse("supervision:inspection_list"),
        success=lambda inspection: reverse("supervision:inspection_detail", args=[inspection.pk]),
        write=lambda f: services.create_inspection(by=request.user, request=request, **f.service_fields()),
        crumbs=[(_("督查"), reverse("supervision:inspection_list"))],
    )


@login_required
def inspection_detail(request, pk: int):
    inspection = selectors.inspection_or_404(request.user, pk)
    require(request, lists.INSPECTION_PERM)
    can_check = may(request.user, services.INSPECT, code=inspection.area_id, own=True)
    check_form = None
    if can_check and inspection.checklist_id and inspection.state == InspectionState.PLANNED:
        check_form = forms.CheckForm(user=request.user, inspection=inspection)
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "inspection": inspection,
            "results": selectors.inspection_results(inspection),
            "findings": inspection.findings.select_related("division").order_by("id"),
            "places": inspection.places.order_by("code"),
            "inspectors": inspection.inspectors.all(),
            "check_form": check_form,
            "can_finish": can_check and inspection.state == InspectionState.PLANNED,
            "fail": CheckResult.FAIL,
        },
    )


@login_required
@require_POST
def inspection_check(request, pk: int):
    inspection = selectors.inspection_or_404(request.user, pk)
    require(request, services.INSPECT)
    form = forms.CheckForm(request.POST, request.FILES, user=request.user, inspection=inspection)

    def write():
        data = form.cleaned_data
        finding = None
        if data["open_finding"]:
            finding = {
                "severity": data["severity"],
                "deadline": data["deadline"],
                "photos": data["photos"],
            }
        return services.record_check(
            by=request.user,
            inspection=inspection,
            item=data["item"],
            division=data["division"],
            result=data["result"],
            note=data["note"],
            open_finding=data["open_finding"],
            finding=finding,
            request=request,
        )

    url = reverse("supervision:inspection_detail", args=[inspection.pk])
    return run_step(
        request,
        write,
        form=form,
        success=lambda made: made[1].get_absolute_url() if made[1] else url,
        failure=url,
        done=lambda made: (
            _("已登记检查结果和问题 %(n)s。") % {"n": made[1].number} if made[1] else _("已登记检查结果。")
        ),
    )


@login_required
@require_POST
def inspection_finish(request, pk: int):
    inspection = selectors.inspection_or_404(request.user, pk)
    version = request.POST.get("version")
    return run_step(
        request,
        lambda: services.finish_inspection(
            by=request.user,
            inspection=inspection,
            version=int(version) if version and version.isdigit() else None,
            request=request,
        ),
        success=reverse("supervision:inspection_detail", args=[inspection.pk]),
        done=_("督查已完成。"),
    )


urlpatterns = [
    path("inspections/new/", inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/check/", inspection_check, name="inspection_check"),
    path("inspections/<int:pk>/finish/", inspection_finish, name="inspection_finish"),
]
