"""Reads of the reports app: figures from the rollup, scoped to the reader.

A village's figure is the SUM of its rollup rows (`reports.Rollup`, `village = X`); a larger
division's is its total row (`reports.RollupTotal`, `code = X`, one row per category, period and
unit: the refresh writes the township, county, city and province totals beside the village rows),
so a national figure reads one row per province, not every village's. The reader's scope
(`core.scoping.scope_of`) is the set of its root divisions; a division outside it answers None
(or []), exactly like a division that does not exist. A RATIO indicator is never stored: it is computed
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
from fupin.reports.models import LEVEL_COLUMNS, Indicator, RefreshRun, Rollup, RollupTotal

# code length -> level column (a division code has one of these lengths)
_COLUMN_OF = {length: name for name, length in LEVEL_COLUMNS}

VILLAGE_WIDTH = declared.LEVELS["village"]
_TOWNSHIP_WIDTH = declared.LEVELS["township"]
ZERO = Decimal("0")


@dataclass(frozen=True)
class Part:
    """One division of a breakdown: its code, its name and the figure (None: a ratio without a
    denominator)."""

    code: str
    name: str
    value: Decimal | None


def declaration(code: str) -> declared.Indicator | None:
    """The declared indicator `code`."""
    return declared.catalogue().get(code)


def _period_q(ind: declared.Indicator, period: str) -> Q:
    # A snapshot has no period (a ratio's snapshot part — 在帮户数 — reads the same in any month).
    if not period or ind.period == declared.SNAPSHOT:
        return Q()
    if ind.period == declared.MONTH and len(period) == 4:
        # A year of a monthly figure: a range on the key keeps to the index.
        return Q(period__gte=f"{period}-01", period__lte=f"{period}-12")
    return Q(period=period)


def _areas(scope, division) -> list[str]:
    """The divisions whose figures make up the area: `division`, or the roots of the scope
    (already minimal: 63 and 632524 never both)."""
    codes = [division] if division else list(scope.prefixes)
    return [code for code in codes if len(code) in _COLUMN_OF]  # not a division's length: nothing


def _area_sources(areas: list[str], **filters) -> list:
    """The querysets holding the figures of `areas`, each with `area` annotated (the division it
    counts for): a village's are its rollup rows, a larger division's its total rows
    (`RollupTotal`: one row per category, period and unit, not every village's)."""
    villages = [c for c in areas if len(c) == VILLAGE_WIDTH]
    larger = [c for c in areas if len(c) != VILLAGE_WIDTH]
    found = []
    if larger:
        found.append(RollupTotal.objects.filter(code__in=larger, **filters).annotate(area=F("code")))
    if villages:
        # A village's rows are those filed at its code (nothing lies below a village).
        found.append(Rollup.objects.filter(code__in=villages, **filters).annotate(area=F("code")))
    return found


def _sources(ind: declared.Indicator, areas: list[str], *, category, unit_id=None, categorised=True):
    """The indicator's rows of `areas` (`_area_sources`), of one category (the total: '')."""
    found = _area_sources(areas, indicator=ind.code)
    if categorised:
        found = [rows.filter(category=category if ind.categories else "") for rows in found]
    if unit_id is not None:
        found = [rows.filter(unit_id=unit_id) for rows in found]
    return found


def _rows(scope, ind: declared.Indicator, *, division, period, category, unit_id):
    """The rows of a SUM indicator for the area (division or the whole scope), as querysets."""
    return [
        rows.filter(_period_q(ind, period))
        for rows in _sources(ind, _areas(scope, division), category=category, unit_id=unit_id)
    ]


def _summed(sources, key) -> dict:
    """{key: sum of value} over every source queryset (one grouped read each)."""
    found: dict = {}
    for rows in sources:
        for k, v in (
            rows.order_by()
            .annotate(key=key)
            .values_list("key")
            .annotate(v=Sum("value"))
            .values_list("key", "v")
        ):
            found[k] = found.get(k, ZERO) + (v or ZERO)
    return found


def _in_scope(scope, division) -> bool:
    if scope.is_empty:
        return False
    return division is None or scope.covers_code(division)


def in_scope(user, division: str | None) -> bool:
    """Whether the user may read figures of `division` (None: their whole scope; an empty scope
    reads nothing)."""
    return _in_scope(scope_of(user), division)


def _sum(sources) -> Decimal:
    return sum((rows.aggregate(v=Sum("value"))["v"] or ZERO for rows in sources), ZERO)


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


def _grouped(scope, ind, *, division, period, category) -> dict[str, Decimal]:
    """The figure of each division one level below `division` (None: of each root of the scope)."""
    if division is None:
        return _summed(
            _rows(scope, ind, division=None, period=period, category=category, unit_id=None), F("area")
        )
    rows = RollupTotal.objects.filter(indicator=ind.code, parent=division)
    key = F("code")
    if len(division) == _TOWNSHIP_WIDTH:
        # Its villages: their own rows, a range of codes on the (indicator, code) index (the
        # township's own records, village '', are no child's).
        rows = Rollup.objects.filter(indicator=ind.code, code__range=declared.code_range(division))
        key = F("village")
    rows = rows.filter(_period_q(ind, period), category=category if ind.categories else "")
    return _summed([rows], key)


def _values_by(scope, ind, *, division, period, category) -> dict[str, Decimal | None]:
    """The figures one level down (a ratio from its parts' figures)."""
    if ind.kind != declared.RATIO:
        return _grouped(scope, ind, division=division, period=period, category=category)
    numerators, denominators = (
        _grouped(scope, part, division=division, period=period, category=category) for part in _parts(ind)
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
    else:
        if len(division) not in _COLUMN_OF or len(division) == VILLAGE_WIDTH:
            return []
        children = list(
            Region.objects.filter(parent_id=division).order_by("code").values_list("code", "name")
        )
    values = _values_by(scope, ind, division=division, period=period, category=category)
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
        sources = _sources(part, _areas(scope, division), category="", categorised=False)
        return _summed([rows.filter(_period_q(part, period)) for rows in sources], F("category"))

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
    sources = _sources(ind, _areas(scope, division), category=category)
    if ind.period == declared.SNAPSHOT:  # the same figure in any period
        total = _sum(sources)
        return dict.fromkeys(periods, total)
    if ind.period == declared.MONTH and all(len(p) == 4 for p in periods):
        # A monthly figure read by year: its months summed per year (a range keeps to the index).
        sources = [
            rows.filter(period__gte=f"{min(periods)}-01", period__lte=f"{max(periods)}-12")
            for rows in sources
        ]
        key = Substr("period", 1, 4)
    else:
        sources = [rows.filter(period__in=periods) for rows in sources]
        key = F("period")
    found = _summed(sources, key)
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


class Figures:
    """The totals (category '') of several indicators for one area and a known set of periods, read
    at once: what `figure` and `trend` answer, from one grouped read per kind of row instead of one
    or two per figure and trend (the 驾驶舱 shows ten figures with their trends: 40 reads became 2).

    `figure(code, period)` and `trend(code, periods)` answer as the functions of the same name do,
    for the periods given to `figures()` (a year also brings its months); a period not read, or ''
    for a figure that has periods (every period stored), is read the ordinary way."""

    def __init__(
        self, user, division, sums: dict[tuple[str, str, str], Decimal], keys: set[str], categorised
    ):
        self.user, self.division, self.sums, self.keys = user, division, sums, keys
        self.categorised = categorised  # the codes whose categories were read too

    def _in(self, ind: declared.Indicator, period: str, category: str = "") -> Decimal | None:
        """The sum of one category ('' the total) as `_period_q` reads the period; None: not read."""
        if ind.period == declared.SNAPSHOT:
            return self.sums.get((ind.code, "", category), ZERO)
        if not period or period not in self.keys:
            return None  # not read here
        if ind.period == declared.MONTH and len(period) == 4:
            found = self.sums.items()
            return sum(
                (v for (i, p, c), v in found if i == ind.code and c == category and p[:4] == period), ZERO
            )
        return self.sums.get((ind.code, period, category), ZERO)

    def _sum(self, ind: declared.Indicator, period: str) -> Decimal | None:
        return self._in(ind, period)

    def figure(self, code: str, period: str = "") -> Decimal | None:
        ind = declaration(code)
        if ind is None:
            return None
        parts = _parts(ind) if ind.kind == declared.RATIO else [ind]
        values = [self._sum(part, period) for part in parts]
        if any(v is None for v in values):
            return figure(self.user, code, division=self.division, period=period)
        return _ratio(ind, *values) if ind.kind == declared.RATIO else values[0]

    def trend(self, code: str, periods: list[str]) -> list[tuple[str, Decimal | None]]:
        return [(p, self.figure(code, p)) for p in periods]

    def by_category(self, code: str, period: str = "") -> list[tuple[str, str, Decimal | None]]:
        """What `by_category` answers, from the categories read (codes given as `categorised`)."""
        ind = declaration(code)
        if ind is None:
            return []
        categorised = _parts(ind)[0] if ind.kind == declared.RATIO else ind
        parts = _parts(ind) if ind.kind == declared.RATIO else [ind]
        if (
            code not in self.categorised
            or not categorised.categories
            or any(self._in(part, period) is None for part in parts)
        ):
            return by_category(self.user, code, division=self.division, period=period)
        if ind.kind != declared.RATIO:
            return [(key, str(label), self._in(ind, period, key)) for key, label in ind.categories.items()]
        numerator, denominator = parts
        return [
            (
                key,
                str(label),
                _ratio(
                    ind,
                    self._in(numerator, period, key),
                    self._in(denominator, period, key if denominator.categories else ""),
                ),
            )
            for key, label in categorised.categories.items()
        ]


def figures(
    user, codes: list[str], *, division=None, periods: list[str], categorised: list[str] = ()
) -> Figures | None:
    """The totals of `codes` (ratios through their parts) for `division` (None: the user's whole
    scope) in `periods`, read at once, and the categories of `categorised` (a second read); None
    outside the scope (as `figure` answers None)."""
    scope = scope_of(user)
    if not _in_scope(scope, division):
        return None

    def stored(chosen) -> list[str]:
        found = set()
        for code in chosen:
            ind = declaration(code)
            if ind is not None:
                found.update(ind.parts if ind.kind == declared.RATIO else [code])
        return sorted(found)

    years = {p[:4] for p in periods if p}
    # Every key read: '' (snapshots), the periods, and each year with its months.
    keys = {"", *periods, *years, *(f"{y}-{m:02d}" for y in years for m in range(1, 13))}
    sums: dict[tuple[str, str, str], Decimal] = {}
    # `period <= the last key`, not `period IN (keys)`: three lists in one condition make PostgreSQL
    # scan the table (235 ms nationally at 1 M people) where this is an index range per indicator
    # and division (1.6 ms); the few earlier periods it brings are dropped here.
    reads = [({"category": ""}, stored(codes))]
    if categorised:
        reads.append(({"category__gt": ""}, stored(categorised)))
    for condition, wanted in reads:
        for rows in _area_sources(
            _areas(scope, division), indicator__in=wanted, period__lte=max(keys), **condition
        ):
            for code, period, category, value in (
                rows.order_by()
                .values_list("indicator", "period", "category")
                .annotate(v=Sum("value"))
                .values_list("indicator", "period", "category", "v")
            ):
                if period in keys:
                    key = (code, period, category)
                    sums[key] = sums.get(key, ZERO) + (value or ZERO)
    return Figures(user, division, sums, keys, set(categorised))


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
    "figures",
    "in_scope",
    "indicators",
    "last_refresh",
    "trend",
]
