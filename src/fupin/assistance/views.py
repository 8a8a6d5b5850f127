"""The pages of assistance. Thin: reads through assistance.selectors (visible_to), writes through
assistance.services; a refusal re-renders the form with everything typed and the reason."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.assistance import forms, selectors, services
from fupin.assistance.choices import MeasureStatus, TeamStatus
from fupin.assistance.models import (
    Cadre,
    Measure,
    Pairing,
    Plan,
    Posting,
    TrainingClass,
    Visit,
    VisitPhoto,
    WorkTeam,
)
from fupin.core import photos as core_photos
from fupin.core.forms import form_page, save_form
from fupin.core.lists import DEFAULT_COUNT_CAP, page_of
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.core.steps import run_step
from fupin.core.validators import has_control
from fupin.registry import selectors as registry
from fupin.reports import selectors as reports

# --- home and the declared lists ----------------------------------------------------------------


def _figure(user, code: str, *, period: str = "") -> dict:
    """A figure of the user's whole scope from the rollup, with the list of what it counts."""
    value = reports.figure(user, code, period=period)
    return {
        "value": int(value or 0),
        "url": reports.drill_url(code, division=None, period=period),
    }


@login_required
def home(request):
    """The area's figures, read from the rollup (one row per province for a national viewer,
    never the records): counting 168,000 pairings and 850,000 visits whenever the page opened
    took seconds at a million people. The rollup is up to a minute old (the drain; a figure that turns with the
    date, such as 逾期未走访, waits for the nightly refresh), so the page says when it was counted;
    a 帮扶责任人's own overdue households stay live, a few rows on the cadre's index."""
    require(request, "assistance.view_pairing")
    user = request.user
    year = str(timezone.localdate().year)
    figures = {
        "paired": _figure(user, "assistance.paired_households"),
        "overdue": _figure(user, "assistance.overdue_visits"),
        "visits": _figure(user, "assistance.visits", period=year),
        "postings": _figure(user, "assistance.postings"),
        "teams": _figure(user, "assistance.teams"),
        "person_times": _figure(user, "assistance.training"),
        "poor_villages": _figure(user, "assistance.poor_villages"),
        "covered_villages": _figure(user, "assistance.covered_villages"),
    }
    mine = None
    if hasattr(user, "cadre") and user.has_perm("assistance.view_visit"):
        mine = selectors.overdue_pairings(user=user, mine=True).count()
    refreshed = reports.last_refresh()
    return render(
        request,
        "assistance/home.html",
        {
            "figures": figures,
            "mine_overdue": mine,
            "interval": selectors.visit_interval_days(),
            "refreshed_at": refreshed.started_at if refreshed else None,
        },
    )


# --- visits (phone first) -----------------------------------------------------------------------


@login_required
def visit_list(request):
    """The 走访 tab: my households due for a visit, my recent visits, and the way to record one."""
    require(request, "assistance.view_visit")
    user = request.user
    mine_only = hasattr(user, "cadre")
    overdue = selectors.overdue_pairings(user=user, mine=mine_only)[:50]
    visits = selectors.visit_list(user=user, mine=mine_only)
    return render(
        request,
        "assistance/visit_list.html",
        {
            "overdue": overdue,
            "page": page_of(request.GET, visits, cap=DEFAULT_COUNT_CAP, default_size=10),
            "interval": selectors.visit_interval_days(),
            "mine_only": mine_only,
            "my_households": selectors.pairing_list(user=user, active=True, mine=True)[:100]
            if mine_only
            else [],
        },
    )


@login_required
def visit_new(request):
    """Find the household to visit within the user's scope: the registry's search (name, initials,
    household number, ID number or its last four)."""
    require(request, "assistance.add_visit")
    q = (request.GET.get("q") or "").strip()[:50]
    if has_control(q):
        q = ""
    households = selectors.households_to_visit(user=request.user, q=q)[:30] if q else []
    last = selectors.last_visits([h.pk for h in households]) if q else {}
    for household in households:
        household.last_visit = last.get(household.pk)
    return render(request, "assistance/visit_new.html", {"q": q, "households": households})


@login_required
def visit_record(request, household_id: int):
    household = registry.household_or_404(request.user, household_id)
    require(request, "assistance.add_visit")
    form = forms.VisitForm(request.POST or None, request.FILES or None)
    saved = {}

    def write(form):
        data = form.cleaned_data
        saved["visit"] = services.visit_record(
            by=request.user,
            household=household,
            visited_on=data["visited_on"],
            people_met=data["people_met"],
            notes=data["notes"],
            issues=data.get("issues") or "",
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            photos=data.get("photos") or [],
            request=request,
        )

    if request.method == "POST" and form.is_valid() and save_form(form, write):
        messages.success(request, _("走访记录已保存。"))
        return redirect(reverse("assistance:visit_detail", args=[saved["visit"].pk]) + "?saved=1")
    return render(
        request,
        "assistance/visit_form.html",
        {
            "form": form,
            "household": household,
            "draft_key": f"fupin-visit-{household.pk}",
            "max_mb": core_photos.max_mb(),
        },
        status=422 if form.errors else 200,
    )


@login_required
def visit_detail(request, pk: int):
    visit = get_visible_or_404(
        Visit.objects.select_related("household", "household__village", "cadre", "visitor"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "assistance/visit_detail.html",
        {
            "visit": visit,
            "photos": list(visit.photos.all()),
            "draft_key": f"fupin-visit-{visit.household_id}" if request.GET.get("saved") else "",
        },
    )


@login_required
def visit_photo(request, pk: int):
    """A visit photo, only for who may see the visit (never a public media URL)."""
    photo = get_visible_or_404(VisitPhoto.objects.all(), request.user, pk=pk)
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


@login_required
def worklog_new(request):
    form = forms.WorkLogForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title=_("填写工作日志"),
        perm="assistance.add_worklog",
        back=reverse("assistance:worklog_list"),
        success=reverse("assistance:worklog_list"),
        write=lambda f: services.worklog_record(
            by=request.user,
            region=f.cleaned_data["region"],
            logged_on=f.cleaned_data["logged_on"],
            content=f.cleaned_data["content"],
            request=request,
        ),
    )


# --- cadres, pairings, activities ---------------------------------------------------------------


@login_required
def cadre_new(request):
    form = forms.CadreForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title=_("新增帮扶干部"),
        perm="assistance.add_cadre",
        back=reverse("assistance:cadre_list"),
        success=reverse("assistance:cadre_list"),
        write=lambda f: services.cadre_create(by=request.user, request=request, **f.service_fields()),
    )


@login_required
def cadre_edit(request, pk: int):
    cadre = get_visible_or_404(Cadre.objects.select_related("user"), request.user, pk=pk)
    form = forms.CadreEditForm(
        request.POST or None, user=request.user, initial=forms.CadreEditForm.initial_for(cadre)
    )
    return form_page(
        request,
        form,
        title=_("编辑帮扶干部:%(name)s") % {"name": cadre.name},
        perm="assistance.change_cadre",
        back=reverse("assistance:cadre_list"),
        success=reverse("assistance:cadre_list"),
        write=lambda f: services.cadre_update(
            by=request.user,
            cadre=cadre,
            request=request,
            **{**f.service_fields(), "version": f.cleaned_data["version"] or 0},
        ),
    )


@login_required
def pairing_new(request):
    form = forms.PairingForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title=_("新增结对"),
        perm="assistance.add_pairing",
        back=reverse("assistance:pairing_list"),
        success=reverse("assistance:pairing_list"),
        write=lambda f: services.pairing_create(by=request.user, request=request, **f.cleaned_data),
    )


@login_required
def pairing_end(request, pk: int):
    pairing = get_visible_or_404(Pairing.objects.select_related("cadre", "household"), request.user, pk=pk)
    form = forms.PairingEndForm(
        request.POST or None, initial={"version": pairing.version, "end": timezone.localdate()}
    )
    return form_page(
        request,
        form,
        title=_("结束结对:%(cadre)s → %(head)s")
        % {"cadre": pairing.cadre, "head": pairing.household.head_name},
        perm="assistance.change_pairing",
        back=reverse("assistance:pairing_list"),
        success=reverse("assistance:pairing_list"),
        write=lambda f: services.pairing_end(
            by=request.user,
            pairing=pairing,
            version=f.cleaned_data["version"] or 0,
            end=f.cleaned_data["end"],
            reason=f.cleaned_data["end_reason"],
            request=request,
        ),
    )


@login_required
def activity_new(request):
    form = forms.ActivityForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title=_("新增帮扶活动"),
        perm="assistance.add_activity",
        back=reverse("assistance:activity_list"),
        success=reverse("assistance:activity_list"),
        write=lambda f: services.activity_record(
            by=request.user,
            request=request,
            **{k: v for k, v in f.cleaned_data.items() if k != "participants"},
            participants=f.cleaned_data.get("participants") or 0,
        ),
    )


# --- dispatched cadres --------------------------------------------------------------------------


@login_required
def team_new(request):
    form = forms.TeamForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title=_("新增驻村工作队"),
        perm="assistance.add_workteam",
        back=reverse("assistance:team_list"),
        success=reverse("assistance:team_list"),
        intro=_("工作队至少3名队员在岗后方可进驻。"),
        write=lambda f: services.team_create(by=request.user, request=request, **f.cleaned_data),
    )


@login_required
def team_edit(request, pk: int):
    team = get_visible_or_404(WorkTeam.objects.all(), request.user, pk=pk)
    form = forms.TeamEditForm(
        request.POST or None, user=request.user, initial=forms.TeamEditForm.initial_for(team)
    )
    return form_page(
        request,
        form,
        title=_("编辑驻村工作队:%(name)s") % {"name": team.name},
        perm="assistance.change_workteam",
        back=reverse("assistance:team_detail", args=[team.pk]),
        success=reverse("assistance:team_detail", args=[team.pk]),
        write=lambda f: services.team_update(
            by=request.user,
            team=team,
            request=request,
            **{**f.cleaned_data, "version": f.cleaned_data["version"] or 0},
        ),
    )


@login_required
def team_detail(request, pk: int):
    team = get_visible_or_404(WorkTeam.objects.select_related("unit", "village"), request.user, pk=pk)
    postings = (
        Posting.objects.filter(team=team).select_related("cadre", "cadre__unit").order_by("start", "id")
    )
    steps = {TeamStatus.FORMING: [TeamStatus.ACTIVE], TeamStatus.ACTIVE: [TeamStatus.ENDED]}.get(
        team.status, []
    )
    return render(
        request,
        "assistance/team_detail.html",
        {
            "team": team,
            "postings": postings,
            # An ended team shows the members it had; a serving one those serving today.
            "size": len(postings) if team.status == TeamStatus.ENDED else services.team_size(team),
            "min_members": WorkTeam.MIN_MEMBERS,
            "events": team.events.select_related("actor"),
            "steps": [(s, TeamStatus(s).label) for s in steps],
            "can_transition": request.user.has_perm("assistance.transition_workteam"),
            "can_edit": request.user.has_perm("assistance.change_workteam"),
        },
    )


@login_required
@require_POST
def team_transition(request, pk: int):
    team = get_visible_or_404(WorkTeam.objects.all(), request.user, pk=pk)
    require(request, "assistance.transition_workteam")
    form = forms.TeamTransitionForm(request.POST)
    return run_step(
        request,
        lambda: services.team_transition(
            by=request.user,
            team=team,
            to=form.cleaned_data["to"],
            version=form.cleaned_data["version"] or 0,
            reason=form.cleaned_data["reason"],
            request=request,
        ),
        form=form,
        success=reverse("assistance:team_detail", args=[team.pk]),
        done=_("已变更工作队状态。"),
    )


@login_required
def posting_new(request):
    form = forms.PostingForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title=_("新增选派干部"),
        perm="assistance.add_posting",
        back=reverse("assistance:posting_list"),
        success=reverse("assistance:posting_list"),
        write=lambda f: services.posting_create(by=request.user, request=request, **f.cleaned_data),
    )


@login_required
def posting_end(request, pk: int):
    posting = get_visible_or_404(Posting.objects.select_related("cadre"), request.user, pk=pk)
    form = forms.PairingEndForm(
        request.POST or None, initial={"version": posting.version, "end": timezone.localdate()}
    )
    del form.fields["end_reason"]
    return form_page(
        request,
        form,
        title=_("结束任期:%(cadre)s") % {"cadre": posting.cadre},
        perm="assistance.change_posting",
        back=reverse("assistance:posting_list"),
        success=reverse("assistance:posting_list"),
        write=lambda f: services.posting_end(
            by=request.user,
            posting=posting,
            version=f.cleaned_data["version"] or 0,
            end=f.cleaned_data["end"],
            request=request,
        ),
    )


# --- 一户一策 -------------------------------------------------------------------------------------


@login_required
def measure_new(request):
    initial = {"household": request.GET.get("household", "")[:20]}
    form = forms.MeasureForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        title=_("新增帮扶措施"),
        perm="assistance.add_measure",
        back=reverse("assistance:measure_list"),
        success=lambda measure: reverse("assistance:plan_detail", args=[measure.plan.household_id]),
        write=lambda f: services.measure_add(by=request.user, request=request, **f.cleaned_data),
    )


@login_required
def plan_detail(request, household_id: int):
    household = registry.household_or_404(request.user, household_id)
    require(request, "assistance.view_measure")
    plan = Plan.objects.filter(household=household).first()
    measures = list(
        selectors.measure_list(user=request.user, household_id=household.pk).prefetch_related("events__actor")
    )
    for measure in measures:
        measure.steps = [(s, MeasureStatus(s).label) for s in services.measure_next_steps(measure)]
    return render(
        request,
        "assistance/plan_detail.html",
        {
            "household": household,
            "plan": plan,
            "measures": measures,
            "pairings": selectors.pairing_list(user=request.user).filter(household=household),
            "can_transition": request.user.has_perm("assistance.transition_measure"),
        },
    )


@login_required
@require_POST
def measure_transition(request, pk: int):
    measure = get_visible_or_404(Measure.objects.select_related("plan__household"), request.user, pk=pk)
    require(request, "assistance.transition_measure")
    form = forms.MeasureTransitionForm(request.POST)
    return run_step(
        request,
        lambda: services.measure_transition(
            by=request.user,
            measure=measure,
            to=form.cleaned_data["to"],
            version=form.cleaned_data["version"] or 0,
            reason=form.cleaned_data["reason"],
            result=form.cleaned_data["result"],
            request=request,
        ),
        form=form,
        success=reverse("assistance:plan_detail", args=[measure.plan.household_id]),
        done=_("已变更措施状态。"),
    )


# --- training -----------------------------------------------------------------------------------


@login_required
def training_new(request):
    form = forms.TrainingClassForm(request.POST or None, user=request.user)

    def write(f):
        data = {k: v for k, v in f.cleaned_data.items() if k not in ("names", "count")}
        services.training_create(by=request.user, request=request, attendees=f.attendees(), **data)

    return form_page(
        request,
        form,
        title=_("新增培训班"),
        perm="assistance.add_trainingclass",
        back=reverse("assistance:training_list"),
        success=reverse("assistance:training_list"),
        write=write,
    )


@login_required
def training_edit(request, pk: int):
    training = get_visible_or_404(TrainingClass.objects.all(), request.user, pk=pk)
    form = forms.TrainingClassEditForm(
        request.POST or None, user=request.user, initial=forms.TrainingClassEditForm.initial_for(training)
    )

    def write(f):
        data = {k: v for k, v in f.cleaned_data.items() if k not in ("names", "count", "version")}
        services.training_update(
            by=request.user,
            training=training,
            version=f.cleaned_data["version"] or 0,
            request=request,
            attendees=f.attendees(),
            **data,
        )

    return form_page(
        request,
        form,
        title=_("编辑培训班:%(topic)s") % {"topic": training.topic},
        perm="assistance.change_trainingclass",
        back=reverse("assistance:training_detail", args=[training.pk]),
        success=reverse("assistance:training_detail", args=[training.pk]),
        intro=_("保存后以下方名单和人数替换原有学员。"),
        write=write,
    )


@login_required
def training_detail(request, pk: int):
    training = get_visible_or_404(
        TrainingClass.objects.select_related("organiser", "region"), request.user, pk=pk
    )
    attendees = list(training.attendees.all())
    return render(
        request,
        "assistance/training_detail.html",
        {
            "training": training,
            "attendees": attendees,
            "person_times": sum(a.count for a in attendees),
            "can_edit": request.user.has_perm("assistance.change_trainingclass"),
        },
    )
