"""The household list's two exports: 导出 (masked, one click) and 明文导出 (a stated purpose).

Both export exactly what the list selects: the same query form and the same selector
(registry.views.list_query), one row per member of those households. 导出 is always masked, for
everyone. 明文导出 needs registry.reveal_household, is a form (purpose and a confirmation, with the
number of households it will give) and a POST, never a link; each is audited with the row count,
the filters and, for a clear export, the purpose.
"""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fupin.audit.services import audit_denied
from fupin.core.exports import XLSX_TYPE, _attachment
from fupin.registry import selectors
from fupin.registry.exporting import (
    EXPORT_PERM,
    REVEAL_PERM,
    audit_export,
    export_rows,
    write_xlsx,
)
from fupin.registry.forms import ClearExportForm
from fupin.registry.importing.template import HEADERS
from fupin.registry.views import list_query, list_querystring


def _require(request, *perms: str) -> None:
    for perm in perms:
        if not request.user.has_perm(perm):
            audit_denied(request, perm)
            raise PermissionDenied(_("没有权限。"))


def _back_to_list(request):
    """A refused filter: back to the list, which shows the reason under the field."""
    messages.error(request, _("查询条件有误,未导出。请修改后再试。"))
    query = list_querystring(request)
    return redirect(reverse("registry:household_list") + (f"?{query}" if query else ""))


class _Echo:
    def write(self, value):
        return value


def _file(request, members, *, reveal: bool, fmt: str, purpose: str = "", filters=None):
    """The export file, audited with the number of member rows it holds."""
    stamp = timezone.localtime().strftime("%Y%m%d")
    rows = export_rows(members, reveal=reveal)
    name = _("贫困户家庭成员_%(d)s") % {"d": stamp} + ("" if not reveal else _("_明文"))
    if fmt == "csv":
        import csv

        # Streamed for large sets: the count is taken first (the rows follow the same query).
        audit_export(
            count=members.count(), reveal=reveal, purpose=purpose, filters=filters, fmt=fmt, request=request
        )
        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff" + writer.writerow(HEADERS)
            for row in rows:
                yield writer.writerow(row)

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = _attachment(f"{name}.csv")
        return response
    buffer = io.BytesIO()
    count = write_xlsx(buffer, rows)
    audit_export(count=count, reveal=reveal, purpose=purpose, filters=filters, fmt=fmt, request=request)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = _attachment(f"{name}.xlsx")
    return response


@login_required
@require_GET
def export(request):
    """导出: the list's households (same filters), masked whatever the user's permissions;
    ?format=csv streams."""
    _require(request, EXPORT_PERM)
    form, filters, households = list_query(request)
    if form.is_bound and not form.is_valid():
        return _back_to_list(request)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return _file(request, selectors.members_of(households), reveal=False, fmt=fmt, filters=filters)


@login_required
@require_http_methods(["GET", "POST"])
def export_clear(request):
    """明文导出: the same households in clear, after a purpose is stated and confirmed."""
    _require(request, EXPORT_PERM, REVEAL_PERM)
    query_form, filters, households = list_query(request)
    if query_form.is_bound and not query_form.is_valid():
        return _back_to_list(request)
    form = ClearExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _file(
            request,
            selectors.members_of(households),
            reveal=True,
            fmt=form.cleaned_data["format"],
            purpose=form.cleaned_data["purpose"],
            filters=filters,
        )
    query = list_querystring(request)
    return render(
        request,
        "registry/export_clear.html",
        {
            "form": form,
            "filters": _filter_labels(query_form, filters),
            "households": selectors.count_up_to(households, 100_000),
            "query": query,
            "list_url": reverse("registry:household_list") + (f"?{query}" if query else ""),
        },
    )


def _filter_labels(form, filters: dict) -> list[tuple[str, str]]:
    """The filters in force, as the user chose them (label, shown value), for the form's summary."""
    shown = []
    for name, value in filters.items():
        if value in (None, ""):
            continue
        field = form.fields[name]
        choices = dict(field.choices) if isinstance(field, forms.ChoiceField) else {}
        shown.append((str(field.label), str(choices.get(value, value))))
    return shown
