"""The project library's pages: detail with workflow and money, forms (the lists: projects.lists).

Thin views: reads through projects.selectors (the scoping choke point), writes through the services;
a service's ValidationError lands under its field and input is kept; a step posted from a button
(a workflow step, a removal) says what happened as a message (core.steps.run_step).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.forms import form_page
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.core.steps import run_step
from fupin.projects import selectors, services, workflow
from fupin.projects.forms import (
    AllocateForm,
    BeneficiaryEditForm,
    BeneficiaryForm,
    BeneficiaryRemoveForm,
    ProjectForm,
    PublicityForm,
    TransitionForm,
)
from fupin.projects.models import Beneficiary, CountyPublicity, FundSource, Project, Status
from fupin.regions.models import Region
from fupin.registry.selectors import household_for, households_visible_to


def visible_project(request, pk: int) -> Project:
    return get_visible_or_404(Project.objects.select_related("place", "unit"), request.user, pk=pk)


@login_required
def project_detail(request, pk: int):
    project = visible_project(request, pk)
    user = request.user
    allocations = selectors.allocations_in_force(project)
    sources = FundSource.objects.visible_to(user).filter(year__lte=project.year + 1).order_by("-year", "name")
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "money": selectors.project_money(project),
            "allocations": allocations,
            "performance": workflow.performance(project),
            "beneficiaries": Beneficiary.objects.filter(project=project).select_related(
                "household", "village"
            ),
            "counts": selectors.beneficiary_counts(project),
            "events": project.events.select_related("actor"),
            "steps": workflow.available_steps(user, project),
            "progress": workflow.progress(project),
            "can_edit": user.has_perm("projects.change_project") and project.status == Status.DRAFT,
            "can_fund": user.has_perm("projects.manage_funds"),
            # The services refuse changes once evaluated; no buttons that would only be refused.
            "can_edit_beneficiaries": user.has_perm("projects.change_project")
            and project.status != Status.EVALUATED,
            "allocate_form": AllocateForm(sources=sources)
            if user.has_perm("projects.manage_funds")
            else None,
        },
    )


@login_required
def project_create(request):
    form = ProjectForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        perm="projects.add_project",
        write=lambda f: services.project_create(by=request.user, request=request, **f.service_fields()),
        done=_("已新增项目(草稿)。"),
        success=lambda project: reverse("projects:project_detail", args=[project.pk]),
        title=_("新增项目"),
        back=reverse("projects:project_list"),
    )


@login_required
def project_edit(request, pk: int):
    project = visible_project(request, pk)
    require(request, "projects.change_project")
    initial = {
        "version": project.version,
        "place": project.place_id,
        "unit": project.unit_id,
        **{
            name: getattr(project, name)
            for name in ProjectForm.base_fields
            if name not in ("version", "place", "unit")
        },
    }
    form = ProjectForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        write=lambda f: services.project_update(
            by=request.user,
            project=project,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        title=_("编辑项目"),
        **_project_page(project),
    )


def _project_page(project: Project) -> dict:
    """A form about one project: its name in the breadcrumb; 返回 and a save lead to its page."""
    detail = reverse("projects:project_detail", args=[project.pk])
    return {"crumbs": [(project.name, detail)], "back": detail, "success": detail}


@login_required
@require_POST
def project_transition(request, pk: int):
    project = visible_project(request, pk)
    form = TransitionForm(request.POST)
    return run_step(
        request,
        lambda: workflow.project_transition(
            by=request.user,
            project=project,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            request=request,
            **form.details(),
        ),
        form=form,
        success=reverse("projects:project_detail", args=[project.pk]),
    )


@login_required
def beneficiary_add(request, pk: int):
    project = visible_project(request, pk)
    require(request, "projects.change_project")
    households = (
        households_visible_to(request.user)
        .filter(village__code__startswith=project.place_id)
        .select_related("village")
        .order_by("number")[:500]
    )
    villages = Region.objects.filter(code__startswith=project.place_id, level=Region.Level.VILLAGE).order_by(
        "code"
    )[:500]
    form = BeneficiaryForm(request.POST or None, households=households, villages=villages)

    def write(f):
        data = f.cleaned_data
        household = household_for(request.user, pk=data["household"])  # None for 整村受益
        if data["household"] and household is None:
            raise ValidationError({"household": _("请选择有效的受益户")})
        return services.beneficiary_add(
            by=request.user,
            project=project,
            household=household,
            village_code=data["village"],
            benefit=data["benefit"],
            amount=data["amount"],
            request=request,
        )

    return form_page(
        request,
        form,
        write=write,
        done=_("已添加受益对象。"),
        title=_("添加受益对象"),
        intro=_("选择受益户,或不选户而选择整村受益。"),
        **_project_page(project),
    )


def _beneficiary(request, pk: int, beneficiary_id: int) -> tuple[Project, Beneficiary]:
    """The project in the user's scope and one of its beneficiaries (404 otherwise)."""
    project = visible_project(request, pk)
    beneficiary = get_visible_or_404(
        Beneficiary.objects.select_related("household", "village"),
        request.user,
        pk=beneficiary_id,
        project=project,
    )
    return project, beneficiary


@login_required
def beneficiary_edit(request, pk: int, beneficiary_id: int):
    project, beneficiary = _beneficiary(request, pk, beneficiary_id)
    form = BeneficiaryEditForm(
        request.POST or None, initial={"benefit": beneficiary.benefit, "amount": beneficiary.amount}
    )
    if beneficiary.household:
        who = _("受益户:%(name)s(%(village)s)") % {
            "name": beneficiary.household.head_name or beneficiary.household.number,
            "village": beneficiary.village.name,
        }
    else:
        who = _("受益村:%(village)s") % {"village": beneficiary.village.name}
    return form_page(
        request,
        form,
        perm="projects.change_project",
        write=lambda f: services.beneficiary_update(
            by=request.user,
            beneficiary=beneficiary,
            benefit=f.cleaned_data["benefit"],
            amount=f.cleaned_data["amount"],
            request=request,
        ),
        done=_("已保存受益对象。"),
        title=_("编辑受益对象"),
        intro=who,
        **_project_page(project),
    )


@login_required
@require_POST
def beneficiary_remove(request, pk: int, beneficiary_id: int):
    project, beneficiary = _beneficiary(request, pk, beneficiary_id)
    require(request, "projects.change_project")
    form = BeneficiaryRemoveForm(request.POST)
    return run_step(
        request,
        lambda: services.beneficiary_remove(
            by=request.user, beneficiary=beneficiary, reason=form.cleaned_data["reason"], request=request
        ),
        form=form,
        success=reverse("projects:project_detail", args=[project.pk]),
    )


@login_required
def publicity_settings(request):
    """The county's 公示 settings (监督举报电话), shown on the 公示 pages of the county and its villages."""
    require(request, "projects.approve_project")
    form = PublicityForm(request.POST or None, user=request.user)
    if request.method == "GET":
        # The county officer's own county, with what it has set so far.
        county = form.fields["county"].widget.root_value()
        current = selectors.county_publicity(county) if county else None
        if (
            current is not None
            and CountyPublicity.objects.visible_to(request.user).filter(pk=current.pk).exists()
        ):
            form.initial.update(county=current.county_id, hotline=current.hotline, office=current.office)
    return form_page(
        request,
        form,
        write=lambda f: services.publicity_save(
            by=request.user,
            county_code=f.cleaned_data["county"].code,
            hotline=f.cleaned_data["hotline"],
            office=f.cleaned_data["office"],
            request=request,
        ),
        done=lambda row: _("已保存%(county)s的公示设置。") % {"county": row.county.name},
        success=reverse("projects:publicity_settings"),
        template="projects/publicity_form.html",
        title=_("公示设置"),
        intro=_("监督举报电话印在本县及各村的项目资金公示页面上,群众无需登录即可查看。"),
        county=form.fields["county"].widget.root_value(),
    )
