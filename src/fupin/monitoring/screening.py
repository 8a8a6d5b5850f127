"""部门筛查预警: a county uploads a department's own list (医保, 民政, 教育 …) and the people on it are
matched to registered members by the ID number's keyed index.

- Columns: each department writes its own headers. Which header holds 身份证号 (required), 姓名, 金额,
  事项 and 发生日期 is asked once per source and county and remembered (ColumnMapping); the first
  upload offers a guess from the usual header words, later uploads reuse the mapping and ask again
  only when a mapped header is missing from the file (`MappingNeeded`).
- Reading: the registry import's readers (registry.importing.readers.open_table): the same
  file-level checks (size, zip bombs, formulas, encodings, the CSV field limit), rows streamed.
  A file-level refusal writes nothing (one transaction).
- Each row: the ID number normalised and validated by the registry's rule (registry.idnumbers),
  its keyed index (crypto.blind_index("id", number)); the name masked (the surname only); amount as
  Decimal, date, 事项. The clear ID number is never stored: a row keeps the keyed index and, when it
  goes in the report, the masked number. A bad cell is a problem of the row naming its column (the
  row is kept, the cell left empty); an unusable ID number keeps the row out of the matching.
- Matching: a chunk of rows at a time, one set-based query for the chunk's keyed indexes
  (registry.selectors.members_by_id_index); a person registered in another county does not match.
- Writing (PostgreSQL): a writer thread looks up and COPYs one chunk while the main thread reads
  the next (psycopg releases the GIL while PostgreSQL works on the other core), as the registry
  import's fast path does; elsewhere bulk_create per chunk. Speed: docs/benchmarks.md.
- Then the rules engine writes the leads of the batch (rules.run_rules, DEPARTMENT_HIT).

Reads of this feature (the list of batches, a batch's report) are at the end of the module.
"""

import datetime
import json
import logging
import queue
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from contextlib import closing, contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.audit.services import audit_record
from fupin.core import crypto
from fupin.core.audit_actions import AuditAction
from fupin.core.lists import DATETIME, INT, TEXT, Column, FilterForm, ListSpec, Sheet
from fupin.core.masking import mask_id_number, mask_text
from fupin.core.permissions import require
from fupin.monitoring.choices import RuleKind, Source
from fupin.monitoring.models import ColumnMapping, RiskRule, ScreeningBatch, ScreeningRow
from fupin.regions.forms import RegionField
from fupin.regions.models import Region
from fupin.registry import selectors as registry
from fupin.registry.idnumbers import PROVINCE_CODES, check_digit, parse_id_number
from fupin.registry.importing.readers import FileRejected, cell_text, is_number_cell, max_bytes, open_table
from fupin.registry.importing.template import normalize_header

log = logging.getLogger(__name__)

PERM = "monitoring.run_rules"  # upload a department list (county)
VIEW_PERM = "monitoring.view_screeningbatch"
ROWS_PERM = "monitoring.view_screeningrow"  # the report of a batch (masked rows)
SUFFIXES = (".xlsx", ".csv")
CHUNK = 10_000  # rows per look-up and write
# From about this many rows (estimated from the file's size), PostgreSQL reads the county's members
# once (registry.selectors.county_member_index: one scan) instead of looking each chunk's people up
# in the index (a look-up per row): 53 s → 33 s for 1,000,000 rows (docs/benchmarks.md).
WHOLE_COUNTY_ROWS = 50_000
_PERIOD = re.compile(r"(\d{4})-(\d{2})")
_CENT = Decimal("0.01")
_AMOUNT_LIMIT = Decimal("10000000000")  # MONEY: 12 digits, 2 after the point
_AMOUNT_NOISE = str.maketrans("", "", ",,¥¥元 \u3000")
_BRACKETS = re.compile(r"\([^)]*\)|【[^】]*】|\[[^\]]*\]")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%Y-%m", "%Y/%m", "%Y年%m月")
_EARLIEST, _LATEST = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
_CACHE = 50_000  # distinct dates and 事项 texts remembered per file


@dataclass(frozen=True)
class Field:
    """A column fupin reads from a department's list, and the header words it is guessed from."""

    key: str
    label: str
    required: bool
    words: tuple[str, ...]  # most specific first


FIELDS = (
    Field(
        "id_number",
        gettext_lazy("身份证号"),
        True,
        (
            "身份证号",
            "身份证号码",
            "公民身份号码",
            "证件号码",
            "身份证件号码",
            "证件号",
            "社会保障号码",
            "社会保障卡号",
            "身份证",
        ),
    ),
    Field(
        "name",
        gettext_lazy("姓名"),
        False,
        (
            "姓名",
            "人员姓名",
            "参保人姓名",
            "患者姓名",
            "学生姓名",
            "救助对象姓名",
            "残疾人姓名",
            "申请人姓名",
            "户主姓名",
            "名字",
        ),
    ),
    Field(
        "amount",
        gettext_lazy("金额"),
        False,
        (
            "个人自付",
            "个人自付金额",
            "自付金额",
            "自付费用",
            "个人负担",
            "个人负担金额",
            "救助金额",
            "补助金额",
            "发放金额",
            "保障金额",
            "损失金额",
            "金额",
            "费用",
        ),
    ),
    Field(
        "event",
        gettext_lazy("事项"),
        False,
        (
            "事项",
            "类别",
            "救助类别",
            "救助类型",
            "保障类别",
            "变动类型",
            "变动情况",
            "就诊类型",
            "医疗类别",
            "灾害类型",
            "残疾类别",
            "辍学原因",
            "类型",
            "事由",
        ),
    ),
    Field(
        "event_date",
        gettext_lazy("发生日期"),
        False,
        (
            "发生日期",
            "结算日期",
            "出院日期",
            "办理日期",
            "变动日期",
            "审批日期",
            "受灾日期",
            "发证日期",
            "发放日期",
            "日期",
            "月份",
            "时间",
        ),
    ),
)
BY_KEY = {f.key: f for f in FIELDS}


class MappingNeeded(Exception):
    """The file's columns must be mapped first: the source has no mapping in this county yet, or a
    mapped header is missing from this file. Carries what the mapping step shows."""

    def __init__(self, headers: list[str], guess: dict[str, str], missing: list[str] = ()):
        self.headers, self.guess, self.missing = headers, guess, list(missing)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.missing:
            return _("文件中没有已保存的列:%(cols)s。请重新指定各列的对应关系。") % {
                "cols": "、".join(self.missing)
            }
        return _("首次上传该部门的数据,请指定文件中各列的含义(之后同一部门的文件会沿用)。")


# --- columns ------------------------------------------------------------------------------------


def file_headers(header_cells) -> list[str]:
    """The header row as text, the way headers are compared (spaces dropped, brackets made ASCII)."""
    return [normalize_header(cell_text(cell)) for cell in header_cells]


def _bare(header: str) -> str:
    """A header without what is in brackets ("金额(元)" → "金额"), for guessing only."""
    return _BRACKETS.sub("", header)


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """{field key: header} from the usual header words: exact words first (most specific first),
    then a header containing a word; a header is used once. Only a proposal, shown to be confirmed."""
    bare = {h: _bare(h) for h in headers if h}
    taken: set[str] = set()
    guess: dict[str, str] = {}
    for field in FIELDS:
        for word in field.words:
            found = next((h for h, b in bare.items() if b == word and h not in taken), None)
            if found:
                guess[field.key] = found
                taken.add(found)
                break
    for field in FIELDS:
        if field.key in guess:
            continue
        for word in field.words:
            found = next((h for h, b in bare.items() if word in b and h not in taken), None)
            if found:
                guess[field.key] = found
                taken.add(found)
                break
    return guess


def check_mapping(mapping: dict, headers: list[str]) -> dict[str, str]:
    """The mapping as it will be saved ({field key: header}); ValidationError keyed by field."""
    present = {h for h in headers if h}
    errors: dict[str, str] = {}
    unknown = sorted(set(mapping) - set(BY_KEY))
    if unknown:
        errors["mapping"] = _("未知的字段:%(keys)s") % {"keys": "、".join(unknown)}
    clean: dict[str, str] = {}
    used: dict[str, str] = {}
    for field in FIELDS:
        header = normalize_header(mapping.get(field.key) or "")
        if not header:
            if field.required:
                errors[field.key] = _("请选择“%(field)s”所在的列") % {"field": field.label}
            continue
        if header not in present:
            errors[field.key] = _("文件中没有“%(header)s”列") % {"header": header}
        elif header in used:
            errors[field.key] = _("“%(header)s”列已对应“%(other)s”,一列只能对应一项") % {
                "header": header,
                "other": BY_KEY[used[header]].label,
            }
        else:
            used[header] = field.key
            clean[field.key] = header
    if errors:
        raise ValidationError(errors)
    return clean


def saved_mapping(source: str, county_code: str) -> dict[str, str] | None:
    found = ColumnMapping.objects.filter(source=source, county_id=county_code).first()
    return dict(found.mapping) if found and found.mapping else None


def resolve_mapping(source: str, county_code: str, headers: list[str], mapping: dict | None) -> dict:
    """The mapping this file is read with: the one given (checked), else the saved one when every
    header it names is in the file; MappingNeeded otherwise."""
    if mapping is not None:
        return check_mapping(mapping, headers)
    saved = saved_mapping(source, county_code)
    if saved is None:
        raise MappingNeeded(_offered(headers), guess_mapping(headers))
    present = set(headers)
    missing = [h for h in saved.values() if h not in present]
    if missing or "id_number" not in saved:
        guess = {**guess_mapping(headers), **{k: h for k, h in saved.items() if h in present}}
        raise MappingNeeded(_offered(headers), guess, missing)
    return saved


def _offered(headers: list[str]) -> list[str]:
    """The headers the mapping step offers: non-empty, each once, in the file's order."""
    return list(dict.fromkeys(h for h in headers if h))


def _positions(mapping: dict[str, str], headers: list[str]) -> dict[str, int]:
    positions = {}
    for key, header in mapping.items():
        at = [i for i, h in enumerate(headers) if h == header]
        if len(at) > 1:
            raise ValidationError(
                {
                    "file": _("文件中有 %(n)d 列都叫“%(header)s”,请改名后再上传。")
                    % {"n": len(at), "header": header}
                }
            )
        positions[key] = at[0]
    return positions


# --- the upload ---------------------------------------------------------------------------------


def check_period(period: str) -> str:
    """ "YYYY-MM", a month that has begun; ValidationError otherwise."""
    period = (period or "").strip()
    match = _PERIOD.fullmatch(period)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise ValidationError(_("数据期间应为年-月,如 2026-03"), code="period")
    today = timezone.localdate()
    if period > f"{today:%Y-%m}":
        raise ValidationError(_("数据期间不能晚于本月"), code="period")
    return period


def check_file_name(name: str) -> None:
    suffix = Path(name or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(
            {
                "file": _("只能上传 .xlsx 或 .csv 文件(部门导出的表格),当前文件是“%(suffix)s”。")
                % {"suffix": suffix or _("无扩展名")}
            }
        )


@contextmanager
def _on_disk(upload, file_name: str):
    """(path, name) of an upload: a path as it is, a Django upload from its temporary file, or
    copied to one (an in-memory upload); the copy is removed afterwards."""
    if isinstance(upload, str | Path):
        path = Path(upload)
        yield path, file_name or path.name
        return
    name = file_name or Path(getattr(upload, "name", "") or "").name
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path()), name
        return
    folder = Path(tempfile.mkdtemp(prefix="fupin-screening-"))
    try:
        path = folder / ("upload" + Path(name).suffix.lower())
        with open(path, "wb") as fh:
            if hasattr(upload, "chunks"):
                for chunk in upload.chunks():
                    fh.write(chunk)
            else:
                shutil.copyfileobj(upload, fh)
        yield path, name
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _county(county) -> str:
    return str(getattr(county, "code", county) or "").strip()


def read_headers(path, name: str = "") -> list[str]:
    """The headers of an uploaded file (every file-level check runs); ValidationError on `file`."""
    check_file_name(name or Path(path).name)
    try:
        table = open_table(Path(path), name)
    except FileRejected as exc:
        raise ValidationError({"file": exc.message}) from None
    table.rows.close()
    return file_headers(table.header)


def import_list(
    *,
    by,
    source: str,
    county,
    period: str,
    upload,
    mapping: dict | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    file_name: str = "",
    job_id=None,
) -> ScreeningBatch:
    """Read a department's list into a ScreeningBatch of `county` (a code or a Region) for `period`
    ("YYYY-MM"), match its people, then let the rules write the batch's leads.

    upload: a path, or a Django upload. mapping: {field key: header}, saved for the source and county
    (the mapping step); None reuses the saved one. progress(done, total, message): every chunk.
    Raises PermissionDenied; ValidationError (source, county, period, file, a field of the mapping)
    and MappingNeeded before anything is written; a file refused halfway writes nothing either."""
    county_code = _county(county)
    require(by, PERM, code=county_code)
    errors = {}
    if source not in Source.values:
        errors["source"] = _("请选择数据来源部门")
    try:
        period = check_period(period)
    except ValidationError as exc:
        errors["period"] = exc.messages[0]
    region = Region.objects.filter(code=county_code, level=Region.Level.COUNTY).first()
    if region is None:
        errors["county"] = _("请选择县(市、区)")
    if errors:
        raise ValidationError(errors)
    with _on_disk(upload, file_name) as (path, name):
        check_file_name(name)
        try:
            table = open_table(path, name)
        except FileRejected as exc:
            raise ValidationError({"file": exc.message}) from None
        with closing(table.rows):
            headers = file_headers(table.header)
            chosen = resolve_mapping(source, county_code, headers, mapping)
            positions = _positions(chosen, headers)
            estimate = max(1, path.stat().st_size // (30 if table.kind == "xlsx" else 60))
            try:
                with transaction.atomic():
                    if mapping is not None:
                        ColumnMapping.objects.update_or_create(
                            source=source, county=region, defaults={"mapping": chosen}
                        )
                    batch = ScreeningBatch.objects.create(
                        source=source,
                        county=region,
                        period=period,
                        file_name=Path(name).name[:200],
                        uploaded_by=by if getattr(by, "pk", None) else None,
                        job_id=job_id,
                    )
                    reader = _Reader(positions, chosen, county_code)
                    reader.run(table.rows, batch, progress, estimate)
                    batch.rows, batch.matched, batch.unmatched = reader.counts()
                    batch.save(update_fields=["rows", "matched", "unmatched", "updated_at"])
                    _audit(by, batch, reader)
                    batch.hits = _leads_of(batch, by)
                    batch.save(update_fields=["hits", "updated_at"])
            except FileRejected as exc:  # a CSV line the parser cannot read, a damaged sheet
                raise ValidationError({"file": exc.message}) from None
    if progress:
        progress(batch.rows, batch.rows, _("共 %(rows)d 行,匹配 %(matched)d 人。") % _numbers(batch))
    return batch


def _numbers(batch) -> dict:
    return {"rows": batch.rows, "matched": batch.matched, "unmatched": batch.unmatched, "hits": batch.hits}


def _audit(by, batch: ScreeningBatch, reader) -> None:
    audit_record(
        action=AuditAction.CREATE,
        actor=by if getattr(by, "pk", None) else None,
        obj=batch,
        region_code=batch.county_id,
        changes={
            **_numbers(batch),
            "source": batch.source,
            "period": batch.period,
            "problems": reader.problems,
        },
        detail=_("导入%(source)s数据 %(file)s:%(rows)d 行,匹配 %(matched)d 人,未匹配 %(unmatched)d 行")
        % {"source": batch.get_source_display(), "file": batch.file_name[:100], **_numbers(batch)},
    )


def _leads_of(batch: ScreeningBatch, by) -> int:
    """The leads of the batch, written by the rules engine (DEPARTMENT_HIT): the households its rules
    for this source fired on. Inside the import's transaction, so the rules see the rows and a
    failed run leaves no batch behind."""
    # ---- the one call site of the rules engine (monitoring.rules.run_rules) ----
    try:
        from fupin.monitoring import rules
    except ImportError:  # the rules engine is another piece of the app
        return 0
    run_rules = getattr(rules, "run_rules", None)
    if run_rules is None:
        return 0
    run = run_rules(area_code=batch.county_id, period=batch.period, by=by, kinds=[RuleKind.DEPARTMENT_HIT])
    counts = getattr(run, "counts", None) or {}
    codes = [
        r.code
        for r in RiskRule.objects.filter(kind=RuleKind.DEPARTMENT_HIT)
        if (r.params or {}).get("source") in (None, batch.source)
    ]
    return sum(int((counts.get(code) or {}).get("fired", 0)) for code in codes)


# --- reading the rows ---------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """The surname (first character) and a star for each other one: 扎西 → 扎*, 才让东智 → 才***."""
    if not name:
        return ""
    return "*" if len(name) == 1 else name[0] + "*" * min(len(name) - 1, 9)


def _printable(text: str) -> str:
    return text if text.isprintable() else "".join(c for c in text if c.isprintable())


def parse_amount(value) -> Decimal | None:
    """A money cell as Decimal (two places, half up); None when empty; ValueError(reason) if not money."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(_("金额应为数字"))
    text = cell_text(value) if not isinstance(value, str) else value
    try:
        amount = Decimal(text)
    except InvalidOperation:
        try:
            amount = Decimal(text.translate(_AMOUNT_NOISE))
        except InvalidOperation:
            raise ValueError(_("金额“%(value)s”不是数字") % {"value": text[:20]}) from None
    if not amount.is_finite():
        raise ValueError(_("金额“%(value)s”不是数字") % {"value": text[:20]})
    if amount.as_tuple().exponent < -2:
        amount = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    if abs(amount) >= _AMOUNT_LIMIT:
        raise ValueError(_("金额超出范围(应小于100亿元)"))
    return amount


def parse_date(value, cache: dict | None = None) -> datetime.date | None:
    """A date cell (a date, or text as 2026-03-15, 2026/3/15, 20260315, 2026年3月15日, 2026-03);
    None when empty; ValueError(reason) otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        if not _EARLIEST <= value <= _LATEST:
            raise ValueError(_("日期应在1900年至2100年之间"))
        return value
    text = cell_text(value)
    if cache is not None and text in cache:
        found = cache[text]
        if isinstance(found, str):
            raise ValueError(found)
        return found
    try:
        found = _read_date(text)
    except ValueError as exc:
        found = str(exc)
    if cache is not None and len(cache) < _CACHE:
        cache[text] = found
    if isinstance(found, str):
        raise ValueError(found)
    return found


def _read_date(text: str) -> datetime.date:
    head = text.split()[0] if text.split() else text
    for fmt in _DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(head, fmt).date()  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
        if not _EARLIEST <= day <= _LATEST:
            raise ValueError(_("日期应在1900年至2100年之间"))
        return day
    raise ValueError(_("日期“%(value)s”无法识别,应为 2026-03-15 这样的格式") % {"value": text[:20]})


class _Reader:
    """Reads the rows of one file into chunks and hands them to the writer; counts and problems."""

    def __init__(self, positions: dict[str, int], mapping: dict[str, str], county_code: str):
        self.positions, self.headers, self.county = positions, mapping, county_code
        self.rows = 0
        self.problems = 0  # rows with a problem of their own (an ID number, a cell)
        self.writer = None
        # The writer may be a thread: its messages are made here, in the request's language.
        self.texts = {
            "not_found": _("未在扶贫对象登记中找到此人"),
            "elsewhere": _("此人不是本县登记的扶贫对象"),
            "id_header": mapping["id_number"],
        }

    def counts(self) -> tuple[int, int, int]:
        return self.rows, len(self.writer.members), self.writer.unmatched

    def run(self, rows, batch, progress, estimate: int) -> None:
        if connection.vendor == "postgresql":
            # A long list is matched against the county's members read once (WHOLE_COUNTY_ROWS).
            whole = estimate >= WHOLE_COUNTY_ROWS
            self.writer = _CopyWriter(batch.pk, self.county, self.texts, whole_county=whole)
        else:
            self.writer = _OrmWriter(batch.pk, self.county, self.texts)
        self.writer.start_writing()
        try:
            done = 0
            for chunk in self.chunks(rows):
                self.writer.send(chunk)
                done += len(chunk)
                if progress:
                    estimate = max(estimate, done + 1)
                    progress(done, estimate, _("已读取 %(rows)d 行 …") % {"rows": done})
        except BaseException:
            self.writer.stop()  # the connection must be free before the transaction rolls back
            raise
        self.writer.finish()

    def chunks(self, rows):
        """Chunks of checked rows: (line, the number as read, keyed index, masked name, amount, 事项,
        date, problems or None). The number stays in memory only: the writer masks it for the
        report's rows and stores the keyed index.

        The common row takes fast paths, each falling back to the full rule: a plain 18-character
        number checked with the registry's check digit and province codes and its birth-date verdict
        remembered per birth date (parse_id_number decides it the first time, and decides anything
        unusual with its message); a plain decimal amount; a date text seen before."""
        p = self.positions
        id_at = p["id_number"]
        name_at, amount_at = p.get("name"), p.get("amount")
        event_at, date_at = p.get("event"), p.get("event_date")
        h = self.headers
        id_header = h["id_number"]
        today = timezone.localdate()
        births: dict[str, bool] = {}
        dates: dict = {}
        names: dict[str, str] = {}
        events: dict[str, tuple[str, bool]] = {}
        provinces, check, index = PROVINCE_CODES, check_digit, crypto.blind_index
        limit, date_class = _AMOUNT_LIMIT, datetime.date
        chunk: list[tuple] = []
        append = chunk.append
        for line, cells in rows:
            n = len(cells)
            raw = cells[id_at] if id_at < n else None
            if (
                raw.__class__ is str
                and len(raw) == 18
                and raw.isascii()
                and raw[:17].isdigit()
                and raw[:2] in provinces
                and births.get(raw[6:14])
                and check(raw[:17]) == raw[17]
            ):
                number, shown, problems = raw, raw, None
            else:
                if (raw is None or raw == "") and not any(c not in (None, "") for c in cells):
                    continue  # a blank line
                number, problem = self._slow_id(raw, today, births)
                shown = number or cell_text(raw)
                problems = [[id_header, problem]] if problem else None
            self.rows += 1
            name = ""
            if name_at is not None and name_at < n:
                text = cells[name_at]
                name = names.get(text) if text.__class__ is str else None
                if name is None:
                    name = mask_name(_printable(cell_text(text)))
                    if text.__class__ is str and len(names) < _CACHE:
                        names[text] = name
            amount = event = day = None
            if amount_at is not None and amount_at < n:
                value = cells[amount_at]
                if value.__class__ is str and value:
                    try:
                        amount = Decimal(value)
                    except InvalidOperation:
                        amount = None
                    else:
                        dot = value.find(".")
                        if (dot >= 0 and len(value) - dot > 3) or not (
                            amount.is_finite() and -limit < amount < limit
                        ):
                            amount = None  # more than two places, out of range, NaN: the full rule
                if amount is None and value not in (None, ""):
                    try:
                        amount = parse_amount(value)
                    except ValueError as exc:
                        problems = [*(problems or ()), [h["amount"], str(exc)]]
            if date_at is not None and date_at < n:
                value = cells[date_at]
                day = dates.get(value) if value.__class__ is str else None
                if day.__class__ is not date_class:
                    try:
                        day = parse_date(value, dates)
                    except ValueError as exc:
                        day = None
                        problems = [*(problems or ()), [h["event_date"], str(exc)]]
            if event_at is not None and event_at < n:
                value = cells[event_at]
                found = events.get(value) if value.__class__ is str else None
                if found is None:
                    found = self._event(value)
                    if value.__class__ is str and len(events) < _CACHE:
                        events[value] = found
                event, cut = found
                if cut:
                    problems = [*(problems or ()), [h["event"], _("事项超过100个字,已截断")]]
            if problems:
                self.problems += 1
            append(
                (line, shown, index("id", number) if number else "", name, amount, event or "", day, problems)
            )
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
                append = chunk.append
        if chunk:
            yield chunk

    @staticmethod
    def _slow_id(raw, today, births) -> tuple[str, str]:
        """(normalised number, "") or ("", the reason), by the registry's rule."""
        if raw is None or raw == "":
            return "", _("身份证号为空")
        if is_number_cell(raw):
            # Excel keeps 15 significant digits of a number: the last digits of the ID are gone.
            return "", _("身份证号被保存成了数字,末几位已丢失;请将该列设为文本格式后重新导出")
        text = cell_text(raw)
        try:
            value = parse_id_number(text, today=today).value
        except ValidationError as exc:
            return "", exc.messages[0]
        if len(births) < _CACHE:
            births[value[6:14]] = True  # the registry's rule accepted this birth date
        return value, ""

    @staticmethod
    def _event(raw) -> tuple[str, bool]:
        """(事项 as stored, whether it was cut): ID and phone numbers in it masked."""
        text = _printable(cell_text(raw))
        if any(c.isdigit() for c in text):
            text = mask_text(text)
        return (text[:100], True) if len(text) > 100 else (text, False)


# --- writing the rows ---------------------------------------------------------------------------

COPY_COLUMNS = (
    "batch_id",
    "row_number",
    "id_number_bidx",
    "name_masked",
    "member_id",
    "household_id",
    "amount",
    "event",
    "event_date",
    "values",
)


class _Matcher:
    """What both writers share: a chunk's rows with their match, after one set-based look-up."""

    def __init__(self, batch_id: int, county_code: str, texts: dict):
        self.batch_id, self.county, self.texts = batch_id, county_code, texts
        self.members: set[int] = set()
        self.unmatched = 0

    def matched(self, chunk: list[tuple], index: dict, local: dict | None = None):
        """(row, member id, household id, the report's values or None) of each row: a member of the
        county matches; the report's values hold the masked number and the row's problems.
        local: the county's members ({keyed index: (member id, household id)}) when loaded whole;
        `index` then holds only the chunk's other keys (someone registered elsewhere, or nobody)."""
        county, texts = self.county, self.texts
        add = self.members.add
        for row in chunk:
            bidx, problems = row[2], row[7]
            hit = found = None
            if bidx:
                if local is not None:
                    hit = local.get(bidx)
                if hit is None:
                    found = index.get(bidx)
                    if found is not None and found[2].startswith(county):
                        hit = found
            if hit is not None:
                add(hit[0])
                if problems is None:
                    yield row, hit[0], hit[1], None
                else:
                    yield row, hit[0], hit[1], {"id": mask_id_number(row[1]), "problems": problems}
                continue
            self.unmatched += 1
            if bidx:
                reason = texts["elsewhere" if found is not None else "not_found"]
                problems = [*(problems or ()), [texts["id_header"], reason]]
            yield row, None, None, {"id": mask_id_number(row[1]), "problems": problems}


class _OrmWriter(_Matcher):
    """SQLite and others: the look-up and a bulk_create per chunk, in the caller's thread."""

    def start_writing(self) -> None:
        pass

    def send(self, chunk: list[tuple]) -> None:
        index: dict = {}
        keys = list({row[2] for row in chunk if row[2]})
        for start in range(0, len(keys), 5_000):  # within SQLite's limit of query parameters
            index.update(registry.members_by_id_index(keys[start : start + 5_000]))
        objects = [
            ScreeningRow(
                batch_id=self.batch_id,
                row_number=row[0],
                id_number_bidx=row[2],
                name_masked=row[3],
                member_id=member_id,
                household_id=household_id,
                amount=row[4],
                event=row[5],
                event_date=row[6],
                values=values or {},
            )
            for row, member_id, household_id, values in self.matched(chunk, index)
        ]
        ScreeningRow.objects.bulk_create(objects, batch_size=2_000)

    def stop(self) -> None:
        pass

    def finish(self) -> None:
        pass


class _CopyWriter(_Matcher, threading.Thread):
    """PostgreSQL: a thread that looks a chunk's people up and COPYs its rows while the main thread
    reads the next chunk. The main thread must not use the connection until `finish()` returns (a
    query in the middle of a COPY would break it); a failure is kept and raised there."""

    def __init__(self, batch_id: int, county_code: str, texts: dict, *, whole_county: bool = False):
        _Matcher.__init__(self, batch_id, county_code, texts)
        threading.Thread.__init__(self, name="fupin-screening-writer", daemon=True)
        self.whole_county = whole_county
        self.local: dict | None = None
        connection.ensure_connection()
        self.raw = connection.connection
        self.chunks: queue.Queue = queue.Queue(maxsize=2)  # memory: two chunks in flight at most
        self.error: BaseException | None = None
        columns = ", ".join(f'"{c}"' for c in COPY_COLUMNS)
        self.sql = f"COPY {ScreeningRow._meta.db_table} ({columns}) FROM STDIN"  # noqa: S608 - our names

    def start_writing(self) -> None:
        self.start()

    def run(self):
        try:
            with closing(self.raw.cursor()) as cursor:
                if self.whole_county:
                    # While the main thread reads the first chunks (the queue holds two).
                    self.local = registry.county_member_index(self.county, cursor=cursor)
                while (chunk := self.chunks.get()) is not None:
                    if self.error is None:
                        try:
                            self.write(cursor, chunk)
                        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                            self.error = exc
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            self.error = exc
            while self.chunks.get() is not None:  # keep the main thread's puts from blocking
                pass

    def write(self, cursor, chunk: list[tuple]) -> None:
        local = self.local
        keys = {row[2] for row in chunk if row[2] and (local is None or row[2] not in local)}
        index = registry.members_by_id_index(keys, cursor=cursor) if keys else {}
        batch_id, dumps = self.batch_id, json.dumps
        # Text COPY: psycopg's C writer escapes each value; binary would need jsonb's own framing
        # and costs this (the busier) side more per row.
        with cursor.copy(self.sql) as copy:
            write = copy.write_row
            for row, member_id, household_id, values in self.matched(chunk, index, local):
                write(
                    (
                        batch_id,
                        row[0],
                        row[2],
                        row[3],
                        member_id,
                        household_id,
                        row[4],
                        row[5],
                        row[6],
                        dumps(values, ensure_ascii=False) if values else "{}",
                    )
                )

    def send(self, chunk: list[tuple]) -> None:
        self._raise()
        self.chunks.put(chunk)

    def stop(self) -> None:
        if self.is_alive():
            self.chunks.put(None)
            self.join()

    def finish(self) -> None:
        self.stop()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error


# --- reads: the list of batches, a batch's report ------------------------------------------------


def batches_visible_to(user):
    return ScreeningBatch.objects.visible_to(user).select_related("county", "uploaded_by")


def batch_for(user, pk) -> ScreeningBatch | None:
    """The batch if `user` may see it (out of scope looks like missing)."""
    if not user.has_perm(VIEW_PERM):
        return None
    return batches_visible_to(user).filter(pk=pk).first()


def report_rows(batch: ScreeningBatch):
    """The rows of the batch's report: not matched, or with a bad cell (masked values only)."""
    return (
        ScreeningRow.objects.filter(batch=batch, values__has_key="problems")
        .order_by("row_number")
        .values_list("row_number", "name_masked", "values")
    )


def report_lines(batch: ScreeningBatch, limit: int | None = None):
    """(row, masked name, masked ID, column, reason) for each problem of the report's rows."""
    rows = report_rows(batch)
    count = 0
    for line, name, values in rows.iterator(chunk_size=5_000):
        for column, reason in values.get("problems") or ():
            yield line, name, values.get("id", ""), column, reason
            count += 1
            if limit is not None and count >= limit:
                return


REPORT_HEADERS = (
    gettext_lazy("行号"),
    gettext_lazy("姓名"),
    gettext_lazy("身份证号"),
    gettext_lazy("列"),
    gettext_lazy("原因"),
)


def report_sheet(batch: ScreeningBatch) -> Sheet:
    """The report as an .xlsx (core.lists.Sheet: flat memory at a million rows), masked values."""
    sheet = Sheet(
        [str(h) for h in REPORT_HEADERS], [INT, TEXT, TEXT, TEXT, TEXT], title=_("未匹配和有误的行")
    )
    for line in report_lines(batch):
        sheet.write(line)
    return sheet


# --- the list of batches (core.lists) -----------------------------------------------------------

ALL = [("", gettext_lazy("全部"))]


class BatchQueryForm(FilterForm):
    region_fields = ("division",)
    division = RegionField(label=gettext_lazy("区划"), required=False)
    source = forms.ChoiceField(label=gettext_lazy("数据来源"), required=False, choices=ALL + Source.choices)
    period = forms.RegexField(
        label=gettext_lazy("数据期间"),
        required=False,
        regex=r"^\d{4}-\d{2}$",
        max_length=7,
        error_messages={"invalid": gettext_lazy("数据期间应为年-月,如 2026-03")},
        widget=forms.TextInput(attrs={"placeholder": "2026-03"}),
    )


def batch_rows(user, filters: dict):
    rows = batches_visible_to(user)
    if filters.get("division"):
        # A county's batches under a province or city; a township or village chosen finds its county's.
        code = filters["division"]
        rows = (
            rows.filter(county__code__startswith=code[:6])
            if len(code) > 6
            else rows.filter(county__code__startswith=code)
        )
    if filters.get("source"):
        rows = rows.filter(source=filters["source"])
    if filters.get("period"):
        rows = rows.filter(period=filters["period"])
    return rows


def _batch_link(batch):
    return format_html(
        '<a href="{}">{}</a>', reverse("monitoring:screening_batch", args=[batch.pk]), batch.file_name or "—"
    )


SCREENING_BATCHES = ListSpec(
    name="monitoring.screening",
    url="monitoring:screening",
    title=gettext_lazy("部门筛查数据"),
    filters=BatchQueryForm,
    rows=batch_rows,
    columns=[
        Column(gettext_lazy("数据来源"), lambda r: r.get_source_display(), sort="source"),
        Column(gettext_lazy("县"), lambda r: str(r.county), sort="county_id"),
        Column(gettext_lazy("数据期间"), lambda r: r.period, sort="period"),
        Column(gettext_lazy("文件名"), lambda r: r.file_name, html=_batch_link),
        Column(gettext_lazy("行数"), lambda r: r.rows, INT, sort="rows"),
        Column(gettext_lazy("匹配人数"), lambda r: r.matched, INT, sort="matched"),
        Column(gettext_lazy("未匹配行数"), lambda r: r.unmatched, INT, sort="unmatched"),
        Column(gettext_lazy("预警户数"), lambda r: r.hits, INT, sort="hits"),
        Column(
            gettext_lazy("上传人"),
            lambda r: str(getattr(r.uploaded_by, "full_name", "") or r.uploaded_by or ""),
        ),
        Column(gettext_lazy("上传时间"), lambda r: r.created_at, DATETIME, sort="created_at"),
    ],
    permission=VIEW_PERM,
    new=("monitoring:screening_upload", PERM),
    actions=lambda r, user: [(_("查看"), reverse("monitoring:screening_batch", args=[r.pk]))],
    nav="monitoring/_nav.html",
    notes=[
        gettext_lazy(
            "各部门(医保、民政、教育、住建、人社、卫健、应急、残联)导出的名单,按身份证号与扶贫对象登记匹配;"
            "匹配到的由部门数据预警规则生成风险线索。"
        )
    ],
    extra={
        "section": (gettext_lazy("防返贫监测"), "monitoring:home"),
        "empty": gettext_lazy("还没有上传部门数据"),
    },
)

__all__ = [
    "FIELDS",
    "SCREENING_BATCHES",
    "MappingNeeded",
    "guess_mapping",
    "import_list",
    "max_bytes",
    "read_headers",
    "report_sheet",
]
