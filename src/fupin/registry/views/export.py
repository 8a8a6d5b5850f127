"""The household list's file (registry.lists.HOUSEHOLDS `export=`): one row per member of the listed
households, in the import template's columns, so it goes back in through 导入 unchanged.

The list mechanism (core.lists) runs it: 导出 (masked, for everyone, one click; ?format=csv streams)
and 导出(明文) (registry.reveal_household, a purpose and a confirmation, a POST). Both get exactly the
page's query; the audit row has the one shape of every export, with the member count.
"""

import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.exports import XLSX_TYPE, _attachment
from fupin.registry import selectors
from fupin.registry.exporting import audit_export, csv_chunks, export_rows, write_xlsx


def member_file(request, query, *, clear: bool, purpose: str = "", fmt: str = "xlsx"):
    """The members of the list's households (`query.rows`), masked unless `clear`."""
    households, filters = query.rows, query.filters
    stamp = timezone.localtime().strftime("%Y%m%d")
    members = selectors.members_of(households)
    name = _("贫困户家庭成员_%(d)s") % {"d": stamp} + (_("_明文") if clear else "")
    where = {"purpose": purpose, "filters": filters, "sort": query.sort, "fmt": fmt, "request": request}
    if fmt == "csv":
        # Streamed for large sets: the count is taken first (the rows follow the same query).
        audit_export(count=members.count(), reveal=clear, **where)
        response = StreamingHttpResponse(
            csv_chunks(households, reveal=clear), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = _attachment(f"{name}.csv")
        return response
    # Into a temporary file, not memory: a province's members make a large sheet.
    file = tempfile.TemporaryFile()
    count = write_xlsx(file, export_rows(members, reveal=clear))
    audit_export(count=count, reveal=clear, **where)
    file.seek(0)
    response = FileResponse(file, content_type=XLSX_TYPE)
    response["Content-Disposition"] = _attachment(f"{name}.xlsx")
    return response
