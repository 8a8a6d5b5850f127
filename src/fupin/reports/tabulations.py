"""报表: the upward statistical forms, defined as data (`reports.Tabulation`) and generated for any
area and period the reader may see.

A form is rows × columns. The rows are the divisions one level below the chosen area (a county's
townships, a township's villages …) or the categories of one indicator (项目类别, 资金来源 …); the
columns are indicators of the catalogue (`core.indicators`), each with an optional category, its
own header, a group header shared by neighbouring columns (户数/人数 under 脱贫不稳定户) and, for
money, 万元. Every number is read through `reports.selectors` (the rollup, scoped to the reader):
one `breakdown` (or `by_category`) and one `figure` per column, so a county's monthly form is a few
dozen index ranges however large the county. A division the reader cannot see is refused like a
missing one, and no row of it is ever written.

`build` computes the table once; `write_xlsx` writes it in the layout offices use (merged title,
unit line, two-row merged headers, 合计, numbers as numbers, the 填报单位 / 负责人 / 填报人 /
填报日期 footer, landscape A4 fit to width with the headers repeated) and the preview page draws
the same `Table`. `validate_definition` is the one rule for a form defined without code: the form
page and the API call it.

The shipped forms are `SHIPPED`, kept in step by `ensure_shipped()` after every migrate (a stored
row is rewritten when its declared `version` is newer): changing a shipped form is an edit of
this file and a version bump, no data migration.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

from fupin.core import indicators as declared
from fupin.core.scoping import Scope, scope_of
from fupin.core.validators import has_control
from fupin.regions.models import Region
from fupin.reports import selectors
from fupin.reports.models import (
    QUARTER,
    ROWS_CATEGORIES,
    ROWS_CHILDREN,
    ROWS_LABELS,
    TAB_PERIOD_LABELS,
    Tabulation,
)

MONTH, YEAR, SNAPSHOT = declared.MONTH, declared.YEAR, declared.SNAPSHOT
TEN_THOUSAND = Decimal(10000)
MAX_COLUMNS = 40
# An area whose code is this long or longer (a county, township, village) is generated in the
# request; a city's, a province's (sums over millions of rollup rows per column) on the job queue.
DIRECT_CODE_LENGTH = 6

_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER_RE = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_YEAR_RE = re.compile(r"^(\d{4})$")
_QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


class Refused(Exception):
    """Bad input for a generation (a period of the wrong shape …): `field` and a Chinese `message`."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class OutOfScope(Exception):
    """The area is not one the reader may see (or does not exist): answered as missing (404)."""


# --- the definition ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnDef:
    indicator: str
    category: str = ""
    header: str = ""
    group: str = ""
    wan: bool = False  # 元 shown in 万元

    @classmethod
    def of(cls, data: dict) -> ColumnDef:
        return cls(
            indicator=str(data.get("indicator") or ""),
            category=str(data.get("category") or ""),
            header=str(data.get("header") or ""),
            group=str(data.get("group") or ""),
            wan=bool(data.get("wan")),
        )

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator,
            "category": self.category,
            "header": self.header,
            "group": self.group,
            "wan": self.wan,
        }


def display_name(tabulation: Tabulation) -> str:
    """The form's name in the reader's language (a shipped form's is a msgid)."""
    return _(tabulation.name) if tabulation.shipped else tabulation.name


def columns_of(tabulation: Tabulation) -> list[ColumnDef]:
    return [ColumnDef.of(c) for c in tabulation.columns or []]


def _active_codes() -> set[str]:
    return {row.code for row in selectors.indicators()}


def _categories(ind: declared.Indicator) -> dict:
    return {str(k): v for k, v in (ind.categories or {}).items()}


def _allowed(ind: declared.Indicator, form_period: str) -> bool:
    """Whether the indicator can be read for the form's period: a snapshot (as things stand) fits
    any form; a monthly flow a month, quarter or year; a yearly figure only a year."""
    if ind.period == SNAPSHOT:
        return True
    if ind.period == MONTH:
        return form_period in (MONTH, QUARTER, YEAR)
    return form_period == YEAR


def _text(value, limit: int) -> str:
    return str(value if value is not None else "").strip()[:limit]


def validate_definition(data: dict) -> dict:
    """The one rule for a form defined without code (the form page and the API): returns the
    cleaned fields for `Tabulation`, or raises ValidationError({field: [messages]}) where a column's
    field is named `columns.<i>.<field>` (i from 0)."""
    errors: dict[str, list[str]] = {}

    def refuse(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    name = _text(data.get("name"), 1000)
    if not name:
        refuse("name", _("请填写报表名称。"))
    elif len(name) > 100:
        refuse("name", _("报表名称不能超过 100 个字。"))
    rows = data.get("rows") or ROWS_CHILDREN
    if rows not in ROWS_LABELS:
        refuse("rows", _("行只能是下一级区划或指标分类。"))
    period = data.get("period") or ""
    if period not in TAB_PERIOD_LABELS:
        refuse("period", _("报表周期应为月报、季报、年报或时点。"))
    unit_line = _text(data.get("unit_line"), 1000)
    if len(unit_line) > 100:
        refuse("unit_line", _("计量单位说明不能超过 100 个字。"))
    notes = str(data.get("notes") or "").strip()
    if len(notes) > 2000:
        refuse("notes", _("填报说明不能超过 2000 个字。"))
    for key, value in (("name", name), ("unit_line", unit_line)):
        if has_control(value):
            refuse(key, _("不能包含控制字符。"))
    if has_control(notes, multiline=True):
        refuse("notes", _("不能包含控制字符。"))

    active = _active_codes()
    row_indicator = str(data.get("row_indicator") or "")
    row_ind = None
    if rows == ROWS_CATEGORIES:
        row_ind = selectors.declaration(row_indicator) if row_indicator in active else None
        if row_ind is None:
            refuse("row_indicator", _("请选择目录中的指标作为分类行。"))
        elif not row_ind.categories:
            refuse("row_indicator", _("该指标没有分类,不能作为分类行。"))
            row_ind = None
    elif row_indicator:
        refuse("row_indicator", _("按下一级区划分行时不选分类行指标。"))

    raw = data.get("columns")
    if not isinstance(raw, list) or not raw:
        refuse("columns", _("请至少选择一个栏目。"))
        raw = []
    elif len(raw) > MAX_COLUMNS:
        refuse("columns", _("栏目不能超过 %(n)d 个。") % {"n": MAX_COLUMNS})
    columns = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            refuse(f"columns.{i}.indicator", _("栏目格式有误。"))
            continue
        col = ColumnDef.of(item)
        where = f"columns.{i}"
        ind = selectors.declaration(col.indicator) if col.indicator in active else None
        if ind is None:
            refuse(
                f"{where}.indicator", _("指标目录中没有这个指标:%(code)s。") % {"code": col.indicator[:64]}
            )
            continue
        if col.category and col.category not in _categories(ind):
            refuse(f"{where}.category", _("指标“%(name)s”没有这个分类。") % {"name": ind.name})
        if period in TAB_PERIOD_LABELS and not _allowed(ind, period):
            refuse(
                f"{where}.indicator",
                _("指标“%(name)s”按%(kind)s统计,不能用于%(form)s。")
                % {
                    "name": ind.name,
                    "kind": {YEAR: _("年度"), MONTH: _("月度")}.get(ind.period, _("时点")),
                    "form": TAB_PERIOD_LABELS[period],
                },
            )
        if col.wan and str(ind.unit) != "元":
            refuse(f"{where}.wan", _("只有以“元”计量的指标可以按万元列示。"))
        for key, value in (("header", col.header), ("group", col.group)):
            if len(value) > 40:
                refuse(f"{where}.{key}", _("不能超过 40 个字。"))
            elif has_control(value):
                refuse(f"{where}.{key}", _("不能包含控制字符。"))
        if row_ind is not None:
            if col.category:
                refuse(f"{where}.category", _("按分类分行时,栏目不再选分类。"))
            if set(_categories(ind)) != set(_categories(row_ind)):
                refuse(
                    f"{where}.indicator",
                    _("指标“%(name)s”的分类与分类行指标“%(rows)s”不同。")
                    % {"name": ind.name, "rows": row_ind.name},
                )
        columns.append(col.as_dict())
    if errors:
        raise ValidationError({key: messages for key, messages in errors.items()})
    return {
        "name": name,
        "rows": rows,
        "row_indicator": row_indicator if rows == ROWS_CATEGORIES else "",
        "period": period,
        "unit_line": unit_line,
        "notes": notes,
        "summary": bool(data.get("summary")),
        "columns": columns,
    }


# --- who sees which forms ---------------------------------------------------------------------


def visible(user):
    """The forms the user may open: the shipped ones and those defined by a county of their scope
    (a township or village of a county uses its county's forms; a city or province sees its
    counties'). No scope: none."""
    scope = scope_of(user)
    if scope.is_empty or not scope.prefixes:
        return Tabulation.objects.none()
    q = Q(owner="")
    for prefix in scope.prefixes:
        q |= Q(owner__startswith=prefix)
        q |= Q(owner__in=[prefix[:n] for n in (2, 4, 6, 9) if n < len(prefix)])
    return Tabulation.objects.filter(q)


def owner_for(user) -> str:
    """The county a user defines forms for: the county of their scope's first place ('' above it)."""
    prefixes = scope_of(user).prefixes
    return prefixes[0][:6] if prefixes and len(prefixes[0]) >= 6 else ""


def find(user, key) -> Tabulation | None:
    """A form the user may open, by id or code."""
    rows = visible(user)
    key = str(key)
    if key.isdigit():
        found = rows.filter(pk=int(key)).first()
        if found is not None:
            return found
    return rows.filter(code=key).first()


@transaction.atomic
def define(*, by, data: dict, owner: str, tabulation: Tabulation | None = None) -> Tabulation:
    """Write a county's own form (new, or an edit of one of its own: version + 1). The caller
    checked the permission on `owner`. Raises ValidationError (validate_definition's)."""
    from fupin.audit.services import audit_record

    fields = validate_definition(data)
    if tabulation is None:
        tabulation = Tabulation(owner=owner, shipped=False)
        tabulation.code = ""
    elif tabulation.shipped:
        raise ValidationError(_("系统内置报表不能修改。"))
    else:
        tabulation.version += 1
    for key, value in fields.items():
        setattr(tabulation, key, value)
    if not tabulation.code:
        tabulation.code = f"tmp-{timezone.now().timestamp()}"
        tabulation.save()
        tabulation.code = f"{owner or 'x'}-{tabulation.pk}"
    tabulation.save()
    audit_record(
        action="update" if tabulation.version > 1 else "create",
        object_type="reports.tabulation",
        object_id=str(tabulation.pk),
        object_repr=tabulation.name,
        changes={"columns": len(fields["columns"]), "version": tabulation.version},
        actor=by,
        region_code=owner,
    )
    return tabulation


# --- periods ----------------------------------------------------------------------------------


def default_period(kind: str, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    if kind == MONTH:
        return f"{today:%Y-%m}"
    if kind == QUARTER:
        return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    if kind == YEAR:
        return str(today.year)
    return ""


def parse_period(kind: str, period: str) -> str:
    """The period in its canonical shape for the form's kind, or Refused."""
    period = (period or "").strip()
    if kind == SNAPSHOT:
        return ""
    if kind == MONTH and _MONTH_RE.match(period):
        return period
    if kind == QUARTER:
        found = _QUARTER_RE.match(period)
        if found:
            return f"{found[1]}-Q{found[2]}"
    if kind == YEAR and _YEAR_RE.match(period):
        return period
    shapes = {MONTH: "2026-11", QUARTER: "2026-Q4", YEAR: "2026"}
    raise Refused("period", _("期间格式应为 %(shape)s。") % {"shape": shapes.get(kind, "")})


def period_label(kind: str, period: str, today: datetime.date | None = None) -> str:
    if kind == MONTH:
        return _("%(y)s年%(m)d月") % {"y": period[:4], "m": int(period[5:])}
    if kind == QUARTER:
        return _("%(y)s年第%(q)s季度") % {"y": period[:4], "q": _QUARTER_NAMES[int(period[-1])]}
    if kind == YEAR:
        return _("%(y)s年") % {"y": period}
    today = today or timezone.localdate()
    return _("截至%(y)d年%(m)d月%(d)d日") % {"y": today.year, "m": today.month, "d": today.day}


def _keys(ind: declared.Indicator, kind: str, period: str) -> list[str]:
    """The rollup periods to read for the form's period: a snapshot ''; a quarter's monthly figure
    its three months; otherwise the period itself (a year of a monthly figure: selectors sum it)."""
    if ind.period == SNAPSHOT or kind == SNAPSHOT:
        return [""]
    if kind == QUARTER:
        year, quarter = period[:4], int(period[-1])
        return [f"{year}-{m:02d}" for m in range(quarter * 3 - 2, quarter * 3 + 1)]
    return [period]


# --- the table --------------------------------------------------------------------------------


@dataclass
class Col:
    header: str
    group: str
    unit: str
    money: bool  # shown in 万元
    ratio: bool


@dataclass
class Row:
    code: str
    name: str
    values: list
    kind: str = "row"  # "total" (合计), "own" (本级: filed at the area itself), "row"


@dataclass
class Table:
    tabulation: Tabulation
    area: Region
    period: str
    period_label: str
    title: str
    unit_line: str
    columns: list[Col]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    summary: str = ""
    generated: datetime.date = field(default_factory=timezone.localdate)

    @property
    def grouped(self) -> bool:
        return any(c.group for c in self.columns)

    def header_rows(self) -> tuple[list[tuple[str, int, bool]], list[str]]:
        """The first header row as (label, span, spans both rows) and the second row's labels."""
        top: list[tuple[str, int, bool]] = []
        second: list[str] = []
        for col in self.columns:
            if col.group and top and top[-1][0] == col.group and not top[-1][2]:
                top[-1] = (col.group, top[-1][1] + 1, False)
                second.append(col.header)
            elif col.group:
                top.append((col.group, 1, False))
                second.append(col.header)
            else:
                top.append((col.header, 1, True))
        return top, second

    @property
    def display_rows(self) -> list[tuple[Row, list[str]]]:
        """The rows with their cells as the preview shows them (万元 and ratios to two places)."""
        shown = []
        for row in self.rows:
            cells = []
            for col, value in zip(self.columns, row.values, strict=True):
                if value is None:
                    cells.append("—" if col.ratio else "")
                elif col.money or col.ratio:
                    cells.append(f"{Decimal(value):,.2f}")
                else:
                    cells.append(_number(value))
            shown.append((row, cells))
        return shown

    @property
    def data_rows(self) -> list[Row]:
        return [r for r in self.rows if r.kind != "total"]

    def filters(self) -> dict:
        return {"tabulation": self.tabulation.code, "area": self.area.code, "period": self.period}

    @property
    def filename(self) -> str:
        return f"{self.title}.xlsx".replace("/", "_")


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def _ratio(ind, numerator, denominator):
    if not denominator:
        return None
    return Decimal(numerator or 0) * ind.scale / Decimal(denominator)


def _read(user, ind: declared.Indicator, *, area: str, kind: str, period: str, category: str, by: str):
    """(the area's figure, {row key: figure}) for one column, through the selectors."""
    keys = _keys(ind, kind, period)
    if ind.kind == declared.RATIO and len(keys) > 1:
        (n_total, n_rows), (d_total, d_rows) = (
            _read(
                user,
                selectors.declaration(code),
                area=area,
                kind=kind,
                period=period,
                category=category,
                by=by,
            )
            for code in ind.parts
        )
        return _ratio(ind, n_total, d_total), {k: _ratio(ind, n_rows.get(k), d) for k, d in d_rows.items()}
    total, parts = None, {}
    for key in keys:
        total = _add(total, selectors.figure(user, ind.code, division=area, period=key, category=category))
        if by == ROWS_CHILDREN:
            found = {
                p.code: p.value
                for p in selectors.breakdown(user, ind.code, division=area, period=key, category=category)
            }
        else:
            found = {
                k: v for k, _label, v in selectors.by_category(user, ind.code, division=area, period=key)
            }
        for k, v in found.items():
            parts[k] = _add(parts.get(k), v)
    return total, parts


def _header(col: ColumnDef, ind: declared.Indicator) -> str:
    if col.header:
        return col.header
    text = str(_categories(ind).get(col.category, "")) if col.category else str(ind.name)
    if col.wan:
        return f"{text}(万元)"
    if str(ind.unit) == "%":
        return f"{text}(%)"
    return text


def _shown(value, col: Col):
    if value is None:
        return None
    value = Decimal(value)
    if col.money:
        value = value / TEN_THOUSAND
    return value


def area_in_scope(user, area: str) -> Region:
    if not area or not selectors.in_scope(user, area):
        raise OutOfScope
    region = Region.objects.filter(code=area).first()
    if region is None:
        raise OutOfScope
    return region


def build(user, tabulation: Tabulation, *, area: str, period: str = "") -> Table:
    """The form's table for `area` (a division the user may see) and `period` (checked against the
    form's kind; '' for its default). OutOfScope for an area the user cannot see, Refused for a
    period of the wrong shape."""
    region = area_in_scope(user, area)
    kind = tabulation.period
    period = parse_period(kind, period or default_period(kind))
    defs = columns_of(tabulation)
    by = tabulation.rows
    # The shipped forms' texts are stored in Chinese and shown in the reader's language.
    tr = _ if tabulation.shipped else str
    columns: list[Col] = []
    totals: list = []
    per_row: list[dict] = []
    snapshot_mixed = False
    for col in defs:
        ind = selectors.declaration(col.indicator)
        if ind is None:  # an indicator withdrawn from the catalogue since the form was defined
            columns.append(Col(col.header or col.indicator, col.group, "", False, False))
            totals.append(None)
            per_row.append({})
            continue
        snapshot_mixed |= ind.period == SNAPSHOT and kind != SNAPSHOT
        header = tr(col.header) if col.header else _header(col, ind)
        shown = Col(
            header, tr(col.group) if col.group else "", str(ind.unit), col.wan, ind.kind == declared.RATIO
        )
        total, found = _read(
            user, ind, area=region.code, kind=kind, period=period, category=col.category, by=by
        )
        columns.append(shown)
        totals.append(_shown(total, shown))
        per_row.append({k: _shown(v, shown) for k, v in found.items()})

    rows: list[Row] = [Row(region.code, _("合计"), totals, "total")]
    if by == ROWS_CHILDREN:
        children = list(
            Region.objects.filter(parent_id=region.code).order_by("code").values_list("code", "name")
        )
        for code, name in children:
            rows.append(Row(code, name, [found.get(code) for found in per_row]))
        # What is filed at the area itself (a county's own project) is in 合计 and in no child.
        own = []
        for i, col in enumerate(columns):
            if col.ratio or totals[i] is None:
                own.append(None)
            else:
                own.append(totals[i] - sum((r.values[i] or 0) for r in rows[1:]))
        if children and any(v for v in own):
            rows.append(Row(region.code, _("本级"), own, "own"))
    else:
        row_ind = selectors.declaration(tabulation.row_indicator)
        for key, label in _categories(row_ind).items() if row_ind else []:
            rows.append(Row(key, str(label), [found.get(key) for found in per_row]))

    notes = [tr(line) for line in tabulation.notes.splitlines() if line.strip()]
    if snapshot_mixed:
        notes.append(_("户数、人数等时点数为生成报表时的现状数。"))
    if kind == YEAR and any(
        c.indicator == "party.meetings_due" or c.indicator == "party.meetings_completion" for c in defs
    ):
        notes.append(_("三会一课应开次数只统计本年已结束的会议周期。"))
    label = period_label(kind, period)
    table = Table(
        tabulation=tabulation,
        area=region,
        period=period,
        period_label=label,
        title=f"{region.short_name or region.name}{label if kind != SNAPSHOT else ''}{tr(tabulation.name)}",
        unit_line=tr(tabulation.unit_line) if tabulation.unit_line else "",
        columns=columns,
        rows=rows,
        notes=notes,
    )
    if kind == SNAPSHOT:
        table.title = f"{table.title}({label})"
    if tabulation.summary:
        table.summary = summary_text(table)
    return table


def _number(value) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def summary_text(table: Table) -> str:
    """The notice's sentence from the 合计 row: each ungrouped column as “header value unit”, the
    grouped ones after it as “(其中 …)” — 兴海县2026年第四季度新增识别监测对象1户(其中脱贫不稳定户1户…),风险消除0户。"""
    total = table.rows[0].values
    parts: list[str] = []
    pending: list[str] = []

    def flush():
        if pending and parts:
            parts[-1] += _("(其中%(items)s)") % {"items": "、".join(pending)}
        pending.clear()

    for col, value in zip(table.columns, total, strict=True):
        unit = _("万元") if col.money else col.unit
        text = f"{col.header}{_number(value)}{unit}"
        if col.group:
            pending.append(text)
        else:
            flush()
            parts.append(text)
    flush()
    return f"{table.area.short_name or table.area.name}{table.period_label}" + ",".join(parts) + "。"


# --- the file ---------------------------------------------------------------------------------


def write_xlsx(table: Table, target) -> None:
    """Write the table as an .xlsx (a path or a binary file object) in the offices' layout."""
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(target) if isinstance(target, Path | str) else target,
        {"strings_to_formulas": False, "strings_to_numbers": False, "in_memory": True},
    )
    ws = book.add_worksheet(str(table.tabulation.name)[:31].replace("/", "_") or "Sheet1")
    font = {"font_name": "宋体", "font_size": 11}
    title = book.add_format({**font, "bold": True, "font_size": 18, "align": "center", "valign": "vcenter"})
    plain = book.add_format({**font, "valign": "vcenter"})
    right = book.add_format({**font, "align": "right", "valign": "vcenter"})
    wrapped = book.add_format({**font, "text_wrap": True, "valign": "top"})
    head = book.add_format(
        {
            **font,
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "bg_color": "#F2F2F2",
        }
    )
    text = book.add_format({**font, "border": 1, "valign": "vcenter"})
    bold_text = book.add_format({**font, "border": 1, "bold": True, "align": "center", "valign": "vcenter"})
    formats = {}
    for key, num in (("count", "#,##0"), ("money", "#,##0.00"), ("ratio", "0.00")):
        formats[key] = book.add_format({**font, "border": 1, "num_format": num})
        formats[f"{key}_bold"] = book.add_format({**font, "border": 1, "bold": True, "num_format": num})

    first = 2  # the columns before the figures: 区划代码 (or 分类代码) and 名称
    width = first + len(table.columns)
    last = width - 1
    ws.set_row(0, 36)
    ws.merge_range(0, 0, 0, last, table.title, title)
    mid = max(1, last // 2)
    ws.merge_range(1, 0, 1, mid, _("统计期间:%(p)s") % {"p": table.period_label}, plain)
    if mid + 1 < last:
        ws.merge_range(1, mid + 1, 1, last, table.unit_line, right)
    else:
        ws.write_string(1, last, table.unit_line, right)
    r = 2
    if table.summary:
        ws.set_row(r, 36)
        ws.merge_range(r, 0, r, last, table.summary, wrapped)
        r += 1
    header_top = r
    two = table.grouped
    code_label = _("区划代码") if table.tabulation.rows == ROWS_CHILDREN else _("分类代码")
    name_label = _("名称") if table.tabulation.rows == ROWS_CHILDREN else _("分类")
    for c, label in ((0, code_label), (1, name_label)):
        if two:
            ws.merge_range(r, c, r + 1, c, label, head)
        else:
            ws.write_string(r, c, label, head)
    top, second = table.header_rows()
    c = first
    s = 0
    for label, span, both in top:
        if both and two:
            ws.merge_range(r, c, r + 1, c, label, head)
        elif both:
            ws.write_string(r, c, label, head)
        else:
            if span > 1:
                ws.merge_range(r, c, r, c + span - 1, label, head)
            else:
                ws.write_string(r, c, label, head)
            for k in range(span):
                ws.write_string(r + 1, c + k, second[s + k], head)
            s += span
        c += span
    header_bottom = r + 1 if two else r
    r = header_bottom + 1
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 16)
    ws.set_column(first, last, 11)
    for row in table.rows:
        strong = row.kind == "total"
        if row.kind == "total":
            ws.write_string(r, 0, "", bold_text)
            ws.write_string(r, 1, row.name, bold_text)
        else:
            ws.write_string(r, 0, row.code if row.kind == "row" else "", text)
            ws.write_string(r, 1, row.name, text)
        for i, (col, value) in enumerate(zip(table.columns, row.values, strict=True)):
            key = "money" if col.money else "ratio" if col.ratio else "count"
            fmt = formats[f"{key}_bold" if strong else key]
            if value is None:
                ws.write_blank(r, first + i, None, fmt)
            else:
                ws.write_number(r, first + i, float(value), fmt)
        r += 1
    if table.notes:
        r += 1
        for line in [_("说明:"), *table.notes]:
            ws.merge_range(r, 0, r, last, line, plain)
            r += 1
    r += 1
    footer = [
        _("填报单位:"),
        _("负责人:"),
        _("填报人:"),
        _("填报日期:%(y)d年%(m)d月%(d)d日")
        % {"y": table.generated.year, "m": table.generated.month, "d": table.generated.day},
    ]
    # The four spread over the width: each in its own cell (a narrow form takes one row each).
    if width >= 8:
        step = width // 4
        for k, item in enumerate(footer):
            ws.write_string(r, k * step, item, plain)
    else:
        for item in footer:
            ws.write_string(r, 0, item, plain)
            r += 1
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_top, header_bottom)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.freeze_panes(header_bottom + 1, first)
    book.close()


def system_reader(area: str):
    """A reader for the command line and benchmarks (no user): it sees `area` and what is below."""

    class _System:
        is_authenticated = True
        is_active = True
        pk = None

    reader = _System()
    reader._fupin_scope = Scope(prefixes=(area,))
    return reader


# --- the shipped forms ------------------------------------------------------------------------


def _pair(households: str, people: str, key: str, label) -> list[dict]:
    return [
        {"indicator": households, "category": key, "header": N_("户数"), "group": str(label)},
        {"indicator": people, "category": key, "header": N_("人数"), "group": str(label)},
    ]


def _shipped() -> list[dict]:
    """The national forms (code, name, rows, columns …): built from the catalogue's categories, so
    a type or risk added to a declaration appears as columns (bump `version` when editing)."""
    cat = declared.catalogue()

    def has(*codes):
        return all(code in cat for code in codes)

    forms: list[dict] = []
    if has("monitoring.objects_by_type", "monitoring.object_people_by_type"):
        columns = _pair(
            "monitoring.objects_by_type", "monitoring.object_people_by_type", "", N_("监测对象合计")
        )
        for key, label in _categories(cat["monitoring.objects_by_type"]).items():
            columns += _pair("monitoring.objects_by_type", "monitoring.object_people_by_type", key, label)
        forms.append(
            {
                "code": "monitoring_by_type",
                "name": N_("防返贫监测对象统计表"),
                "rows": ROWS_CHILDREN,
                "period": MONTH,
                "unit_line": N_("单位:户、人"),
                "notes": N_("按户当前监测对象统计,人数为家庭人口。"),
                "columns": columns,
            }
        )
    if has("monitoring.objects_by_risk", "monitoring.object_people_by_risk"):
        columns = _pair(
            "monitoring.objects_by_risk", "monitoring.object_people_by_risk", "", N_("监测对象合计")
        )
        for key, label in _categories(cat["monitoring.objects_by_risk"]).items():
            columns += _pair("monitoring.objects_by_risk", "monitoring.object_people_by_risk", key, label)
        forms.append(
            {
                "code": "monitoring_by_risk",
                "name": N_("防返贫监测对象风险类型统计表"),
                "rows": ROWS_CHILDREN,
                "period": MONTH,
                "unit_line": N_("单位:户、人"),
                "notes": N_("一户有多种风险的,在各风险类型中分别计入,合计中只计一次。"),
                "columns": columns,
            }
        )
    if has("monitoring.identified", "monitoring.eliminated"):
        columns = [{"indicator": "monitoring.identified", "header": N_("新增识别监测对象")}]
        for key, label in _categories(cat["monitoring.identified"]).items():
            columns.append(
                {
                    "indicator": "monitoring.identified",
                    "category": key,
                    "header": str(label),
                    "group": N_("其中"),
                }
            )
        # The people after the households' breakdown, so the sentence reads 新增识别…户(其中…),
        # 新增识别人数…人,风险消除…户,风险消除人数…人 (summary_text joins a group to the column before it).
        if has("monitoring.identified_people"):
            columns.append({"indicator": "monitoring.identified_people", "header": N_("新增识别人数")})
        columns.append({"indicator": "monitoring.eliminated", "header": N_("风险消除")})
        if has("monitoring.eliminated_people"):
            columns.append({"indicator": "monitoring.eliminated_people", "header": N_("风险消除人数")})
        forms.append(
            {
                "code": "monitoring_quarterly",
                "name": N_("防返贫监测对象新增识别和风险消除情况通报"),
                "rows": ROWS_CHILDREN,
                "period": QUARTER,
                "unit_line": N_("单位:户、人"),
                "notes": N_("新增识别按识别日期、风险消除按消除日期计入所在季度;人数为家庭人口。"),
                "summary": True,
                "columns": columns,
            }
        )
    if has("assistance.poor_villages", "assistance.covered_villages", "assistance.secretary_coverage"):
        forms.append(
            {
                "code": "secretary_coverage",
                "name": N_("驻村第一书记选派覆盖情况表"),
                "rows": ROWS_CHILDREN,
                "period": SNAPSHOT,
                "unit_line": N_("单位:个、%"),
                "notes": N_("应选派村为尚有未脱贫户的村;已覆盖为有在岗第一书记的村。"),
                "columns": [
                    {"indicator": "assistance.poor_villages", "header": N_("应选派村数")},
                    {"indicator": "assistance.covered_villages", "header": N_("已覆盖村数")},
                    {"indicator": "assistance.secretary_coverage", "header": N_("覆盖率(%)")},
                ],
            }
        )
    if has("assistance.training"):
        columns = [{"indicator": "assistance.training", "header": N_("合计")}]
        for key, label in _categories(cat["assistance.training"]).items():
            columns.append(
                {
                    "indicator": "assistance.training",
                    "category": key,
                    "header": str(label),
                    "group": N_("其中"),
                }
            )
        forms.append(
            {
                "code": "training",
                "name": N_("培训人次统计表"),
                "rows": ROWS_CHILDREN,
                "period": YEAR,
                "unit_line": N_("单位:人次"),
                "notes": N_("按培训班开班日期所在年度、培训地区统计。"),
                "columns": columns,
            }
        )
    if has("projects.funds_allocated", "projects.funds_disbursed"):
        forms.append(
            {
                "code": "funds_by_category",
                "name": N_("衔接资金分配和支出情况表(按项目类别)"),
                "rows": ROWS_CATEGORIES,
                "row_indicator": "projects.funds_allocated",
                "period": YEAR,
                "unit_line": N_("单位:万元"),
                "notes": N_("按资金分配、拨付的业务日期所在年度统计,冲销计入被冲销记录的年度。"),
                "columns": [
                    {"indicator": "projects.funds_allocated", "header": N_("分配到项目"), "wan": True},
                    {"indicator": "projects.funds_disbursed", "header": N_("拨付支出"), "wan": True},
                ],
            }
        )
    if has(
        "projects.funds_budgeted", "projects.funds_allocated_by_source", "projects.funds_disbursed_by_source"
    ):
        forms.append(
            {
                "code": "funds_by_source",
                "name": N_("帮扶资金来源情况表"),
                "rows": ROWS_CATEGORIES,
                "row_indicator": "projects.funds_budgeted",
                "period": YEAR,
                "unit_line": N_("单位:万元"),
                "notes": N_("按资金到位、分配、拨付的业务日期所在年度统计。"),
                "columns": [
                    {"indicator": "projects.funds_budgeted", "header": N_("计划(到位)"), "wan": True},
                    {
                        "indicator": "projects.funds_allocated_by_source",
                        "header": N_("分配到项目"),
                        "wan": True,
                    },
                    {
                        "indicator": "projects.funds_disbursed_by_source",
                        "header": N_("拨付支出"),
                        "wan": True,
                    },
                ],
            }
        )
    if has("projects.projects"):
        columns = [{"indicator": "projects.projects", "header": N_("项目总数")}]
        for key, label in _categories(cat["projects.projects"]).items():
            columns.append(
                {
                    "indicator": "projects.projects",
                    "category": key,
                    "header": str(label),
                    "group": N_("按项目状态"),
                }
            )
        forms.append(
            {
                "code": "project_progress",
                "name": N_("帮扶项目进度统计表"),
                "rows": ROWS_CHILDREN,
                "period": SNAPSHOT,
                "unit_line": N_("单位:个"),
                "notes": N_("项目计入实施地点所在区划;县级项目计入本级。"),
                "columns": columns,
            }
        )
    if has("party.meetings_held", "party.meetings_due", "party.meetings_met", "party.meetings_completion"):
        forms.append(
            {
                "code": "party_meetings",
                "name": N_("“三会一课”开展情况统计表"),
                "rows": ROWS_CHILDREN,
                "period": YEAR,
                "unit_line": N_("单位:次、%"),
                "notes": N_(
                    "应开次数、按期召开次数按本年已结束的会议周期计;已召开次数为全年召开的会议总数(含主题党日)。"
                ),
                "columns": [
                    {"indicator": "party.meetings_held", "header": N_("已召开次数")},
                    {"indicator": "party.meetings_due", "header": N_("应开次数")},
                    {"indicator": "party.meetings_met", "header": N_("按期召开次数")},
                    {"indicator": "party.meetings_completion", "header": N_("完成率(%)")},
                ],
            }
        )
    return forms


SHIPPED_VERSION = 2  # bump when a shipped form changes: ensure_shipped rewrites the stored rows


def ensure_shipped() -> int:
    """Write the shipped forms that are missing or older than SHIPPED_VERSION (idempotent; run after
    every migrate and by the tests). Returns how many were written."""
    written = 0
    for position, spec in enumerate(_shipped(), start=1):
        spec = dict(spec)
        code = spec.pop("code")
        spec.setdefault("summary", False)
        spec.setdefault("row_indicator", "")
        spec.update(owner="", shipped=True, version=SHIPPED_VERSION, position=position)
        current = Tabulation.objects.filter(code=code).first()
        if current is not None and current.version >= SHIPPED_VERSION and current.columns == spec["columns"]:
            continue
        Tabulation.objects.update_or_create(code=code, defaults=spec)
        written += 1
    return written


SHIPPED_LABEL = gettext_lazy("国家通用")
