"""The indicator catalogue's declarations: each figure is declared once, by the app that owns the
records it counts, in that app's `indicators.py` (`registry`, `monitoring`, `assistance`, `party`,
`projects`, `outcomes`, …), with `register(Indicator(...))`.

`reports` collects them (`autodiscover_modules("indicators")`), keeps the catalogue as data (its
`Indicator` rows: code, name, definition, unit, levels, period — what a county office reads and
may word its own way) and writes every declared count into the rollup table in one set-based
statement per indicator: `INSERT INTO rollup … SELECT <code>, <period>, <category>, <unit>,
<value> FROM (the declaration's queryset) GROUP BY …`. A figure at any level is then a sum over a
code prefix of the rollup; a ratio is computed from the sums of its two parts.

Why a declaration and not SQL written in `reports`: the owning app knows its records (which
households count as 监测对象, which meetings were due) and answers the drill-through with its own
list; `reports` knows nothing of any app's tables (the app boundary, docs/architecture.md).

A declaration's queryset is unscoped (the rollup is the system's; scoping applies when a user
reads a figure: the rollup row's division code against the user's scope, the one choke point's
rule). It must count only what its definition says, and its `drill` list, given the same
division, period and category, must list exactly the records counted
(`reports/tests` checks both against hand counts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Expression, Value
from django.db.models.functions import Cast, Concat, ExtractMonth, ExtractYear, LPad

# Period types. A SNAPSHOT figure is counted as things stand (period key ""); a YEAR figure per
# calendar year ("2026"); a MONTH figure per month ("2026-03"). A flow counted per month sums to
# its year and quarter when read; a stock is declared per period only where the records carry the
# dates that say what stood at the period's end.
SNAPSHOT = "snapshot"
YEAR = "year"
MONTH = "month"
PERIODS = (SNAPSHOT, YEAR, MONTH)

# Levels, by the length of a division code.
LEVELS = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}


def code_range(prefix: str, width: int = LEVELS["village"]) -> tuple[str, str]:
    """The codes under the division `prefix` (itself included) up to `width` digits, as the bounds
    of a range: codes are digits only, so "63" <= code <= "639999999999" holds exactly the codes
    starting with 63 in every collation and keeps to a plain index, where a LIKE needs its own
    operator class."""
    return prefix, prefix + "9" * (width - len(prefix))


# How parts combine. SUM: the rollup's values add up over codes, periods (flows) and categories.
# RATIO: numerator / denominator × scale, each summed first (贫困发生率 = 贫困人口 / 农村户籍人口 × 100).
SUM = "sum"
RATIO = "ratio"


def year_of(field_name: str) -> Expression:
    """The period key of a YEAR figure from a date field: '2026'."""
    return Cast(ExtractYear(field_name), CharField())


def month_of(field_name: str) -> Expression:
    """The period key of a MONTH figure from a date field: '2026-03' (the same text on both databases)."""
    return Concat(
        Cast(ExtractYear(field_name), CharField()),
        Value("-"),
        LPad(Cast(ExtractMonth(field_name), CharField()), 2, Value("0")),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Indicator:
    """One figure of the catalogue.

    - `code`: '<app>.<name>', stable (the rollup and the upward forms refer to it).
    - `name`, `definition`, `unit`: gettext_lazy texts (户, 人, 元, 人次, %, 个, 次 …).
    - `period`: SNAPSHOT, YEAR or MONTH (above).
    - `rows`: a callable giving the records counted, unscoped (a QuerySet of the owning app).
    - `code_field`: the path from a record to its division code (`village_id`, `household__village_id`,
      `division_id`); codes of any level (a county's project counts at its county).
    - `value`: the aggregate (`Count("id")`, `Sum("amount")`, `Count("household_id", distinct=True)`).
    - `period_of`: an expression giving the period key (`year_of("held_on")`), None for SNAPSHOT.
    - `category_of`: an expression giving a category key (an object's type, a risk code, a fund
      category), None for a figure without a breakdown; `categories` maps each key to its label.
      The rollup holds the total too, as category '' (the same rows counted without the
      breakdown), so a total is right where a record falls in several categories (an object with
      two risks) or the value is a distinct count.
    - `unit_field`: the path to the assisting unit (`orgs.Unit`) the records belong to, where they
      do (the unit's own figures: 责任书 indicators), else None.
    - `drill`: `drill(code, period, category) -> url` of the list of exactly the records counted.
    - `kind`: SUM, or RATIO with `parts=(numerator code, denominator code)` and `scale`.
    - `levels`: the levels at which the figure means something (all by default).
    - `sources`: the models whose writes change the figure ('registry.Household'), with the path from
      each to a division code, so a write marks its village for the incremental refresh:
      `(("registry.Household", "village_id"), ("registry.Member", "household__village_id"))`.
    """

    code: str
    name: Any
    definition: Any
    unit: Any
    period: str = SNAPSHOT
    rows: Callable[[], Any] | None = None
    code_field: str = "village_id"
    value: Any = None
    period_of: Expression | None = None
    category_of: Expression | None = None
    categories: dict[str, Any] = field(default_factory=dict)
    unit_field: str | None = None
    drill: Callable[[str, str, str], str] | None = None
    kind: str = SUM
    parts: tuple[str, str] | None = None
    scale: int = 1
    levels: tuple[str, ...] = tuple(LEVELS)
    sources: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        assert self.period in PERIODS, self.code
        assert "." in self.code, self.code
        if self.kind == RATIO:
            assert self.parts and len(self.parts) == 2 and self.rows is None, self.code
        else:
            assert self.rows is not None and self.value is not None, self.code
            assert (self.period == SNAPSHOT) == (self.period_of is None), self.code
            assert (self.category_of is None) == (not self.categories), self.code


CATALOGUE: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Add a declaration to the catalogue (called at import of an app's `indicators.py`)."""
    if indicator.code in CATALOGUE and CATALOGUE[indicator.code] is not indicator:
        raise ValueError(f"indicator {indicator.code} declared twice")
    CATALOGUE[indicator.code] = indicator
    return indicator


_discovered = False


def catalogue() -> dict[str, Indicator]:
    """Every declared indicator, after each installed app's `indicators.py` was imported (once per
    process: the discovery asks the import system about every app, about 5 ms a call, and the
    驾驶舱 asks for the catalogue several times a request)."""
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("indicators")
        _discovered = True
    return CATALOGUE


def recount(indicator: Indicator, *, prefix: str = "", period: str = "", category: str = "", unit_id=None):
    """The figure counted straight from the records, bypassing the rollup: the declaration's rows
    under a division code prefix ('' = everywhere), in one period ('' for a SNAPSHOT figure; a year
    '2026' also takes a MONTH figure's months of that year) and one category ('' = the total).
    Tests compare it with hand counts and with the rollup; the rollup must equal it at every level.
    A RATIO is recounted from its parts. Returns a number (0 when nothing is counted)."""
    from decimal import Decimal

    if indicator.kind == RATIO:
        numerator, denominator = (
            recount(CATALOGUE[code], prefix=prefix, period=period, category=category, unit_id=unit_id)
            for code in indicator.parts
        )
        if not denominator:
            return None
        return Decimal(numerator) * indicator.scale / Decimal(denominator)
    rows = indicator.rows()
    if prefix:
        # Through a text cast: a foreign key's own column (`village_id`) takes no `startswith`.
        rows = rows.annotate(_code=Cast(indicator.code_field, CharField())).filter(_code__startswith=prefix)
    if indicator.period_of is not None and period:
        rows = rows.annotate(_period=indicator.period_of)
        if indicator.period == MONTH and len(period) == 4:
            rows = rows.filter(_period__startswith=period + "-")
        else:
            rows = rows.filter(_period=period)
    if indicator.category_of is not None and category:
        rows = rows.annotate(_category=indicator.category_of).filter(_category=category)
    if indicator.unit_field and unit_id is not None:
        rows = rows.filter(**{indicator.unit_field: unit_id})
    value = rows.aggregate(_value=indicator.value)["_value"]
    return value or 0
