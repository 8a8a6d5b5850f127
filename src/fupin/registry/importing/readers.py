"""Open an uploaded file safely and read it row by row.

Every check that can refuse the whole file runs before a single row is read: size, the zip's
declared sizes and compression ratio (zip bombs), formulas in the sheet XML, headers. A refusal is
`FileRejected` with a Chinese message; nothing has been written at that point.

Formulas: a reader returns a formula cell's cached value, so a formula would slip through as data.
The sheet XML is therefore scanned, streaming in chunks, for a `<f>` element (optionally
namespace-prefixed). A lexical scan rather than iterparse: a 1,000,000-row sheet is over a
gigabyte of XML, and a tag name cannot appear unescaped inside text or attribute values.
The rows themselves are read by `xlsx.open_first_sheet`, which streams the sheet (see there).
"""

import codecs
import csv
import datetime
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from fupin.registry.importing import readahead
from fupin.registry.importing.template import BY_HEADER, COLUMNS, normalize_header
from fupin.registry.importing.xlsx import SheetError, open_first_sheet

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED = 4 * 1024 * 1024 * 1024
MAX_RATIO = 200  # sheet XML of repetitive rows compresses about 10-30:1
MAX_ENTRIES = 10_000
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)  # entity declarations: billion laughs
_CHUNK = 1 << 20


class FileRejected(Exception):
    """The whole file is refused; nothing was read into the registry."""

    @property
    def message(self) -> str:
        return str(self.args[0])


def max_bytes() -> int:
    return int(getattr(settings, "FUPIN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_uncompressed() -> int:
    return int(getattr(settings, "FUPIN_IMPORT_MAX_UNCOMPRESSED", DEFAULT_MAX_UNCOMPRESSED))


@dataclass
class Source:
    """An opened file: its column headers, where each column is, and a lazy iterator of rows."""

    kind: str  # xlsx or csv
    encoding: str  # for CSV: utf-8, utf-8-sig or gb18030; "" for xlsx
    positions: dict[str, int]  # column key -> index in the row
    rows: Iterator[tuple[int, list]]  # (row number as Excel shows it, cell values)


@dataclass
class Table:
    """An opened file whose headers are not the import template's (a department's own list)."""

    kind: str  # xlsx or csv
    encoding: str  # for CSV: utf-8, utf-8-sig or gb18030; "" for xlsx
    header: list  # the first row's cells, as read
    rows: Iterator[tuple[int, list]]  # (row number as Excel shows it, cell values), lazily


def open_source(path: Path, name: str = "") -> Source:
    table = open_table(path, name)
    return Source(
        kind=table.kind, encoding=table.encoding, positions=header_positions(table.header), rows=table.rows
    )


def open_table(path: Path, name: str = "") -> Table:
    """Every file-level check of an import (size, zip bombs, formulas, DTDs, encoding, the CSV
    field limit), then the header and the rows; FileRejected with a Chinese message otherwise."""
    path = Path(path)
    name = (name or path.name).lower()
    size = path.stat().st_size
    if size > max_bytes():
        raise FileRejected(
            _("文件大小 %(size)s 超过上限 %(limit)s,请拆分后分批导入。")
            % {"size": _megabytes(size), "limit": _megabytes(max_bytes())}
        )
    if size == 0:
        raise FileRejected(_("文件是空的。"))
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if name.endswith((".xlsx", ".xlsm")) or magic == b"PK\x03\x04":
        check_xlsx(path)
        header, rows = _xlsx_rows(path)
        if readahead.available():
            rows = readahead.read_ahead(rows)  # the sheet is parsed in a second process
        kind, encoding = "xlsx", ""
    elif name.endswith((".csv", ".txt")):
        encoding = detect_csv_encoding(path)
        header, rows = _csv_rows(path, encoding)
        kind = "csv"
    else:
        raise FileRejected(_("只能导入 .xlsx 或 .csv 文件。"))
    return Table(kind=kind, encoding=encoding, header=list(header), rows=rows)


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def header_positions(header: list) -> dict[str, int]:
    """Column key -> index; unknown, duplicate or missing headers refuse the file, naming them."""
    positions: dict[str, int] = {}
    unknown, duplicate = [], []
    for index, raw in enumerate(header):
        text = normalize_header(raw)
        if not text:
            continue
        column = BY_HEADER.get(text)
        if column is None:
            unknown.append(text)
        elif column.key in positions:
            duplicate.append(text)
        else:
            positions[column.key] = index
    missing = [c.header for c in COLUMNS if c.key not in positions and not c.optional_header]
    problems = []
    if unknown:
        problems.append(_("无法识别的列:%(cols)s") % {"cols": "、".join(unknown)})
    if duplicate:
        problems.append(_("重复的列:%(cols)s") % {"cols": "、".join(duplicate)})
    if missing:
        problems.append(_("缺少的列:%(cols)s") % {"cols": "、".join(missing)})
    if problems:
        raise FileRejected(
            _("表头与导入模板不一致。%(problems)s。请下载导入模板,按模板的表头填写。")
            % {"problems": ";".join(problems)}
        )
    return positions


# --- xlsx -------------------------------------------------------------------------------------


def check_xlsx(path: Path) -> None:
    """Refuse zip bombs (declared sizes and ratio first, then the real bytes) and formula cells."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise FileRejected(_("文件不是有效的 Excel(.xlsx)文件。")) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise FileRejected(_("Excel 文件结构异常(压缩包内文件过多),已拒绝。"))
        total = sum(i.file_size for i in infos)
        if total > max_uncompressed():
            raise FileRejected(
                _("Excel 文件解压后达 %(size)s,超过上限 %(limit)s(疑似压缩炸弹),已拒绝。")
                % {"size": _megabytes(total), "limit": _megabytes(max_uncompressed())}
            )
        for info in infos:
            if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise FileRejected(_("Excel 文件的压缩比异常(疑似压缩炸弹),已拒绝。"))
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names:
            raise FileRejected(_("文件不是有效的 Excel(.xlsx)文件。"))
        if any(n.startswith("xl/externalLinks/") or n == "xl/vbaProject.bin" for n in names):
            raise FileRejected(_("Excel 文件含有宏或外部链接,已拒绝。请只保留数据后另存为 .xlsx。"))
        for info in infos:
            # zipfile stops at the declared size and checks the CRC, so a lying header cannot
            # make this read unbounded; every entry is read once so the reader sees only checked data.
            _scan_entry(archive, info)


def _scan_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
    is_xml = info.filename.endswith((".xml", ".rels"))
    tail = b""
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                if is_xml:
                    window = tail + chunk
                    # The regular expressions only where a byte they need is there at all: "f"
                    # and "!" are rare in sheet XML (cells are <c>, <v>, <is>, <t>), and looking
                    # for one byte runs at memory speed, where the regex stops at every "<"
                    # (a million-row sheet: 7.3 s of regex → well under one).
                    if is_sheet and b"f" in window and _FORMULA.search(window):
                        raise FileRejected(
                            _("Excel 文件含有公式,已拒绝。请复制后“选择性粘贴—数值”,去掉公式再导入。")
                        )
                    if b"!" in window and _DTD.search(window):
                        # No producer of .xlsx writes a DTD: refused as a damaged file (existing message).
                        raise FileRejected(_("Excel 文件已损坏,无法读取。"))
                    tail = window[-64:]
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, ValueError) as exc:
        if isinstance(exc, FileRejected):
            raise
        raise FileRejected(_("Excel 文件已损坏,无法读取。")) from None


def _xlsx_rows(path: Path) -> tuple[list, Iterator[tuple[int, list]]]:
    try:
        rows = open_first_sheet(path)
        first = next(rows, None)
    except (SheetError, zipfile.BadZipFile, KeyError, IndexError, ValueError, OSError):
        raise FileRejected(_("Excel 文件已损坏,无法读取。")) from None
    if first is None:
        raise FileRejected(_("工作表是空的。"))
    _line, header = first

    def generate() -> Iterator[tuple[int, list]]:
        try:
            yield from rows
        except (SheetError, zipfile.BadZipFile, IndexError, ValueError, OSError):
            raise FileRejected(_("Excel 文件已损坏,无法读取。")) from None

    return list(header), generate()


# --- CSV --------------------------------------------------------------------------------------


def detect_csv_encoding(path: Path) -> str:
    """utf-8-sig (with BOM), utf-8, else gb18030 (a superset of GBK); the whole file is checked
    incrementally, so a GBK file whose first lines happen to be ASCII is still found."""
    with open(path, "rb") as fh:
        if fh.read(3) == codecs.BOM_UTF8:
            candidate = "utf-8-sig"
        else:
            candidate = "utf-8"
        fh.seek(0)
        if _decodes(fh, candidate):
            return candidate
        fh.seek(0)
        if _decodes(fh, "gb18030"):
            return "gb18030"
    raise FileRejected(_("无法识别 CSV 文件的编码,请另存为 UTF-8 或 GBK 编码的 CSV。"))


def _decodes(fh, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := fh.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _allow_any_field_of_an_accepted_file() -> None:
    """The csv module refuses a field over 131,072 characters with an exception that would stop
    the whole import. No field can be longer than the file, which max_bytes() already bounds: with
    that limit the long cell reaches the row checks and is refused there, naming its row and column
    (every column has a length or a format). Process-wide, and only ever raised."""
    if csv.field_size_limit() < max_bytes():
        csv.field_size_limit(max_bytes())


def _csv_rows(path: Path, encoding: str) -> tuple[list, Iterator[tuple[int, list]]]:
    _allow_any_field_of_an_accepted_file()
    fh = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed by the generator
    reader = csv.reader(fh)
    try:
        header = next(reader, None)
    except csv.Error:
        fh.close()
        raise FileRejected(_("CSV 文件格式有误,无法读取表头。")) from None
    if header is None:
        fh.close()
        raise FileRejected(_("CSV 文件是空的。"))

    def generate() -> Iterator[tuple[int, list]]:
        with fh:
            row_number = 1
            try:
                for row in reader:
                    row_number += 1
                    yield row_number, row
            except csv.Error:  # whatever else the parser cannot read: where, never a traceback
                raise FileRejected(
                    _("CSV 文件第 %(line)d 行附近格式有误,无法读取。") % {"line": row_number + 1}
                ) from None

    return header, generate()


def cell_text(value) -> str:
    """A cell as text: integral floats without '.0', dates as YYYY-MM-DD, strings stripped."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip().replace("\u3000", " ").strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def is_number_cell(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
