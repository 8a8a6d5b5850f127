"""The national collection's layout, declared once: every field of the national system's tables of
households and members (户信息 / 家庭成员) and of monitoring objects (the 监测对象名单), with

- its header, as the national form names it;
- how it is read from our records (`read(row)`: a `Row`, i.e. one member's stored values from
  `registry.selectors.exchange_member_rows`, the place names, and for the 名单 the household's
  current object from `monitoring.selectors.current_objects`);
- how it is written (`codes`: our choice → the national code and its Chinese label; booleans as
  是/否; money and counts as numbers, dates as dates);
- whether it is personal (`personal`): masked in every file unless the clear export's rule is met
  (registry.reveal_household and a stated purpose);
- whether a return's value is compared with ours (`compare`), and how a return's cell is read back
  (`parse`: a national code or its label, a number, a date; a ValueError with a Chinese message
  otherwise, reported at the cell's row and column).

The layouts are lists of field keys: `MEMBERS` (one row per person, the national system's household
and member table, and the shape of its returns) and `OBJECTS` (the 监测对象名单: one row per person
of each monitoring object's household). The export, the 名单 and the import of returns read them
all from here; a province whose template names a field otherwise changes one line.

We hold no copy of the national system's template itself. The codes are the national forms' where
we know them: sex GB/T 2261.1 (1 男, 2 女), risks the monitoring form's (01 因病 … 99 其他, as
monitoring.choices.NATIONAL_RISK_CODES), the others numbered in the form's order (chosen). A cell
is written as the Chinese label (what a reader of the file and the 名单 expect); a return's cell may
carry the code or the label.

人编号: fupin keeps no number of its own for a person. Ours is the 户编号 and the member's place in
the household, two digits (`632524203207000010` + `01`); a return that carries the national
system's own 户编号/人编号 shows as a difference of national codes, never overwritten.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core import crypto
from fupin.core.lists import BOOL, DATE, INT, MONEY, TEXT
from fupin.core.masking import mask_id_number, mask_phone
from fupin.monitoring.choices import NATIONAL_RISK_CODES, ObjectStatus, ObjectType, Risk
from fupin.registry.choices import (
    Attribute,
    Cause,
    Education,
    Health,
    Labour,
    Relation,
    SchoolStatus,
    Sex,
    WorkStatus,
)

LANGUAGE = "zh-hans"  # the national system reads Chinese headers and labels, whatever the page's language
HIDDEN = "***"  # a masked value without a shape of its own (health)
LEVEL_DIGITS = (6, 9, 12)  # 县, 乡, 村 of a village code


@dataclass(frozen=True)
class Codes:
    """A code table: our choice value → (the national code, its Chinese label)."""

    table: dict

    def label(self, value) -> str:
        found = self.table.get(value)
        return str(found[1]) if found else ""

    def parse(self, text: str):
        """Our value for a national code or label; ValueError when the table has neither."""
        for value, (code, label) in self.table.items():
            if text in (code, str(label)):
                return value
        raise ValueError(_("不是代码表中的值:%(v)s") % {"v": text})


def _choices(choices, codes: dict | None = None) -> Codes:
    """A code table from a TextChoices, numbered in its order (01, 02 …) unless `codes` says."""
    return Codes(
        {
            value: ((codes or {}).get(value) or f"{n:02d}", label)
            for n, (value, label) in enumerate(choices.choices, 1)
        }
    )


SEX = Codes({Sex.MALE: ("1", Sex.MALE.label), Sex.FEMALE: ("2", Sex.FEMALE.label)})
RELATION = _choices(Relation, {Relation.OTHER: "99"})
EDUCATION = _choices(Education)
SCHOOL = _choices(SchoolStatus)
HEALTH = _choices(Health)
LABOUR = _choices(Labour)
WORK = _choices(WorkStatus)
ATTRIBUTE = _choices(Attribute)
CAUSE = _choices(Cause, {Cause.OTHER: "99"})
OBJECT_TYPE = _choices(ObjectType)
RISK = Codes({value: (NATIONAL_RISK_CODES.get(value, ""), label) for value, label in Risk.choices})


@dataclass
class Row:
    """One person as the layouts read them: the member's stored values (registry.selectors.
    exchange_member_rows), the place names by code, the household's current monitoring object."""

    m: dict
    places: dict = field(default_factory=dict)
    object: Any = None
    _id: str | None = None

    @property
    def id_number(self) -> str:
        if self._id is None:
            self._id = crypto.decrypt(self.m["id_number_enc"]) if self.m["id_number_enc"] else ""
        return self._id

    def place(self, digits: int) -> str:
        return self.places.get(self.m["village"][:digits], "")


# --- how a return's cell is read back ------------------------------------------------------------


def _text(text: str):
    return text


def _int(text: str):
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("应为整数:%(v)s") % {"v": text}) from None
    if number != number.to_integral_value():
        raise ValueError(_("应为整数:%(v)s") % {"v": text})
    return int(number)


def _money(text: str):
    try:
        return Decimal(text.replace(",", "")).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(_("应为金额:%(v)s") % {"v": text}) from None


def _date(text: str):
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(_("应为日期(如 2026-03-01):%(v)s") % {"v": text}) from None


def _bool(text: str):
    if text in ("是", "1", "Y"):
        return True
    if text in ("否", "0", "N"):
        return False
    raise ValueError(_("应为“是”或“否”:%(v)s") % {"v": text})


PARSERS = {TEXT: _text, INT: _int, MONEY: _money, DATE: _date, BOOL: _bool}


@dataclass(frozen=True)
class Field:
    key: str
    header: Any  # a lazy Chinese header, the national form's name
    read: Callable[[Row], Any]  # our value: a choice value, number, date, bool or text
    kind: str = TEXT
    codes: Codes | None = None
    personal: Callable[[Any], str] | None = None  # the value → its mask; None: not personal
    # The mask read from what is stored (a masked copy), sparing the decryption of every row.
    masked: Callable[[Row], str] | None = None
    compare: bool = True  # a return's value is compared with ours
    national_code: bool = False  # 户编号/人编号: a difference is a national code we do not hold

    def written(self, row: Row, *, clear: bool = False):
        """The cell as the file carries it (typed: numbers, dates; codes and booleans as their labels)."""
        return self.writer(clear=clear)(row)

    def writer(self, *, clear: bool = False) -> Callable[[Row], Any]:
        """`written` as one function for a whole file, its labels resolved once (call it in the
        file's language): a county's file writes millions of cells."""
        read = self.read
        if self.masked is not None and not clear:
            masked = self.masked
            return lambda r: masked(r) or None
        if self.personal and not clear:
            personal = self.personal
            return lambda r: None if (v := read(r)) is None or v == "" else personal(v)
        if self.codes is not None:
            labels = {value: str(label) for value, (_code, label) in self.codes.table.items()}

            def coded(r):
                v = read(r)
                if isinstance(v, list):
                    return "、".join(labels.get(x, "") for x in v) or None
                return labels.get(v) or None

            return coded
        if self.kind == BOOL:
            yes, no = _("是"), _("否")
            return lambda r: None if (v := read(r)) is None or v == "" else (yes if v else no)
        return lambda r: None if (v := read(r)) == "" else v

    def parse(self, text: str):
        """Our value for a return's cell (ValueError with a Chinese message when it cannot be)."""
        if self.codes is not None:
            return self.codes.parse(text)
        return PARSERS[self.kind](text)

    def shown(self, value) -> str:
        """A value as a difference report shows it (personal values masked)."""
        if value is None or value == "":
            return ""
        if self.personal:
            return self.personal(value)
        if self.codes is not None:
            return self.codes.label(value)
        if self.kind == BOOL:
            return _("是") if value else _("否")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)


def _decrypted(key: str):
    return lambda r: crypto.decrypt(r.m[key]) if r.m.get(key) else ""


def _danger(r: Row):
    ok = r.m.get("housing_ok")
    return None if ok is None else not ok


def _object(attr: str):
    return lambda r: getattr(r.object, attr) if r.object is not None else None


def _risks(r: Row) -> list:
    return [x.risk for x in sorted(r.object.risks.all(), key=lambda x: x.order)] if r.object else []


def _eliminated(r: Row):
    return None if r.object is None else r.object.status == ObjectStatus.ELIMINATED


F = Field
FIELDS: dict[str, Field] = {
    f.key: f
    for f in [
        F("county", gettext_lazy("县"), lambda r: r.place(6), compare=False),
        F("township", gettext_lazy("乡"), lambda r: r.place(9), compare=False),
        F("village", gettext_lazy("村"), lambda r: r.place(12), compare=False),
        F("group", gettext_lazy("自然村"), lambda r: r.m["group"]),
        F("division", gettext_lazy("行政区划代码"), lambda r: r.m["village"]),
        F("household_number", gettext_lazy("户编号"), lambda r: r.m["household_number"], national_code=True),
        F(
            "person_number",
            gettext_lazy("人编号"),
            lambda r: f"{r.m['household_number']}{r.m['seq']:02d}",
            national_code=True,
        ),
        F("name", gettext_lazy("姓名"), lambda r: r.m["name"]),
        # The key of a return's row (its keyed index): never compared as a value.
        F(
            "id_number",
            gettext_lazy("证件号码"),
            lambda r: r.id_number,
            personal=mask_id_number,
            compare=False,
        ),
        F("sex", gettext_lazy("性别"), lambda r: r.m["sex"], codes=SEX),
        F("relation", gettext_lazy("与户主关系"), lambda r: r.m["relation"], codes=RELATION),
        F("ethnicity", gettext_lazy("民族"), lambda r: r.m["ethnicity"]),
        F("education", gettext_lazy("文化程度"), lambda r: r.m["education"], codes=EDUCATION),
        F("school", gettext_lazy("在校生状况"), lambda r: r.m["school_status"], codes=SCHOOL),
        F(
            "health",
            gettext_lazy("健康状况"),
            _decrypted("health_enc"),
            codes=HEALTH,
            personal=lambda v: HIDDEN,
            masked=lambda r: HIDDEN if r.m["health_enc"] else "",
        ),
        F("labour", gettext_lazy("劳动技能"), lambda r: r.m["labour"], codes=LABOUR),
        F("work", gettext_lazy("务工状况"), lambda r: r.m["work_status"], codes=WORK),
        F("months", gettext_lazy("务工时间(月)"), lambda r: r.m["months_worked"], INT),
        F("dibao", gettext_lazy("是否享受低保"), lambda r: r.m["dibao"], BOOL),
        F("members", gettext_lazy("家庭人口数"), lambda r: r.m["members"], INT),
        F("attribute", gettext_lazy("贫困户属性"), lambda r: r.m["attribute"], codes=ATTRIBUTE),
        F("cause", gettext_lazy("主要致贫原因"), lambda r: r.m["main_cause"], codes=CAUSE),
        F("income", gettext_lazy("人均纯收入"), lambda r: r.m["per_capita"], MONEY),
        F("danger", gettext_lazy("是否危房"), _danger, BOOL),
        F("water", gettext_lazy("是否安全饮水"), lambda r: r.m["safe_water"], BOOL),
        F(
            "phone",
            gettext_lazy("联系电话"),
            _decrypted("phone_enc"),
            personal=mask_phone,
            masked=lambda r: r.m["phone_masked"],
        ),
        # The 监测对象名单's own fields (the household's current object).
        F("object_type", gettext_lazy("监测对象类型"), _object("type"), codes=OBJECT_TYPE),
        F("risks", gettext_lazy("风险原因"), _risks, codes=RISK),
        F("identified", gettext_lazy("识别监测时间"), _object("identified_on"), DATE),
        F("eliminated", gettext_lazy("风险是否消除"), _eliminated, BOOL),
        F("eliminated_on", gettext_lazy("风险消除时间"), _object("eliminated_on"), DATE),
    ]
}

# The national system's table of households and members (one row per person): the export of
# households, and the shape of the returns the import reads.
MEMBERS = [
    "county",
    "township",
    "village",
    "group",
    "division",
    "household_number",
    "person_number",
    "name",
    "id_number",
    "sex",
    "relation",
    "ethnicity",
    "education",
    "school",
    "health",
    "labour",
    "work",
    "months",
    "dibao",
    "members",
    "attribute",
    "cause",
    "income",
    "danger",
    "water",
    "phone",
]
# The 监测对象名单 (县/乡/村/自然村, 户编号, 人编号, personal fields, 风险原因, 危房, 安全饮水, 人均纯收入,
# identification and elimination, type): one row per person of each monitoring object's household.
OBJECTS = [
    "county",
    "township",
    "village",
    "group",
    "household_number",
    "person_number",
    "name",
    "id_number",
    "sex",
    "relation",
    "members",
    "object_type",
    "risks",
    "danger",
    "water",
    "income",
    "identified",
    "eliminated",
    "eliminated_on",
]
LAYOUTS = {"members": MEMBERS, "objects": OBJECTS}


def fields(layout: str) -> list[Field]:
    return [FIELDS[key] for key in LAYOUTS[layout]]


def writers(layout: str, *, clear: bool = False) -> list[Callable[[Row], Any]]:
    """The layout's cells as functions of a row, in the file's language (the national system's)."""
    with translation.override(LANGUAGE):
        return [f.writer(clear=clear) for f in fields(layout)]


def headers(layout: str) -> list[str]:
    with translation.override(LANGUAGE):
        return [str(f.header) for f in fields(layout)]


def by_header() -> dict[str, Field]:
    """A return's header → its field (the national form's names, as the files carry them)."""
    with translation.override(LANGUAGE):
        return {str(f.header): f for f in FIELDS.values()}
