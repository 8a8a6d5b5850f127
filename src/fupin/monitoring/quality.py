# ruff: noqa: S608 - the SQL is built from this module's constants, model table names and compiled
# querysets (registry and assistance selectors); every value is a query parameter.
"""Data-quality checks (those the national monitoring system runs), per county, on demand or nightly.

`run_checks(county_code=…)` rewrites the county's `QualityFinding` rows in one transaction: one
`DELETE`, then one `INSERT … SELECT` per check over the county's households, no Python loop over rows.

The checks (`CHECKS`, code → label):

- `fast_elimination`: a monitoring object eliminated less than six months after its identification.
- `no_measure`: an object still monitored, identified at least a month ago, with no 一户一策 measure that
  answers it: none recorded on or after the identification date and none still planned or in progress
  (cancelled measures never count).
- `assisted_without_development`: an object eliminated by 帮扶消除 whose household has no development
  measure (choices.DEVELOPMENT_MEASURES: 产业, 就业, 金融, 公益岗; from assistance's measure types 产业帮扶,
  就业帮扶, 小额信贷, 资产收益 — `DEVELOPMENT_TYPES`), cancelled ones left out.
- `no_labour_not_safety_net`: an object still monitored whose every member has lost or has no labour
  capacity (劳动技能 丧失劳动力 / 无劳动力), not marked 兜底.
- `duplicate_id`: one ID number in two households. A registry member's keyed index is unique, so a
  person is never registered twice; what can happen is a lead (a self-report or a cadre's) naming an ID
  number that is registered in another household than the lead's — or, for a self-report not linked
  to a household of its village, registered anywhere. The finding is on the lead's household, else on
  the household where the person is registered. Rejected and not-included leads are left out.
- `no_pairing`: an object still monitored without a pairing (帮扶责任人) serving today.

The other apps' rows come from their selectors (registry.selectors household_rows/member_rows,
assistance.selectors measure_rows/pairing_rows) compiled into this SQL as derived tables: the checks
are one statement each over the whole county, which the selectors' querysets could not be joined into
otherwise, and no table of another app is named here (the app boundary: if assistance renames a
column, its selector keeps the name these queries use).
"""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.assistance import selectors as assistance
from fupin.core.permissions import require
from fupin.monitoring.choices import EliminationKind, ObjectStatus, Stage
from fupin.monitoring.models import Lead, MonitoringObject, QualityFinding
from fupin.monitoring.rules import Dialect, code_range, months_before
from fupin.regions.models import Region
from fupin.registry import selectors as registry
from fupin.registry.choices import Labour

CHECKS = {
    "fast_elimination": gettext_lazy("识别到风险消除不足六个月"),
    "no_measure": gettext_lazy("识别一个月后无帮扶措施"),
    "assisted_without_development": gettext_lazy("帮扶消除但无开发式帮扶措施"),
    "no_labour_not_safety_net": gettext_lazy("整户无劳动能力但未纳入兜底保障"),
    "duplicate_id": gettext_lazy("同一身份证号出现在两户"),
    "no_pairing": gettext_lazy("监测对象无帮扶责任人"),
}
LABELS = CHECKS  # the name the quality list (monitoring.lists) looks for
# assistance.MeasureType values that are development measures (choices.DEVELOPMENT_MEASURES:
# industry → 产业, employment → 就业, microcredit → 金融, asset_income → 资产收益, counted with 产业).
DEVELOPMENT_TYPES = ("industry", "employment", "microcredit", "asset_income")
CANCELLED = "cancelled"  # assistance.MeasureStatus.CANCELLED
IN_PROGRESS = ("planned", "active")  # assistance.MeasureStatus.PLANNED, ACTIVE

FINDING_TABLE = QualityFinding._meta.db_table
OBJECT_TABLE = MonitoringObject._meta.db_table
LEAD_TABLE = Lead._meta.db_table


def _sql_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    if params:
        raise ValueError("a source must not take parameters")
    return f"({sql})"


def _months_later(dialect: Dialect, expr: str, months: int) -> str:
    if dialect.pg:
        return f"CAST({expr} + interval '{months} months' AS date)"
    return f"date({expr}, '+{months} months')"


def check_statements(dialect: Dialect) -> dict[str, str]:
    """Each check's SELECT of (household_id, object_id, detail) over the county's households."""
    households = _sql_of(registry.household_rows())
    members = _sql_of(registry.member_rows())
    measures = _sql_of(assistance.measure_rows())
    pairings = _sql_of(assistance.pairing_rows())
    d = dialect
    county = "h.village_id BETWEEN %(lo)s AND %(hi)s"
    objects = f"{OBJECT_TABLE} o JOIN {households} h ON h.id = o.household_id"
    monitored = f"o.status = '{ObjectStatus.MONITORED}'"
    development = ", ".join(f"'{t}'" for t in DEVELOPMENT_TYPES)
    progress = ", ".join(f"'{s}'" for s in IN_PROGRESS)
    no_capacity = ", ".join(f"'{value}'" for value in (Labour.LOST, Labour.NONE))
    closed = ", ".join(f"'{stage}'" for stage in (Stage.REJECTED, Stage.NOT_INCLUDED))
    return {
        "fast_elimination": (
            f"SELECT o.household_id AS household_id, o.id AS object_id, "
            f"{_fill(d, 't_fast', identified='o.identified_on', eliminated='o.eliminated_on')} AS detail "
            f"FROM {objects} WHERE {county} AND o.status = '{ObjectStatus.ELIMINATED}' AND o.eliminated_on IS NOT NULL "
            f"AND o.eliminated_on < {_months_later(d, 'o.identified_on', 6)}"
        ),
        "no_measure": (
            f"SELECT o.household_id AS household_id, o.id AS object_id, "
            f"{_fill(d, 't_no_measure', identified='o.identified_on')} AS detail FROM {objects} WHERE {county} "
            f"AND {monitored} AND o.identified_on <= %(month_ago)s AND NOT EXISTS (SELECT 1 FROM {measures} m "
            f"WHERE m.household_id = o.household_id AND m.status <> '{CANCELLED}' "
            f"AND (m.created_at >= o.identified_on OR m.status IN ({progress})))"
        ),
        "assisted_without_development": (
            f"SELECT o.household_id AS household_id, o.id AS object_id, "
            f"{_fill(d, 't_assisted', eliminated='o.eliminated_on')} AS detail FROM {objects} WHERE {county} "
            f"AND o.status = '{ObjectStatus.ELIMINATED}' AND o.elimination_kind = '{EliminationKind.ASSISTED}' "
            f"AND NOT EXISTS (SELECT 1 FROM {measures} m WHERE m.household_id = o.household_id "
            f"AND m.status <> '{CANCELLED}' AND m.type IN ({development}))"
        ),
        "no_labour_not_safety_net": (
            f"SELECT o.household_id AS household_id, o.id AS object_id, {d.text('t_no_labour')} AS detail "
            f"FROM {objects} WHERE {county} AND {monitored} AND NOT o.safety_net AND EXISTS (SELECT 1 FROM "
            f"{members} m WHERE m.household_id = o.household_id) AND NOT EXISTS (SELECT 1 FROM {members} m "
            f"WHERE m.household_id = o.household_id AND m.labour NOT IN ({no_capacity}))"
        ),
        "duplicate_id": (
            f"SELECT COALESCE(l.household_id, m.household_id) AS household_id, CAST(NULL AS INTEGER) AS object_id, "
            f"{_fill(d, 't_duplicate', number='l.number')} AS detail FROM {LEAD_TABLE} l "
            f"JOIN {members} m ON m.id_number_bidx = l.id_number_bidx "
            f"JOIN {households} h ON h.id = COALESCE(l.household_id, m.household_id) "
            f"WHERE l.village_id BETWEEN %(lo)s AND %(hi)s AND l.id_number_bidx <> '' AND l.stage NOT IN ({closed}) "
            f"AND (l.household_id IS NULL OR l.household_id <> m.household_id)"
        ),
        "no_pairing": (
            f"SELECT o.household_id AS household_id, o.id AS object_id, "
            f"{_fill(d, 't_no_pairing', identified='o.identified_on')} AS detail FROM {objects} WHERE {county} "
            f"AND {monitored} AND NOT EXISTS (SELECT 1 FROM {pairings} p WHERE p.household_id = o.household_id "
            f'AND p.start <= %(today)s AND (p."end" IS NULL OR p."end" >= %(today)s))'
        ),
    }


def _fill(dialect: Dialect, text: str, **values: str) -> str:
    """The translated sentence `text` (a parameter) with each {name} replaced by an SQL value."""
    sql = dialect.text(text)
    for name, expr in values.items():
        sql = f"replace({sql}, '{{{name}}}', CAST({expr} AS text))"
    return sql


def _texts() -> dict[str, str]:
    """The sentences of the findings, in the active language; {names} are filled in SQL."""
    return {
        "t_fast": _("识别日期 {identified},风险消除日期 {eliminated}"),
        "t_no_measure": _("识别日期 {identified},超过一个月仍无帮扶措施"),
        "t_assisted": _("帮扶消除(无产业、就业、金融等开发式措施),消除日期 {eliminated}"),
        "t_no_labour": _("家庭成员均丧失或无劳动能力,未标记兜底保障"),
        "t_duplicate": _("线索 {number} 所报身份证号已登记在其他户"),
        "t_no_pairing": _("未落实帮扶责任人,识别日期 {identified}"),
    }


def check_county(county_code: str) -> Region:
    county = Region.objects.filter(code=county_code or "", level=Region.Level.COUNTY).first()
    if county is None:
        raise ValidationError({"county_code": _("请选择有效的县")})
    return county


def run_checks(*, county_code: str, by=None, progress=None) -> int:
    """Rewrite the county's findings; returns how many there are. `by` needs monitoring.run_rules
    over the county (None: the system, the nightly job)."""
    county = check_county(county_code)
    if by is not None:
        require(by, "monitoring.run_rules", code=county.code)
    d = Dialect(connection.vendor)
    ops = connection.ops
    today = timezone.localdate()
    lo, hi = code_range(county.code)
    params = {
        "lo": lo,
        "hi": hi,
        "today": ops.adapt_datefield_value(today),
        "month_ago": ops.adapt_datefield_value(months_before(today, 1)),
        "county": county.code,
        "now": ops.adapt_datetimefield_value(timezone.now()),
        **_texts(),
    }
    statements = check_statements(d)
    total = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FINDING_TABLE} WHERE county_id = %s", [county.code])
        for done, (code, select) in enumerate(statements.items(), 1):
            cursor.execute(
                f"INSERT INTO {FINDING_TABLE} (rule, county_id, household_id, object_id, detail, found_at) "
                f"SELECT %(rule)s, %(county)s, x.household_id, x.object_id, substr(x.detail, 1, 200), %(now)s "
                f"FROM ({select}) x WHERE x.household_id IS NOT NULL",
                {**params, "rule": code},
            )
            total += cursor.rowcount
            if progress:
                progress(done, len(statements), str(CHECKS[code]))
    return total


def finding_counts(county_code: str) -> dict[str, int]:
    """{check code: findings} of a county (the rules page shows the total with a link)."""
    rows = (
        QualityFinding.objects.filter(county_id=county_code)
        .order_by()
        .values_list("rule")
        .annotate(n=Count("id"))
    )
    return dict(rows)
