"""One way to show a list and export the same list: columns defined once, used by the page
(query form, table, pagination) and by the Excel export (formula-escaped, audited)."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from fupin.core.exports import xlsx_response
from fupin.core.pagination import paginate


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    num: bool = False
    tag: Callable[[Any], str] | None = None  # a CSS colour of a status tag for the cell


def cell_text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def render_list(
    request,
    *,
    title: str,
    form,
    rows,
    columns: list[Column],
    export: str | None,
    actions: Callable[[Any], list[tuple[str, str]]] | None = None,
    toolbar: list[tuple[str, str]] = (),
    extra: dict | None = None,
    table_id: str = "party-table",
):
    page = paginate(request, rows)
    table = [
        {
            "cells": [
                {"text": cell_text(c.value(obj)), "num": c.num, "tag": c.tag(obj) if c.tag else ""}
                for c in columns
            ],
            "actions": actions(obj) if actions else [],
        }
        for obj in page.object_list
    ]
    export_url = f"{reverse(export)}?{request.GET.urlencode()}" if export else None
    return render(
        request,
        "party/list.html",
        {
            "title": title,
            "form": form,
            "page": page,
            "headers": [(c.header, c.num) for c in columns],
            "table": table,
            "has_actions": actions is not None,
            "export_url": export_url,
            "toolbar": toolbar,
            "table_id": table_id,
            **(extra or {}),
        },
    )


def export_list(request, *, filename: str, object_type: str, rows, columns: list[Column]):
    from fupin.audit.services import audit_record

    data = [[_plain(c.value(obj)) for c in columns] for obj in rows]
    audit_record(
        action="export", actor=request.user, request=request, object_type=object_type, detail=f"{len(data)}"
    )
    return xlsx_response(filename, [c.header for c in columns], data)


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int | float | str):
        return value
    return str(value)
