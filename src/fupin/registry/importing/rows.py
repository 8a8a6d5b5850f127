"""The rules for one row, the same as the registry's forms and services (a field's rule is written
once, in core.validators, and called from all three).

`RowChecker.check(line, cells)` returns the household part and the member part as plain values
(personal data still in clear; the importer encrypts), plus every error of the row. Cross-row
rules (one head per household, an ID twice in the file, household columns that disagree) and
rules against the database (an ID already in another household) are the importer's.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core import validators
from fupin.core.crypto import blind_index
from fupin.core.masking import mask_account, mask_id_number, mask_phone
from fupin.regions.models import Region
from fupin.registry.choices import Relation, Sex
from fupin.registry.idnumbers import parse_id_number
from fupin.registry.importing.readers import cell_text, is_number_cell
from fupin.registry.importing.template import (
    ALL_COLUMNS,
    BY_KEY,
    COLUMNS,
    INCOME_COLUMNS,
    INCOME_KEYS,
    SENSITIVE_KEYS,
    labels_of,
)

VILLAGE_LEVEL = 5
_TRUE = frozenset({"是", "y", "yes", "true", "1", "√", "有"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "×", "无"})
BOOL_DEFAULTS = {
    "relocated": False,
    "safe_water": True,
    "electricity": True,
    "dibao": False,
    "medical_insurance": True,
    "pension_insurance": False,
}
HH_COLUMNS = tuple(c for c in COLUMNS if c.level == "household")
MEMBER_COLUMNS_ = tuple(c for c in COLUMNS if c.level == "member")
HOUSEHOLD_KEYS = tuple(c.key for c in HH_COLUMNS) + INCOME_KEYS
FIRST_INCOME_YEAR = 2010  # registry.services.FIRST_YEAR: the same rule as the income form


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: row number as Excel shows it (0: the file or a household as a whole), column, value, reason."""

    line: int
    column: str
    value: str
    reason: str


def shown_value(key: str, text: str) -> str:
    """What an error report may show of a value: personal data masked."""
    if not text:
        return ""
    kind = BY_KEY[key].kind if key in BY_KEY else ""
    if kind == "id":
        return mask_id_number(text)
    if kind == "phone":
        return mask_phone(text)
    if kind == "bank":
        return mask_account(text)
    if key in SENSITIVE_KEYS:
        return "***"
    return text[:100]


def _choice_map(choice_class) -> dict[str, str]:
    mapping = {}
    for value, label in zip(choice_class.values, labels_of(choice_class), strict=True):
        mapping[value.lower()] = value
        mapping[label] = value
    return mapping


_MEMO_MAX = 20_000  # distinct cell texts remembered per column
_NO_MEMO_KINDS = frozenset({"id", "phone", "bank"})  # personal data, nearly all distinct: not remembered


class RowChecker:
    """Checks rows of one file for one importer (whose scope limits the villages).

    Speed: the household columns repeat on every member row and are checked once per run of equal
    cells; any other column's result is remembered per cell text (a column of choices has a handful
    of values), except for ID numbers, phones and bank accounts."""

    def __init__(self, positions: dict[str, int], scope=None):
        self.positions = positions
        # The income columns are checked only when the file has any of them: a file without them
        # (most) pays nothing, and its households carry no income keys.
        self.incomes = any(key in positions for key in INCOME_KEYS)
        hh_columns = HH_COLUMNS + (INCOME_COLUMNS if self.incomes else ())
        self.scope = scope  # None: no limit (the command line run by an operator)
        self.choice_maps = {c.key: _choice_map(c.choices) for c in COLUMNS if c.kind == "choice"}
        self.villages: dict[str, str] = {}  # code -> "" (fine) or the reason it is refused
        self.level_of = _region_level  # a code's level, or None (importing.direct uses another connection)
        self.today = timezone.localdate()
        self._last_household = None  # (cells, household, raw texts, errors, cross errors) of the previous row
        # Where each column is in a row; a column missing from the file reads a None past the row's end.
        width = max(positions.values(), default=-1) + 1
        self._width = width
        missing = width  # index of the padding None
        self._needs_pad = any(c.key not in positions for c in COLUMNS + hh_columns)
        self._length = width + 1 if self._needs_pad else width
        self._hh_index = [positions.get(c.key, missing) for c in hh_columns]
        self._m_index = [positions.get(c.key, missing) for c in MEMBER_COLUMNS_]
        self._memos = {
            c.key: ({} if c.kind not in _NO_MEMO_KINDS and c.key != "number" else None) for c in ALL_COLUMNS
        }
        self._hh_specs = [(c, self._memos[c.key]) for c in hh_columns]
        self._m_specs = [(c, self._memos[c.key]) for c in MEMBER_COLUMNS_]

    def _fit(self, cells: list) -> list:
        """The row cut or padded to the columns the header names, plus the padding None."""
        cells = list(cells[: self._width])
        cells.extend([None] * (self._length - len(cells)))
        return cells

    def check(self, line: int, cells: list) -> tuple[dict, dict, list[RowError]]:
        """(household values, member values, errors). The household dict is shared by the rows of a
        run of equal household cells: do not change it."""
        if self._needs_pad or len(cells) != self._length:
            cells = self._fit(cells)
        errors: list[RowError] = []
        hh_cells = tuple([cells[i] for i in self._hh_index])
        last = self._last_household
        if last is not None and last[0] == hh_cells:
            _cells, household, hh_raw, hh_errors, hh_cross = last
            if hh_errors:
                errors.extend(RowError(line, e.column, e.value, e.reason) for e in hh_errors)
        else:
            household, hh_raw, hh_errors = self._columns(line, self._hh_specs, hh_cells, errors)
            hh_cross = self._household_cross(household, hh_raw)
            self._last_household = (hh_cells, household, hh_raw, hh_errors, hh_cross)
        member, m_raw, _m_errors = self._columns(
            line, self._m_specs, [cells[i] for i in self._m_index], errors
        )
        if hh_cross:
            errors.extend(RowError(line, column, value, reason) for column, value, reason in hh_cross)
        person = member["id_number"]
        if person is not None:
            sex = member["sex"]
            if sex and sex != person.sex:
                errors.append(
                    RowError(
                        line,
                        BY_KEY["sex"].header,
                        shown_value("sex", m_raw["sex"]),
                        _("性别与身份证号不符(身份证号显示为%(sex)s)") % {"sex": Sex(person.sex).label},
                    )
                )
            birth = member["birth_date"]
            if birth and birth != person.birth_date:
                errors.append(
                    RowError(
                        line,
                        BY_KEY["birth_date"].header,
                        shown_value("birth_date", m_raw["birth_date"]),
                        _("出生日期与身份证号不符(身份证号显示为%(date)s)")
                        % {"date": person.birth_date.isoformat()},
                    )
                )
        if member["relation"] == Relation.HEAD and hh_raw["head_name"] and member["name"]:
            if hh_raw["head_name"] != member["name"]:
                errors.append(
                    RowError(
                        line,
                        BY_KEY["head_name"].header,
                        shown_value("head_name", hh_raw["head_name"]),
                        _("户主姓名与户主一行的姓名不一致"),
                    )
                )
        return household, member, errors

    def _columns(self, line: int, specs, row_cells, errors: list) -> tuple[dict, dict, list[RowError]]:
        """Values, texts and errors of some columns; each error is also added to `errors`."""
        values: dict = {}
        raw: dict[str, str] = {}
        found: list[RowError] = []
        for (column, memo), cell in zip(specs, row_cells, strict=True):
            if memo is not None and cell.__class__ is str:
                hit = memo.get(cell)
                if hit is None:
                    hit = self._convert(column, cell)
                    if len(memo) < _MEMO_MAX:
                        memo[cell] = hit
            else:
                hit = self._convert(column, cell)
            key = column.key
            values[key], raw[key], reason = hit
            if reason is not None:
                error = RowError(line, column.header, shown_value(key, raw[key]), reason)
                found.append(error)
                errors.append(error)
        return values, raw, found

    def _convert(self, column, cell) -> tuple:
        """(value or None, text, reason or None) of one cell."""
        text = cell_text(cell)
        try:
            return self._value(column, cell, text), text, None
        except ValidationError as exc:
            return None, text, exc.messages[0]

    def _household_cross(self, v: dict, raw: dict) -> list[tuple[str, str, str]]:
        """(column, shown value, reason) of the rules across a household's own columns."""
        found = []

        def add(key: str, reason: str):
            found.append((BY_KEY[key].header, shown_value(key, raw[key]), reason))

        main, cause2, cause3 = v["main_cause"], v["cause2"], v["cause3"]
        if cause2 and cause2 == main:
            add("cause2", _("其他致贫原因不能与主要致贫原因相同"))
        if cause3 and not cause2:
            add("cause3", _("请先填写其他致贫原因一"))
        elif cause3 and cause3 in (main, cause2):
            add("cause3", _("致贫原因不能重复"))
        if self.incomes and not raw.get("income_year") and any(raw.get(key) for key in INCOME_KEYS[1:]):
            add("income_year", _("填写了收入,请填写收入年度"))
        return found

    def is_blank(self, cells: list) -> bool:
        for cell in cells:
            if cell is not None and cell != "" and cell_text(cell) != "":
                return False
        return True

    # --- single fields ---

    def _value(self, column, cell, text: str):
        if not text:
            if column.required:
                raise ValidationError(_("必填项不能为空"))
            return self._default(column)
        kind = column.kind
        if column.max_length and len(text) > column.max_length:
            raise ValidationError(_("不能超过 %(n)d 个字") % {"n": column.max_length})
        if kind == "text":
            return " ".join(text.split()) if column.key == "name" else text
        if kind == "code":
            return text
        if kind == "choice":
            value = self.choice_maps[column.key].get(text) or self.choice_maps[column.key].get(text.lower())
            if value is None:
                raise ValidationError(
                    _("“%(value)s”不是可选值,可选:%(labels)s")
                    % {
                        "value": text if column.key not in SENSITIVE_KEYS else "***",
                        "labels": "/".join(labels_of(column.choices)),
                    }
                )
            return value
        if kind == "bool":
            lowered = text.lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ValidationError(_("请填写“是”或“否”"))
        if kind == "village":
            return self._village(text)
        if kind == "id":
            if is_number_cell(cell):
                raise ValidationError(
                    _("身份证号被 Excel 存成了数字(可能已丢失末几位),请将该列设为文本格式后重新填写")
                )
            return parse_id_number(text, today=self.today)
        if kind == "phone":
            return validators.mobile_phone(text)
        if kind == "bank":
            if is_number_cell(cell) and abs(cell) >= 2**53:
                raise ValidationError(_("银行账号被 Excel 存成了数字(可能已丢失末几位),请以文本格式填写"))
            return validators.bank_account(text)
        if kind == "int":
            return validators.past_year(text)
        if kind == "months":
            try:
                months = int(Decimal(text))
            except (InvalidOperation, ValueError):
                raise ValidationError(_("务工时间应为 0 至 12 的整数")) from None
            if Decimal(text) != months or not 0 <= months <= 12:
                raise ValidationError(_("务工时间应为 0 至 12 的整数"))
            return months
        if kind == "decimal":
            try:
                area = Decimal(text)
            except InvalidOperation:
                raise ValidationError(_("住房面积应为数字")) from None
            if not area.is_finite() or not Decimal(0) < area < Decimal(100000):
                raise ValidationError(_("住房面积应大于0且小于100000平方米"))
            return area.quantize(Decimal("0.1"))
        if kind == "date":
            return _date(cell, text)
        if kind == "year":
            return _one(validators.year, text, earliest=FIRST_INCOME_YEAR)
        if kind == "money":
            return _one(validators.money, text, required=False, negative=column.key == "business")
        raise AssertionError(kind)  # pragma: no cover - every kind is handled above

    def _default(self, column):
        if column.kind == "bool":
            return BOOL_DEFAULTS[column.key]
        if column.key == "ethnicity":
            return "汉族"
        if column.key in ("school_status", "work_status"):
            return "none"
        if column.key == "health":
            return "healthy"
        if column.key == "months_worked":
            return 0
        if column.kind in ("decimal", "int", "date", "year", "money"):
            return None
        return ""

    def _village(self, code: str) -> str:
        if code not in self.villages:
            self.villages[code] = self._village_problem(code)
        if self.villages[code]:
            raise ValidationError(self.villages[code])
        return code

    def _village_problem(self, code: str) -> str:
        if not (len(code) == 12 and code.isascii() and code.isdigit()):
            return _("行政村代码应为12位数字")
        level = self.level_of(code)
        if level is None:
            return _("行政村代码 %(code)s 不存在") % {"code": code}
        if level != VILLAGE_LEVEL:
            return _("%(code)s 不是村级区划代码") % {"code": code}
        if self.scope is not None and not self.scope.covers_code(code):
            return _("行政村 %(code)s 不在您的数据范围内,不能导入") % {"code": code}
        return ""


def _one(rule, text: str, **options):
    """A core.validators rule that collects errors (`rule(errors, field, value, …)`) on one cell."""
    errors: dict = {}
    value = rule(errors, "cell", text, **options)
    if errors:
        raise ValidationError(errors["cell"])
    return value


def _region_level(code: str):
    return Region.objects.filter(code=code).values_list("level", flat=True).first()


def _date(cell, text: str) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValidationError(_("“%(value)s”不是有效日期,请按 YYYY-MM-DD 填写") % {"value": text})


def household_fingerprint(household: dict) -> str:
    """A digest of a row's household columns: rows of one household must all agree."""
    text = "\x1f".join("" if household.get(k) is None else str(household[k]) for k in HOUSEHOLD_KEYS)
    return blind_index("import-household", text)[:16]
