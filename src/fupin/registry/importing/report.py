"""The error report: every bad row as (row, column, value, reason), streamed to an .xlsx.

The report is written as errors arrive (xlsxwriter's constant_memory), so a file with a million
bad rows costs disk, not memory; the first KEEP errors are also kept for the screen and the console.
Values of personal data are already masked by the checker.
"""

from pathlib import Path

import xlsxwriter
from django.utils.translation import gettext as _

from fupin.core.exports import escape_cell

KEEP = 200
MAX_REPORT_ROWS = 1_048_575  # Excel's limit, less the header


def report_headers() -> list[str]:
    return [_("行号"), _("列"), _("值"), _("原因")]


class ErrorSink:
    """Collects errors: counts them, keeps the first few, writes all to `path` (if given)."""

    def __init__(self, path: Path | None = None):
        self.total = 0
        self.kept = []
        self.bad_numbers: set[str] = set()
        self._new_bad: list[str] = []
        self.path = Path(path) if path else None
        self._book = self._sheet = None
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._book = xlsxwriter.Workbook(
                str(self.path), {"constant_memory": True, "strings_to_formulas": False}
            )
            self._sheet = self._book.add_worksheet(_("错误报告"))
            bold = self._book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
            for col, (header, width) in enumerate(zip(report_headers(), (8, 18, 24, 70), strict=True)):
                self._sheet.write_string(0, col, header, bold)
                self._sheet.set_column(col, col, width)

    def add(self, error, number: str = "") -> None:
        self.total += 1
        if len(self.kept) < KEEP:
            self.kept.append(error)
        if number not in self.bad_numbers:
            self.bad_numbers.add(number)
            self._new_bad.append(number)
        if self._sheet is not None and self.total <= MAX_REPORT_ROWS:
            r = self.total
            if error.line:
                self._sheet.write_number(r, 0, error.line)
            self._sheet.write_string(r, 1, error.column)
            self._sheet.write_string(r, 2, str(escape_cell(error.value)))
            self._sheet.write_string(r, 3, error.reason)

    def take_new_bad(self) -> list[str]:
        new, self._new_bad = self._new_bad, []
        return new

    def close(self) -> None:
        if self._book is not None:
            if self.total == 0:
                self._sheet.write_string(1, 3, _("没有发现错误。"))
            self._book.close()
            self._book = self._sheet = None
