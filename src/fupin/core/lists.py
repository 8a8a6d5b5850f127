"""The one way to list: a declaration (`ListSpec`) from which the page, its export and the API's list
all come, so they cannot differ.

A list is its query (a scoped selector: `rows(user, filters)` goes through `visible_to`), its filters
(a `FilterForm`), its columns (`Column`: a plain value, its kind, the field it sorts on) and the
permission to see it. From that one declaration:

- the page (`page_view`): query form, 共 N 条, pages, sortable headers, row actions;
- the export (`export_view`): exactly the page's filters and sort, an .xlsx written row by row
  (flat memory), numbers and money as numeric cells with a number format, dates as dates, text
  that Excel would run as a formula marked as text (the value itself is unchanged, so a re-import
  of our own export reads what was there), one audit row (`audit_export`);
- the clear export (`export_clear_view`), where columns hold personal data: a separate form that
  needs the list's reveal permission and a stated purpose, audited with the purpose — 导出 is masked
  for everyone (PIPL art. 29/55: bulk disclosure of sensitive data needs a specific purpose);
- the API's list (`api_list`: `api_rows`, `CappedPagination`): the same form validates the query
  parameters, the same rows, counted the same capped way; a list may read its page its own way
  (`page=`, the household list's ids-first page) and answer items of a plain pydantic model, which
  pydantic then validates and writes in one step (`WrittenPagination`).

Why not django-tables2 and django-filter (NetBox's pair): tables2 exports through tablib, which
holds the whole sheet in memory (a 1,000,000-row county needs it flat) and writes numbers as it
finds them; its pagination counts every match (854 ms for a national viewer at 10 M members) and
has no keyset paging. We would replace its export, its paginator and its column formatting, leaving
it only the <table> markup — about forty lines of template here. django-filter's FilterSet would
stand beside our query forms, which already carry the scoped division picker and the control-
character rule shared with the edit forms; ninja does not read FilterSets either. So: this module,
and Django forms as the one filter definition.

Paging: the count is capped (`count_up_to`); within the cap, numbered pages; past it, 下一页 by keyset
(`?after=`, the last row's sort values), so every row is reachable and the 5,000th page costs what
the first does.
"""

import base64
import datetime
import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from types import UnionType
from typing import Annotated, Any, NotRequired, Union, get_args, get_origin

import xlsxwriter
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.query import ModelIterable
from django.http import FileResponse, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from ninja import Query as NinjaQuery
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from ninja.pagination import paginate as ninja_paginate
from pydantic import BaseModel, TypeAdapter, create_model
from typing_extensions import TypedDict

from fupin.audit.services import audit_record
from fupin.core.exports import XLSX_TYPE, _attachment
from fupin.core.forms import ScopedForm, no_control
from fupin.core.masking import mask_text
from fupin.core.pagination import PAGE_PARAM, PAGE_SIZES, SIZE_PARAM, _positive_int, count_up_to
from fupin.core.permissions import require

# The kinds of column: how a value is shown on the page and written in the sheet.
TEXT, INT, MONEY, DECIMAL, DATE, DATETIME, BOOL = (
    "text",
    "int",
    "money",
    "decimal",
    "date",
    "datetime",
    "bool",
)
NUMERIC = (INT, MONEY, DECIMAL)
SORT_PARAM, AFTER_PARAM = "sort", "after"
DEFAULT_COUNT_CAP = 10_000
# Text Excel (and WPS) would run as a formula when typed; a tab or CR in front is stripped first.
_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")

LISTS: dict[str, "ListSpec"] = {}  # every declaration, by name: the parametrised test walks them all


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]  # row -> a plain value (str, int, Decimal, date, bool, None)
    kind: str = TEXT
    sort: str | None = None  # the ORM field it sorts on (server side); None: not sortable
    html: Callable[[Any], Any] | None = None  # row -> safe HTML for the page, when a link or tag helps
    clear: Callable[[Any], Any] | None = None  # row -> the clear value, for the clear export only
    tag: Callable[[Any], str] | None = None  # row -> the colour of a status tag around the value
    # False: written in the exports only, for what matters there alone (a number the clear export
    # reveals), so the page keeps to what fits a screen.
    page: bool = True

    @property
    def num(self) -> bool:
        return self.kind in NUMERIC


@dataclass(frozen=True)
class ListSpec:
    name: str  # "assistance.cadre": the audit's list name
    url: str  # "assistance:cadre": the URL names are url + "_list", "_export", "_export_clear"
    title: str
    filters: type[forms.Form]  # a FilterForm
    rows: Callable  # (user, filters: dict) -> a scoped, ordered queryset
    columns: Sequence[Column]
    permission: str | tuple[str, ...]
    new: tuple[str, str] | None = None  # (url name, permission) of the 新增 button
    actions: Callable | None = None  # (row, user) -> [(label, url)]
    notes: Sequence[str] = ()
    count_cap: int = DEFAULT_COUNT_CAP
    reveal_permission: str | None = None  # needed, with a purpose, for the clear export
    export_permission: str | None = None  # beyond `permission`, when exporting needs more
    template: str = "core/list.html"
    nav: str | None = None  # a template included above the list (the app's tabs)
    toolbar: Callable | None = None  # (user, querystring) -> [(label, url)] extra buttons
    export_rows: Callable | None = None  # (queryset) -> the queryset the export walks (e.g. related)
    # A list whose file is shaped otherwise: (request, query, clear=, purpose=) -> response. Only the
    # household list has one (one row per member in the import template's columns, so a county's file
    # goes back in unchanged); it still gets the page's query, permission checks and audit shape.
    export: Callable | None = None
    counter: Callable | None = None  # (queryset, cap) -> capped count, where a list knows a cheaper way
    clear_form: type | None = None  # the clear export's form, when it asks more than purpose and consent
    batch: Callable | None = None  # (rows: list) -> None: fetch what a page (or export chunk) needs at once
    extra: dict = field(default_factory=dict)  # more template context
    context: Callable | None = None  # (user, query) -> more template context for this request (totals)

    def __post_init__(self):
        LISTS[self.name] = self

    @property
    def permissions(self) -> tuple[str, ...]:
        return (self.permission,) if isinstance(self.permission, str) else tuple(self.permission)

    @property
    def has_clear(self) -> bool:
        return self.reveal_permission is not None and (
            self.export is not None or any(c.clear for c in self.columns)
        )

    def sortable(self) -> dict[str, str]:
        return {c.sort: c.sort for c in self.columns if c.sort}


# --- the one query-form base --------------------------------------------------------------------


class FilterForm(ScopedForm):
    """The one base of query forms: a ScopedForm (its division pickers start at the user's place and
    refuse a division outside the user's scope) that refuses control characters and gives the
    cleaned filters as a plain dict. Declare `region_fields` for the pickers."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                try:
                    cleaned[name] = no_control(value)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def filters(self) -> dict:
        """The valid filters, regions as their codes; call after is_valid()."""
        data = {}
        for name, value in self.cleaned_data.items():
            data[name] = (value.code if value else "") if name in self.region_fields else value
        return data


@dataclass
class Query:
    """A declaration applied to a request: the form, the rows (nothing when a filter is invalid)."""

    spec: ListSpec
    form: forms.Form
    filters: dict
    sort: str  # "" or a declared sort field, "-" in front for descending
    rows: Any
    valid: bool


def require_list(user, spec: ListSpec, *extra: str) -> None:
    for perm in (*spec.permissions, *extra):
        require(user, perm)


def resolve(spec: ListSpec, user, params, form: type[forms.Form] | None = None) -> Query:
    """The list for these query parameters: an invalid filter lists nothing (and the form says why).
    `form`: the API's form where it takes more parameters than the page (a subclass of spec.filters)."""
    form = (form or spec.filters)(params or None, user=user)
    if form.is_bound and not form.is_valid():
        return Query(spec, form, {}, "", spec.rows(user, {}).none(), False)
    filters = form.filters() if form.is_bound else {}
    rows, sort = _sorted(spec, spec.rows(user, filters), params)
    return Query(spec, form, filters, sort, rows, True)


def _sorted(spec: ListSpec, rows, params) -> tuple[Any, str]:
    """The rows in the declared sort the parameters ask for ("" when none)."""
    sort = params.get(SORT_PARAM, "") if params else ""
    if sort.lstrip("-") in spec.sortable():
        if rows._iterable_class is ModelIterable:
            tie = ["-pk" if sort.startswith("-") else "pk"]
        else:  # grouped rows (dicts) have no pk, and one would split the groups: ties keep the list's order
            tie = [o for o in rows.query.order_by if o.lstrip("-") != sort.lstrip("-")]
        return rows.order_by(sort, *tie), sort
    return rows, ""


# --- paging: a capped count, numbered pages within it, keyset past it --------------------------


def _order_fields(queryset) -> list[str] | None:
    """The queryset's ordering as field names ending with pk, or None when an expression orders it
    (then only OFFSET paging applies)."""
    if queryset._iterable_class is not ModelIterable:
        return None  # rows as dicts or tuples (a grouped report): numbered pages only
    order = list(queryset.query.order_by or queryset.model._meta.ordering or [])
    if not all(isinstance(o, str) for o in order):
        return None
    names = [o.lstrip("-") for o in order]
    if "pk" not in names and "id" not in names:
        order.append("pk")
    return order


def _encode(values) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values], default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str) -> list | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
    except (ValueError, TypeError):
        return None
    return values if isinstance(values, list) else None


def _after(queryset, order: list[str], values: list):
    """Rows strictly after `values` in `order`: (a > x) or (a = x and b > y) or …"""
    clauses = []
    for i, key in enumerate(order):
        name = key.lstrip("-")
        equal = {order[j].lstrip("-"): values[j] for j in range(i)}
        clauses.append(Q(**equal, **{f"{name}__{'lt' if key.startswith('-') else 'gt'}": values[i]}))
    return queryset.filter(reduce(or_, clauses))


@dataclass
class Page:
    rows: list
    number: int  # 0 past the numbered pages (keyset)
    size: int
    count: int  # capped
    cap: int
    num_pages: int
    next_after: str = ""
    query: Any = None
    kept_params: list = field(default_factory=list)
    size_choices: Sequence[int] = PAGE_SIZES
    more: bool = False  # a row follows this page

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def object_list(self) -> list:  # Django's name, for templates that walk a page's rows
        return self.rows

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        if self.next_after or 0 < self.number < self.num_pages:
            return True
        return self.more and self.capped and self.number >= self.num_pages  # numbered past the cap

    @property
    def elided_range(self) -> list:
        if self.num_pages <= 1 or self.number > self.num_pages:
            return []
        paginator = Paginator(range(self.num_pages), 1)
        return list(paginator.get_elided_page_range(max(self.number, 1), on_each_side=2, on_ends=1))

    ELLIPSIS = Paginator.ELLIPSIS

    @property
    def paginator(self):  # the shape core/_pagination.html reads (page.paginator.count …)
        return self

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def page_of(params, queryset, *, cap: int, default_size: int = 20, counter=None) -> Page:
    size = _positive_int(params.get(SIZE_PARAM))
    if size not in PAGE_SIZES:
        size = default_size
    kept = [(k, v) for k, vs in params.lists() if k not in (PAGE_PARAM, SIZE_PARAM, AFTER_PARAM) for v in vs]
    count = (counter or count_up_to)(queryset, cap)
    counted = min(count, cap)
    num_pages = max(1, -(-counted // size))
    order = _order_fields(queryset)
    after = _decode(params.get(AFTER_PARAM, "")) if params.get(AFTER_PARAM) else None
    if after is not None and order and len(after) == len(order):
        rows = list(_after(queryset, order, after)[: size + 1])
        number = 0
    else:
        number = _positive_int(params.get(PAGE_PARAM)) or 1
        if not (count > cap and not order):
            number = min(number, num_pages)
        # An ordering by an expression (a name search's ranking) has no keyset: past the cap its pages
        # go on by number (OFFSET), so every row is still reachable.
        rows = list(queryset[(number - 1) * size : number * size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_after = ""
    # Past the capped pages (or already keyset-paging), 下一页 carries the last row's sort values.
    if more and order and rows and (number == 0 or (count > cap and number == num_pages)):
        last = queryset.filter(pk=rows[-1].pk).values_list(*[o.lstrip("-") for o in order]).first()
        if last is not None and None not in last:
            next_after = _encode(last)
    return Page(
        rows,
        number,
        size,
        count,
        cap,
        num_pages,
        next_after,
        params,
        kept,
        sorted({*PAGE_SIZES, default_size}),
        more=more,
    )


# --- the page -----------------------------------------------------------------------------------


def cell(column: Column, row) -> Any:
    """What the page shows in one cell."""
    if column.html:
        return column.html(row)
    value = column.value(row)
    shown = display(value, column.kind)
    if column.tag:
        return format_html('<span class="tag tag-{}">{}</span>', column.tag(row), shown)
    return shown


def display(value, kind: str = TEXT) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or kind == BOOL:
        return _("是") if value else _("否")
    if kind == MONEY:
        # Thousands always grouped (1,150,000.50): zh-hans formats would not group at all.
        return f"{Decimal(value):,.2f}"
    if kind == DECIMAL:
        return f"{Decimal(value):.2f}"
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%Y-%m-%d %H:%M")
        )
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _url(spec: ListSpec, suffix: str) -> str:
    return reverse(f"{spec.url}_{suffix}")


def page_context(request, spec: ListSpec, query: Query | None = None) -> dict:
    user = request.user
    query = query or resolve(spec, user, request.GET)
    page = page_of(request.GET, query.rows, cap=spec.count_cap, counter=spec.counter)
    if spec.batch:
        spec.batch(page.rows)
    querystring = request.GET.urlencode()
    # The exports take the whole filtered and sorted list, not the page the user is on.
    kept = request.GET.copy()
    for name in (PAGE_PARAM, SIZE_PARAM, AFTER_PARAM):
        kept.pop(name, None)
    suffix = f"?{kept.urlencode()}" if kept else ""
    sortable = spec.sortable()
    shown = [c for c in spec.columns if c.page]
    headers = []
    for c in shown:
        link = direction = None
        if c.sort in sortable:
            direction = "asc" if query.sort == c.sort else "desc" if query.sort == f"-{c.sort}" else ""
            params = request.GET.copy()
            params[SORT_PARAM] = f"-{c.sort}" if query.sort == c.sort else c.sort
            params.pop(PAGE_PARAM, None)
            params.pop(AFTER_PARAM, None)
            link = f"?{params.urlencode()}"
        headers.append({"text": c.header, "num": c.num, "sort_url": link, "direction": direction})
    may_export = all(user.has_perm(p) for p in ((spec.export_permission,) if spec.export_permission else ()))
    return {
        "spec": spec,
        "title": spec.title,
        "form": query.form,
        "page": page,
        "headers": headers,
        "rows": [
            {
                "cells": [(cell(c, r), c.num) for c in shown],
                "actions": spec.actions(r, user) if spec.actions else [],
            }
            for r in page.rows
        ],
        "has_actions": spec.actions is not None,
        "list_url": _url(spec, "list"),
        "export_url": _url(spec, "export") + suffix if may_export else None,
        "export_clear_url": (
            _url(spec, "export_clear") + suffix
            if may_export and spec.has_clear and user.has_perm(spec.reveal_permission)
            else None
        ),
        "new_url": reverse(spec.new[0]) if spec.new and user.has_perm(spec.new[1]) else None,
        "toolbar": spec.toolbar(user, querystring) if spec.toolbar else [],
        **spec.extra,
        **(spec.context(user, query) if spec.context else {}),
    }


def page_view(spec: ListSpec):
    @login_required
    def view(request, *args, **kwargs):
        require_list(request.user, spec)
        return render(request, spec.template, page_context(request, spec))

    view.spec = spec
    return view


# --- the export ---------------------------------------------------------------------------------


def export_value(value, kind: str):
    """The sheet's value: numbers stay numbers (money as Decimal → float), dates stay dates."""
    if value is None or value == "":
        return None
    if kind == BOOL or isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


class Sheet:
    """An .xlsx written row by row into a temporary file (xlsxwriter's constant_memory: flat RAM at
    1,000,000 rows), typed cells with number formats, formula-leading text marked as text."""

    def __init__(self, headers: Sequence[str], kinds: Sequence[str], title: str = "Sheet1"):
        self.file = tempfile.TemporaryFile()
        self.book = xlsxwriter.Workbook(
            self.file,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False},
        )
        self.ws = self.book.add_worksheet(str(title)[:31])
        book = self.book
        self.formats = {
            MONEY: book.add_format({"num_format": "#,##0.00"}),
            DECIMAL: book.add_format({"num_format": "0.00"}),
            INT: None,
            DATE: book.add_format({"num_format": "yyyy-mm-dd"}),
            DATETIME: book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        # Excel's own "quote prefix": the cell shows and keeps its text, and is never parsed.
        self.as_text = book.add_format({"quote_prefix": True})
        self.kinds = list(kinds)
        self.count = 0
        bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        for col, header in enumerate(headers):
            self.ws.write_string(0, col, str(header), bold)
            self.ws.set_column(col, col, max(10, len(str(header)) * 2 + 2))
        self.ws.freeze_panes(1, 0)

    def write(self, values: Sequence) -> None:
        self.count += 1
        r, ws = self.count, self.ws
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            kind = self.kinds[col]
            if isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, col, value, self.formats.get(kind))
            elif isinstance(value, datetime.datetime):
                ws.write_datetime(r, col, value, self.formats[DATETIME])
            elif isinstance(value, datetime.date):
                ws.write_datetime(r, col, value, self.formats[DATE])
            else:
                text = str(value)
                if text.startswith(_FORMULA_LEAD):
                    ws.write_string(r, col, text, self.as_text)
                else:
                    ws.write_string(r, col, text)

    def response(self, filename: str) -> FileResponse:
        self.book.close()
        self.file.seek(0)
        response = FileResponse(self.file, content_type=XLSX_TYPE)
        response["Content-Disposition"] = _attachment(filename)
        return response


def audit_export(
    *,
    name: str,
    title: str,
    filters: dict,
    count: int,
    masked: bool,
    sort: str = "",
    purpose: str = "",
    fmt: str = "xlsx",
    **where,
):
    """The one shape of an export's audit row, for every list and the command line: which list, its
    filters (search text masked) and sort, the row count, the format, masked or clear — and for a
    clear export, why. `where`: request= (pages) or actor= and region_code= (commands)."""
    summary = {
        k: mask_text(str(getattr(v, "code", v)))
        for k, v in (filters or {}).items()
        if v not in (None, "") and v is not False  # an unticked box is no filter (0 is one)
    }
    changes = {
        "list": name,
        "filters": summary,
        "sort": sort,
        "count": count,
        "format": fmt,
        "masked": masked,
    }
    if not masked:
        changes["purpose"] = mask_text(purpose)
        detail = _("明文导出 %(count)d 条,用途:%(purpose)s") % {"count": count, "purpose": purpose}
    else:
        detail = _("导出 %(count)d 条(脱敏)") % {"count": count}
    audit_record(
        action="export", object_type=name, object_repr=str(title), changes=changes, detail=detail, **where
    )


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_export(
    request, spec: ListSpec, query: Query, *, clear: bool = False, purpose: str = "", fmt: str = "xlsx"
):
    if spec.export:
        return spec.export(request, query, clear=clear, purpose=purpose, fmt=fmt)
    columns = spec.columns
    sheet = Sheet([c.header for c in columns], [c.kind for c in columns], title=spec.title)
    rows = spec.export_rows(query.rows) if spec.export_rows else query.rows
    for chunk in _chunks(rows.iterator(chunk_size=2000), 2000):
        if spec.batch:
            spec.batch(chunk)
        for row in chunk:
            values = [(c.clear if clear and c.clear else c.value)(row) for c in columns]
            sheet.write([export_value(v, c.kind) for v, c in zip(values, columns, strict=True)])
    audit_export(
        request=request,
        name=spec.name,
        title=spec.title,
        filters=query.filters,
        sort=query.sort,
        count=sheet.count,
        masked=not clear,
        purpose=purpose,
    )
    stamp = timezone.localtime().strftime("%Y%m%d")
    return sheet.response(f"{spec.title}_{stamp}{'_明文' if clear else ''}.xlsx")


def export_view(spec: ListSpec):
    """导出: exactly the page's rows (filters and sort), masked for everyone."""

    @login_required
    def view(request, *args, **kwargs):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        require_list(request.user, spec, *((spec.export_permission,) if spec.export_permission else ()))
        query = resolve(spec, request.user, request.GET)
        if not query.valid:
            return render(request, spec.template, page_context(request, spec, query), status=400)
        fmt = "csv" if spec.export and request.GET.get("format") == "csv" else "xlsx"
        return write_export(request, spec, query, fmt=fmt)

    view.spec = spec
    return view


class ClearExportForm(forms.Form):
    purpose = forms.CharField(
        label=gettext_lazy("用途"),
        min_length=4,
        max_length=200,
        help_text=gettext_lazy("说明这些明文数据的具体用途,将记入审计日志。"),
    )
    confirm = forms.BooleanField(label=gettext_lazy("我确认导出的明文个人信息仅用于上述用途"))

    def clean_purpose(self):
        return no_control(self.cleaned_data["purpose"])


def export_clear_view(spec: ListSpec):
    """明文导出: a form (purpose, confirmation) and a POST; needs the list's reveal permission."""

    @login_required
    def view(request, *args, **kwargs):
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        perms = [p for p in (spec.export_permission, spec.reveal_permission) if p]
        if not spec.has_clear:
            raise PermissionDenied(_("此列表没有可明文导出的个人信息。"))
        require_list(request.user, spec, *perms)
        query = resolve(spec, request.user, request.GET)
        if not query.valid:
            return render(request, spec.template, page_context(request, spec, query), status=400)
        form = (spec.clear_form or ClearExportForm)(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            return write_export(
                request, spec, query, clear=True, purpose=data["purpose"], fmt=data.get("format") or "xlsx"
            )
        querystring = request.GET.urlencode()
        return render(
            request,
            spec.extra.get("clear_template", "core/export_clear.html"),
            {
                "spec": spec,
                "title": spec.title,
                "form": form,
                "count": (spec.counter or count_up_to)(query.rows, spec.count_cap),
                "cap": spec.count_cap,
                "filters": filter_labels(query.form, query.filters),
                "query": querystring,
                "list_url": _url(spec, "list") + (f"?{querystring}" if querystring else ""),
            },
        )

    view.spec = spec
    return view


def filter_labels(form, filters: dict) -> list[tuple[str, str]]:
    """The filters in force as the user chose them (label, shown value): what a clear export will hold."""
    shown = []
    for name, value in filters.items():
        if value in (None, "") or name not in form.fields:
            continue
        field = form.fields[name]
        choices = dict(field.choices) if isinstance(field, forms.ChoiceField) else {}
        chosen = form.cleaned_data.get(name, value)  # a division as its name, not its code
        shown.append((str(field.label), str(choices.get(value, chosen))))
    return shown


def urls(spec: ListSpec, route: str):
    """The list's three URLs under `route` ("cadres/"): the page, export/, export/clear/."""
    name = spec.url.split(":", 1)[1]
    patterns = [
        path(route, page_view(spec), name=f"{name}_list"),
        path(f"{route}export/", export_view(spec), name=f"{name}_export"),
    ]
    if spec.has_clear:
        patterns.append(path(f"{route}export/clear/", export_clear_view(spec), name=f"{name}_export_clear"))
    return patterns


# --- the API's list: the same form validates the query, the same rows, counted the same way ------


class CappedPagination(PaginationBase):
    """ninja pagination with the page's rules: the count stops at the list's cap (`capped` says so);
    `limit`/`offset` within it, and `next` (a keyset cursor, sent back as `after`) to go on past it.

    `page(queryset, start, stop)`, where a list has one, reads the rows (the household list chooses
    its page's ids before joining, and reads values, not model instances); by default a slice."""

    # The query parameters' models are plain pydantic models, not ninja Schemas: a Schema validates
    # through ninja's attribute getter (DjangoGetter), field by field in Python — 0.2 ms of CPU on
    # every list call for the household list's 16 parameters (docs/benchmarks.md), where a plain
    # model validates in compiled code. ninja flattens either into the same query parameters.
    class Input(BaseModel):
        limit: int = Field(50, ge=1, le=500, description="每页条数(1–500)")
        offset: int = Field(0, ge=0, le=100_000, description="跳过的条数")
        after: str = Field("", max_length=500, description="上一页返回的 next,用于继续翻页")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="符合条件的条数;capped 为真时只数到上限(此时为上限)")
        capped: bool = Field(description="为真时符合条件的条数多于 count(页面显示为“共 N+ 条”),可继续翻页")
        next: str | None = Field(None, description="下一页的游标(作为 after 传回);没有更多时为空")

    def __init__(
        self,
        *,
        cap: int = DEFAULT_COUNT_CAP,
        spec: ListSpec | None = None,
        serialize=None,
        batch=None,
        counter=None,
        page=None,
        **kwargs,
    ):
        self._cap, self.spec = cap, spec
        self.counter = counter or count_up_to
        self.serialize = serialize  # row -> the item (a dict for the output schema); None: the row
        self.batch = batch  # the list's batch: what the page's rows need, fetched at once
        self.page = page
        super().__init__(**kwargs)

    @property
    def cap(self) -> int:
        return self.spec.count_cap if self.spec is not None else self._cap

    def _rows(self, queryset, start: int, stop: int) -> list:
        return self.page(queryset, start, stop) if self.page else list(queryset[start:stop])

    def answer(self, queryset, pagination) -> dict:
        cap = self.cap
        count = self.counter(queryset, cap)
        # A list ordered by an expression of its fields may name them (`keyset`): the same order,
        # which a cursor can follow (the household list's `number || ''`, see registry.selectors).
        keyset = getattr(queryset, "keyset", None)
        order = list(keyset) if keyset else _order_fields(queryset)
        after = _decode(pagination.after) if pagination.after else None
        if pagination.after and (after is None or not order or len(after) != len(order)):
            raise NinjaValidationError(
                [{"loc": ["query", "after"], "type": "invalid", "msg": _("翻页游标无效,请从第一页重新查询")}]
            )
        if after is not None:
            rows = self._rows(_after(queryset, order, after), 0, pagination.limit + 1)
        else:
            rows = self._rows(queryset, pagination.offset, pagination.offset + pagination.limit + 1)
        more = len(rows) > pagination.limit
        rows = rows[: pagination.limit]
        cursor = None
        if more and order:
            last = _sort_values(queryset, order, rows[-1])
            cursor = _encode(last) if last is not None and None not in last else None
        if self.batch:
            self.batch(rows)
        items = [self.serialize(r) for r in rows] if self.serialize else rows
        # `count` says "this many, or more" when capped, as the page's 共 N+ 条.
        return {"items": items, "count": min(count, cap), "capped": count > cap, "next": cursor}

    def paginate_queryset(self, queryset, pagination, request, **params):
        return self.answer(queryset, pagination)


class WrittenPagination(CappedPagination):
    """CappedPagination for an item schema that is a plain pydantic model: pydantic validates the
    whole answer against `answer_model` and writes its JSON (compiled code), and the response leaves
    as it is. ninja's own path wraps each item of a `Schema` in its attribute getter and validates
    field by field in Python: 4.9 ms for a page of 50 households. Here the answer is validated as
    the model's fields in plain dicts (a TypedDict of the same fields and types: no model objects to
    build and dump), 0.2 ms — about what `json.dumps` alone takes for the same page.

    aliases: fields the answer repeats under an older name ({"count_capped": "capped"})."""

    Output = None  # ninja then neither replaces the response schema nor touches the answer

    def __init__(self, *, answer_model, aliases=None, **kwargs):
        self.answer_model = answer_model
        self.aliases = dict(aliases or {})
        self.adapter = TypeAdapter(_as_typed_dict(answer_model))
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        answer = self.answer(queryset, pagination)
        for old, new in self.aliases.items():
            answer[old] = answer[new]
        body = self.adapter.dump_json(self.adapter.validate_python(answer))
        return HttpResponse(body, content_type="application/json; charset=utf-8")


def _as_typed_dict(model: type[BaseModel]):
    """A TypedDict of `model`'s fields, types and constraints, plain models within it turned into
    TypedDicts too. A field with a default may be absent from an item, and is then left out of the
    JSON (the model would write its default): the list's page function gives every field."""
    cache: dict = {}

    def convert(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in cache:
                fields = {}
                for name, info in annotation.model_fields.items():
                    kind = (
                        Annotated[(convert(info.annotation), *info.metadata)]
                        if info.metadata
                        else convert(info.annotation)
                    )
                    fields[name] = kind if info.is_required() else NotRequired[kind]
                cache[annotation] = TypedDict(annotation.__name__, fields)
            return cache[annotation]
        arguments = get_args(annotation)
        if not arguments:
            return annotation
        converted = tuple(convert(a) for a in arguments)
        origin = get_origin(annotation)
        if origin in (UnionType, Union):
            return reduce(or_, converted)
        return origin[converted if len(converted) > 1 else converted[0]]

    return convert(model)


def _sort_values(queryset, order: list[str], row) -> tuple | None:
    """The sort values of `row` (the keyset cursor): read from the row when it is a dict holding them
    (a list reading values), else from the database."""
    names = [o.lstrip("-") for o in order]
    pk_name = queryset.model._meta.pk.attname
    if isinstance(row, dict):
        keys = [pk_name if n == "pk" else n for n in names]
        if all(k in row for k in keys):
            return tuple(row[k] for k in keys)
        pk = row.get(pk_name, row.get("pk"))
    else:
        pk = row.pk
    return queryset.filter(pk=pk).values_list(*names).first()


def answer_schema(out: type[BaseModel], name: str | None = None, aliases=None) -> type[BaseModel]:
    """The answer of a list whose items are the plain pydantic model `out`: CappedPagination's
    fields, as ninja would make them for a `Schema` (`Paged<Out>`), and any older names of them."""
    fields = {field: (info.annotation, info) for field, info in CappedPagination.Output.model_fields.items()}
    fields["items"] = (list[out], ...)
    for old, new in (aliases or {}).items():
        fields[old] = (fields[new][0], Field(description=f"与 {new} 相同(旧名,保留以兼容)"))
    return create_model(name or f"Paged{out.__name__}", __base__=BaseModel, **fields)


def filter_schema(spec: ListSpec, form: type[forms.Form] | None = None) -> type[BaseModel]:
    """The list's query parameters for the API document, made from its form: every value arrives as
    text and the form validates it (one rule for a field, on the page and in the API)."""
    fields = {}
    for name, f in (form or spec.filters).base_fields.items():
        extra = {}
        if isinstance(f, forms.ChoiceField) and not isinstance(f, forms.ModelChoiceField):
            # The form's own choices, documented as an enum (the contract test sends each one).
            values = [str(v) for v, _label in f.choices if v is not None]  # "" is 全部
            if not f.required and "" not in values:
                # An optional field takes an empty value as not given (a year list opens on this
                # year): documented, so the contract does not call the form's own default a refusal.
                values.append("")
            labels = ";".join(f"{v}={label}" for v, label in f.choices if v not in ("", None))
            extra = {"json_schema_extra": {"enum": values}, "description": f"{f.label}({labels})"}
        fields[name] = (str | None, Field(None, **{"description": str(f.label), **extra}))
    sortable = sorted(spec.sortable())
    if sortable:
        fields[SORT_PARAM] = (
            str | None,
            Field(
                None,
                description="排序字段,前加 - 为降序",
                json_schema_extra={"enum": [*sortable, *(f"-{s}" for s in sortable)]},
            ),
        )
    name = "".join(part.title() for part in spec.name.replace(".", "_").split("_")) + "Filter"
    return create_model(name, __base__=BaseModel, **fields)  # plain, as CappedPagination.Input


def api_rows(request, spec: ListSpec, form: type[forms.Form] | None = None):
    """The rows of `spec` for an API call: permission, the form over the query string (a refused value
    is a 422 naming the parameter), the declared sort."""
    require_list(request.user, spec)
    refused = [
        {"loc": ["query", name], "type": "repeated", "msg": _("参数只能给一次")}
        for name, values in request.GET.lists()
        if len(values) > 1
    ]
    sort = request.GET.get(SORT_PARAM)
    if sort is not None and sort.lstrip("-") not in spec.sortable():
        refused.append({"loc": ["query", SORT_PARAM], "type": "enum", "msg": _("不能按此字段排序")})
    if refused:
        raise NinjaValidationError(refused)
    if not any(name in request.GET for name in (form or spec.filters).base_fields):
        # No filter asked for: the list as its page shows it without a query (an unbound form), with
        # no form built — copying its fields was a tenth of the household list's CPU per request.
        return _sorted(spec, spec.rows(request.user, {}), request.GET)[0]
    query = resolve(spec, request.user, request.GET, form=form)
    if not query.valid:
        raise NinjaValidationError(
            [
                {"loc": ["query", field], "type": error.get("code", "invalid"), "msg": error["message"]}
                for field, errors in query.form.errors.get_json_data().items()
                for error in errors
            ]
        )
    return query.rows


def api_list(
    router,
    path: str,
    spec: ListSpec,
    out: type[BaseModel],
    *,
    summary: str,
    serialize=None,
    page=None,
    form: type[forms.Form] | None = None,
    answer_name: str | None = None,
    aliases: dict[str, str] | None = None,
    operation_id: str | None = None,
):
    """GET `path` on `router`: the list `spec` as `out` items (`serialize(row)` when the schema does not
    read the model itself), filtered by its form, paged like the page.

    page: `(queryset, start, stop) -> rows`, where the list reads a page cheaper than as a slice.
    form: the list's form with more parameters than the page has (a subclass of `spec.filters`).
    `out` a plain pydantic model (not a ninja `Schema`): the answer is validated and written by
    pydantic in one step (WrittenPagination), named `answer_name` (default `Paged<Out>`), with
    `aliases`: older names of its fields the answer repeats ({"count_capped": "capped"}).
    operation_id: the OpenAPI id a list had before it moved here (clients' generated names)."""
    params = filter_schema(spec, form)
    options = {"spec": spec, "serialize": serialize, "batch": spec.batch, "counter": spec.counter}
    if issubclass(out, Schema):
        pagination, response = CappedPagination, list[out]
    else:
        answer = answer_schema(out, answer_name, aliases)
        pagination, response = WrittenPagination, answer
        options.update(answer_model=answer, aliases=aliases)

    @router.get(path, response=response, summary=summary, operation_id=operation_id)
    @ninja_paginate(pagination, page=page, **options)
    def endpoint(request, filters: NinjaQuery[params]):
        return api_rows(request, spec, form)

    endpoint.__name__ = f"list_{spec.name.replace('.', '_')}"
    return endpoint
