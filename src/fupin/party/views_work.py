"""Standardisation scores and rankings, weak and lax branches, reserve pools and the monthly
cadre evaluation (绩效月考评)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.core.scoping import get_visible_or_404
from fupin.party import selectors, services
from fupin.party.choices import WeakCriterion, WeakStatus
from fupin.party.forms import (
    AssessmentForm,
    CadreForm,
    CadreScoreForm,
    MonthQueryForm,
    ReserveForm,
    ReserveQueryForm,
    ScoreForm,
    WeakCaseForm,
    WeakQueryForm,
    WeakStepForm,
    YearQueryForm,
)
from fupin.party.listing import Column, export_list, render_list
from fupin.party.models import BranchScore, Checklist, IndicatorSet, ReserveCadre, VillageCadre, WeakCase
from fupin.party.views import filters_of, require_may, require_perm, save_form, visible_org

# --- standardisation ----------------------------------------------------------------------------

SCORE_COLUMNS = [
    Column(_l("排名"), lambda s: s.rank, num=True),
    Column(_l("党组织"), lambda s: s.org),
    Column(_l("所在区划"), lambda s: s.org.region),
    Column(_l("年度"), lambda s: s.year),
    Column(_l("总分"), lambda s: s.total, num=True),
    Column(
        _l("星级"), lambda s: s.get_star_display(), tag=lambda s: "tag-red" if s.star >= 4 else "tag-grey"
    ),
    Column(_l("群众满意度(%)"), lambda s: s.satisfaction, num=True),
]


def _score_rows(request):
    form = YearQueryForm(request.GET or None, user=request.user)
    f = filters_of(form)
    year = f.get("year") or timezone.localdate().year - 1
    return form, selectors.score_ranking(user=request.user, year=year, division=f.get("division"))


@login_required
def score_list(request):
    """Yearly standardisation scores ranked within the chosen township or county."""
    require_perm(request, "party.view_branchscore")
    form, rows = _score_rows(request)
    return render_list(
        request,
        title=_("标准化评分排名"),
        form=form,
        rows=rows,
        columns=SCORE_COLUMNS,
        export="party:score_export",
        actions=lambda s: [(_("查看"), reverse("party:org_detail", args=[s.org_id]))],
    )


@login_required
def score_export(request):
    require_perm(request, "party.view_branchscore")
    _form, rows = _score_rows(request)
    return export_list(
        request,
        filename=_("标准化评分") + ".xlsx",
        object_type="party.branchscore",
        rows=rows,
        columns=SCORE_COLUMNS,
    )


@login_required
def score_record(request, pk: int):
    org = visible_org(request, pk)
    require_may(request, "add_branchscore", org)
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
    return save_form(
        request,
        form,
        lambda f: services.score_record(
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
        context={"org": org, "checklist": checklist, "title": _("标准化评分")},
        success=org.get_absolute_url() + "#scores",
    )


# --- weak and lax branches ----------------------------------------------------------------------

WEAK_COLUMNS = [
    Column(_l("党组织"), lambda c: c.org),
    Column(_l("所在区划"), lambda c: c.org.region),
    Column(_l("年度"), lambda c: c.year),
    Column(_l("认定情形"), lambda c: "、".join(str(WeakCriterion(x).label) for x in c.criteria)),
    Column(_l("整改责任人"), lambda c: c.owner),
    Column(_l("整改时限"), lambda c: c.deadline),
    Column(_l("状态"), lambda c: c.get_status_display(), tag=lambda c: WEAK_TAGS.get(c.status, "")),
]
WEAK_TAGS = {
    "identified": "tag-red",
    "rectifying": "tag-orange",
    "closed": "tag-green",
    "revoked": "tag-grey",
}


def _weak_rows(request):
    form = WeakQueryForm(request.GET or None, user=request.user)
    f = filters_of(form)
    rows = selectors.weak_case_list(
        user=request.user, status=f.get("status", ""), year=f.get("year"), division=f.get("division")
    )
    return form, rows


@login_required
def weak_list(request):
    require_perm(request, "party.view_weakcase")
    form, rows = _weak_rows(request)
    return render_list(
        request,
        title=_("软弱涣散党组织整顿"),
        form=form,
        rows=rows,
        columns=WEAK_COLUMNS,
        export="party:weak_export",
        actions=lambda c: [(_("查看"), reverse("party:weak_detail", args=[c.pk]))],
    )


@login_required
def weak_export(request):
    require_perm(request, "party.view_weakcase")
    _form, rows = _weak_rows(request)
    return export_list(
        request,
        filename=_("软弱涣散党组织") + ".xlsx",
        object_type="party.weakcase",
        rows=rows,
        columns=WEAK_COLUMNS,
    )


@login_required
def weak_create(request, pk: int):
    org = visible_org(request, pk)
    require_may(request, "manage_weakcase", org)
    computed = selectors.computed_criteria(org)
    form = WeakCaseForm(
        request.POST or None, initial={"year": timezone.localdate().year, "criteria": list(computed)}
    )
    return save_form(
        request,
        form,
        lambda f: services.weak_identify(by=request.user, org=org, request=request, **f.cleaned_data),
        template="party/form.html",
        context={
            "title": _("认定软弱涣散党组织"),
            "subtitle": org.name,
            "back": org.get_absolute_url(),
            "evidence": [(WeakCriterion(c).label, e) for c, e in computed.items()],
        },
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
    require_may(request, "manage_weakcase", case.org)
    form = WeakStepForm(request.POST)
    if form.is_valid():
        try:
            services.weak_step(by=request.user, case=case, request=request, **form.cleaned_data)
        except TransitionRefused as exc:
            for reason in exc.reasons:
                messages.error(request, reason)
        except StaleVersion as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("操作成功。"))
    else:
        messages.error(request, _("操作无效。"))
    return redirect("party:weak_detail", pk=case.pk)


# --- reserve pools ------------------------------------------------------------------------------

RESERVE_COLUMNS = [
    Column(_l("姓名"), lambda c: c.name),
    Column(_l("村党组织"), lambda c: c.org),
    Column(_l("性别"), lambda c: c.get_sex_display()),
    Column(_l("年龄"), lambda c: timezone.localdate().year - c.birth_year, num=True),
    Column(_l("文化程度"), lambda c: c.get_education_display()),
    Column(_l("中共党员"), lambda c: c.is_party_member),
    Column(_l("现任职务/从业"), lambda c: c.current_work),
    Column(_l("最近考核"), lambda c: _latest(c)),
    Column(_l("状态"), lambda c: c.get_status_display()),
]


def _latest(cadre) -> str:
    latest = max(cadre.assessments.all(), key=lambda a: a.year, default=None)
    return f"{latest.year} {latest.get_result_display()}" if latest else ""


def _reserve_rows(request):
    form = ReserveQueryForm(request.GET or None, user=request.user)
    f = filters_of(form)
    rows = selectors.reserve_list(
        user=request.user, q=f.get("q", ""), status=f.get("status", ""), division=f.get("division")
    )
    return form, rows


@login_required
def reserve_list(request):
    require_perm(request, "party.view_reservecadre")
    form, rows = _reserve_rows(request)
    toolbar = (
        [(_("新增"), reverse("party:reserve_create"))]
        if request.user.has_perm("party.add_reservecadre")
        else []
    )
    return render_list(
        request,
        title=_("后备干部库"),
        form=form,
        rows=rows,
        columns=RESERVE_COLUMNS,
        export="party:reserve_export",
        toolbar=toolbar,
        actions=lambda c: [(_("查看"), reverse("party:reserve_detail", args=[c.pk]))],
    )


@login_required
def reserve_export(request):
    require_perm(request, "party.view_reservecadre")
    _form, rows = _reserve_rows(request)
    return export_list(
        request,
        filename=_("后备干部库") + ".xlsx",
        object_type="party.reservecadre",
        rows=rows,
        columns=RESERVE_COLUMNS,
    )


@login_required
def reserve_create(request):
    require_perm(request, "party.add_reservecadre")
    form = ReserveForm(request.POST or None, user=request.user, initial={"added_on": timezone.localdate()})

    def write(f):
        data = f.service_fields()
        return services.reserve_add(by=request.user, org=data.pop("org"), request=request, **data)

    return save_form(
        request,
        form,
        write,
        template="party/form.html",
        context={"title": _("新增后备干部"), "back": reverse("party:reserve_list")},
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
        require_may(request, "change_reservecadre", cadre.org)
    back = reverse("party:reserve_detail", args=[cadre.pk])
    return save_form(
        request,
        form,
        lambda f: services.reserve_update(
            by=request.user,
            cadre=cadre,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        template="party/reserve_detail.html",
        context={
            "cadre": cadre,
            "assessments": cadre.assessments.all(),
            "assess_form": AssessmentForm(initial={"year": timezone.localdate().year - 1}),
            "can_edit": can_edit,
            "age": timezone.localdate().year - cadre.birth_year,
        },
        success=back,
    )


@login_required
@require_POST
def reserve_assess(request, pk: int):
    cadre = _reserve(request, pk)
    require_may(request, "change_reservecadre", cadre.org)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.reserve_assess(by=request.user, cadre=cadre, request=request, **form.cleaned_data)
        except Exception as exc:  # noqa: BLE001 - a ValidationError's messages are shown as they are
            for message in getattr(exc, "messages", [str(exc)]):
                messages.error(request, message)
        else:
            messages.success(request, _("已保存。"))
    else:
        messages.error(request, _("请检查考核年度和结果。"))
    return redirect("party:reserve_detail", pk=cadre.pk)


# --- monthly cadre evaluation -------------------------------------------------------------------

CADRE_COLUMNS = [
    Column(_l("排名"), lambda s: s.rank, num=True),
    Column(_l("姓名"), lambda s: s.cadre.name),
    Column(_l("职务"), lambda s: s.cadre.post),
    Column(_l("村党组织"), lambda s: s.cadre.org),
    Column(_l("月份"), lambda s: s.month.strftime("%Y-%m")),
    Column(_l("总分"), lambda s: s.total, num=True),
]


def _cadre_rows(request):
    form = MonthQueryForm(request.GET or None, user=request.user)
    f = filters_of(form)
    month = f.get("month")
    if month is None:
        latest = selectors.CadreMonthScore.objects.visible_to(request.user).order_by("-month").first()
        month = latest.month if latest else timezone.localdate().replace(day=1)
    return form, selectors.cadre_ranking(user=request.user, month=month, division=f.get("division"))


@login_required
def cadre_ranking(request):
    require_perm(request, "party.view_cadremonthscore")
    form, rows = _cadre_rows(request)
    return render_list(
        request,
        title=_("村干部绩效月考评"),
        form=form,
        rows=rows,
        columns=CADRE_COLUMNS,
        export="party:cadre_export",
        actions=lambda s: [(_("历史"), reverse("party:cadre_detail", args=[s.cadre_id]))],
    )


@login_required
def cadre_export(request):
    require_perm(request, "party.view_cadremonthscore")
    _form, rows = _cadre_rows(request)
    return export_list(
        request,
        filename=_("绩效月考评") + ".xlsx",
        object_type="party.cadremonthscore",
        rows=rows,
        columns=CADRE_COLUMNS,
    )


@login_required
def cadre_create(request, pk: int):
    org = visible_org(request, pk)
    require_may(request, "add_villagecadre", org)
    form = CadreForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda f: services.cadre_add(by=request.user, org=org, request=request, **f.cleaned_data),
        template="party/form.html",
        context={"title": _("新增村干部"), "subtitle": org.name, "back": org.get_absolute_url()},
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
        require_may(request, "add_cadremonthscore", cadre.org)
        if form is None:
            raise Http404
    return (
        save_form(
            request,
            form,
            lambda f: services.cadre_score(
                by=request.user,
                cadre=cadre,
                indicator_set=indicator_set,
                month=f.cleaned_data["month"],
                points=f.points(),
                request=request,
            ),
            template="party/cadre_detail.html",
            context={
                "cadre": cadre,
                "history": [(s, [(names.get(k, k), v) for k, v in s.points.items()]) for s in history],
                "indicator_set": indicator_set,
                "can_score": can_score,
            },
            success=reverse("party:cadre_detail", args=[cadre.pk]),
        )
        if form is not None
        else render(request, "party/cadre_detail.html", {"cadre": cadre, "history": []})
    )
