"""What every export shares: the formula escape, the xlsx content type, the attachment header.

The exports themselves are written by core.lists (Sheet) and registry.exporting.

A cell that begins with = + - @ (or a tab/CR, which Excel strips before parsing) would be run
as a formula by Excel; it is prefixed with an apostrophe-like quote so it stays text.
"""

from urllib.parse import quote

_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_LEAD):
        return "'" + value
    return value


def _attachment(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"
