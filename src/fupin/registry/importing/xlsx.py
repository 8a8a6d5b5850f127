"""A streaming reader for the first sheet of an .xlsx: memory does not grow with the sheet.

python-calamine loads a whole sheet before the first row comes out (750 MB at 200,000 rows), so
the sheet XML is read here, decompressed in chunks, one `<row>` at a time:

- the shared strings are read once into a list (that table is unavoidable);
- a row written the plain way every producer writes it (`<c r="B7" s="1" t="s"><v>3</v></c>`,
  inline strings, numbers, booleans; no entity, no rich text, no carriage return) is taken apart
  by one regular expression, which must match the whole row, else
- the row goes to ElementTree (`fromstring` of that row in the root element's namespaces), so an
  unusual row is read exactly as an XML parser reads it, only slower;
- no entity can be declared (`check_xlsx` refuses any part with a DTD), so ElementTree is safe;
- a sheet the fast path cannot cut into rows (a prefixed namespace, comments, CDATA, processing
  instructions, another encoding) is read with `XMLPullParser` throughout, each row cleared once
  read.

Values are what calamine gave: text as str, numbers as float, booleans as bool, numbers in a date
format as `datetime.date` (or `datetime.datetime` when there is a time of day); a missing cell
(see the `r` attribute) is None. Row numbers are the sheet's own (`<row r=…>`), as Excel shows them.
"""

import codecs
import datetime
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

_CHUNK = 1 << 20
_MAIN_NS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_REL_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# One cell written the plain way: r="A1", then s="…" and t="…" in that order if at all, other
# attributes (cm, vm, ph …), then nothing, <v>…</v> or <is><t>…</t></is>; or, as the last
# alternative, anything else (one character or a run of text) that sends the row to ElementTree.
_CELLS = re.compile(
    r'<c r="([A-Z]{1,3})[0-9]+"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?((?: [A-Za-z:]+="[^"&<]*")*) ?'
    r'(?:/>|>(?:<v>([^<&\r]*)</v>|<is><t(?: xml:space="preserve")?>([^<&\r]*)</t></is>)?</c>)'
    r"|([^<]+|<)"
)
# A cell holding text and nothing else: a shared string's index, or an inline string.
_TEXT_CELL = (
    r'<c r="([A-Z]{1,3})[0-9]+" t="(?:s|inlineStr)">'
    r'(?:<v>([0-9]+)</v>|<is><t(?: xml:space="preserve")?>([^<&\r]*)</t></is>)</c>'
)
_TEXT_CELLS = re.compile(_TEXT_CELL)
_TEXT_ROW = re.compile(  # a row body of nothing but such cells (the same, without the groups)
    r'(?:<c r="[A-Z]{1,3}[0-9]+" t="(?:s|inlineStr)">'
    r'(?:<v>[0-9]+</v>|<is><t(?: xml:space="preserve")?>[^<&\r]*</t></is>)</c>)*'
)
_ROW_NUMBER = re.compile(r'\br="([0-9]+)"')
_STYLE_OR_TYPE = re.compile(r'\b[st]="')
_LETTERS = {
    **{chr(65 + i): i for i in range(26)},
    **{chr(65 + i) + chr(65 + j): 26 * (i + 1) + j for i in range(26) for j in range(26)},
}
_SI = re.compile(
    r'<si><t(?: xml:space="preserve")?>([^<&\r]*)</t></si>|<si\b[^>]*/>|<si\b[^>]*>.*?</si>', re.S
)
_SI_PLAIN = re.compile(r'<si><t(?: xml:space="preserve")?>([^<&\r]*)</t></si>')
_BUILTIN_DATE_FORMATS = frozenset(range(14, 23)) | frozenset(range(27, 37)) | frozenset(range(45, 48))
_BUILTIN_DATE_FORMATS |= frozenset(range(50, 59))
_TIME_FORMATS = frozenset({18, 19, 20, 21, 45, 46, 47})
_EPOCH_1900 = datetime.datetime(1899, 12, 30)  # noqa: DTZ001 - Excel serials are wall-clock, no zone
_EPOCH_1904 = datetime.datetime(1904, 1, 1)  # noqa: DTZ001


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """OOXML's escapes of characters XML cannot carry: `_x000D_` is a carriage return."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


class SheetError(ValueError):
    """The workbook cannot be read as a sheet of rows."""


def open_first_sheet(path: Path) -> Iterator[tuple[int, list]]:
    """(row number, cell values) of every row of the workbook's first sheet with a value in it,
    lazily; the first one is the header."""
    archive = zipfile.ZipFile(path)
    try:
        sheet, date1904 = _first_sheet_path(archive)
        names = set(archive.namelist())
        if sheet not in names:
            raise SheetError(sheet)
        shared = _shared_strings(archive, names)
        date_styles = _date_styles(archive, names)
    except BaseException:
        archive.close()
        raise
    return _rows(archive, sheet, shared, date_styles, date1904)


def _rows(archive, sheet, shared, date_styles, date1904) -> Iterator[tuple[int, list]]:
    cells = _Cells(shared, date_styles, date1904)
    with archive:
        yield from _FastSheet(archive, sheet, cells).rows()


# --- the workbook's parts ------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _first_sheet_path(archive: zipfile.ZipFile) -> tuple[str, bool]:
    """The first sheet's part name (through workbook.xml and its relationships) and the 1904 flag."""
    workbook = ET.fromstring(  # noqa: S314 - no DTD: readers.check_xlsx refuses <!DOCTYPE / <!ENTITY
        archive.read("xl/workbook.xml")
    )
    date1904 = False
    relation = None
    for element in workbook.iter():
        name = _local(element.tag)
        if name == "workbookPr":
            date1904 = element.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet" and relation is None:
            relation = next(
                (element.get(f"{{{ns}}}id") for ns in _REL_NS if element.get(f"{{{ns}}}id")), None
            )
            if relation is None:
                raise SheetError("sheet without r:id")
    if relation is None:
        raise SheetError("no sheet")
    try:
        rels = ET.fromstring(  # noqa: S314 - no DTD: readers.check_xlsx refuses <!DOCTYPE / <!ENTITY
            archive.read("xl/_rels/workbook.xml.rels")
        )
    except KeyError:
        return "xl/worksheets/sheet1.xml", date1904
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == relation:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/"), date1904
            return posixpath.normpath(posixpath.join("xl", target)), date1904
    raise SheetError("sheet relationship missing")


def _shared_part(names: set[str]) -> str | None:
    for name in ("xl/sharedStrings.xml", "xl/SharedStrings.xml"):
        if name in names:
            return name
    return None


def _shared_strings(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    """The shared strings table, as a list (read once, streaming)."""
    part = _shared_part(names)
    if part is None:
        return []
    strings: list[str] = []
    append = strings.append
    with archive.open(part) as fh:
        head, rest = _until(fh, b"<sst", b">")
        if head is None or b"<!" in head[head.find(b"<sst") :] or not _plain_root(head, b"sst"):
            fh.seek(0)
            return _shared_strings_slow(fh)
        namespaces = _root_namespaces(head, b"sst")
        decoder = _utf8()
        pending = _text(decoder, rest)
        while True:
            chunk = fh.read(_CHUNK)
            text = pending + _text(decoder, chunk, final=not chunk)
            # The common case first: a chunk of nothing but plain <si><t>…</t></si>, read by one
            # findall (C) instead of a Python step per string (2.5 million strings: 11 s → 3 s).
            cut = text.rfind("</si>") + 5 if chunk else len(text)
            plain = _SI_PLAIN.findall(text, 0, cut) if cut > 4 else []
            if plain and len(plain) == text.count("<si", 0, cut) and "_x" not in text[:cut]:
                strings.extend(plain)
                pending = text[cut:]
                if not chunk:
                    break
                continue
            end = 0
            for match in _SI.finditer(text):
                plain = match.group(1)
                if plain is not None:
                    append(_unescape(plain))
                else:
                    append(
                        _si_text(
                            ET.fromstring(  # noqa: S314 - no DTD: readers.check_xlsx refuses <!DOCTYPE / <!ENTITY
                                f"<sst {namespaces}>{match.group(0)}</sst>"
                            )[0]
                        )
                    )
                end = match.end()
            if not chunk:
                break
            pending = text[end:]
    return strings


def _shared_strings_slow(fh) -> list[str]:
    strings: list[str] = []
    parser = ET.XMLPullParser(events=("end",))
    while chunk := fh.read(_CHUNK):
        parser.feed(chunk)
        for _event, element in parser.read_events():
            if _local(element.tag) == "si":
                strings.append(_si_text(element))
                element.clear()
    parser.close()
    return strings


def _si_text(element) -> str:
    """A string item's text: its <t>, or the <t> of each rich-text run; phonetic runs (<rPh>) left out."""
    parts: list[str] = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return _unescape("".join(parts))


def _date_styles(archive: zipfile.ZipFile, names: set[str]) -> dict[int, bool]:
    """Cell style index -> True for a date-and-time format, False for a date-only format."""
    if "xl/styles.xml" not in names:
        return {}
    root = ET.fromstring(  # noqa: S314 - no DTD: readers.check_xlsx refuses <!DOCTYPE / <!ENTITY
        archive.read("xl/styles.xml")
    )
    custom: dict[int, str] = {}
    styles: dict[int, bool] = {}
    for element in root:
        name = _local(element.tag)
        if name == "numFmts":
            for fmt in element:
                if fmt.get("numFmtId", "").isdigit():
                    custom[int(fmt.get("numFmtId"))] = fmt.get("formatCode", "")
        elif name == "cellXfs":
            for index, xf in enumerate(element):
                number = int(xf.get("numFmtId", "0") or 0)
                if number in custom:
                    kind = _custom_date_kind(custom[number])
                elif number in _BUILTIN_DATE_FORMATS:
                    kind = number in _TIME_FORMATS or number == 22
                else:
                    kind = None
                if kind is not None:
                    styles[index] = kind
    return styles


def _custom_date_kind(code: str) -> bool | None:
    """None: not a date format; else whether it shows a time of day."""
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", code.split(";")[0]).lower()
    if "general" in plain or not any(c in plain for c in "dmyhse"):
        return None
    if not any(c in plain for c in "dy") and "m" not in plain:
        return True if any(c in plain for c in "hs") else None
    return any(c in plain for c in "hs")


# --- the sheet --------------------------------------------------------------------------------


def _until(fh, start: bytes, stop: bytes) -> tuple[bytes | None, bytes]:
    """Read until `stop` after `start`; (everything up to and including it, the rest read)."""
    data = b""
    while True:
        chunk = fh.read(1 << 16)
        data += chunk
        at = data.find(start)
        if at >= 0:
            end = data.find(stop, at)
            if end >= 0:
                return data[: end + len(stop)], data[end + len(stop) :]
        if not chunk or len(data) > (1 << 24):
            return None, data


def _plain_root(head: bytes, name: bytes) -> bool:
    """The head is UTF-8 and the root element is unprefixed in the main namespace."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if not head.lstrip().startswith((b"<?xml", b"<")) or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    declaration = re.match(rb'\s*<\?xml[^>]*encoding=["\']([^"\']+)', head)
    if declaration and declaration.group(1).lower().replace(b"-", b"") not in (b"utf8",):
        return False
    root = head[head.find(b"<" + name) :]
    return any(f'xmlns="{ns}"'.encode() in root for ns in _MAIN_NS)


def _root_namespaces(head: bytes, name: bytes) -> str:
    root = head[head.find(b"<" + name) + len(name) + 1 :].rstrip(b">").rstrip(b"/")
    return " ".join(m.group(0).decode() for m in re.finditer(rb'xmlns(?::[\w.-]+)?="[^"]*"', root))


def _utf8():
    return codecs.getincrementaldecoder("utf-8")()


def _text(decoder, data: bytes, final: bool = False) -> str:
    """UTF-8 chunk by chunk (a character cut by a chunk boundary waits for the next chunk)."""
    try:
        return decoder.decode(data, final)
    except UnicodeDecodeError:
        raise SheetError("not UTF-8") from None


class _Cells:
    """Cell values from (type, style, raw text)."""

    def __init__(self, shared: list[str], date_styles: dict[int, bool], date1904: bool):
        self.shared = shared
        self.date_styles = date_styles
        self.epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
        self.date1904 = date1904
        self.columns: dict[str, int] = {}

    def column(self, letters: str) -> int:
        index = self.columns.get(letters)
        if index is None:
            index = 0
            for char in letters:
                index = index * 26 + ord(char) - 64
            index -= 1
            self.columns[letters] = index
        return index

    def value(self, kind: str | None, style: int | None, text: str | None):
        if kind is None or kind == "n":
            if text is None or text == "":
                return None
            number = float(text)
            if style is not None and self.date_styles and style in self.date_styles:
                return self.date(number, self.date_styles[style])
            return number
        if kind == "s":
            if text is None or text == "":
                return None
            try:
                return self.shared[int(text)]
            except (IndexError, ValueError):
                raise SheetError("bad shared string index") from None
        if kind in ("inlineStr", "str"):
            return _unescape(text) if text is not None else None
        if kind == "b":
            return text in ("1", "true")
        if kind == "d":
            if not text:
                return None
            moment = datetime.datetime.fromisoformat(text)
            return moment.date() if moment.time() == datetime.time() else moment
        return text  # "e": the error's text, #N/A and the like

    def date(self, serial: float, with_time: bool):
        if not self.date1904 and serial < 61:
            serial += 1  # Excel counts a 1900-02-29 that never was
        try:
            moment = self.epoch + datetime.timedelta(days=serial)
        except OverflowError:
            return serial
        if not with_time and moment.time() == datetime.time():
            return moment.date()
        return moment

    def element_row(self, row, ns: str) -> list:
        """A row element's values, by the cells' r attributes (or their order when missing)."""
        values: list = []
        position = 0
        for cell in row:
            if cell.tag != f"{ns}c":
                continue
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                position = self.column(letters) if letters.isalpha() and letters.isupper() else position
            kind = cell.get("t")
            style = cell.get("s")
            if kind == "inlineStr":
                inline = cell.find(f"{ns}is")
                value = _si_text(inline) if inline is not None else None
            else:
                v = cell.find(f"{ns}v")
                value = self.value(
                    kind, int(style) if style and style.isdigit() else None, v.text if v is not None else None
                )
                if kind == "str" and value is None:
                    value = ""
            if position >= len(values):
                values.extend([None] * (position + 1 - len(values)))
            values[position] = value
            position += 1
        return values


def _cut_rows(text: str, position: int, limit: int) -> Iterator[tuple[int, int, str, str | None]]:
    """(start, end, attributes, body or None) of each whole <row> in text[position:limit].

    What `<row\\b([^>]*?)(?:/>|>(.*?)</row>)` would find, by str.find: the regex's lazy body
    tries `</row>` at every character of the row (2.5 KB for 30 cells), which was half of the time
    spent reading a sheet. Stops at the first row not complete before `limit` (the caller keeps the
    rest for the next chunk) and at anything that is not a row (the caller refuses it)."""
    find = text.find
    while True:
        start = find("<row", position, limit)
        if start < 0:
            return
        after = text[start + 4 : start + 5]
        if after not in (" ", ">", "/", "\t", "\n", "\r"):
            return  # <rows…: not a row
        close = find(">", start, limit)
        if close < 0:
            return
        if text[close - 1] == "/":
            yield start, close + 1, text[start + 4 : close - 1], None
            position = close + 1
            continue
        finish = find("</row>", close + 1, limit)
        if finish < 0:
            return
        position = finish + 6
        yield start, position, text[start + 4 : close], text[close + 1 : finish]


def _non_empty(values: list) -> bool:
    return any(v is not None and v != "" for v in values)


class _FastSheet:
    """Rows cut out of the decompressed text by regular expressions, with ElementTree for any row
    they do not fully understand; the whole sheet through XMLPullParser if it cannot be cut."""

    def __init__(self, archive: zipfile.ZipFile, part: str, cells: _Cells):
        self.archive, self.part, self.cells = archive, part, cells

    def rows(self) -> Iterator[tuple[int, list]]:
        with self.archive.open(self.part) as fh:
            head, rest = _until(fh, b"<worksheet", b">")
            if (
                head is None
                or not _plain_root(head, b"worksheet")
                or b"<!" in head[head.find(b"<worksheet") :]
            ):
                fh.seek(0)
                yield from self._slow(fh)
            else:
                yield from self._fast(fh, rest, _root_namespaces(head, b"worksheet"))

    def _fast(self, fh, rest: bytes, namespaces: str) -> Iterator[tuple[int, list]]:
        cells = self.cells
        column, value = cells.column, cells.value
        ns = f"{{{_namespace_of(namespaces)}}}"
        decoder = _utf8()
        pending = _text(decoder, rest)
        started = False
        line = 0
        width = 1
        letters_get = _LETTERS.get
        shared, date_styles = cells.shared, cells.date_styles
        while True:
            chunk = fh.read(_CHUNK)
            text = pending + _text(decoder, chunk, final=not chunk)
            position = 0
            if not started:
                at = text.find("<sheetData")
                close = text.find(">", at) if at >= 0 else -1
                if close < 0:
                    if not chunk:
                        return
                    pending = text
                    continue
                if text[close - 1] == "/":
                    return
                started, position = True, close + 1
            end_at = text.find("</sheetData>", position)
            limit = end_at if end_at >= 0 else len(text)
            for start, end, attributes, body in _cut_rows(text, position, limit):
                if start != position and not text[position:start].isspace():
                    raise SheetError("unexpected content between rows")
                position = end
                number = _ROW_NUMBER.search(attributes)
                line = int(number.group(1)) if number else line + 1
                if not body:
                    continue
                # Rows of text cells only, shared or inline (what Excel, WPS and most writers
                # produce for a sheet of text): checked whole by one regex, read by another, then a
                # short loop (a million rows of 30 cells: 46 µs a row → about half).
                if _TEXT_ROW.fullmatch(body):
                    letters, raws, inlines = zip(*_TEXT_CELLS.findall(body), strict=True) or ((), (), ())
                    indices = list(map(letters_get, letters))
                    if None not in indices and max(indices, default=-1) < width:
                        try:
                            items = [shared[int(r)] if r else t for r, t in zip(raws, inlines, strict=True)]
                        except IndexError:
                            raise SheetError("bad shared string index") from None
                        if "_x" in body:
                            items = list(map(_unescape, items))
                        values = [None] * width
                        for index, item in zip(indices, items, strict=True):
                            values[index] = item
                        if _non_empty(values):
                            yield line, values
                        continue
                values = [None] * width
                for letters, style, kind, extra, raw, inline, junk in _CELLS.findall(body):
                    if junk or (extra and _STYLE_OR_TYPE.search(extra)):
                        values = None  # not the plain form: ElementTree reads this row
                        break
                    index = letters_get(letters)
                    if index is None:
                        index = column(letters)
                    if kind == "s":
                        item = shared[int(raw)] if raw else None
                    elif kind == "inlineStr":
                        item = _unescape(inline)
                    elif not kind or kind == "n":
                        if not raw:
                            item = None
                        elif style and date_styles and int(style) in date_styles:
                            item = cells.date(float(raw), date_styles[int(style)])
                        else:
                            item = float(raw)
                    else:
                        item = value(kind, None, raw)
                        if kind == "str" and item is None:
                            item = ""
                    if index >= width:
                        values.extend([None] * (index + 1 - width))
                        width = index + 1
                    values[index] = item
                if values is None:
                    element = ET.fromstring(  # noqa: S314 - no DTD: readers.check_xlsx refuses <!DOCTYPE / <!ENTITY
                        f"<worksheet {namespaces}>{text[start:end]}</worksheet>"
                    )
                    values = cells.element_row(element[0], ns)
                if _non_empty(values):
                    yield line, values
            if end_at >= 0:
                if position != end_at and not text[position:end_at].isspace():
                    raise SheetError("unexpected content between rows")
                return
            if not chunk:
                raise SheetError("sheetData not closed")
            pending = text[position:]
            if len(pending) > 64 * _CHUNK:
                raise SheetError("a row larger than 64 MB")

    def _slow(self, fh) -> Iterator[tuple[int, list]]:
        parser = ET.XMLPullParser(events=("start", "end"))
        sheet_data = None
        line = 0
        while True:
            chunk = fh.read(_CHUNK)
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
            for event, element in parser.read_events():
                name = _local(element.tag)
                if event == "start":
                    if name == "sheetData":
                        sheet_data = element
                    continue
                if name != "row" or sheet_data is None:
                    continue
                ns = element.tag[: len(element.tag) - 3]
                number = element.get("r")
                line = int(number) if number and number.isdigit() else line + 1
                values = self.cells.element_row(element, ns)
                sheet_data.clear()
                if _non_empty(values):
                    yield line, values
            if not chunk:
                return


def _namespace_of(namespaces: str) -> str:
    match = re.search(r'xmlns="([^"]*)"', namespaces)
    return match.group(1) if match else ""
