"""Party pages: the home page, organisations and their members (with the recruitment workflow).

Thin views: reads through party.selectors (the scoping choke point), writes through party.services;
a service's ValidationError lands under its field and the form keeps what the user typed; a step
posted from a button (member_step) says what happened as a message (core.steps.run_step).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.forms import form_page
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.core.steps import run_step
from fupin.party import selectors, services
from fupin.party.choices import OrgLevel
from fupin.party.forms import AdvanceForm, MemberForm, OrgForm
from fupin.party.models import BranchScore, Pairing, PartyMember, PartyOrg, WeakCase


def visible_org(request, pk: int) -> PartyOrg:
    return get_visible_or_404(
        PartyOrg.objects.select_related("region", "unit", "parent"), request.user, pk=pk
    )


# --- home ---------------------------------------------------------------------------------------


@login_required
def home(request):
    require(request, "party.view_partyorg")
    mine = list(
        selectors.org_list(user=request.user, level=OrgLevel.BRANCH).order_by("region_id", "name")[:12]
    )
    for org in mine:
        org.may = selectors.Allowed(request.user, org)
    return render(
        request,
        "party/home.html",
        {
            "summary": selectors.summary(user=request.user),
            "branches": mine,
            "year": timezone.localdate().year,
        },
    )


# --- organisations ------------------------------------------------------------------------------


@login_required
def org_detail(request, pk: int):
    org = visible_org(request, pk)
    year = timezone.localdate().year
    return render(
        request,
        "party/org_detail.html",
        {
            "org": org,
            "children": org.children.all(),
            "members": org.members.order_by("status", "stage", "id"),
            "meetings": selectors.meeting_list(user=request.user, org=org)[:10],
            "scores": BranchScore.objects.filter(org=org).order_by("-year"),
            "cases": WeakCase.objects.filter(org=org),
            "pairings": Pairing.objects.filter(village_branch=org) | Pairing.objects.filter(helper=org),
            "cadres": org.cadres.all(),
            "criteria": selectors.computed_criteria(org),
            "year": year,
            "may": selectors.Allowed(request.user, org),
        },
    )


@login_required
def org_create(request):
    require(request, "party.add_partyorg")
    form = OrgForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        write=lambda f: services.org_create(by=request.user, request=request, **f.service_fields()),
        template="party/form.html",
        title=_("新增党组织"),
        back=reverse("party:org_list"),
        success=lambda org: reverse("party:org_detail", args=[org.pk]),
    )


@login_required
def org_edit(request, pk: int):
    org = visible_org(request, pk)
    require(request, "party.change_partyorg", **selectors.keepers(org))
    form = OrgForm(
        request.POST or None,
        user=request.user,
        instance=PartyOrg.objects.get(pk=org.pk),
        initial={"version": org.version},
    )
    return form_page(
        request,
        form,
        write=lambda f: services.org_update(
            by=request.user,
            org=org,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        template="party/form.html",
        title=_("编辑党组织"),
        back=org.get_absolute_url(),
        success=org.get_absolute_url(),
    )


# --- members ------------------------------------------------------------------------------------


def _member(request, pk: int) -> PartyMember:
    return get_visible_or_404(PartyMember.objects.select_related("org"), request.user, pk=pk)


@login_required
def member_detail(request, pk: int):
    member = _member(request, pk)
    return render(
        request,
        "party/member_detail.html",
        {
            "member": member,
            "events": member.events.select_related("actor").order_by("at", "id"),
            "next_stage": services.next_stage(member.stage),
            "step_form": AdvanceForm(initial={"version": member.version, "on": timezone.localdate()}),
            "can_edit": selectors.may(request.user, "change_partymember", member.org),
        },
    )


@login_required
def member_add(request, pk: int):
    org = visible_org(request, pk)
    require(request, "party.add_partymember", **selectors.keepers(org))
    form = MemberForm(request.POST or None)
    return form_page(
        request,
        form,
        write=lambda f: services.member_add(by=request.user, org=org, request=request, **f.service_fields()),
        template="party/form.html",
        title=_("新增党员"),
        subtitle=org.name,
        back=org.get_absolute_url(),
        success=org.get_absolute_url() + "#members",
    )


@login_required
def member_edit(request, pk: int):
    member = _member(request, pk)
    require(request, "party.change_partymember", **selectors.keepers(member.org))
    form = MemberForm(
        request.POST or None,
        instance=PartyMember.objects.get(pk=member.pk),
        editing=True,
        initial={"version": member.version},
    )
    back = reverse("party:member_detail", args=[member.pk])
    return form_page(
        request,
        form,
        write=lambda f: services.member_update(
            by=request.user,
            member=member,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        template="party/form.html",
        title=_("编辑党员"),
        subtitle=member.name,
        back=back,
        success=back,
    )


@login_required
@require_POST
def member_step(request, pk: int):
    """The recruitment workflow (next stage) and membership changes (transfer out, leave …)."""
    member = _member(request, pk)
    require(request, "party.change_partymember", **selectors.keepers(member.org))
    form = AdvanceForm(request.POST)

    def write():
        data = form.cleaned_data
        common = {"by": request.user, "member": member, "on": data["on"], "version": data["version"]}
        if data["action"] == "advance":
            return services.member_advance(reason=data["reason"], request=request, **common)
        return services.member_set_status(
            status=data["action"], reason=data["reason"], request=request, **common
        )

    return run_step(request, write, form=form, success=reverse("party:member_detail", args=[member.pk]))
