"""Assessment (考核), one set of pages for both kinds: an assisting unit's year against its six 责任书
indicators (services.assess_unit), a county's year against the consolidation standards
(services.assess_county, by the level above). Figures prefilled from records, each score adjustable
with a reason, evidence (佐证材料) attached to an item, then final."""

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.forms import form_page
from fupin.core.permissions import require
from fupin.core.photos import max_mb
from fupin.core.steps import run_step
from fupin.supervision import forms, selectors, services
from fupin.supervision.choices import AssessmentState

VIEW = "supervision.view_assessment"


def _crumbs():
    return [(_("考核"), reverse("supervision:assessment_list"))]


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
        crumbs=_crumbs(),
    )


@login_required
def county_assessment_new(request):
    require(request, services.ASSESS)
    form = forms.CountyAssessmentForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title=_("县级巩固成果考核"),
        intro=_(
            "按巩固拓展脱贫攻坚成果考核标准逐项打分,各项数据取自指标汇总(以最近一次汇总为准);"
            "由市、省级考核,县不能考核本县;已有的评分稿将重新计算。"
        ),
        back=reverse("supervision:assessment_list"),
        success=lambda a: reverse("supervision:assessment_detail", args=[a.pk]),
        write=lambda f: services.assess_county(by=request.user, request=request, **f.cleaned_data),
        crumbs=_crumbs(),
    )


@login_required
def assessment_detail(request, pk: int):
    require(request, VIEW)
    assessment = selectors.assessment_or_404(request.user, pk)
    editable = assessment.state == AssessmentState.DRAFT and services.may_assess(request.user, assessment)
    return render(
        request,
        "supervision/assessment_detail.html",
        {
            "assessment": assessment,
            "items": selectors.assessment_items(assessment),
            "editable": editable,
            "finalize": forms.FinalizeForm(initial={"version": assessment.version}) if editable else None,
        },
    )


@login_required
@require_POST
def assessment_refresh(request, pk: int):
    assessment = selectors.assessment_or_404(request.user, pk)
    return run_step(
        request,
        lambda: services.refresh_assessment(by=request.user, assessment=assessment, request=request),
        success=reverse("supervision:assessment_detail", args=[assessment.pk]),
        done=_("已按最新数据重新计算。"),
    )


@login_required
@require_POST
def assessment_score(request, pk: int):
    assessment = selectors.assessment_or_404(request.user, pk)
    form = forms.ScoreForm(request.POST)

    def write():
        item = selectors.assessment_item_for(assessment, form.cleaned_data["item"])
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


@login_required
def assessment_evidence(request, pk: int, item: int):
    """佐证材料 of one item: the upload form (a bad file is a field error)."""
    require(request, VIEW)
    assessment = selectors.assessment_or_404(request.user, pk)
    row = selectors.assessment_item_for(assessment, item)
    if row is None:
        raise Http404
    form = forms.EvidenceForm(request.POST or None, request.FILES or None)
    back = reverse("supervision:assessment_detail", args=[assessment.pk])
    return form_page(
        request,
        form,
        title=_("上传佐证材料"),
        subtitle=f"{assessment} · {row.name}",
        intro=_("照片(JPEG、PNG、WebP)或 PDF 文件,每个不超过 %(mb)s MB;定稿后不能再上传。")
        % {"mb": max_mb()},
        back=back,
        success=back,
        done=lambda made: _("已上传 %(n)d 个佐证材料。") % {"n": len(made)},
        write=lambda f: services.add_evidence(
            by=request.user,
            item=row,
            files=f.cleaned_data["files"],
            note=f.cleaned_data["note"],
            request=request,
        ),
        crumbs=[*_crumbs(), (str(assessment), back)],
    )


@login_required
def evidence_file(request, pk: int):
    """An evidence file, only for who may see the assessment (never a public media URL)."""
    require(request, VIEW)
    evidence = selectors.evidence_for(request.user, pk)
    if evidence is None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = (
        evidence.content_type or mimetypes.guess_type(evidence.file.name)[0] or "application/octet-stream"
    )
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    if content_type == "application/pdf":
        response["Content-Disposition"] = "inline"
    return response


urlpatterns = [
    path("assessments/new/", assessment_new, name="assessment_new"),
    path("assessments/new-county/", county_assessment_new, name="county_assessment_new"),
    path("assessments/<int:pk>/", assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/refresh/", assessment_refresh, name="assessment_refresh"),
    path("assessments/<int:pk>/score/", assessment_score, name="assessment_score"),
    path("assessments/<int:pk>/finalize/", assessment_finalize, name="assessment_finalize"),
    path("assessments/<int:pk>/items/<int:item>/evidence/", assessment_evidence, name="assessment_evidence"),
    path("assessments/evidence/<int:pk>/", evidence_file, name="evidence_file"),
]
