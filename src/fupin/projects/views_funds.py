"""The money pages: fund sources, the ledger (every figure links here), and the ledger's writes."""

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_record
from fupin.core.exports import xlsx_response
from fupin.core.forms import apply_service_errors
from fupin.core.pagination import paginate
from fupin.core.scoping import get_visible_or_404
from fupin.projects import ledger, selectors, services
from fupin.projects.forms import (
    AllocateForm,
    MoneyForm,
    ReverseForm,
    SourceForm,
    SourceQueryForm,
)
from fupin.projects.models import Category, FundSource, LedgerEntry, Project
from fupin.projects.views import _project, _report, need


def _source_filters(request) -> tuple[SourceQueryForm, dict]:
    form = SourceQueryForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@login_required
def source_list(request):
    need(request, "projects.view_fundsource")
    form, filters = _source_filters(request)
    sources = selectors.source_list(user=request.user, filters=filters)
    return render(
        request,
        "projects/source_list.html",
        {"form": form, "page": paginate(request, sources), "query": request.GET.urlencode()},
    )


@login_required
def source_export(request):
    need(request, "projects.view_fundsource")
    _form, filters = _source_filters(request)
    sources = selectors.source_list(user=request.user, filters=filters)
    audit_record(
        action=AuditEvent.Action.EXPORT,
        request=request,
        object_type="projects.fundsource",
        detail=request.GET.urlencode(),
    )
    return xlsx_response(
        _("资金来源") + ".xlsx",
        [
            _("年度"),
            _("资金名称"),
            _("资金来源"),
            _("所属区划"),
            _("出资单位"),
            _("预算(元)"),
            _("已分配(元)"),
            _("可用余额(元)"),
            _("已拨付(元)"),
        ],
        (
            [
                s.year,
                s.name,
                s.get_kind_display(),
                s.place.name if s.place else "",
                s.unit.name if s.unit else "",
                f"{s.budgeted:.2f}",
                f"{s.allocated:.2f}",
                f"{s.available:.2f}",
                f"{s.disbursed:.2f}",
            ]
            for s in sources
        ),
    )


@login_required
def source_create(request):
    need(request, "projects.manage_funds")
    form = SourceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.source_create(by=request.user, request=request, **form.service_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已新增资金来源。"))
            return redirect("projects:source_detail", pk=source.pk)
    return render(request, "projects/source_form.html", {"form": form, "title": _("新增资金来源")})


def _source(request, pk: int) -> FundSource:
    return get_visible_or_404(
        selectors.with_balances(FundSource.objects.select_related("place", "unit")), request.user, pk=pk
    )


@login_required
def source_detail(request, pk: int):
    need(request, "projects.view_fundsource")
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
    need(request, "projects.manage_funds")
    form = MoneyForm(request.POST)
    if form.is_valid():
        _report(
            request,
            lambda: ledger.fund_budget(by=request.user, source=source, request=request, **form.cleaned_data),
        )
    else:
        _form_errors(request, form)
    return redirect("projects:source_detail", pk=source.pk)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}:{error}" if label else error)


@login_required
@require_POST
def allocate(request, pk: int):
    project = _project(request, pk)
    need(request, "projects.manage_funds")
    form = AllocateForm(request.POST, sources=FundSource.objects.visible_to(request.user))
    if form.is_valid():
        data = form.cleaned_data
        _report(
            request,
            lambda: ledger.fund_allocate(
                by=request.user,
                source=data["source"],
                project=project,
                amount=data["amount"],
                date=data["date"],
                memo=data["memo"],
                request=request,
            ),
        )
    else:
        _form_errors(request, form)
    return redirect("projects:project_detail", pk=project.pk)


def _entry(request, pk: int) -> LedgerEntry:
    return get_visible_or_404(LedgerEntry.objects.select_related("source", "project"), request.user, pk=pk)


@login_required
@require_POST
def disburse(request, pk: int):
    allocation = _entry(request, pk)
    need(request, "projects.manage_funds")
    form = MoneyForm(request.POST)
    if form.is_valid():
        _report(
            request,
            lambda: ledger.fund_disburse(
                by=request.user, allocation=allocation, request=request, **form.cleaned_data
            ),
        )
    else:
        _form_errors(request, form)
    return (
        redirect("projects:project_detail", pk=allocation.project_id)
        if allocation.project_id
        else redirect("projects:entry_list")
    )


@login_required
@require_POST
def reverse_entry(request, pk: int):
    entry = _entry(request, pk)
    need(request, "projects.manage_funds")
    form = ReverseForm(request.POST)
    if form.is_valid():
        _report(
            request,
            lambda: ledger.entry_reverse(
                by=request.user, entry=entry, reason=form.cleaned_data["reason"], request=request
            ),
        )
    else:
        _form_errors(request, form)
    return redirect(f"{_ledger_url()}?source={entry.source_id}")


def _ledger_url() -> str:
    from django.urls import reverse

    return reverse("projects:entry_list")


def _id(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) < 12 else None


def _entry_filters(request) -> dict:
    filters = {name: _id(request, name) for name in ("project", "source", "allocation")}
    kind = request.GET.get("kind", "")
    filters["kind"] = kind if kind in LedgerEntry.Kind.values else None
    category = request.GET.get("category", "")
    filters["category"] = category if category in Category.values else None
    year = _id(request, "year")
    filters["year"] = year if year and 2000 <= year <= 2100 else None
    division = request.GET.get("division", "")
    filters["division"] = (
        division if division.isascii() and division.isdigit() and len(division) in (2, 4, 6, 9, 12) else None
    )
    return filters


@login_required
def entry_list(request):
    """The ledger: every figure on the other pages links here with its filters (project, source, kind)."""
    need(request, "projects.view_ledgerentry")
    filters = _entry_filters(request)
    entries = selectors.entry_list(user=request.user, filters=filters)
    heading = {}
    if filters["project"]:
        heading["project"] = Project.objects.visible_to(request.user).filter(pk=filters["project"]).first()
    if filters["source"]:
        heading["source"] = FundSource.objects.visible_to(request.user).filter(pk=filters["source"]).first()
    return render(
        request,
        "projects/entry_list.html",
        {
            "page": paginate(request, entries, default_size=50),
            "filters": filters,
            "heading": heading,
            "figures": selectors.ledger_figures(selectors.ledger_totals(entries), filters),
            "kinds": LedgerEntry.Kind.choices,
            "query": request.GET.urlencode(),
            "can_fund": request.user.has_perm("projects.manage_funds"),
        },
    )


@login_required
def entry_export(request):
    need(request, "projects.view_ledgerentry")
    filters = _entry_filters(request)
    entries = selectors.entry_list(user=request.user, filters=filters)
    figures = selectors.ledger_figures(selectors.ledger_totals(entries), filters)
    audit_record(
        action=AuditEvent.Action.EXPORT,
        request=request,
        object_type="projects.ledgerentry",
        detail=request.GET.urlencode(),
    )
    return xlsx_response(
        _("资金分录") + ".xlsx",
        [
            _("编号"),
            _("业务日期"),
            _("类型"),
            _("资金来源"),
            _("项目"),
            _("所属分配"),
            _("冲正的分录"),
            _("金额(元)"),
            _("摘要"),
            _("经办人"),
        ],
        itertools.chain(
            (
                [
                    e.pk,
                    e.date.isoformat(),
                    e.get_kind_display(),
                    e.source.name,
                    e.project.name if e.project else "",
                    e.allocation_id or "",
                    e.reverses_id or "",
                    f"{e.amount:.2f}",
                    e.memo,
                    (e.actor.full_name or e.actor.username) if e.actor else "",
                ]
                for e in entries.iterator(chunk_size=1000)
            ),
            # Under the entries, the same figures as the page: per kind and balances, never one sum.
            _figure_rows(figures),
        ),
    )


def _figure_rows(figures: list[dict]) -> list[list]:
    """The ledger's totals as rows below the entries: the label under 类型, the amount under 金额."""
    return [[], *([_("合计"), "", f["label"], "", "", "", "", f"{f['amount']:.2f}"] for f in figures)]
