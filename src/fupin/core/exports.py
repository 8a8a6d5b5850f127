"""Excel/CSV exports shared by every list: formula-escaped cells, streamed rows.

A cell that begins with = + - @ (or a tab/CR, which Excel strips before parsing) would be run
as a formula by Excel; it is prefixed with an apostrophe-like quote so it stays text.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse, StreamingHttpResponse

_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_LEAD):
        return "'" + value
    return value


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, sheet: str = "Sheet1") -> bytes:
    """An .xlsx with a bold header row; constant_memory keeps large exports flat in RAM."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False})
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    for col, header in enumerate(headers):
        ws.write_string(0, col, str(header), bold)
        ws.set_column(col, col, max(10, len(str(header)) * 2 + 2))
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            value = escape_cell(value)
            if value is None:
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, col, value)
            else:
                ws.write_string(r, col, str(value))
    ws.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(headers, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = _attachment(filename)
    return response


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """UTF-8 with BOM so Excel on Chinese Windows opens it without mojibake."""
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff" + writer.writerow(headers)
        for row in rows:
            yield writer.writerow([escape_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _attachment(filename)
    return response


def _attachment(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"
