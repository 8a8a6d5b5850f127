"""The files in the national layout (exchange.layout): the households' table (.xlsx or CSV), the 监测对象
(.xlsx or CSV) and the 监测对象名单 form (.xlsx: merged title, 填报单位/日期 footer, print setup).

Rows are read in the user's scope (registry.selectors.households_visible_to, monitoring.selectors.
current_objects) and streamed in chunks: the .xlsx is written row by row (xlsxwriter's
constant_memory, core.lists.Sheet's rules: typed cells, formula-leading text marked as text), the
CSV as UTF-8 with a BOM, what the national system takes. Masked unless `clear` (the caller checked
registry.reveal_household and the purpose).
"""

import csv
import datetime
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fupin.core.lists import DATE, MONEY, Sheet
from fupin.exchange import layout
from fupin.exchange.layout import LANGUAGE, Row
from fupin.monitoring import selectors as monitoring
from fupin.regions.models import Region
from fupin.registry import selectors as registry

CHUNK = 2000
_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")


def title_of(what: str) -> str:
    with translation.override(LANGUAGE):
        return {
            "members": _("户籍人员信息"),
            "objects": _("监测对象信息"),
            "roster": _("防止返贫监测对象名单"),
        }[what]


def area_name(code: str) -> str:
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def rows(user, *, what: str, area: str) -> Iterator[Row]:
    """The people of the area in `user`'s scope, as the layouts read them: every member of every
    household (`members`), or of each household with a current monitoring object (`objects`,
    `roster`), in 户编号 and member order."""
    households = registry.households_visible_to(user)
    if area:
        households = households.filter(village__code__startswith=area)
    objects = {}
    if what in ("objects", "roster"):
        current = monitoring.current_objects(user, area=area)
        objects = {o.household_id: o for o in current}
        households = (
            households.filter(pk__in=list(objects))
            if len(objects) < 5000
            else households.filter(pk__in=current.values("household_id"))
        )
    members = registry.exchange_member_rows(households)
    for chunk in _chunks(members.iterator(chunk_size=CHUNK), CHUNK):
        villages = {m["village"] for m in chunk}
        codes = {v[:n] for v in villages for n in layout.LEVEL_DIGITS}
        names = {
            code: short or name
            for code, short, name in Region.objects.filter(code__in=codes).values_list(
                "code", "short_name", "name"
            )
        }
        for m in chunk:
            yield Row(m, names, objects.get(m["household_id"]))


def _xlsx(value):
    return float(value) if isinstance(value, Decimal) else value


def write_xlsx(path: Path, source, *, what: str, clear: bool, progress=None) -> int:
    shape = "objects" if what == "roster" else what
    fields = layout.fields(shape)
    cells = layout.writers(shape, clear=clear)
    with translation.override(LANGUAGE):
        sheet = Sheet(
            layout.headers("objects" if what == "roster" else what), [f.kind for f in fields], title_of(what)
        )
        for row in source:
            sheet.write([_xlsx(cell(row)) for cell in cells])
            if progress and sheet.count % CHUNK == 0:
                progress(sheet.count)
    sheet.book.close()
    sheet.file.seek(0)
    with open(path, "wb") as fh:
        shutil.copyfileobj(sheet.file, fh)
    sheet.file.close()
    return sheet.count


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_csv(path: Path, source, *, what: str, clear: bool, progress=None) -> int:
    """UTF-8 with BOM (the national system's import, and Excel, read it so). Values as they are: a
    CSV has no 'text' cell, so formula-leading text is not altered (the national system reads data)."""
    cells = layout.writers(what, clear=clear)
    count = 0
    with translation.override(LANGUAGE), open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(layout.headers(what))
        for row in source:
            writer.writerow([_csv_cell(cell(row)) for cell in cells])
            count += 1
            if progress and count % CHUNK == 0:
                progress(count)
    return count


def write_roster(path: Path, source, *, area: str, unit: str, clear: bool, progress=None, today=None) -> int:
    """The 监测对象名单 as an office prints it: a merged title (`兴海县防止返贫监测对象名单`), the header
    row, one row per person, the 填报单位 / 填报人 / 负责人 / 填报日期 footer; A4 landscape, one page wide,
    the title and header repeated on every page, page numbers in the footer."""
    fields = layout.fields("objects")
    cells = layout.writers("objects", clear=clear)
    width = len(fields)
    today = today or timezone.localdate()
    count = 0
    with translation.override(LANGUAGE):
        book = xlsxwriter.Workbook(
            str(path), {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
        )
        ws = book.add_worksheet(title_of("roster")[:31])
        title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        head = book.add_format(
            {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
        )
        cell = book.add_format({"border": 1})
        text = book.add_format({"border": 1, "quote_prefix": True})
        formats = {
            MONEY: book.add_format({"border": 1, "num_format": "#,##0.00"}),
            DATE: book.add_format({"border": 1, "num_format": "yyyy-mm-dd"}),
        }
        ws.set_row(0, 30)
        ws.merge_range(0, 0, 0, width - 1, f"{area_name(area)}{title_of('roster')}", title)
        ws.merge_range(
            1,
            0,
            1,
            width - 1,
            _("填报单位(盖章):%(unit)s") % {"unit": unit},
            book.add_format({"align": "left"}),
        )
        for col, header in enumerate(layout.headers("objects")):
            ws.write_string(2, col, header, head)
            ws.set_column(col, col, max(8, len(header) * 2 + 2))
        r = 2
        for row in source:
            r += 1
            count += 1
            for col, (f, value) in enumerate(zip(fields, [_xlsx(cell(row)) for cell in cells], strict=True)):
                if value is None:
                    ws.write_blank(r, col, None, cell)
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    ws.write_number(r, col, value, formats.get(f.kind, cell))
                elif isinstance(value, datetime.date):
                    ws.write_datetime(
                        r, col, datetime.datetime.combine(value, datetime.time()), formats[DATE]
                    )
                else:
                    value = str(value)
                    ws.write_string(r, col, value, text if value.startswith(_FORMULA_LEAD) else cell)
            if progress and count % CHUNK == 0:
                progress(count)
        r += 2
        third = max(1, width // 3)
        ws.write_string(r, 0, _("填报单位:%(unit)s") % {"unit": unit})
        ws.write_string(r, third, _("填报人:"))
        ws.write_string(r, 2 * third, _("负责人:"))
        ws.write_string(r + 1, 0, _("填报日期:%(date)s") % {"date": f"{today:%Y年%m月%d日}"})
        ws.write_string(r + 1, third, _("共 %(n)d 人") % {"n": count})
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0, 2)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer(_("&C第 &P 页,共 &N 页"))
        ws.freeze_panes(3, 0)
        book.close()
    return count
