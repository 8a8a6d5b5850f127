"""Reads of the reports app: figures from the rollup, scoped to the reader.

Every figure is a SUM over the rollup (`reports.Rollup`) filtered by one equality on the level
column of the division asked for, and by the reader's scope (`core.scoping.scope_of`): rows whose
code lies under one of the user's prefixes. A division outside the scope answers None (or []),
exactly like a division that does not exist. A RATIO indicator is never stored: it is computed
here from the sums of its two parts, each read the same way.

The periods: '' reads every period stored (a SNAPSHOT figure has only ''); a year '2026' reads a
YEAR figure's year or a MONTH figure's twelve months; a month '2026-03' a MONTH figure's month.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.db.models.functions import Substr

from fupin.core import indicators as declared
from fupin.core.scoping import scope_of
from fupin.regions.models import Region
from fupin.reports.models import LEVEL_COLUMNS, Indicator, RefreshRun, Rollup

# code length -> (level column, the next level's column or None)
_COLUMN_OF = {length: name for name, length in LEVEL_COLUMNS}
_NEXT_OF = {
    length: (LEVEL_COLUMNS[i + 1] if i + 1 < len(LEVEL_COLUMNS) else None)
    for i, (_name, length) in enumerate(LEVEL_COLUMNS)
}

ZERO = Decimal("0")


@dataclass(frozen=True)
class Part:
    """One division of a breakdown: its code, its name and the figure (None: a ratio without a
    denominator)."""

    code: str
    name: str
    value: Decimal | None


_discovered = False


def declaration(code: str) -> declared.Indicator | None:
    """The declared indicator `code` (the apps' indicators.py imported once per process)."""
    global _discovered
    if not _discovered:
        declared.catalogue()
        _discovered = True
    return declared.CATALOGUE.get(code)


def _level_q(code: str) -> Q:
    column = _COLUMN_OF.get(len(code))
    if column is None:  # not a division code's length: no row has it
        return Q(pk__in=[])
    return Q(**{column: code})


def _scope_q(scope) -> Q:
    q = Q(pk__in=[])
    for prefix in scope.prefixes:
        q |= _level_q(prefix)
    return q


def _period_q(ind: declared.Indicator, period: str) -> Q:
    # A snapshot has no period (a ratio's snapshot part — 在帮户数 — reads the same in any month).
    if not period or ind.period == declared.SNAPSHOT:
        return Q()
    if ind.period == declared.MONTH and len(period) == 4:
        # A year of a monthly figure: a range on the key keeps to the index.
        return Q(period__gte=f"{period}-01", period__lte=f"{period}-12")
    return Q(period=period)


def _rows(scope, ind: declared.Indicator, *, division, period, category, unit_id):
    """The rollup rows of a SUM indicator for the area (division or the whole scope)."""
    rows = Rollup.objects.filter(indicator=ind.code)
    rows = rows.filter(category=category if ind.categories else "")
    rows = rows.filter(_period_q(ind, period))
    rows = rows.filter(_level_q(division) if division else _scope_q(scope))
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return rows


def _in_scope(scope, division) -> bool:
    if scope.is_empty:
        return False
    return division is None or scope.covers_code(division)


def in_scope(user, division: str | None) -> bool:
    """Whether the user may read figures of `division` (None: their whole scope; an empty scope
    reads nothing)."""
    return _in_scope(scope_of(user), division)


def _sum(rows) -> Decimal:
    return rows.aggregate(v=Sum("value"))["v"] or ZERO


def _ratio(ind: declared.Indicator, numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return Decimal(numerator) * ind.scale / Decimal(denominator)


def _parts(ind: declared.Indicator) -> list[declared.Indicator]:
    return [declaration(code) for code in ind.parts]


def figure(user, code, *, division=None, period="", category="", unit_id=None) -> Decimal | None:
    """The indicator's figure for `division` (None: the user's whole scope); None when the
    division is outside the user's scope, the indicator unknown, or a ratio has no denominator."""
    ind = declaration(code)
    scope = scope_of(user)
    if ind is None or not _in_scope(scope, division):
        return None
    if ind.kind == declared.RATIO:
        numerator, denominator = (
            _sum(_rows(scope, part, division=division, period=period, category=category, unit_id=unit_id))
            for part in _parts(ind)
        )
        return _ratio(ind, numerator, denominator)
    return _sum(_rows(scope, ind, division=division, period=period, category=category, unit_id=unit_id))


def _grouped(scope, ind, column, *, division, period, category) -> dict[str, Decimal]:
    rows = _rows(scope, ind, division=division, period=period, category=category, unit_id=None)
    return {
        key: value or ZERO
        for key, value in rows.order_by()
        .values_list(column)
        .annotate(v=Sum("value"))
        .values_list(column, "v")
    }


def _values_by(scope, ind, column, *, division, period, category) -> dict[str, Decimal | None]:
    """Sums grouped by a level column (a ratio from its parts' groups)."""
    if ind.kind != declared.RATIO:
        return _grouped(scope, ind, column, division=division, period=period, category=category)
    numerators, denominators = (
        _grouped(scope, part, column, division=division, period=period, category=category)
        for part in _parts(ind)
    )
    return {key: _ratio(ind, numerators.get(key, ZERO), den) for key, den in denominators.items()}


def breakdown(user, code, *, division=None, period="", category="") -> list[Part]:
    """The figure for each division one level below `division` (for None: the roots of the user's
    scope — the provinces for a national viewer), all of them, 0 where nothing was counted, in
    code order; [] outside the scope or below the village."""
    ind = declaration(code)
    scope = scope_of(user)
    if ind is None or not _in_scope(scope, division):
        return []
    empty = None if ind.kind == declared.RATIO else ZERO
    if division is None:
        children = list(
            Region.objects.filter(code__in=scope.prefixes).order_by("code").values_list("code", "name")
        )
        values: dict[str, Decimal | None] = {}
        for length in sorted({len(c) for c, _n in children}):
            column = _COLUMN_OF.get(length)
            if column:
                values.update(_values_by(scope, ind, column, division=None, period=period, category=category))
    else:
        following = _NEXT_OF.get(len(division))
        if following is None:
            return []
        children = list(
            Region.objects.filter(parent_id=division).order_by("code").values_list("code", "name")
        )
        values = _values_by(scope, ind, following[0], division=division, period=period, category=category)
    return [Part(child, name, values.get(child, empty)) for child, name in children]


def by_category(user, code, *, division=None, period="") -> list[tuple[str, str, Decimal | None]]:
    """The figure per declared category (key, label, value), in the declaration's order; [] for an
    indicator without categories or outside the scope."""
    ind = declaration(code)
    scope = scope_of(user)
    if ind is None or not _in_scope(scope, division):
        return []
    categorised = _parts(ind)[0] if ind.kind == declared.RATIO else ind
    if not categorised.categories:
        return []

    def sums(part) -> dict[str, Decimal]:
        rows = Rollup.objects.filter(indicator=part.code).filter(_period_q(part, period))
        rows = rows.filter(_level_q(division) if division else _scope_q(scope))
        return dict(
            rows.order_by().values_list("category").annotate(v=Sum("value")).values_list("category", "v")
        )

    if ind.kind != declared.RATIO:
        found = sums(ind)
        return [(key, str(label), found.get(key) or ZERO) for key, label in ind.categories.items()]
    numerator, denominator = _parts(ind)
    tops, bottoms = sums(numerator), sums(denominator)
    result = []
    for key, label in categorised.categories.items():
        bottom = bottoms.get(key if denominator.categories else "") or ZERO
        result.append((key, str(label), _ratio(ind, tops.get(key) or ZERO, bottom)))
    return result


def _by_period(
    scope, ind: declared.Indicator, *, division, periods: list[str], category
) -> dict[str, Decimal]:
    """The figure of a SUM indicator for each of `periods`, in one grouped read (what `figure` gives
    for each period, as `_period_q` reads it)."""
    rows = Rollup.objects.filter(indicator=ind.code, category=category if ind.categories else "")
    rows = rows.filter(_level_q(division) if division else _scope_q(scope))
    if ind.period == declared.SNAPSHOT:  # the same figure in any period
        total = _sum(rows)
        return dict.fromkeys(periods, total)
    if ind.period == declared.MONTH and all(len(p) == 4 for p in periods):
        # A monthly figure read by year: its months summed per year (a range keeps to the index).
        rows = rows.filter(period__gte=f"{min(periods)}-01", period__lte=f"{max(periods)}-12")
        key = Substr("period", 1, 4)
    else:
        rows = rows.filter(period__in=periods)
        key = F("period")
    found = dict(
        rows.order_by().annotate(key=key).values_list("key").annotate(v=Sum("value")).values_list("key", "v")
    )
    return {period: found.get(period) or ZERO for period in periods}


def trend(user, code, *, division=None, periods: list[str], category="") -> list[tuple[str, Decimal | None]]:
    """The figure for each of `periods` (years or months), in the order given; [] outside scope.
    One grouped read per indicator (two for a ratio), not one per period: the 驾驶舱 draws a trend
    line under each of its key figures."""
    ind = declaration(code)
    scope = scope_of(user)
    if ind is None or not _in_scope(scope, division):
        return []
    if len({len(p) for p in periods}) > 1:  # years and months mixed: each read as `figure` reads it
        return [(p, figure(user, code, division=division, period=p, category=category)) for p in periods]
    if ind.kind == declared.RATIO:
        numerators, denominators = (
            _by_period(scope, part, division=division, periods=periods, category=category)
            for part in _parts(ind)
        )
        return [(p, _ratio(ind, numerators[p], denominators[p])) for p in periods]
    values = _by_period(scope, ind, division=division, periods=periods, category=category)
    return [(p, values[p]) for p in periods]


def indicators() -> list[Indicator]:
    """The catalogue rows in use (declared and active), in the catalogue's order."""
    return list(Indicator.objects.filter(active=True, declared=True))


def drill_url(code, *, division, period="", category="") -> str | None:
    """The list of exactly the records a figure counts (a ratio: its numerator's), or None."""
    ind = declaration(code)
    if ind is not None and ind.kind == declared.RATIO:
        ind = declaration(ind.parts[0])
    if ind is None or ind.drill is None:
        return None
    return ind.drill(division or "", period, category)


def last_refresh() -> RefreshRun | None:
    """The latest refresh of the rollup (the 驾驶舱's 数据更新于)."""
    return RefreshRun.objects.first()


__all__ = [
    "Part",
    "breakdown",
    "by_category",
    "declaration",
    "drill_url",
    "figure",
    "in_scope",
    "indicators",
    "last_refresh",
    "trend",
]
