"""Assessment (考核): an assisting unit's year against its six 责任书 indicators, the figures
prefilled from records (services.assess_unit), each score adjustable with a reason, then final."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.forms import form_page
from fupin.core.permissions import may, require
from fupin.core.steps import run_step
from fupin.supervision import forms, selectors, services
from fupin.supervision.choices import AssessmentState

VIEW = "supervision.view_assessment"


@login_required
def assessment_list(request):
    require(request, VIEW)
    return render(
        request,
        "supervision/assessment_list.html",
        {
            "assessments": selectors.assessment_list(user=request.user),
            "can_assess": request.user.has_perm(services.ASSESS),
        },
    )


@login_required
def assessment_new(request):
    require(request, services.ASSESS)
    form = forms.AssessmentNewForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title=_("帮扶单位考核"),
        intro=_("按责任书六项指标考核,目标取自帮扶单位的责任书,完成数取自业务记录;已有的评分稿将重新计算。"),
        back=reverse("supervision:assessment_list"),
        success=lambda a: reverse("supervision:assessment_detail", args=[a.pk]),
        write=lambda f: services.assess_unit(by=request.user, request=request, **f.cleaned_data),
        crumbs=[(_("考核"), reverse("supervision:assessment_list"))],
    )


@login_required
def assessment_detail(request, pk: int):
    require(request, VIEW)
    assessment = selectors.assessment_or_404(request.user, pk)
    editable = assessment.state == AssessmentState.DRAFT and may(
        request.user, services.ASSESS, code=assessment.county_id, own=True
    )
    return render(
        request,
        "supervision/assessment_detail.html",
        {
            "assessment": assessment,
            "items": assessment.items.all(),
            "editable": editable,
            "finalize": forms.FinalizeForm(initial={"version": assessment.version}) if editable else None,
        },
    )


@login_required
@require_POST
def assessment_score(request, pk: int):
    assessment = selectors.assessment_or_404(request.user, pk)
    form = forms.ScoreForm(request.POST)

    def write():
        item = assessment.items.filter(pk=form.cleaned_data["item"]).first()
        if item is None:
            raise Http404
        return services.score_item(
            by=request.user,
            item=item,
            score=form.cleaned_data["score"],
            note=form.cleaned_data["note"],
            request=request,
        )

    return run_step(
        request,
        write,
        form=form,
        success=reverse("supervision:assessment_detail", args=[assessment.pk]),
        done=_("已保存评分。"),
    )


@login_required
@require_POST
def assessment_finalize(request, pk: int):
    assessment = selectors.assessment_or_404(request.user, pk)
    form = forms.FinalizeForm(request.POST)
    return run_step(
        request,
        lambda: services.finalize_assessment(
            by=request.user,
            assessment=assessment,
            version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
            request=request,
        ),
        form=form,
        success=reverse("supervision:assessment_detail", args=[assessment.pk]),
        done=_("考核已定稿。"),
    )


urlpatterns = [
    path("assessments/", assessment_list, name="assessment_list"),
    path("assessments/new/", assessment_new, name="assessment_new"),
    path("assessments/<int:pk>/", assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/score/", assessment_score, name="assessment_score"),
    path("assessments/<int:pk>/finalize/", assessment_finalize, name="assessment_finalize"),
]
