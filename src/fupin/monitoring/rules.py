# ruff: noqa: S608 - the SQL is built from this module's constants, model table names and compiled
# querysets (registry.selectors); every value is a query parameter.
"""Risk rules (风险预警规则) as data, compiled to set-based SQL over the whole population.

Each active `RiskRule` (its kind says what is compared, its `params` the thresholds) becomes ONE
`INSERT INTO monitoring_lead … SELECT … ON CONFLICT DO NOTHING` over the households of an area: no
Python loop over rows, on SQLite and PostgreSQL alike. A run (`run_rules`) writes a lead per household
the rule fires on, with the values that fired it (`facts`, made in SQL), and then ONE `INSERT …
SELECT` of the first event of every new lead. The partial unique index
`monitoring_lead_once_per_rule_period` (household, rule, period) makes a run idempotent: a second run
of the same period adds nothing. The conflict target is left out (`ON CONFLICT DO NOTHING` takes any
unique index, the partial one included, on both databases); SQLite needs a WHERE in the SELECT of an
upsert (or it reads the ON of a join), which every statement here has.

Definitions (what the rules read; DOMAIN.md "Monitoring"):

- **Income of the 12 months before the run**: the household's latest `YearlyIncome` whose year is
  the run's year or the one before (run in November 2026: the 2026 row if recorded, else 2025). The
  amount is `per_capita_after_costs`, net income less 合规自付支出 per person, the one definition the
  registry stores (YearlyIncome.compute_totals). No income in that window: the income rules stay silent.
- **Monitoring line**: the `MonitoringLine` nearest the household's village for that income's year: the
  county's row, else the prefecture's, else the province's. No line: the rule stays silent.
- **Low income** (低收入人口, the lower cost threshold): the household is a 低保户, 特困供养户 or 低保贫困户,
  or a member receives 低保, or its per-capita net income before costs is below the monitoring line.
- `income_below_line`: income (after costs) below the line. `income_drop`: income (after costs) down by
  more than `params.percent` % on the previous year's row. `costs_above`: 合规自付支出 above
  `params.low_income` (low income) or `params.other`. `costs_share`: 合规自付支出 above `params.percent` % of
  the household's net income (any costs when the net income is not positive).
- `living_check`: the latest 两不愁三保障 + water check of the same two years fails an item.
- `department_hit`: matched rows of `params.source`'s lists of the run's period, for batches of the area's
  county; with `params.low_income` / `params.other` (or `params.amount`) the summed amount must exceed the
  threshold, else any matched row fires. The lead's channel is 部门筛查预警 and it names the batch.
- `no_work` (以务工为主但连续三个月无务工): wages are the main income (at least half of the gross income of
  the same income row) and either the member data shows no one in work with no member having worked more
  than 12 − `params.months` months of the year, or a 人社 (labour) row of the period, dated at least
  `params.months` months before the run, names the household.

A household already monitored (an open MonitoringObject) or with an open lead is left out, so a
household gets one lead per run: the rules run in their order (by id, the seed's order) and a later
rule skips a household an earlier one has just written a lead for. `RuleRun.counts` says, per rule,
how many households of the area it fired on (`fired`, whatever their leads) and how many leads it
wrote (`new`).

`reevaluate_household(id)` runs the same statements restricted to one household (after an income or a
check is written: registry.hooks, registered in apps.py).
"""

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core.permissions import require
from fupin.monitoring import deadlines
from fupin.monitoring.choices import OPEN_STAGES, Channel, ObjectStatus, RuleKind, Source, Stage
from fupin.monitoring.models import (
    Lead,
    LeadEvent,
    MonitoringLine,
    MonitoringObject,
    RiskRule,
    RuleRun,
    ScreeningBatch,
    ScreeningRow,
)
from fupin.regions.models import Region
from fupin.registry import selectors as registry
from fupin.registry.choices import Attribute, WorkStatus

PERIOD = re.compile(r"^(20[0-9]{2})-(0[1-9]|1[0-2])$")
LOW_INCOME_ATTRIBUTES = (Attribute.DIBAO, Attribute.TEKUN, Attribute.DIBAO_POOR)
# What a rule's facts hold, as the lead's page labels them.
FACT_LABELS = {
    "year": gettext_lazy("收入年度"),
    "per_capita": gettext_lazy("人均纯收入(扣除合规自付支出,元)"),
    "line": gettext_lazy("监测标准(元)"),
    "previous": gettext_lazy("上年人均纯收入(元)"),
    "drop_percent": gettext_lazy("下降幅度(%)"),
    "percent": gettext_lazy("规则比例(%)"),
    "costs": gettext_lazy("合规自付支出(元)"),
    "threshold": gettext_lazy("限额(元)"),
    "low_income": gettext_lazy("低收入人口"),
    "income": gettext_lazy("家庭纯收入(元)"),
    "share": gettext_lazy("支出占收入比例(%)"),
    "failed": gettext_lazy("未达标项目"),
    "source": gettext_lazy("数据来源"),
    "batch": gettext_lazy("部门数据批次"),
    "rows": gettext_lazy("命中行数"),
    "amount": gettext_lazy("金额合计(元)"),
    "event": gettext_lazy("事项"),
    "wages": gettext_lazy("工资性收入(元)"),
    "months_worked": gettext_lazy("务工时间(月)"),
    "months": gettext_lazy("无务工月数"),
}

Progress = Callable[[int, int, str], None]


# ---------------------------------------------------------------- SQL of each database


class Dialect:
    """The few spellings that differ between PostgreSQL and SQLite (JSON, text of numbers, padding)."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"

    def obj(self, *pairs: tuple[str, str]) -> str:
        """A JSON object of constant keys and SQL values (jsonb on PostgreSQL, JSON text on SQLite)."""
        body = ", ".join(f"'{key}', {value}" for key, value in pairs)
        return f"jsonb_build_object({body})" if self.pg else f"json_object({body})"

    def money(self, expr: str) -> str:
        """An amount as text with two decimals ("8700.00"), the same on both databases."""
        if self.pg:
            return f"CAST(ROUND(CAST({expr} AS numeric), 2) AS text)"
        return f"printf('%%.2f', {expr})"

    def pct(self, expr: str) -> str:
        if self.pg:
            return f"CAST(ROUND(CAST({expr} AS numeric), 1) AS text)"
        return f"printf('%%.1f', {expr})"

    def boolean(self, condition: str) -> str:
        if self.pg:
            return f"COALESCE({condition}, false)"
        return f"json(CASE WHEN {condition} THEN 'true' ELSE 'false' END)"

    def array(self, csv: str) -> str:
        """A JSON array of the comma-separated words of `csv` (plain words: no quoting needed)."""
        if self.pg:
            return f"to_jsonb(string_to_array({csv}, ','))"
        return f"""json('["' || replace({csv}, ',', '","') || '"]')"""

    def text(self, name: str) -> str:
        return f"CAST(%({name})s AS text)" if self.pg else f"%({name})s"

    def json_param(self, name: str) -> str:
        return f"CAST(%({name})s AS jsonb)" if self.pg else f"%({name})s"

    def pad9(self, expr: str) -> str:
        """numbers.rule_receipt's household part: nine digits, zero-padded."""
        if self.pg:
            return f"lpad(CAST({expr} AS text), 9, '0')"
        return f"substr('000000000' || {expr}, -9, 9)"

    @staticmethod
    def num(name: str) -> str:
        # A bound Decimal is text on SQLite: compared with an expression it would sort above every
        # number. Cast, on both.
        return f"CAST(%({name})s AS NUMERIC)"


@dataclass(frozen=True)
class Sources:
    """The other apps' rows as derived tables (their selectors' querysets compiled: see registry.selectors)."""

    households: str
    members: str
    incomes: str
    checks: str


def _sql_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    if params:  # the sources take no parameters: their SQL is pasted into ours
        raise ValueError("a rule source must not take parameters")
    return f"({sql})"


@cache
def sources(vendor: str) -> Sources:
    return Sources(
        households=_sql_of(registry.household_rows()),
        members=_sql_of(registry.member_rows()),
        incomes=_sql_of(registry.income_rows()),
        checks=_sql_of(registry.check_rows()),
    )


LINE_TABLE = MonitoringLine._meta.db_table
LEAD_TABLE = Lead._meta.db_table
EVENT_TABLE = LeadEvent._meta.db_table
OBJECT_TABLE = MonitoringObject._meta.db_table
ROW_TABLE = ScreeningRow._meta.db_table
BATCH_TABLE = ScreeningBatch._meta.db_table
RULE_TABLE = RiskRule._meta.db_table


def code_range(prefix: str) -> tuple[str, str]:
    """The 12-digit village codes under a division code, as a range an index can use."""
    return prefix.ljust(12, "0"), prefix.ljust(12, "9")


class Compiler:
    """The SELECT of the households a rule fires on, with the values that fired it.

    Every SELECT gives (household_id, village_id, facts, screening_id), one row per household, for
    the households of `self.where` (the area, the rule's region, one household)."""

    def __init__(self, dialect: Dialect, src: Sources):
        self.d = dialect
        self.s = src

    # The pieces shared by the income rules.
    def latest_income(self, join: str = "JOIN") -> str:
        s = self.s
        return (
            f"{join} {s.incomes} yi ON yi.household_id = h.id AND yi.year >= %(since)s AND NOT EXISTS "
            f"(SELECT 1 FROM {s.incomes} y2 WHERE y2.household_id = h.id AND y2.year > yi.year)"
        )

    @staticmethod
    def lines() -> str:
        return " ".join(
            f"LEFT JOIN {LINE_TABLE} {alias} ON {alias}.year = yi.year "
            f"AND {alias}.region_id = substr(h.village_id, 1, {n})"
            for alias, n in (("lc", 6), ("lm", 4), ("lp", 2))
        )

    LINE = "COALESCE(lc.amount, lm.amount, lp.amount)"

    def low_income(self) -> str:
        attributes = ", ".join(f"'{a}'" for a in LOW_INCOME_ATTRIBUTES)
        return (
            f"CASE WHEN h.attribute IN ({attributes}) OR EXISTS (SELECT 1 FROM {self.s.members} m "
            f"WHERE m.household_id = h.id AND m.dibao) OR yi.per_capita < {self.LINE} THEN 1 ELSE 0 END"
        )

    def select(self, rule: RiskRule, where: str) -> str:
        return getattr(self, rule.kind)(rule, where)

    # One method per RuleKind.

    def income_below_line(self, rule, where) -> str:
        d = self.d
        facts = d.obj(
            ("year", "yi.year"),
            ("per_capita", d.money("yi.per_capita_after_costs")),
            ("line", d.money(self.LINE)),
        )
        return (
            f"SELECT h.id AS household_id, h.village_id AS village_id, {facts} AS facts, "
            f"CAST(NULL AS INTEGER) AS screening_id FROM {self.s.households} h {self.latest_income()} "
            f"{self.lines()} WHERE {where} AND yi.per_capita_after_costs < {self.LINE}"
        )

    def income_drop(self, rule, where) -> str:
        d = self.d
        facts = d.obj(
            ("year", "yi.year"),
            ("per_capita", d.money("yi.per_capita_after_costs")),
            ("previous", d.money("yp.per_capita_after_costs")),
            (
                "drop_percent",
                d.pct(
                    "100.0 * (yp.per_capita_after_costs - yi.per_capita_after_costs) / yp.per_capita_after_costs"
                ),
            ),
            ("percent", d.text("percent")),
        )
        return (
            f"SELECT h.id AS household_id, h.village_id AS village_id, {facts} AS facts, "
            f"CAST(NULL AS INTEGER) AS screening_id FROM {self.s.households} h {self.latest_income()} "
            f"JOIN {self.s.incomes} yp ON yp.household_id = h.id AND yp.year = yi.year - 1 "
            f"WHERE {where} AND yp.per_capita_after_costs > 0 AND yi.per_capita_after_costs * 100 < "
            f"yp.per_capita_after_costs * (100 - {d.num('percent')})"
        )

    def costs_above(self, rule, where) -> str:
        d = self.d
        threshold = f"CASE WHEN x.low = 1 THEN {d.num('low')} ELSE {d.num('other')} END"
        facts = d.obj(
            ("year", "x.year"),
            ("costs", d.money("x.costs")),
            ("threshold", d.money(threshold)),
            ("low_income", d.boolean("x.low = 1")),
        )
        # Only households with costs above the lower threshold are judged low income or not.
        return (
            f"SELECT x.household_id, x.village_id, {facts} AS facts, CAST(NULL AS INTEGER) AS screening_id "
            f"FROM (SELECT h.id AS household_id, h.village_id AS village_id, yi.year AS year, "
            f"yi.compliant_costs AS costs, {self.low_income()} AS low FROM {self.s.households} h "
            f"{self.latest_income()} {self.lines()} WHERE {where} AND yi.compliant_costs > {d.num('floor')}) x "
            f"WHERE x.costs > {threshold}"
        )

    def costs_share(self, rule, where) -> str:
        d = self.d
        share = f"CASE WHEN yi.net_income > 0 THEN {d.pct('100.0 * yi.compliant_costs / yi.net_income')} END"
        facts = d.obj(
            ("year", "yi.year"),
            ("costs", d.money("yi.compliant_costs")),
            ("income", d.money("yi.net_income")),
            ("share", share),
            ("percent", d.text("percent")),
        )
        return (
            f"SELECT h.id AS household_id, h.village_id AS village_id, {facts} AS facts, "
            f"CAST(NULL AS INTEGER) AS screening_id FROM {self.s.households} h {self.latest_income()} "
            f"WHERE {where} AND yi.compliant_costs > 0 AND yi.compliant_costs * 100 > "
            f"{d.num('percent')} * yi.net_income"
        )

    ITEMS = ("food", "clothing", "education", "medical", "housing", "water")

    def living_check(self, rule, where) -> str:
        d, s = self.d, self.s
        failed = " || ".join(f"(CASE WHEN c.{item} THEN '' ELSE '{item},' END)" for item in self.ITEMS)
        passed = " AND ".join(f"c.{item}" for item in self.ITEMS)
        facts = d.obj(("year", "c.year"), ("failed", d.array(f"rtrim({failed}, ',')")))
        return (
            f"SELECT h.id AS household_id, h.village_id AS village_id, {facts} AS facts, "
            f"CAST(NULL AS INTEGER) AS screening_id FROM {s.households} h "
            f"JOIN {s.checks} c ON c.household_id = h.id AND c.year >= %(since)s AND NOT EXISTS "
            f"(SELECT 1 FROM {s.checks} c2 WHERE c2.household_id = h.id AND c2.year > c.year) "
            f"WHERE {where} AND NOT ({passed})"
        )

    def department_hit(self, rule, where) -> str:
        d = self.d
        params = rule.params or {}
        hits = (
            f"SELECT r.household_id AS hid, count(*) AS n, sum(r.amount) AS amount, max(r.batch_id) AS batch, "
            f"max(r.event) AS event FROM {ROW_TABLE} r JOIN {BATCH_TABLE} b ON b.id = r.batch_id "
            f"WHERE b.source = %(source)s AND b.period = %(period)s AND b.county_id BETWEEN %(blo)s AND %(bhi)s "
            f"AND r.household_id IS NOT NULL GROUP BY r.household_id"
        )
        pairs = [
            ("source", d.text("source")),
            ("batch", "x.batch"),
            ("rows", "x.n"),
            ("amount", f"CASE WHEN x.amount IS NOT NULL THEN {d.money('x.amount')} END"),
            ("event", "x.event"),
        ]
        if "low_income" in params or "other" in params:
            threshold = f"CASE WHEN x.low = 1 THEN {d.num('low')} ELSE {d.num('other')} END"
            pairs += [("threshold", d.money(threshold)), ("low_income", d.boolean("x.low = 1"))]
            inner = (
                f"SELECT h.id AS household_id, h.village_id AS village_id, dh.n AS n, dh.amount AS amount, "
                f"dh.batch AS batch, dh.event AS event, {self.low_income()} AS low FROM ({hits}) dh "
                f"JOIN {self.s.households} h ON h.id = dh.hid {self.latest_income('LEFT JOIN')} {self.lines()} "
                f"WHERE {where} AND dh.amount > {d.num('floor')}"
            )
            condition = f"x.amount > {threshold}"
        elif "amount" in params:
            pairs.append(("threshold", d.money(d.num("floor"))))
            inner = (
                f"SELECT h.id AS household_id, h.village_id AS village_id, dh.n AS n, dh.amount AS amount, "
                f"dh.batch AS batch, dh.event AS event FROM ({hits}) dh "
                f"JOIN {self.s.households} h ON h.id = dh.hid WHERE {where}"
            )
            condition = f"x.amount > {d.num('floor')}"
        else:
            inner = (
                f"SELECT h.id AS household_id, h.village_id AS village_id, dh.n AS n, dh.amount AS amount, "
                f"dh.batch AS batch, dh.event AS event FROM ({hits}) dh "
                f"JOIN {self.s.households} h ON h.id = dh.hid WHERE {where}"
            )
            condition = "x.n > 0"
        return (
            f"SELECT x.household_id, x.village_id, {d.obj(*pairs)} AS facts, x.batch AS screening_id "
            f"FROM ({inner}) x WHERE {condition}"
        )

    def no_work(self, rule, where) -> str:
        d, s = self.d, self.s
        gross = "(yi.wages + yi.business + yi.transfers + yi.property)"
        idle = (
            f"NOT EXISTS (SELECT 1 FROM {s.members} m WHERE m.household_id = h.id AND "
            f"(m.work_status <> '{WorkStatus.NONE}' OR m.months_worked > 12 - %(months)s))"
        )
        labour = (
            f"EXISTS (SELECT 1 FROM {ROW_TABLE} r JOIN {BATCH_TABLE} b ON b.id = r.batch_id "
            f"WHERE r.household_id = h.id AND b.source = '{Source.LABOUR}' AND b.period = %(period)s "
            f"AND r.event_date <= %(cutoff)s)"
        )
        worked = f"(SELECT max(m.months_worked) FROM {s.members} m WHERE m.household_id = h.id)"
        facts = d.obj(
            ("year", "yi.year"),
            ("wages", d.money("yi.wages")),
            ("income", d.money(gross)),
            ("months_worked", worked),
            ("months", "%(months)s"),
            ("source", f"CASE WHEN {idle} THEN 'members' ELSE 'labour' END"),
        )
        return (
            f"SELECT h.id AS household_id, h.village_id AS village_id, {facts} AS facts, "
            f"CAST(NULL AS INTEGER) AS screening_id FROM {s.households} h {self.latest_income()} "
            f"WHERE {where} AND yi.wages > 0 AND 2 * yi.wages >= {gross} AND ({idle} OR {labour})"
        )


# ---------------------------------------------------------------- parameters of a rule


def _amount(value, name: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("规则参数“%(name)s”不是有效的数值") % {"name": name}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(_("规则参数“%(name)s”不是有效的数值") % {"name": name})
    return amount


def rule_params(rule: RiskRule, *, today: datetime.date, period: str) -> dict:
    """The SQL parameters of a rule's SELECT from its `params` (data) and the run's date and period."""
    params = rule.params or {}
    values: dict = {"since": today.year - 1, "period": period}
    if rule.kind == RuleKind.INCOME_DROP:
        values["percent"] = str(_amount(params.get("percent", 30), "percent"))
    elif rule.kind == RuleKind.COSTS_SHARE:
        values["percent"] = str(_amount(params.get("percent", 50), "percent"))
    elif rule.kind == RuleKind.COSTS_ABOVE or (
        rule.kind == RuleKind.DEPARTMENT_HIT and ("low_income" in params or "other" in params)
    ):
        low = _amount(params.get("low_income", params.get("other", 0)), "low_income")
        other = _amount(params.get("other", params.get("low_income", 0)), "other")
        values.update(low=str(low), other=str(other), floor=str(min(low, other)))
    if rule.kind == RuleKind.DEPARTMENT_HIT:
        source = params.get("source", "")
        if source not in Source.values:
            raise ValidationError(_("规则“%(rule)s”的数据来源无效") % {"rule": rule.name})
        values["source"] = source
        if "amount" in params and "low_income" not in params and "other" not in params:
            values["floor"] = str(_amount(params["amount"], "amount"))
    if rule.kind == RuleKind.NO_WORK:
        months = int(_amount(params.get("months", 3), "months"))
        if not 1 <= months <= 12:
            raise ValidationError(_("规则参数“months”应为1至12"))
        values["months"] = months
        values["cutoff"] = months_before(today, months)
    return values


def months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError  # pragma: no cover


# ---------------------------------------------------------------- writing the leads


@cache
def _lead_defaults(vendor: str) -> tuple[list[str], dict]:
    """The lead's other NOT NULL columns with the model's defaults (a new model field needs no change here)."""
    columns, values = [], {}
    for field in Lead._meta.concrete_fields:
        if field.primary_key or field.column in EXPLICIT or field.null:
            continue
        columns.append(field.column)
        values[f"d_{field.column}"] = field.get_db_prep_save(field.get_default(), connection)
    return columns, values


EXPLICIT = (
    "number",
    "channel",
    "stage",
    "opened_on",
    "step_due",
    "decision_due",
    "village_id",
    "household_id",
    "risks",
    "rule_id",
    "period",
    "facts",
    "screening_id",
    "reported_by_id",
    "version",
    "created_at",
    "updated_at",
)


def insert_sql(dialect: Dialect, fired: str) -> str:
    """The INSERT of the leads of one rule from its SELECT `fired` (PostgreSQL: also counts, one statement)."""
    d = dialect
    extra, _defaults = _lead_defaults(connection.vendor)
    columns = ", ".join((*EXPLICIT, *extra))
    values = ", ".join(
        (
            f"%(prefix)s || {d.pad9('f.household_id')}",
            "%(channel)s",
            "%(stage)s",
            "%(opened_on)s",
            "%(step_due)s",
            "%(decision_due)s",
            "f.village_id",
            "f.household_id",
            d.json_param("risks"),
            "%(rule)s",
            "%(period)s",
            "f.facts",
            "f.screening_id",
            "%(by)s",
            "1",
            "%(now)s",
            "%(now)s",
            *(f"%(d_{column})s" for column in extra),
        )
    )
    stages = ", ".join(f"'{stage}'" for stage in sorted(OPEN_STAGES))
    unhandled = (
        f"NOT EXISTS (SELECT 1 FROM {OBJECT_TABLE} o WHERE o.household_id = f.household_id "
        f"AND o.status = '{ObjectStatus.MONITORED}') AND NOT EXISTS (SELECT 1 FROM {LEAD_TABLE} l "
        f"WHERE l.household_id = f.household_id AND l.stage IN ({stages}))"
    )
    insert = f"INSERT INTO {LEAD_TABLE} ({columns}) SELECT {values} FROM {{source}} f WHERE {unhandled} ON CONFLICT DO NOTHING"
    if d.pg:
        return (
            f"WITH fired AS MATERIALIZED ({fired}), "
            f"ins AS ({insert.format(source='fired')} RETURNING 1) "
            "SELECT (SELECT count(*) FROM fired), (SELECT count(*) FROM ins)"
        )
    return insert.format(source=f"({fired})")


def events_sql(dialect: Dialect) -> str:
    """The first event of every lead the run wrote (one INSERT … SELECT)."""
    return (
        f"INSERT INTO {EVENT_TABLE} (lead_id, actor_id, from_status, to_status, reason, at) "
        f"SELECT l.id, %(by)s, '', l.stage, replace({dialect.text('reason')}, '{{rule}}', r.name), %(now)s "
        f"FROM {LEAD_TABLE} l "
        f"JOIN {RULE_TABLE} r ON r.id = l.rule_id WHERE l.id > %(before)s AND l.rule_id IS NOT NULL "
        f"AND l.created_at = %(now)s AND l.period = %(period)s"
    )


@dataclass
class Plan:
    """What a run does: its rules with their SQL parameters, for an area or one household."""

    today: datetime.date
    period: str
    area_code: str
    household_id: int | None = None


def _where(one_household: bool) -> str:
    where = "h.village_id BETWEEN %(lo)s AND %(hi)s"
    if one_household:
        where += " AND h.id = %(household)s"
    return where


@lru_cache(maxsize=256)
def _statements(vendor: str, kind: str, params: str, one_household: bool) -> tuple[str, str]:
    """(the rule's SELECT, its INSERT) for a kind and its params' shape: the text is made once per
    process (re-evaluating one household after an edit runs every rule, and must be quick)."""
    dialect = Dialect(vendor)
    fired = Compiler(dialect, sources(vendor)).select(
        RiskRule(kind=kind, params=json.loads(params)), _where(one_household)
    )
    return fired, insert_sql(dialect, fired)


def _effective_prefix(area: str, region: str | None) -> str | None:
    """The households a rule covers in the area: all of them, those of the rule's region inside the
    area, or none (the rule is for elsewhere)."""
    if not region or area.startswith(region):
        return area
    if region.startswith(area):
        return region
    return None


def _base_params(plan: Plan, by) -> dict:
    """The parameters every rule's INSERT shares: dates and deadlines (the province's limits,
    computed once here, passed to the SQL), the actor, the period, the defaults of the other columns."""
    limits = deadlines.limits_for(plan.area_code)
    opened_on = plan.today
    ops = connection.ops
    county = plan.area_code[:6]
    _columns, defaults = _lead_defaults(connection.vendor)
    return {
        **defaults,
        "opened_on": ops.adapt_datefield_value(opened_on),
        "step_due": ops.adapt_datefield_value(deadlines.step_due(limits, opened_on, Stage.ACCEPTED)),
        "decision_due": ops.adapt_datefield_value(deadlines.decision_due(limits, opened_on)),
        "stage": Stage.ACCEPTED,
        "now": ops.adapt_datetimefield_value(timezone.now()),
        "by": getattr(by, "pk", None),
        "household": plan.household_id,
        "period": plan.period,
        "blo": county.ljust(6, "0"),
        "bhi": county.ljust(6, "9"),
    }


def _rule_statement(plan: Plan, rule: RiskRule, base: dict) -> tuple[str, str, dict] | None:
    """(SELECT, INSERT, parameters) of one rule for the plan; None when the rule is for elsewhere."""
    prefix = _effective_prefix(plan.area_code, rule.region_id)
    if prefix is None:
        return None
    lo, hi = code_range(prefix)
    params = {
        **base,
        **rule_params(rule, today=plan.today, period=plan.period),
        "lo": lo,
        "hi": hi,
        "rule": rule.pk,
        "prefix": f"YJ{plan.period.replace('-', '')}{rule.pk:03d}",
        "channel": Channel.DEPARTMENT if rule.kind == RuleKind.DEPARTMENT_HIT else Channel.RULE,
        "risks": json.dumps([rule.risk]),
    }
    fired, insert = _statements(
        connection.vendor,
        rule.kind,
        json.dumps(rule.params or {}, sort_keys=True),
        plan.household_id is not None,
    )
    return fired, insert, params


def _insert(cursor, statement: tuple[str, str, dict]) -> tuple[int, int]:
    """Run one rule's INSERT; (households fired, leads written)."""
    fired_sql, insert, params = statement
    if connection.vendor == "postgresql":
        cursor.execute(insert, params)
        return cursor.fetchone()
    cursor.execute(f"SELECT count(*) FROM ({fired_sql}) f", params)
    fired = cursor.fetchone()[0]
    cursor.execute(insert, params)
    return fired, cursor.rowcount


def _last_lead(cursor) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {LEAD_TABLE}")
    return cursor.fetchone()[0]


def _events(cursor, base: dict, before: int) -> None:
    cursor.execute(
        events_sql(Dialect(connection.vendor)), {**base, "before": before, "reason": _("系统预警:{rule}")}
    )


def _execute(plan: Plan, rules, *, by, progress: Progress | None) -> dict:
    """Run `rules` over the plan's area; returns {rule code: {"fired": n, "new": m}}. Call inside a
    transaction."""
    base = _base_params(plan, by)
    counts: dict = {}
    with connection.cursor() as cursor:
        before = _last_lead(cursor)
        for done, rule in enumerate(rules, 1):
            statement = _rule_statement(plan, rule, base)
            fired, new = _insert(cursor, statement) if statement else (0, 0)
            counts[rule.code] = {"fired": fired, "new": new}
            if progress:
                progress(done, len(rules), _("规则“%(rule)s”:命中 %(fired)d 户,新增线索 %(new)d 条")
                         % {"rule": rule.name, "fired": fired, "new": new})  # fmt: skip
        if any(c["new"] for c in counts.values()):
            _events(cursor, base, before)
    return counts


def _prefixed(sql: str, params: dict, tag: str) -> tuple[str, dict]:
    """A statement's placeholders renamed with `tag`, so several statements share one query."""
    return sql.replace("%(", f"%({tag}"), {f"{tag}{key}": value for key, value in params.items()}


def _one_household(plan: Plan, rules) -> dict:
    """`_execute` for one household in few round trips (an edit waits for it): one query asks which
    rules' SELECTs return the household and whether it is handled already (monitored, or an open
    lead); only then the INSERT of the first rule that fired runs (the same statement as a run's)."""
    base = _base_params(plan, None)
    statements = [(rule, _rule_statement(plan, rule, base)) for rule in rules]
    parts, params = [], {"household": plan.household_id}
    for i, (_rule, statement) in enumerate(statements):
        if statement is not None:
            sql, values = _prefixed(statement[0], statement[2], f"r{i}_")
            parts.append(f"SELECT {i} AS k FROM ({sql}) f{i}")
            params.update(values)
    stages = ", ".join(f"'{stage}'" for stage in sorted(OPEN_STAGES))
    parts.append(
        f"SELECT -1 AS k WHERE EXISTS (SELECT 1 FROM {OBJECT_TABLE} o WHERE o.household_id = %(household)s "
        f"AND o.status = '{ObjectStatus.MONITORED}') OR EXISTS (SELECT 1 FROM {LEAD_TABLE} l "
        f"WHERE l.household_id = %(household)s AND l.stage IN ({stages}))"
    )
    counts = {rule.code: {"fired": 0, "new": 0} for rule in rules}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        found = {row[0] for row in cursor.fetchall()}
        for i in sorted(k for k in found if k >= 0):
            counts[statements[i][0].code]["fired"] = 1
        if found - {-1} and -1 not in found:
            before = _last_lead(cursor)
            for i in sorted(k for k in found if k >= 0):
                _fired, new = _insert(cursor, statements[i][1])
                if new:
                    counts[statements[i][0].code]["new"] = new
                    _events(cursor, base, before)
                    break
    return counts


def active_rules(kinds=None) -> list[RiskRule]:
    rules = RiskRule.objects.filter(active=True).order_by("id")
    if kinds:
        unknown = set(kinds) - set(RuleKind.values)
        if unknown:
            raise ValidationError(
                {"kinds": _("无效的规则类型:%(kinds)s") % {"kinds": "、".join(sorted(unknown))}}
            )
        rules = rules.filter(kind__in=list(kinds))
    return list(rules)


def current_period(today: datetime.date | None = None) -> str:
    return f"{today or timezone.localdate():%Y-%m}"


def check_run(*, area_code: str, period: str) -> Region:
    """The area (a division, province to village) and the period ("2026-11"), or a ValidationError."""
    errors = {}
    area = Region.objects.filter(code=area_code or "").first()
    if area is None:
        errors["area_code"] = _("请选择有效的地区")
    if not PERIOD.match(period or ""):
        errors["period"] = _("期间格式应为YYYY-MM,如2026-11")
    if errors:
        raise ValidationError(errors)
    return area


def run_rules(
    *,
    area_code: str,
    period: str | None = None,
    by=None,
    kinds=None,
    progress: Progress | None = None,
    job_id=None,
) -> RuleRun:
    """Run the active rules (of `kinds`, default all) over the households of `area_code` for
    `period` (default this month) and write their leads; returns the run with its counts.

    `by` needs monitoring.run_rules over the area (None: the system, a nightly job). Everything is
    written in one transaction: the run, its leads and their events, or nothing."""
    period = period or current_period()
    area = check_run(area_code=area_code, period=period)
    if by is not None:
        require(by, "monitoring.run_rules", code=area.code)
    rules = active_rules(kinds)
    plan = Plan(today=timezone.localdate(), period=period, area_code=area.code)
    with transaction.atomic():
        run = RuleRun.objects.create(area=area, period=period, by=by, job_id=job_id)
        run.counts = _execute(plan, rules, by=by, progress=progress)
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
    return run


def reevaluate_household(household_id: int) -> dict:
    """Run every active rule for one household (this month's period), after one of its incomes or
    checks was written; returns the counts. Leads it writes are the system's (no actor)."""
    row = registry.household_rows().filter(id=household_id).values_list("village_id", flat=True).first()
    if row is None:
        return {}
    rules = active_rules()
    today = timezone.localdate()
    plan = Plan(today=today, period=current_period(today), area_code=row, household_id=household_id)
    with transaction.atomic():
        return _one_household(plan, rules)


def rule_counts(run: RuleRun) -> list[dict]:
    """The run's counts in the rules' order (PostgreSQL's jsonb keeps no key order), with their names."""
    rules_in_order = list(RiskRule.objects.order_by("id").values_list("code", "name"))
    order = {code: i for i, (code, _name) in enumerate(rules_in_order)}
    names = dict(rules_in_order)
    counts = run.counts or {}
    return [
        {"code": code, "name": names.get(code, code), "fired": c.get("fired", 0), "new": c.get("new", 0)}
        for code, c in sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    ]
