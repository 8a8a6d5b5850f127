"""Standardisation scores and rankings, weak and lax branches, reserve pools and the monthly
cadre evaluation (绩效月考评)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.forms import form_page
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.core.steps import run_step
from fupin.party import selectors, services
from fupin.party.choices import WeakCriterion, WeakStatus
from fupin.party.forms import (
    AssessmentForm,
    CadreForm,
    CadreScoreForm,
    ReserveForm,
    ScoreForm,
    WeakCaseForm,
    WeakStepForm,
)
from fupin.party.models import BranchScore, Checklist, IndicatorSet, ReserveCadre, VillageCadre, WeakCase
from fupin.party.views.orgs import visible_org

# --- standardisation ----------------------------------------------------------------------------


@login_required
def score_record(request, pk: int):
    org = visible_org(request, pk)
    require(request, "party.add_branchscore", **selectors.keepers(org))
    checklist = Checklist.objects.filter(active=True).order_by("pk").first()
    if checklist is None:
        messages.error(request, _("尚未设置标准化考评表,请先运行 fupin party_defaults。"))
        return redirect(org.get_absolute_url())
    year = request.GET.get("year", "")
    initial = {"year": int(year) if year.isdigit() else timezone.localdate().year - 1}
    existing = BranchScore.objects.filter(org=org, year=initial["year"]).first()
    if existing is not None:
        initial.update(version=existing.version, satisfaction=existing.satisfaction)
        initial.update({f"item_{i.item_id}": i.points for i in existing.items.all()})
    form = ScoreForm(request.POST or None, checklist=checklist, initial=initial)
    return form_page(
        request,
        form,
        write=lambda f: services.score_record(
            by=request.user,
            org=org,
            checklist=checklist,
            year=f.cleaned_data["year"],
            points=f.points(),
            satisfaction=f.cleaned_data["satisfaction"],
            version=f.cleaned_data["version"],
            request=request,
        ),
        template="party/score_form.html",
        org=org,
        checklist=checklist,
        title=_("标准化评分"),
        success=org.get_absolute_url() + "#scores",
    )


# --- weak and lax branches ----------------------------------------------------------------------


@login_required
def weak_create(request, pk: int):
    org = visible_org(request, pk)
    require(request, "party.manage_weakcase", **selectors.keepers(org))
    computed = selectors.computed_criteria(org)
    form = WeakCaseForm(
        request.POST or None, initial={"year": timezone.localdate().year, "criteria": list(computed)}
    )
    return form_page(
        request,
        form,
        write=lambda f: services.weak_identify(by=request.user, org=org, request=request, **f.cleaned_data),
        template="party/form.html",
        title=_("认定软弱涣散党组织"),
        subtitle=org.name,
        back=org.get_absolute_url(),
        evidence=[(WeakCriterion(c).label, e) for c, e in computed.items()],
        success=lambda case: reverse("party:weak_detail", args=[case.pk]),
    )


def _case(request, pk: int) -> WeakCase:
    return get_visible_or_404(WeakCase.objects.select_related("org__region"), request.user, pk=pk)


@login_required
def weak_detail(request, pk: int):
    case = _case(request, pk)
    return render(
        request,
        "party/weak_detail.html",
        {
            "case": case,
            "criteria": [WeakCriterion(c).label for c in case.criteria],
            "events": case.events.select_related("actor"),
            "can_manage": selectors.may(request.user, "manage_weakcase", case.org),
            "open": case.status in (WeakStatus.IDENTIFIED, WeakStatus.RECTIFYING),
            "step_form": WeakStepForm(initial={"version": case.version}),
        },
    )


@login_required
@require_POST
def weak_step(request, pk: int):
    case = _case(request, pk)
    require(request, "party.manage_weakcase", **selectors.keepers(case.org))
    form = WeakStepForm(request.POST)
    return run_step(
        request,
        lambda: services.weak_step(by=request.user, case=case, request=request, **form.cleaned_data),
        form=form,
        success=reverse("party:weak_detail", args=[case.pk]),
    )


# --- reserve pools ------------------------------------------------------------------------------


@login_required
def reserve_create(request):
    require(request, "party.add_reservecadre")
    form = ReserveForm(request.POST or None, user=request.user, initial={"added_on": timezone.localdate()})

    def write(f):
        data = f.service_fields()
        return services.reserve_add(by=request.user, org=data.pop("org"), request=request, **data)

    return form_page(
        request,
        form,
        write=write,
        template="party/form.html",
        title=_("新增后备干部"),
        back=reverse("party:reserve_list"),
        success=lambda c: reverse("party:reserve_detail", args=[c.pk]),
    )


def _reserve(request, pk: int) -> ReserveCadre:
    return get_visible_or_404(ReserveCadre.objects.select_related("org"), request.user, pk=pk)


@login_required
def reserve_detail(request, pk: int):
    cadre = _reserve(request, pk)
    can_edit = selectors.may(request.user, "change_reservecadre", cadre.org)
    form = ReserveForm(
        request.POST or None,
        user=request.user,
        instance=ReserveCadre.objects.get(pk=cadre.pk),
        editing=True,
        initial={"version": cadre.version},
    )
    if request.method == "POST" and not can_edit:
        require(request, "party.change_reservecadre", **selectors.keepers(cadre.org))
    back = reverse("party:reserve_detail", args=[cadre.pk])
    return form_page(
        request,
        form,
        write=lambda f: services.reserve_update(
            by=request.user,
            cadre=cadre,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        template="party/reserve_detail.html",
        cadre=cadre,
        assessments=cadre.assessments.all(),
        assess_form=AssessmentForm(initial={"year": timezone.localdate().year - 1}),
        can_edit=can_edit,
        age=timezone.localdate().year - cadre.birth_year,
        success=back,
    )


@login_required
@require_POST
def reserve_assess(request, pk: int):
    cadre = _reserve(request, pk)
    require(request, "party.change_reservecadre", **selectors.keepers(cadre.org))
    form = AssessmentForm(request.POST)
    return run_step(
        request,
        lambda: services.reserve_assess(by=request.user, cadre=cadre, request=request, **form.cleaned_data),
        form=form,
        success=reverse("party:reserve_detail", args=[cadre.pk]),
        done=_("已保存。"),
    )


# --- monthly cadre evaluation -------------------------------------------------------------------


@login_required
def cadre_create(request, pk: int):
    org = visible_org(request, pk)
    require(request, "party.add_villagecadre", **selectors.keepers(org))
    form = CadreForm(request.POST or None)
    return form_page(
        request,
        form,
        write=lambda f: services.cadre_add(by=request.user, org=org, request=request, **f.cleaned_data),
        template="party/form.html",
        title=_("新增村干部"),
        subtitle=org.name,
        back=org.get_absolute_url(),
        success=lambda c: reverse("party:cadre_detail", args=[c.pk]),
    )


def _cadre(request, pk: int) -> VillageCadre:
    return get_visible_or_404(VillageCadre.objects.select_related("org"), request.user, pk=pk)


@login_required
def cadre_detail(request, pk: int):
    """A cadre's monthly history, and the form for this month's score."""
    cadre = _cadre(request, pk)
    indicator_set = IndicatorSet.objects.filter(active=True).order_by("pk").first()
    history = list(selectors.cadre_history(cadre))
    names = {str(i.pk): i.name for i in indicator_set.indicators.all()} if indicator_set else {}
    can_score = selectors.may(request.user, "add_cadremonthscore", cadre.org) and indicator_set is not None
    form = (
        CadreScoreForm(
            request.POST or None,
            indicator_set=indicator_set,
            initial={"month": timezone.localdate().strftime("%Y-%m")},
        )
        if indicator_set
        else None
    )
    if request.method == "POST":
        require(request, "party.add_cadremonthscore", **selectors.keepers(cadre.org))
        if form is None:
            raise Http404
    return (
        form_page(
            request,
            form,
            write=lambda f: services.cadre_score(
                by=request.user,
                cadre=cadre,
                indicator_set=indicator_set,
                month=f.cleaned_data["month"],
                points=f.points(),
                request=request,
            ),
            template="party/cadre_detail.html",
            cadre=cadre,
            history=[(s, [(names.get(k, k), v) for k, v in s.points.items()]) for s in history],
            indicator_set=indicator_set,
            can_score=can_score,
            success=reverse("party:cadre_detail", args=[cadre.pk]),
        )
        if form is not None
        else render(request, "party/cadre_detail.html", {"cadre": cadre, "history": []})
    )
