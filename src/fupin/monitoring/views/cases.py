"""The case pages: a lead's or an elimination's page with its timeline, deadlines and urgency, and
exactly the step form its user may do now; the village's 发现风险 form for a household.

Thin views: reads in scope (out of scope is 404, like missing), writes through monitoring.services.
A step is posted to the case's own step URL; which step it is follows from the case's stage (the
version the form carries tells a page left open that someone else has acted). A refused step comes
back on the page with every reason and what was typed (core.forms.save_form), status 422.
"""

import mimetypes
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fupin.core.forms import form_page, save_form
from fupin.core.menu import section_for
from fupin.core.permissions import may, require
from fupin.core.scoping import get_visible_or_404
from fupin.monitoring import forms, selectors, services
from fupin.monitoring.choices import Risk, Source, Stage, Urgency
from fupin.monitoring.models import Elimination, Lead
from fupin.registry import selectors as registry

LEAD, ELIMINATION = "lead", "elimination"


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    perm: str
    form: type


# The one step of each open stage, and who takes it (services.py checks the same permissions).
STEPS = {
    Stage.SUBMITTED: Step("accept", gettext_lazy("受理"), services.CHECK, forms.AcceptForm),
    Stage.ACCEPTED: Step("verify", gettext_lazy("入户核实"), services.REPORT, forms.VerifyForm),
    Stage.VERIFIED: Step("compare", gettext_lazy("信息比对"), services.REPORT, forms.CompareForm),
    Stage.COMPARED: Step("review", gettext_lazy("村级评议"), services.REPORT, forms.VillageReviewForm),
    Stage.PUBLICISING: Step(
        "end_publicity", gettext_lazy("公示期满"), services.REPORT, forms.EndPublicityForm
    ),
    Stage.PUBLICISED: Step("check", gettext_lazy("乡镇审核"), services.CHECK, forms.TownshipCheckForm),
    Stage.CHECKED: Step("decide", gettext_lazy("县级审定"), services.DECIDE, forms.CountyDecideForm),
}
# The chain as a stepper (a self-report's lead starts one step earlier).
CHAIN = [
    Stage.SUBMITTED,
    Stage.ACCEPTED,
    Stage.VERIFIED,
    Stage.COMPARED,
    Stage.PUBLICISING,
    Stage.PUBLICISED,
    Stage.CHECKED,
    Stage.DECIDED,
]
# The stepper names each step by what is done there; the stages' own labels say what a case waits
# for ("待入户核实"), which reads as still waiting when ticked off.
STEPPER_LABELS = {
    Stage.SUBMITTED: gettext_lazy("受理"),
    Stage.ACCEPTED: gettext_lazy("入户核实"),
    Stage.VERIFIED: gettext_lazy("信息比对"),
    Stage.COMPARED: gettext_lazy("村级评议"),
    Stage.PUBLICISING: gettext_lazy("村内公示"),
    Stage.PUBLICISED: gettext_lazy("乡镇审核"),
    Stage.CHECKED: gettext_lazy("县级审定"),
    Stage.DECIDED: gettext_lazy("办结"),
}
WHO = {
    services.CHECK: gettext_lazy("乡镇"),
    services.REPORT: gettext_lazy("村级"),
    services.DECIDE: gettext_lazy("县级"),
}
URGENCY_TAG = {Urgency.ON_TIME: "green", Urgency.ORANGE: "orange", Urgency.RED: "red"}


def _lead(request, pk: int) -> Lead:
    return get_visible_or_404(
        Lead.objects.select_related("village", "household", "rule", "reported_by"), request.user, pk=pk
    )


def _elimination(request, pk: int) -> Elimination:
    return get_visible_or_404(
        Elimination.objects.select_related("object__household__village", "proposed_by"), request.user, pk=pk
    )


def step_for(case, user, today) -> tuple[Step | None, str]:
    """The step this user may take on this case now, or None and why not (for the page to say)."""
    step = STEPS.get(case.stage)
    if step is None:
        return None, ""
    if isinstance(case, Elimination) and step.name == "decide":
        step = Step(step.name, step.label, step.perm, forms.CountyDecideEliminationForm)
    if not may(user, step.perm, code=selectors.case_code(case), own=True):
        return None, _("等待%(who)s办理:%(step)s") % {"who": WHO[step.perm], "step": step.label}
    if step.name == "end_publicity" and (case.publicity_to is None or today <= case.publicity_to):
        return None, _("村内公示中,%(end)s后可确认公示期满") % {
            "end": case.publicity_to.isoformat() if case.publicity_to else "—"
        }
    return step, ""


def _stepper(case) -> list[dict]:
    chain = CHAIN if isinstance(case, Lead) and case.channel == "self_report" else CHAIN[1:]
    closed = case.stage in (Stage.REJECTED, Stage.NOT_INCLUDED)
    if closed:
        # Where it stopped: the last stage its events reached before closing.
        reached = [e.from_status for e in case.events.all() if e.to_status == case.stage]
        current = chain.index(reached[-1]) if reached and reached[-1] in chain else 0
    else:
        current = chain.index(case.stage) if case.stage in chain else len(chain) - 1
    steps = []
    for i, stage in enumerate(chain):
        if closed:
            state = "done" if i < current else ("stopped" if i == current else "todo")
        else:
            state = (
                "done"
                if i < current or case.stage == Stage.DECIDED
                else ("current" if i == current else "todo")
            )
        steps.append({"number": i + 1, "label": STEPPER_LABELS[stage], "state": state, "stage": stage})
    return steps


def _case_context(request, case, kind: str, form=None) -> dict:
    user = request.user
    today = timezone.localdate()
    step, waiting = step_for(case, user, today)
    if step is not None and form is None:
        form = step.form(case=case, user=user)
    urgency = selectors.case_urgency(case, today)
    household = selectors.case_household(case)
    section = section_for(request)
    context = {
        "case": case,
        "kind": kind,
        "household": household,
        "events": list(case.events.select_related("actor")),
        "urgency": urgency,
        "urgency_label": Urgency(urgency).label,
        "urgency_tag": URGENCY_TAG[urgency],
        "step": step,
        "waiting": waiting,
        "form": form if step is not None else None,
        "step_url": reverse(f"monitoring:{kind}_step", args=[case.pk]),
        "photo_url": reverse(f"monitoring:{kind}_photo", args=[case.pk]) if case.consent_photo else "",
        "comparison": [
            {"source": Source(s).label, **answer}
            for s, answer in (case.comparison or {}).items()
            if s in Source.values
        ],
        "section": section,
        "open": case.stage not in (Stage.DECIDED, Stage.REJECTED, Stage.NOT_INCLUDED),
    }
    context["steps"] = _stepper(case)
    if kind == LEAD:
        context["risks"] = [Risk(r).label for r in case.risks or [] if r in Risk.values]
        context["object"] = getattr(case, "object", None) if case.stage == Stage.DECIDED else None
    else:
        context["object"] = case.object
    return context


def _case_page(request, case, kind: str, form=None, status: int = 200):
    return render(
        request, "monitoring/case_detail.html", _case_context(request, case, kind, form), status=status
    )


@login_required
def lead_detail(request, pk: int):
    return _case_page(request, _lead(request, pk), LEAD)


@login_required
def elimination_detail(request, pk: int):
    return _case_page(request, _elimination(request, pk), ELIMINATION)


def _write(step: Step, request, case):
    """The service call of `step` with the form's values (the form is valid)."""
    by = request.user

    def write(form):
        data = form.cleaned_data
        version = data["version"]
        if step.name == "accept":
            if data["decision"] == "accept":
                return services.accept(
                    by=by, lead=case, version=version, reason=data["reasons"], request=request
                )
            return services.reject(
                by=by, lead=case, version=version, reasons=data["reasons"], request=request
            )
        if step.name == "verify":
            return services.verify(
                by=by,
                case=case,
                version=version,
                consent_signed=data["consent_signed"],
                consent_photo=data["consent_photo"],
                verified_on=data["verified_on"],
                verification=data["verification"],
                household=data.get("household_number"),
                request=request,
            )
        if step.name == "compare":
            return services.compare(
                by=by, case=case, version=version, comparison=form.comparison(), request=request
            )
        if step.name == "review":
            return services.village_review(
                by=by,
                case=case,
                version=version,
                votes_for=data["votes_for"],
                votes_against=data["votes_against"],
                votes_abstain=data["votes_abstain"] if data["votes_abstain"] is not None else 0,
                publicity_from=data["publicity_from"],
                request=request,
            )
        if step.name == "end_publicity":
            return services.end_publicity(by=by, case=case, version=version, request=request)
        if step.name == "check":
            return services.township_check(
                by=by,
                case=case,
                version=version,
                approve=data["decision"] == "approve",
                reasons=data["reasons"],
                request=request,
            )
        extra = {}
        if isinstance(form, forms.CountyDecideForm):
            extra = {
                "type": data["type"],
                "risks": data["risks"],
                "disaster_kind": data["disaster_kind"],
                "layer": data["layer"],
                "safety_net": data["safety_net"],
            }
        return services.county_decide(
            by=by,
            case=case,
            version=version,
            include=form.include(),
            reasons=data["reasons"],
            request=request,
            **extra,
        )

    return write


DONE = {
    "accept": gettext_lazy("已办理受理。"),
    "verify": gettext_lazy("已记录入户核实。"),
    "compare": gettext_lazy("已记录信息比对结果。"),
    "review": gettext_lazy("已记录村级评议,开始村内公示。"),
    "end_publicity": gettext_lazy("公示期满,已转乡镇审核。"),
    "check": gettext_lazy("已记录乡镇审核意见。"),
    "decide": gettext_lazy("已记录县级审定意见。"),
}


def _step(request, case, kind: str):
    step = STEPS.get(case.stage)
    allowed, why = step_for(case, request.user, timezone.localdate())
    if step is None or allowed is None:
        if step is not None and not may(request.user, step.perm, code=selectors.case_code(case), own=True):
            raise PermissionDenied(_("没有权限办理该环节"))
        messages.error(request, why or _("该事项已办结或当前环节不能办理"))
        return redirect(reverse(f"monitoring:{kind}_detail", args=[case.pk]))
    step = allowed
    form = step.form(request.POST, request.FILES, case=case, user=request.user)
    if form.is_valid() and save_form(form, _write(step, request, case)):
        messages.success(request, DONE[step.name])
        return redirect(reverse(f"monitoring:{kind}_detail", args=[case.pk]))
    return _case_page(request, case, kind, form=form, status=422)


@login_required
@require_POST
def lead_step(request, pk: int):
    return _step(request, _lead(request, pk), LEAD)


@login_required
@require_POST
def elimination_step(request, pk: int):
    return _step(request, _elimination(request, pk), ELIMINATION)


def _photo(case):
    """The 承诺授权书 photo, only for who may see the case (never a public media URL)."""
    if not case.consent_photo:
        raise Http404
    try:
        handle = case.consent_photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(case.consent_photo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def lead_photo(request, pk: int):
    return _photo(_lead(request, pk))


@login_required
def elimination_photo(request, pk: int):
    return _photo(_elimination(request, pk))


@login_required
def report_lead(request, pk: int):
    """发现风险: the village flags a household's risk (linked from the visit and household pages)."""
    household = registry.household_or_404(request.user, pk)
    require(request, services.REPORT, code=household.village_id, own=True)
    if request.method != "POST":
        # A household already in the chain or monitored is refused (services.report_lead): say so
        # before the cadre types the whole form, and show where its risk is being handled.
        lead, obj = selectors.open_lead_for(household), selectors.open_object_for(household)
        if lead is not None:
            messages.info(
                request, _("该户已有正在办理的风险线索(%(number)s),请在此继续办理") % {"number": lead.number}
            )
            return redirect(reverse("monitoring:lead_detail", args=[lead.pk]))
        if obj is not None:
            messages.info(request, _("该户已是监测对象(风险未消除),请在监测对象页面更新风险"))
            return redirect(reverse("monitoring:object_detail", args=[obj.pk]))
    form = forms.ReportLeadForm(request.POST or None)
    detail = reverse("registry:household_detail", args=[household.pk])
    return form_page(
        request,
        form,
        write=lambda f: services.report_lead(
            by=request.user,
            household=household,
            risks=f.cleaned_data["risks"],
            disaster_kind=f.cleaned_data["disaster_kind"],
            hardship=f.cleaned_data["hardship"],
            opened_on=f.cleaned_data["opened_on"],
            request=request,
        ),
        success=lambda lead: reverse("monitoring:lead_detail", args=[lead.pk]),
        done=lambda lead: _("已登记风险线索 %(number)s,请尽快入户核实。") % {"number": lead.number},
        title=_("发现风险"),
        subtitle=f"{household.head_name} {household.number}",
        # Flagged on a visit, often without signal: kept on the phone and sent later (core outbox.js).
        offline=_("发现风险 %(name)s") % {"name": household.head_name or household.number},
        intro=_("登记后生成风险线索,进入入户核实、信息比对、村级评议、乡镇审核、县级审定流程。"),
        back=detail,
        crumbs=[(household.head_name or household.number, detail)],
    )


urlpatterns = [
    path("leads/<int:pk>/", lead_detail, name="lead_detail"),
    path("leads/<int:pk>/step/", lead_step, name="lead_step"),
    path("leads/<int:pk>/consent-photo/", lead_photo, name="lead_photo"),
    path("eliminations/<int:pk>/", elimination_detail, name="elimination_detail"),
    path("eliminations/<int:pk>/step/", elimination_step, name="elimination_step"),
    path("eliminations/<int:pk>/consent-photo/", elimination_photo, name="elimination_photo"),
    path("households/<int:pk>/report/", report_lead, name="report_lead"),
]
