"""The project library's pages: list (项目库), detail with workflow and money, forms, export, summary.

Thin views: reads through projects.selectors (the scoping choke point), writes through the services;
a service's ValidationError lands under its field, a refusal becomes messages, input is kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_record
from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.core.exports import xlsx_response
from fupin.core.forms import apply_service_errors
from fupin.core.pagination import paginate
from fupin.core.scoping import get_visible_or_404
from fupin.projects import selectors, services, workflow
from fupin.projects.forms import (
    AllocateForm,
    BeneficiaryEditForm,
    BeneficiaryForm,
    BeneficiaryRemoveForm,
    ProjectForm,
    ProjectQueryForm,
    PublicityForm,
    TransitionForm,
)
from fupin.projects.models import Beneficiary, CountyPublicity, FundSource, Project, Status
from fupin.regions.models import Region


def need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("没有权限。"))


def _project(request, pk: int) -> Project:
    return get_visible_or_404(Project.objects.select_related("place", "unit"), request.user, pk=pk)


def _list_filters(request) -> tuple[ProjectQueryForm, dict]:
    form = ProjectQueryForm(request.GET or None, user=request.user)
    return form, (form.cleaned_data if form.is_valid() else {})


@login_required
def home(request):
    """项目库: the projects the user may see, with their money from the ledger."""
    need(request, "projects.view_project")
    form, filters = _list_filters(request)
    projects = selectors.project_list(user=request.user, filters=filters)
    return render(
        request,
        "projects/project_list.html",
        {"form": form, "page": paginate(request, projects), "query": request.GET.urlencode()},
    )


EXPORT_HEADERS = [
    gettext_lazy("项目名称"),
    gettext_lazy("项目类别"),
    gettext_lazy("建设性质"),
    gettext_lazy("实施地点"),
    gettext_lazy("区划代码"),
    gettext_lazy("年度"),
    gettext_lazy("责任单位"),
    gettext_lazy("状态"),
    gettext_lazy("资金规模(元)"),
    gettext_lazy("已分配(元)"),
    gettext_lazy("已拨付(元)"),
    gettext_lazy("计划开工"),
    gettext_lazy("计划完工"),
]


@login_required
def export(request):
    need(request, "projects.view_project")
    _form, filters = _list_filters(request)
    projects = selectors.project_list(user=request.user, filters=filters)
    rows = (
        [
            p.name,
            p.get_category_display(),
            p.get_nature_display(),
            p.place.name,
            p.place_id,
            p.year,
            p.unit.name if p.unit else "",
            p.get_status_display(),
            f"{p.budget:.2f}",
            f"{p.allocated:.2f}",
            f"{p.disbursed:.2f}",
            p.start_date.isoformat() if p.start_date else "",
            p.end_date.isoformat() if p.end_date else "",
        ]
        for p in projects.iterator(chunk_size=500)
    )
    audit_record(
        action=AuditEvent.Action.EXPORT,
        request=request,
        object_type="projects.project",
        detail=request.GET.urlencode(),
    )
    return xlsx_response(_("项目库") + ".xlsx", EXPORT_HEADERS, rows)


@login_required
def summary(request):
    """项目资金汇总: projects and money per category, in 万元/亿元, each figure linked to its list."""
    need(request, "projects.view_project")
    form, filters = _list_filters(request)
    division = filters.get("division")
    rows = selectors.category_totals(
        user=request.user, prefix=division.code if division else "", year=filters.get("year")
    )
    return render(
        request,
        "projects/summary.html",
        {"form": form, "rows": rows, "query": request.GET.urlencode(), **_totals(rows)},
    )


def _totals(rows) -> dict:
    return {
        "total_count": sum(r["count"] for r in rows),
        "total_budget": sum((r["budget"] for r in rows), selectors.ZERO),
        "total_allocated": sum((r["allocated"] for r in rows), selectors.ZERO),
    }


@login_required
def summary_export(request):
    need(request, "projects.view_project")
    _form, filters = _list_filters(request)
    division = filters.get("division")
    rows = selectors.category_totals(
        user=request.user, prefix=division.code if division else "", year=filters.get("year")
    )
    audit_record(
        action=AuditEvent.Action.EXPORT,
        request=request,
        object_type="projects.summary",
        detail=request.GET.urlencode(),
    )
    return xlsx_response(
        _("项目资金汇总") + ".xlsx",
        [_("项目类别"), _("项目数"), _("资金规模(万元)"), _("已分配(万元)")],
        [
            [r["label"], r["count"], f"{r['budget'] / 10000:.2f}", f"{r['allocated'] / 10000:.2f}"]
            for r in rows
        ],
    )


@login_required
def project_detail(request, pk: int):
    project = _project(request, pk)
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
    need(request, "projects.add_project")
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(by=request.user, request=request, **form.service_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已新增项目(草稿)。"))
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "title": _("新增项目")})


@login_required
def project_edit(request, pk: int):
    project = _project(request, pk)
    need(request, "projects.change_project")
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
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                by=request.user,
                project=project,
                version=form.cleaned_data["version"] or 0,
                request=request,
                **form.service_fields(),
            )
        except (StaleVersion, TransitionRefused) as exc:
            form.add_error(None, str(exc.message if isinstance(exc, StaleVersion) else exc))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("projects:project_detail", pk=project.pk)
    return render(
        request, "projects/project_form.html", {"form": form, "project": project, "title": _("编辑项目")}
    )


def _report(request, run) -> None:
    """Run a write; a refusal's reasons, a stale version or field errors become messages."""
    try:
        run()
    except TransitionRefused as exc:
        for reason in exc.reasons:
            messages.error(request, reason)
    except StaleVersion as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("操作成功。"))


@login_required
@require_POST
def project_transition(request, pk: int):
    project = _project(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("projects:project_detail", pk=project.pk)
    _report(
        request,
        lambda: workflow.project_transition(
            by=request.user,
            project=project,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            request=request,
            **form.details(),
        ),
    )
    return redirect("projects:project_detail", pk=project.pk)


@login_required
def beneficiary_add(request, pk: int):
    from fupin.registry.models import Household

    project = _project(request, pk)
    need(request, "projects.change_project")
    households = (
        Household.objects.visible_to(request.user)
        .filter(village__code__startswith=project.place_id)
        .select_related("village")
        .order_by("number")[:500]
    )
    villages = Region.objects.filter(code__startswith=project.place_id, level=Region.Level.VILLAGE).order_by(
        "code"
    )[:500]
    form = BeneficiaryForm(request.POST or None, households=households, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = (
            Household.objects.visible_to(request.user).filter(pk=data["household"]).first()
            if data["household"]
            else None
        )
        if data["household"] and household is None:
            form.add_error("household", _("请选择有效的受益户"))
        else:
            try:
                services.beneficiary_add(
                    by=request.user,
                    project=project,
                    household=household,
                    village_code=data["village"],
                    benefit=data["benefit"],
                    amount=data["amount"],
                    request=request,
                )
            except TransitionRefused as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已添加受益对象。"))
                return redirect("projects:project_detail", pk=project.pk)
    return render(
        request,
        "projects/beneficiary_form.html",
        {"form": form, "project": project, "title": _("添加受益对象")},
    )


def _beneficiary(request, pk: int, beneficiary_id: int) -> tuple[Project, Beneficiary]:
    """The project in the user's scope and one of its beneficiaries (404 otherwise)."""
    project = _project(request, pk)
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
    need(request, "projects.change_project")
    form = BeneficiaryEditForm(
        request.POST or None, initial={"benefit": beneficiary.benefit, "amount": beneficiary.amount}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.beneficiary_update(
                by=request.user,
                beneficiary=beneficiary,
                benefit=form.cleaned_data["benefit"],
                amount=form.cleaned_data["amount"],
                request=request,
            )
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存受益对象。"))
            return redirect("projects:project_detail", pk=project.pk)
    return render(
        request,
        "projects/beneficiary_form.html",
        {"form": form, "project": project, "beneficiary": beneficiary, "title": _("编辑受益对象")},
    )


@login_required
@require_POST
def beneficiary_remove(request, pk: int, beneficiary_id: int):
    project, beneficiary = _beneficiary(request, pk, beneficiary_id)
    need(request, "projects.change_project")
    form = BeneficiaryRemoveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("projects:project_detail", pk=project.pk)
    _report(
        request,
        lambda: services.beneficiary_remove(
            by=request.user, beneficiary=beneficiary, reason=form.cleaned_data["reason"], request=request
        ),
    )
    return redirect("projects:project_detail", pk=project.pk)


@login_required
def publicity_settings(request):
    """The county's 公示 settings (监督举报电话), shown on the 公示 pages of the county and its villages."""
    need(request, "projects.approve_project")
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.publicity_save(
                by=request.user,
                county_code=data["county"].code,
                hotline=data["hotline"],
                office=data["office"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存%(county)s的公示设置。") % {"county": row.county.name})
            return redirect("projects:publicity_settings")
    return render(
        request,
        "projects/publicity_form.html",
        {"form": form, "title": _("公示设置"), "county": form.fields["county"].widget.root_value()},
    )
