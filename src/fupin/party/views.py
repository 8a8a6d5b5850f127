"""Party pages: the home page, organisations and their members (with the recruitment workflow).

Thin views: reads through party.selectors (the scoping choke point), writes through party.services;
a service's ValidationError lands under its field, a stale version or a refused step is a message,
and the form keeps what the user typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.core.forms import apply_service_errors
from fupin.core.scoping import get_visible_or_404
from fupin.party import selectors, services
from fupin.party.choices import OrgLevel
from fupin.party.forms import (
    AdvanceForm,
    MemberForm,
    MemberQueryForm,
    OrgForm,
    OrgQueryForm,
)
from fupin.party.listing import Column, export_list, render_list
from fupin.party.models import BranchScore, Pairing, PartyMember, PartyOrg, WeakCase


def require_perm(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("没有权限。"))


def require_may(request, perm: str, org: PartyOrg) -> None:
    """party.<perm> on an organisation the user keeps (selectors.can_edit_org), else 403."""
    if not selectors.may(request.user, perm, org):
        raise PermissionDenied(_("没有权限。"))


def visible_org(request, pk: int) -> PartyOrg:
    return get_visible_or_404(
        PartyOrg.objects.select_related("region", "unit", "parent"), request.user, pk=pk
    )


def save_form(request, form, write, *, template: str, context: dict, success: str, done: str = ""):
    """Run `write(form)` on a valid POST; keep the input and show the reason when it is refused."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form)
        except StaleVersion as exc:
            form.add_error(None, exc.message)
        except TransitionRefused as exc:
            for reason in exc.reasons:
                form.add_error(None, reason)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done or _("已保存。"))
            return redirect(success(result) if callable(success) else success)
    return render(request, template, {**context, "form": form})


def filters_of(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


# --- home ---------------------------------------------------------------------------------------


@login_required
def home(request):
    require_perm(request, "party.view_partyorg")
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

ORG_COLUMNS = [
    Column(_l("组织名称"), lambda o: o.name),
    Column(_l("组织层级"), lambda o: o.get_level_display()),
    Column(_l("组织类型"), lambda o: o.get_kind_display()),
    Column(_l("上级组织"), lambda o: o.parent),
    Column(_l("所在区划"), lambda o: o.region),
    Column(_l("所属单位"), lambda o: o.unit),
    Column(_l("成立日期"), lambda o: o.founded_on),
]


def _org_rows(request):
    form = OrgQueryForm(request.GET or None, user=request.user)
    f = filters_of(form)
    rows = selectors.org_list(
        user=request.user,
        q=f.get("q", ""),
        kind=f.get("kind", ""),
        level=f.get("level", ""),
        division=f.get("division"),
    )
    return form, rows


@login_required
def org_list(request):
    require_perm(request, "party.view_partyorg")
    form, rows = _org_rows(request)
    toolbar = (
        [(_("新增"), reverse("party:org_create"))] if request.user.has_perm("party.add_partyorg") else []
    )
    return render_list(
        request,
        title=_("党组织"),
        form=form,
        rows=rows,
        columns=ORG_COLUMNS,
        export="party:org_export",
        toolbar=toolbar,
        actions=lambda o: [(_("查看"), reverse("party:org_detail", args=[o.pk]))],
    )


@login_required
def org_export(request):
    require_perm(request, "party.view_partyorg")
    _form, rows = _org_rows(request)
    return export_list(
        request, filename=_("党组织") + ".xlsx", object_type="party.partyorg", rows=rows, columns=ORG_COLUMNS
    )


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
    require_perm(request, "party.add_partyorg")
    form = OrgForm(request.POST or None, user=request.user)
    return save_form(
        request,
        form,
        lambda f: services.org_create(by=request.user, request=request, **f.service_fields()),
        template="party/form.html",
        context={"title": _("新增党组织"), "back": reverse("party:org_list")},
        success=lambda org: reverse("party:org_detail", args=[org.pk]),
    )


@login_required
def org_edit(request, pk: int):
    org = visible_org(request, pk)
    require_may(request, "change_partyorg", org)
    form = OrgForm(
        request.POST or None,
        user=request.user,
        instance=PartyOrg.objects.get(pk=org.pk),
        initial={"version": org.version},
    )
    return save_form(
        request,
        form,
        lambda f: services.org_update(
            by=request.user,
            org=org,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        template="party/form.html",
        context={"title": _("编辑党组织"), "back": org.get_absolute_url()},
        success=org.get_absolute_url(),
    )


# --- members ------------------------------------------------------------------------------------

MEMBER_COLUMNS = [
    Column(_l("姓名"), lambda m: m.name),
    Column(_l("所在组织"), lambda m: m.org),
    Column(_l("党内职务"), lambda m: m.get_post_display()),
    Column(
        _l("发展阶段"),
        lambda m: m.get_stage_display(),
        tag=lambda m: "tag-orange" if m.stage != "full" else "",
    ),
    Column(_l("状态"), lambda m: m.get_status_display()),
    Column(_l("入党日期"), lambda m: m.joined_on),
    Column(_l("转正日期"), lambda m: m.full_on),
]


def _member_rows(request):
    form = MemberQueryForm(request.GET or None, user=request.user)
    f = filters_of(form)
    rows = selectors.member_list(
        user=request.user, q=f.get("q", ""), stage=f.get("stage", ""), division=f.get("division")
    )
    return form, rows


@login_required
def member_list(request):
    require_perm(request, "party.view_partymember")
    form, rows = _member_rows(request)
    return render_list(
        request,
        title=_("党员"),
        form=form,
        rows=rows,
        columns=MEMBER_COLUMNS,
        export="party:member_export",
        actions=lambda m: [(_("查看"), reverse("party:member_detail", args=[m.pk]))],
    )


@login_required
def member_export(request):
    require_perm(request, "party.view_partymember")
    _form, rows = _member_rows(request)
    return export_list(
        request,
        filename=_("党员") + ".xlsx",
        object_type="party.partymember",
        rows=rows,
        columns=MEMBER_COLUMNS,
    )


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
    require_may(request, "add_partymember", org)
    form = MemberForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda f: services.member_add(by=request.user, org=org, request=request, **f.service_fields()),
        template="party/form.html",
        context={"title": _("新增党员"), "subtitle": org.name, "back": org.get_absolute_url()},
        success=org.get_absolute_url() + "#members",
    )


@login_required
def member_edit(request, pk: int):
    member = _member(request, pk)
    require_may(request, "change_partymember", member.org)
    form = MemberForm(
        request.POST or None,
        instance=PartyMember.objects.get(pk=member.pk),
        editing=True,
        initial={"version": member.version},
    )
    back = reverse("party:member_detail", args=[member.pk])
    return save_form(
        request,
        form,
        lambda f: services.member_update(
            by=request.user,
            member=member,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        template="party/form.html",
        context={"title": _("编辑党员"), "subtitle": member.name, "back": back},
        success=back,
    )


@login_required
@require_POST
def member_step(request, pk: int):
    """The recruitment workflow (next stage) and membership changes (transfer out, leave …)."""
    member = _member(request, pk)
    require_may(request, "change_partymember", member.org)
    form = AdvanceForm(request.POST)
    back = redirect("party:member_detail", pk=member.pk)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back
    data = form.cleaned_data
    try:
        if data["action"] == "advance":
            services.member_advance(
                by=request.user,
                member=member,
                on=data["on"],
                version=data["version"],
                reason=data["reason"],
                request=request,
            )
        else:
            services.member_set_status(
                by=request.user,
                member=member,
                status=data["action"],
                on=data["on"],
                version=data["version"],
                reason=data["reason"],
                request=request,
            )
    except TransitionRefused as exc:
        for reason in exc.reasons:
            messages.error(request, reason)
    except StaleVersion as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("操作成功。"))
    return back
