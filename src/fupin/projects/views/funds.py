"""The money pages: fund sources, the ledger (every figure links here), and the ledger's writes."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.forms import form_page
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.core.steps import run_step
from fupin.projects import ledger, selectors, services
from fupin.projects.forms import (
    AllocateForm,
    MoneyForm,
    ReverseForm,
    SourceForm,
)
from fupin.projects.models import FundSource, LedgerEntry
from fupin.projects.templatetags.projects_money import yuan
from fupin.projects.views.projects import visible_project


@login_required
def source_create(request):
    form = SourceForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        perm="projects.manage_funds",
        write=lambda f: services.source_create(by=request.user, request=request, **f.service_fields()),
        done=_("已新增资金来源。"),
        success=lambda source: reverse("projects:source_detail", args=[source.pk]),
        title=_("新增资金来源"),
        crumbs=[(_("资金来源"), reverse("projects:source_list"))],
        back=reverse("projects:source_list"),
    )


def _source(request, pk: int) -> FundSource:
    return get_visible_or_404(
        selectors.with_balances(FundSource.objects.select_related("place", "unit")), request.user, pk=pk
    )


@login_required
def source_detail(request, pk: int):
    require(request, "projects.view_fundsource")
    source = _source(request, pk)
    return render(
        request,
        "projects/source_detail.html",
        {
            "source": source,
            "entries": LedgerEntry.objects.filter(source=source)
            .select_related("project", "actor")
            .order_by("-id")[:50],
            "budget_form": MoneyForm() if request.user.has_perm("projects.manage_funds") else None,
        },
    )


@login_required
@require_POST
def source_budget(request, pk: int):
    source = _source(request, pk)
    require(request, "projects.manage_funds")
    form = MoneyForm(request.POST)
    return run_step(
        request,
        lambda: ledger.fund_budget(by=request.user, source=source, request=request, **form.cleaned_data),
        form=form,
        success=reverse("projects:source_detail", args=[source.pk]),
    )


@login_required
@require_POST
def allocate(request, pk: int):
    project = visible_project(request, pk)
    require(request, "projects.manage_funds")
    form = AllocateForm(request.POST, sources=FundSource.objects.visible_to(request.user))
    return run_step(
        request,
        lambda: ledger.fund_allocate(
            by=request.user,
            source=form.cleaned_data["source"],
            project=project,
            amount=form.cleaned_data["amount"],
            date=form.cleaned_data["date"],
            memo=form.cleaned_data["memo"],
            request=request,
        ),
        form=form,
        success=reverse("projects:project_detail", args=[project.pk]),
    )


def _entry(request, pk: int) -> LedgerEntry:
    return get_visible_or_404(LedgerEntry.objects.select_related("source", "project"), request.user, pk=pk)


@login_required
@require_POST
def disburse(request, pk: int):
    allocation = _entry(request, pk)
    require(request, "projects.manage_funds")
    form = MoneyForm(request.POST)
    return run_step(
        request,
        lambda: ledger.fund_disburse(
            by=request.user, allocation=allocation, request=request, **form.cleaned_data
        ),
        form=form,
        success=(
            reverse("projects:project_detail", args=[allocation.project_id])
            if allocation.project_id
            else reverse("projects:entry_list")
        ),
    )


@login_required
def reverse_entry(request, pk: int):
    """冲正: a page naming the entry and asking why; the reversal is a new entry of the opposite amount."""
    entry = _entry(request, pk)
    ledger_url = f"{reverse('projects:entry_list')}?source={entry.source_id}"
    form = ReverseForm(request.POST or None)
    return form_page(
        request,
        form,
        perm="projects.manage_funds",
        write=lambda f: ledger.entry_reverse(
            by=request.user, entry=entry, reason=f.cleaned_data["reason"], request=request
        ),
        done=_("操作成功。"),
        success=ledger_url,
        title=_("冲正"),
        intro=_("%(kind)s #%(id)d:%(amount)s 元(%(source)s)")
        % {
            "kind": entry.get_kind_display(),
            "id": entry.pk,
            "amount": yuan(entry.amount),
            "source": entry.source.name,
        },
        crumbs=[(_("资金台账"), ledger_url)],
        back=ledger_url,
        template="projects/reverse_form.html",
    )
