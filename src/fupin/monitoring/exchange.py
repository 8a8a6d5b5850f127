"""The monitoring objects in the national collection's layout, so a county uploads its file to the
national monitoring system instead of typing each household again.

The layout is that of the 防止返贫监测信息采集表 (the national monitoring information collection form of
the 全国防返贫监测信息系统) for a household (户信息), with its fields named as the form names them:
省/市/县/乡/村 (the division by name), 户编号, 户主姓名, 证件号码 (the head's), 家庭人口数, 监测对象类别,
风险类型 (up to five, each the form's code: choices.NATIONAL_RISK_CODES, or its name where the form has
no code), 识别监测时间, 是否原建档立卡户, 人均纯收入 with 合规自付支出 (the latest year the registry holds),
帮扶措施 (the national measure kinds of the household's 一户一策, joined), 帮扶责任人, 风险是否消除,
风险消除方式, 风险消除时间 and 是否兜底保障.

Where fupin holds more than the form's row, two columns are added beside the field they qualify:
自然灾害类型 after the risks (the form asks it with 因自然灾害: 洪涝, 地质 …) and 收入年度 before the income
(an income without its year cannot be checked against that year's monitoring line). Members, the
monitoring object's history and each measure's details are other sheets of the national system and
not in this file.

We hold no copy of the national system's import template itself: the names and order follow the
form's fields as issue 12 and ../shared/docs/DOMAIN.md ("Monitoring") give them. A province whose template
names a field otherwise changes one line of COLUMNS.

The file is the 监测对象 list's (monitoring.lists.OBJECTS_NATIONAL, a variant of OBJECTS): its filters,
its scope, its permission, the masked ID number for everyone and the clear one only under the list's
clear-export rule (registry.reveal_household and a stated purpose), audited as every export. It is
always written in Chinese (the national system reads Chinese headers and values), whatever the
language of the page it was asked from.
"""

from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from fupin.assistance import selectors as assistance
from fupin.assistance.choices import MeasureStatus
from fupin.core import crypto
from fupin.core.lists import BOOL, DATE, INT, MONEY, Column, Sheet, audit_export, export_value
from fupin.core.masking import mask_id_number
from fupin.monitoring import selectors
from fupin.monitoring.choices import MAX_RISKS, NATIONAL_RISK_CODES, MeasureKind, ObjectStatus, Risk
from fupin.regions.models import Region
from fupin.registry import selectors as registry
from fupin.registry.choices import Relation

CHUNK = 1000
# A village code's prefixes of its 省, 市, 县, 乡 and the village itself.
LEVEL_DIGITS = (2, 4, 6, 9, 12)
MEASURE_ORDER = {kind: i for i, kind in enumerate(MeasureKind.values)}
LANGUAGE = "zh-hans"  # the national system's


@dataclass
class Record:
    """One monitoring object with what its row needs from the registry and assistance (per chunk)."""

    object: object
    places: list = field(default_factory=lambda: [""] * len(LEVEL_DIGITS))
    head_id_enc: str = ""
    income: dict | None = None
    measures: list = field(default_factory=list)
    cadres: list = field(default_factory=list)

    @property
    def risks(self) -> list:
        return list(self.object.risks.all())  # prefetched, in the form's order


def _risk(record: Record, n: int) -> str:
    risks = record.risks
    if n >= len(risks):
        return ""
    risk = risks[n].risk
    return NATIONAL_RISK_CODES.get(risk) or str(Risk(risk).label)


def _disaster_kinds(record: Record) -> str:
    return "、".join(str(r.get_disaster_kind_display()) for r in record.risks if r.disaster_kind)


def _head_id(record: Record) -> str:
    return mask_id_number(crypto.decrypt(record.head_id_enc)) if record.head_id_enc else ""


def _head_id_clear(record: Record) -> str:
    return crypto.decrypt(record.head_id_enc) if record.head_id_enc else ""


def _income(name: str):
    return lambda r: r.income[name] if r.income else None


def _place(level: int):
    return lambda r: r.places[level]


# The layout, in the form's order (the headers are the form's names; the file is written in Chinese).
COLUMNS = [
    Column(_("省"), _place(0)),
    Column(_("市"), _place(1)),
    Column(_("县"), _place(2)),
    Column(_("乡"), _place(3)),
    Column(_("村"), _place(4)),
    Column(_("户编号"), lambda r: r.object.household.number),
    Column(_("户主姓名"), lambda r: r.object.household.head_name),
    Column(_("证件号码"), _head_id, clear=_head_id_clear),
    Column(_("家庭人口数"), lambda r: r.object.household.member_count, INT),
    Column(_("监测对象类别"), lambda r: r.object.get_type_display()),
    *(
        Column(format_lazy("{}{}", _("风险类型"), n + 1), lambda r, n=n: _risk(r, n))
        for n in range(MAX_RISKS)
    ),
    Column(_("自然灾害类型"), _disaster_kinds),
    Column(_("识别监测时间"), lambda r: r.object.identified_on, DATE),
    Column(_("是否原建档立卡户"), lambda r: r.object.former_poor, BOOL),
    Column(_("收入年度"), _income("year"), INT),
    Column(_("人均纯收入"), _income("per_capita"), MONEY),
    Column(_("合规自付支出"), _income("compliant_costs"), MONEY),
    Column(_("帮扶措施"), lambda r: "、".join(str(MeasureKind(k).label) for k in r.measures)),
    Column(_("帮扶责任人"), lambda r: "、".join(r.cadres)),
    Column(_("风险是否消除"), lambda r: r.object.status == ObjectStatus.ELIMINATED, BOOL),
    Column(_("风险消除方式"), lambda r: r.object.get_elimination_kind_display()),
    Column(_("风险消除时间"), lambda r: r.object.eliminated_on, DATE),
    Column(_("是否兜底保障"), lambda r: r.object.safety_net, BOOL),
]


def headers() -> list[str]:
    with translation.override(LANGUAGE):
        return [str(c.header) for c in COLUMNS]


def records(objects: list, user) -> list[Record]:
    """The chunk's rows with their places, heads, incomes, measures and 帮扶责任人, a few queries per
    chunk. The households are the objects' (fetched in the user's scope); their measures and
    pairings are read in the same scope (assistance's lists)."""
    rows = [Record(o) for o in objects]
    by_household = {r.object.household_id: r for r in rows}
    ids = list(by_household)
    codes = {r.object.household.village_id for r in rows}
    names = dict(
        Region.objects.filter(code__in={c[:n] for c in codes for n in LEVEL_DIGITS}).values_list(
            "code", "name"
        )
    )
    for r in rows:
        village = r.object.household.village_id
        r.places = [names.get(village[:n], "") for n in LEVEL_DIGITS]
    heads = registry.members_of(registry.households_visible_to(user).filter(pk__in=ids)).filter(
        relation=Relation.HEAD
    )
    for household_id, enc in heads.values_list("household_id", "id_number_enc"):
        by_household[household_id].head_id_enc = enc
    # The latest year of each household (the object's row is already in scope; amounts only).
    for income in registry.income_rows().filter(household_id__in=ids).order_by("household_id", "year"):
        by_household[income["household_id"]].income = income
    measures = (
        assistance.measure_list(user=user)
        .filter(plan__household_id__in=ids)
        .exclude(status=MeasureStatus.CANCELLED)
        .values_list("plan__household_id", "type")
    )
    for household_id, measure_type in measures:
        kinds = by_household[household_id].measures
        kind = selectors.measure_kind(measure_type)
        if kind not in kinds:
            kinds.append(kind)
    for r in rows:
        r.measures.sort(key=MEASURE_ORDER.__getitem__)
    pairings = (
        assistance.pairing_list(user=user, active=True)
        .filter(household_id__in=ids)
        .values_list("household_id", "cadre__name")
    )
    for household_id, name in pairings:
        if name not in by_household[household_id].cadres:
            by_household[household_id].cadres.append(name)
    return rows


def _chunks(rows, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def national_file(request, query, *, clear: bool, purpose: str = "", fmt: str = "xlsx"):
    """The 监测对象 list's rows (`query`: its filters, sort and scope) as the national layout's .xlsx,
    the ID numbers masked unless `clear` (the list's clear export checked permission and purpose).
    Always an .xlsx: the national system takes the spreadsheet."""
    with translation.override(LANGUAGE):
        sheet = Sheet(headers(), [c.kind for c in COLUMNS], title=_("监测对象"))
        for chunk in _chunks(query.rows.iterator(chunk_size=CHUNK), CHUNK):
            for record in records(chunk, request.user):
                values = [(c.clear if clear and c.clear else c.value)(record) for c in COLUMNS]
                sheet.write([export_value(v, c.kind) for v, c in zip(values, COLUMNS, strict=True)])
        stamp = timezone.localtime().strftime("%Y%m%d")
        filename = f"{_('监测对象_国家采集表')}_{stamp}{_('_明文') if clear else ''}.xlsx"
    audit_export(
        request=request,
        name=query.spec.name,
        title=query.spec.title,
        filters=query.filters,
        sort=query.sort,
        count=sheet.count,
        masked=not clear,
        purpose=purpose,
    )
    return sheet.response(filename)
