"""The findings' pages: the overview, recording a finding (a phone form that works offline), a
finding's page with its timeline and step forms, its photos, and the closure summary."""

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
from fupin.supervision import forms, lists, selectors, services
from fupin.supervision.choices import FindingState, PhotoKind, Urgency


@login_required
def home(request):
    """督查督办: what is open in the user's area, by state and urgency, and the way to each list."""
    require(request, lists.FINDING_PERM)
    rows = selectors.finding_list(user=request.user)
    by_state = {state: rows.filter(state=state).count() for state in FindingState.values}
    late = selectors.finding_list(user=request.user, state="open")
    return render(
        request,
        "supervision/home.html",
        {
            "by_state": [(FindingState(s).label, s, n) for s, n in by_state.items()],
            "soon": late.filter(urgency=Urgency.SOON).count(),
            "overdue": late.filter(urgency=Urgency.OVERDUE).count(),
            "to_rectify": selectors.findings_to_rectify(request.user).count(),
            "to_verify": selectors.findings_to_verify(request.user).count(),
            "can_record": request.user.has_perm(services.RECORD),
        },
    )


@login_required
def finding_new(request):
    require(request, services.RECORD)
    form = forms.FindingForm(request.POST or None, request.FILES or None, user=request.user)
    return form_page(
        request,
        form,
        title=_("登记督查问题"),
        back=reverse("supervision:finding_list"),
        success=lambda finding: reverse("supervision:finding_detail", args=[finding.pk]),
        done=lambda finding: _("已登记问题 %(number)s。") % {"number": finding.number},
        write=lambda f: services.record_finding(by=request.user, request=request, **f.service_fields()),
        crumbs=[(_("督查问题"), reverse("supervision:finding_list"))],
        intro=_("照片可直接用手机拍摄;没有信号时先保存在手机上,有信号时自动提交。"),
        offline=_("督查问题"),
    )


def _steps(user, finding) -> dict:
    """The step forms this user may use on this finding now (no button that leads to a 403)."""
    state = finding.state
    initial = {"version": finding.version}
    rectify = services.may_rectify(user, finding)
    verify = services.may_verify(user, finding)
    steps = {}
    if rectify and state in (FindingState.OPEN, FindingState.RECTIFYING):
        steps["plan"] = forms.PlanForm(
            initial={**initial, "plan": finding.plan, "responsible_person": finding.responsible_person}
        )
    if rectify and state == FindingState.RECTIFYING:
        steps["submit"] = forms.SubmitForm(initial=initial)
    if verify and state == FindingState.SUBMITTED:
        steps["close"] = forms.CloseForm(initial=initial)
        steps["send_back"] = forms.SendBackForm(initial=initial)
    return steps


@login_required
def finding_detail(request, pk: int):
    finding = selectors.finding_or_404(request.user, pk)
    require(request, lists.FINDING_PERM)
    photos = list(selectors.photos(finding))
    return render(
        request,
        "supervision/finding_detail.html",
        {
            "finding": finding,
            "urgency": selectors.urgency_of(finding),
            "events": [(e, services.action_label(e.action)) for e in selectors.timeline(finding)],
            "evidence": [p for p in photos if p.kind == PhotoKind.EVIDENCE],
            "before": [p for p in photos if p.kind == PhotoKind.BEFORE],
            "after": [p for p in photos if p.kind == PhotoKind.AFTER],
            "steps": _steps(request.user, finding),
            # The village inspected does not see the county's inspection: no link that leads to a 404.
            "inspection_visible": bool(finding.inspection_id)
            and selectors.inspection_for(request.user, finding.inspection_id) is not None,
            "max_mb": max_mb(),
        },
    )


def _step(request, pk: int, form_class, write, done: str):
    finding = selectors.finding_or_404(request.user, pk)
    form = form_class(request.POST, request.FILES)
    url = reverse("supervision:finding_detail", args=[finding.pk])
    return run_step(
        request,
        lambda: write(finding, form.cleaned_data),
        form=form,
        success=url,
        done=done,
    )


@login_required
@require_POST
def finding_plan(request, pk: int):
    return _step(
        request,
        pk,
        forms.PlanForm,
        lambda finding, data: services.plan_rectification(
            by=request.user,
            finding=finding,
            version=data["version"],
            plan=data["plan"],
            responsible_person=data["responsible_person"],
            request=request,
        ),
        _("已记录整改措施。"),
    )


@login_required
@require_POST
def finding_submit(request, pk: int):
    return _step(
        request,
        pk,
        forms.SubmitForm,
        lambda finding, data: services.submit_rectification(
            by=request.user,
            finding=finding,
            version=data["version"],
            result=data["result"],
            before_photos=data["before_photos"],
            after_photos=data["after_photos"],
            request=request,
        ),
        _("已提交整改,等待核验。"),
    )


@login_required
@require_POST
def finding_close(request, pk: int):
    return _step(
        request,
        pk,
        forms.CloseForm,
        lambda finding, data: services.close_finding(
            by=request.user, finding=finding, version=data["version"], note=data["note"], request=request
        ),
        _("已核验销号。"),
    )


@login_required
@require_POST
def finding_send_back(request, pk: int):
    return _step(
        request,
        pk,
        forms.SendBackForm,
        lambda finding, data: services.send_back(
            by=request.user,
            finding=finding,
            version=data["version"],
            reasons=data["reasons"],
            request=request,
        ),
        _("已退回整改。"),
    )


@login_required
def finding_photo(request, pk: int):
    """A finding's photo, only for who may see the finding (never a public media URL)."""
    require(request, lists.FINDING_PERM)
    photo = selectors.photo_for(request.user, pk)
    if photo is None:
        raise Http404
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = (
        photo.content_type or mimetypes.guess_type(photo.file.name)[0] or "application/octet-stream"
    )
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


SUMMARY_BY = {"area": _("按区域"), "unit": _("按责任单位"), "category": _("按问题类别")}


@login_required
def summary(request):
    """整改销号率 and 平均整改天数 by area, unit or category."""
    require(request, lists.FINDING_PERM)
    by = request.GET.get("by", "area")
    if by not in SUMMARY_BY:
        by = "area"
    form = lists.FindingQueryForm(request.GET or None, user=request.user)
    division = ""
    if request.GET and form.is_valid():
        division = form.filters().get("division") or ""
    rows = selectors.summary(user=request.user, by=by, division=division)
    totals = {
        "total": sum(r["total"] for r in rows),
        "closed": sum(r["closed"] for r in rows),
    }
    totals["rate"] = round(totals["closed"] * 100 / totals["total"], 1) if totals["total"] else 0
    return render(
        request,
        "supervision/summary.html",
        {
            "rows": rows,
            "by": by,
            "choices": SUMMARY_BY.items(),
            "totals": totals,
            "division": division,
            "form": form,
        },
    )


urlpatterns = [
    path("", home, name="home"),
    path("findings/new/", finding_new, name="finding_new"),
    path("findings/<int:pk>/", finding_detail, name="finding_detail"),
    path("findings/<int:pk>/plan/", finding_plan, name="finding_plan"),
    path("findings/<int:pk>/submit/", finding_submit, name="finding_submit"),
    path("findings/<int:pk>/close/", finding_close, name="finding_close"),
    path("findings/<int:pk>/send-back/", finding_send_back, name="finding_send_back"),
    path("photos/<int:pk>/", finding_photo, name="finding_photo"),
    path("summary/", summary, name="summary"),
]
