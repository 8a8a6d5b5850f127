# ruff: noqa: S608 - the SQL is built from model table names, this module's constants and Django-compiled
# queries whose parameters are passed to the driver.
"""Writes of the reports app: the catalogue kept in step with the declarations, and the rollup.

The refresh writes each SUM declaration's figures in one set-based statement:

    INSERT INTO reports_rollup (indicator, category, period, unit_id, code, province … village, value)
    SELECT 'registry.households', s.category, COALESCE(s.period, ''), s.unit, s.code,
           CASE WHEN LENGTH(s.code) >= 2 THEN SUBSTR(s.code, 1, 2) ELSE '' END, …, s.value
    FROM (<the declaration's queryset, grouped by code, period, category, unit: compiled by Django>) s
    UNION ALL SELECT … '' … FROM (<the same without the category: the total row>) t

The inner queries are Django's own compilation of the declaration (`query.sql_with_params()`,
its parameters passed to the driver, never pasted into the text), so the owning app's joins,
filters and aggregates are what is counted, on SQLite and PostgreSQL alike; the outer SQL is
plain SQL both databases speak. No row passes through Python.

A full refresh replaces an indicator's rows in its own transaction (a reader sees the old
figures or the new, never half). An incremental one (`codes=`) replaces only the rows of those
division codes and their ancestors, counting only the records filed there
(`code_field__in=codes`): a village's edit rewrites that village's rows (and, where records sit at
its township or county, theirs).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import CharField, F, Max
from django.db.models.functions import Cast
from django.utils import timezone, translation

from fupin.core import indicators as declared
from fupin.core.indicators import LEVELS, RATIO, code_range
from fupin.reports.models import DirtyCode, Indicator, RefreshRun, Rollup, RollupTotal

log = logging.getLogger(__name__)

# Past this many codes an incremental refresh of an indicator costs more than a full one (and
# would pass more parameters than SQLite takes in one statement).
MAX_CODES = 2000

_COLUMNS = "indicator, category, period, unit_id, code, province, city, county, township, village, value"

Progress = Callable[[int, int, str], None]


# --- the catalogue -------------------------------------------------------------------------------


def _text(value) -> str:
    return str(value) if value is not None else ""


def sync_catalogue() -> int:
    """Write the declarations into the `Indicator` rows (texts in Chinese, as declared); rows whose
    declaration is gone are marked undeclared (kept: an administrator's `active` choice and the
    history of the code survive a module being switched off). Returns the number declared."""
    found = declared.catalogue()
    existing = {row.code: row for row in Indicator.objects.all()}
    fields = ["app", "name", "definition", "unit", "period", "kind", "levels", "position", "declared"]
    new, changed = [], []
    with translation.override("zh-hans"):
        for position, ind in enumerate(found.values(), 1):
            values = {
                "app": ind.code.split(".", 1)[0],
                "name": _text(ind.name)[:200],
                "definition": _text(ind.definition),
                "unit": _text(ind.unit)[:20],
                "period": ind.period,
                "kind": ind.kind,
                "levels": ",".join(ind.levels),
                "position": position * 10,
                "declared": True,
            }
            row = existing.pop(ind.code, None)
            if row is None:
                new.append(Indicator(code=ind.code, **values))
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                changed.append(row)
    Indicator.objects.bulk_create(new)
    if changed:
        Indicator.objects.bulk_update(changed, fields)
    gone = [code for code, row in existing.items() if row.declared]
    if gone:
        Indicator.objects.filter(code__in=gone).update(declared=False)
    return len(found)


# --- the refresh ---------------------------------------------------------------------------------


def ancestors(codes: Iterable[str]) -> set[str]:
    """The codes and every ancestor of each (a village's township, county, city, province)."""
    found: set[str] = set()
    lengths = sorted(LEVELS.values())
    for code in codes:
        found.update(code[:n] for n in lengths if n <= len(code))
    return found


def _ancestor_sql(column: str) -> str:
    parts = [
        f"CASE WHEN LENGTH({column}) >= {n} THEN SUBSTR({column}, 1, {n}) ELSE '' END"
        for n in LEVELS.values()
    ]
    return ", ".join(parts)


def _grouped(ind: declared.Indicator, *, codes, prefix: str, categorised: bool):
    """The declaration's rows grouped by code, period, (category), unit: a values+annotate query."""
    rows = ind.rows().order_by()
    if codes is not None:
        rows = rows.filter(**{f"{ind.code_field}__in": sorted(codes)})
    if prefix:
        # Through a text cast: a foreign key's own column (`village_id`) takes no `startswith`.
        rows = rows.annotate(rollup_area=Cast(ind.code_field, CharField())).filter(
            rollup_area__startswith=prefix
        )
    names = {"rollup_code": F(ind.code_field)}
    if ind.period_of is not None:
        names["rollup_period"] = ind.period_of
    if categorised:
        names["rollup_category"] = ind.category_of
    if ind.unit_field:
        names["rollup_unit"] = F(ind.unit_field)
    return rows.annotate(**names).values(*names).annotate(rollup_value=ind.value).order_by()


def _select(ind: declared.Indicator, qs, *, categorised: bool) -> tuple[str, list] | None:
    """One SELECT of rollup rows from a grouped query; None when the query can match nothing."""
    from django.core.exceptions import EmptyResultSet

    try:
        inner, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return None
    q = connection.ops.quote_name
    code = f"s.{q('rollup_code')}"
    period = f"COALESCE(s.{q('rollup_period')}, '')" if ind.period_of is not None else "''"
    category = f"s.{q('rollup_category')}" if categorised else "''"
    # A typed NULL: in a UNION, PostgreSQL would take a bare NULL for text.
    unit = f"s.{q('rollup_unit')}" if ind.unit_field else "CAST(NULL AS INTEGER)"
    where = f"{code} IS NOT NULL"
    if categorised:
        where += f" AND {category} IS NOT NULL"
    sql = (
        f"SELECT %s, {category}, {period}, {unit}, {code}, {_ancestor_sql(code)}, "
        f"COALESCE(s.{q('rollup_value')}, 0) FROM ({inner}) s WHERE {where}"
    )
    return sql, [ind.code, *params]


def write_indicator(
    ind: declared.Indicator, *, codes: set[str] | None = None, prefix: str = "", totals: bool = True
) -> int:
    """Replace the indicator's rollup rows (all, those of `codes`, or those under the division
    `prefix`) with a fresh count, and the totals above them (unless `totals` is False: the drain
    writes those of all its indicators at once), in one transaction; returns the rows written."""
    selects = [_select(ind, _grouped(ind, codes=codes, prefix=prefix, categorised=False), categorised=False)]
    if ind.category_of is not None:
        grouped = _grouped(ind, codes=codes, prefix=prefix, categorised=True)
        selects.append(_select(ind, grouped, categorised=True))
    selects = [s for s in selects if s is not None]
    written = 0
    # No savepoint inside the drain's transaction (two statements an indicator saved): a failure
    # there undoes the whole drain anyway.
    with transaction.atomic(savepoint=False):
        stale = Rollup.objects.filter(indicator=ind.code)
        if codes is not None:
            stale = stale.filter(code__in=sorted(codes))
        if prefix:
            low, high = _under(prefix)[1]
            stale = stale.filter(code__gte=low, code__lte=high)
        stale.delete()  # no relations, no signals: one DELETE statement
        if selects:
            sql = f"INSERT INTO {Rollup._meta.db_table} ({_COLUMNS}) " + " UNION ALL ".join(
                s for s, _p in selects
            )
            params = [p for _s, ps in selects for p in ps]
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                written = max(cursor.rowcount, 0)
        if totals:
            write_totals([ind.code], divisions=codes, prefix=prefix)
    return written


# --- the totals above the village (RollupTotal) ----------------------------------------------------

# The levels that have totals, deepest first: (column, code length, the parent level's length).
_TOTAL_LEVELS = (("township", 9, 6), ("county", 6, 4), ("city", 4, 2), ("province", 2, 0))
_TOTAL_COLUMNS = "indicator, category, period, unit_id, code, parent, value"
_VILLAGE_WIDTH = LEVELS["village"]


def _under(prefix: str, width: int = _VILLAGE_WIDTH) -> tuple[str, list[str]]:
    """`code` under the division `prefix` (itself included) as a range on the (indicator, code)
    index (core.indicators.code_range)."""
    return "(code >= %s AND code <= %s)", list(code_range(prefix, width))


def _parent_sql(width: int) -> str:
    return f"SUBSTR(code, 1, {width})" if width else "''"


def _totals_below(code: str, prefix: str = "") -> None:
    """Write the totals of every division under `prefix` (all: ''), `prefix` itself included, from
    the indicator's rollup rows: one pass over them, grouped to township-or-own-code in a CTE
    (a twentieth of the rows), each level then summed from that."""
    where, params = "indicator = %s", [code]
    if prefix:
        clause, bounds = _under(prefix)
        where, params = f"{where} AND {clause}", [*params, *bounds]
    parts = []
    column_of = {width: column for column, width, _p in _TOTAL_LEVELS}
    for column, width, parent in _TOTAL_LEVELS:
        if width < len(prefix):
            continue  # above the area: `_totals_upward` rewrites those
        if parent:
            select, group = f"{column}, {column_of[parent]}", f"{column}, {column_of[parent]}"
        else:
            select, group = f"{column}, ''", column
        parts.append(
            f"SELECT %s, category, period, unit_id, {select}, SUM(v) "
            f"FROM t WHERE {column} <> '' GROUP BY category, period, unit_id, {group}"
        )
    if not parts:
        return
    sql = (
        f"INSERT INTO {RollupTotal._meta.db_table} ({_TOTAL_COLUMNS}) "
        f"WITH t AS (SELECT category, period, unit_id, province, city, county, township, SUM(value) AS v "
        f"FROM {Rollup._meta.db_table} WHERE {where} "
        "GROUP BY category, period, unit_id, province, city, county, township) " + " UNION ALL ".join(parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *([code] * len(parts))])


def _totals_upward(codes: list[str], divisions: Iterable[str]) -> None:
    """Rewrite the totals of `divisions` (any levels) for the indicators `codes`, deepest first: a
    township's from its rollup rows (a range of codes), a county's, city's or province's from its
    children's totals plus the rows filed at its own code. A few rows each, and one statement per
    level for all the indicators: the drain's cost stays that of one village."""
    wanted = set(divisions)
    totals, rows = RollupTotal._meta.db_table, Rollup._meta.db_table
    inds = ", ".join(["%s"] * len(codes))
    stale = sorted(c for c in wanted if len(c) in {w for _c, w, _p in _TOTAL_LEVELS})
    if not stale:
        return
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(stale))
        cursor.execute(
            f"DELETE FROM {totals} WHERE indicator IN ({inds}) AND code IN ({marks})", [*codes, *stale]
        )
        for column, width, parent in _TOTAL_LEVELS:
            here = sorted(c for c in wanted if len(c) == width)
            if not here:
                continue
            marks = ", ".join(["%s"] * len(here))
            if column == "township":
                ranges = [_under(t) for t in here]
                where = " OR ".join(clause for clause, _b in ranges)
                cursor.execute(
                    f"INSERT INTO {totals} ({_TOTAL_COLUMNS}) "
                    f"SELECT indicator, category, period, unit_id, township, county, SUM(value) FROM {rows} "
                    f"WHERE indicator IN ({inds}) AND ({where}) AND township <> '' "
                    "GROUP BY indicator, category, period, unit_id, township, county",
                    [*codes, *(b for _c, bounds in ranges for b in bounds)],
                )
                continue
            cursor.execute(
                f"INSERT INTO {totals} ({_TOTAL_COLUMNS}) "
                f"SELECT indicator, category, period, unit_id, code, {_parent_sql(parent)}, SUM(value) FROM ("
                f"SELECT indicator, category, period, unit_id, parent AS code, value FROM {totals} "
                f"WHERE indicator IN ({inds}) AND parent IN ({marks}) "
                f"UNION ALL SELECT indicator, category, period, unit_id, code, value FROM {rows} "
                f"WHERE indicator IN ({inds}) AND code IN ({marks})"
                ") s GROUP BY indicator, category, period, unit_id, code",
                [*codes, *here, *codes, *here],
            )


def write_totals(codes: list[str], *, divisions: Iterable[str] | None = None, prefix: str = "") -> None:
    """Rewrite the totals of the indicators `codes` after their rollup rows were rewritten: all of
    them, those of `divisions` (the incremental refresh passes the marked codes with their
    ancestors), or those under `prefix` and the divisions above it (a county's own refresh)."""
    if divisions is not None:
        _totals_upward(codes, divisions)
        return
    for code in codes:
        stale = RollupTotal.objects.filter(indicator=code)
        if prefix:
            stale = stale.filter(code__range=code_range(prefix, LEVELS["township"]))
        stale.delete()
        _totals_below(code, prefix)
    if prefix:
        _totals_upward(codes, [prefix[:w] for _c, w, _p in _TOTAL_LEVELS if w < len(prefix)])


def totals_mismatch(indicators: Iterable[str] | None = None) -> list[tuple]:
    """The totals that differ from the sums of the rollup rows under them, computed here the plain
    way (a group-by per level in Python): [] when they agree. For the tests and the benchmark's
    check, not for large databases."""
    from collections import Counter

    rows = Rollup.objects.all()
    totals = RollupTotal.objects.all()
    if indicators is not None:
        rows, totals = (
            rows.filter(indicator__in=list(indicators)),
            totals.filter(indicator__in=list(indicators)),
        )
    expected: Counter = Counter()
    fields = ("indicator", "category", "period", "unit_id", "province", "city", "county", "township", "value")
    for ind, category, period, unit, *levels, value in rows.values_list(*fields).iterator():
        for division in levels:
            if division:
                expected[(ind, category, period, unit, division)] += value
    found = {
        (ind, category, period, unit, code): value
        for ind, category, period, unit, code, value in totals.values_list(
            "indicator", "category", "period", "unit_id", "code", "value"
        )
    }
    return sorted(
        (key, expected.get(key), found.get(key))
        for key in set(expected) | set(found)
        if expected.get(key) != found.get(key)
    )


def _stored(codes: Iterable[str] | None = None) -> list[declared.Indicator]:
    """The SUM declarations to write (a RATIO is read from its parts), active ones only: `codes`
    narrows them (a ratio's code stands for its parts)."""
    found = declared.catalogue()
    wanted = None
    if codes is not None:
        wanted = set()
        for code in codes:
            ind = found.get(code)
            if ind is None:
                continue
            wanted.update(ind.parts if ind.kind == RATIO else [code])
    inactive = set(Indicator.objects.filter(active=False).values_list("code", flat=True))
    return [
        ind
        for ind in found.values()
        if ind.kind != RATIO and ind.code not in inactive and (wanted is None or ind.code in wanted)
    ]


def refresh(
    *,
    codes: Iterable[str] | None = None,
    indicators: Iterable[str] | None = None,
    area: str = "",
    codes_of: Callable[[declared.Indicator], set[str]] | None = None,
    progress: Progress | None = None,
) -> RefreshRun:
    """Refresh the rollup: every active indicator (or `indicators`), fully, or only for the division
    `codes` (and their ancestors), or only for the records under the division `area` (a county's
    own refresh); `codes_of(indicator)` narrows `codes` per indicator (the drain: the codes written
    through its sources; an indicator given none is skipped). Returns the run's record."""
    started, clock = timezone.now(), time.perf_counter()
    if codes is None:
        # The declarations change with the code, not the data: kept in step after migrate and by
        # every full or area refresh, not by the drain each minute.
        sync_catalogue()
    chosen = _stored(indicators)
    scope = None if codes is None else ancestors(codes)
    if scope is not None and len(scope) > MAX_CODES:
        scope = None  # an import's worth of villages: one full pass is cheaper than many IN lists
    if scope is not None and codes_of is not None:
        narrowed = [(ind, ancestors(codes_of(ind))) for ind in chosen]
        work = [(ind, own if len(own) <= MAX_CODES else None) for ind, own in narrowed if own]
    else:
        work = [(ind, scope) for ind in chosen]
    written = 0
    # The incremental path's totals are written after all its indicators' rows, one statement per
    # level for every indicator sharing the same codes (in a drain, usually all of them): five
    # statements, not eight per indicator; in one transaction, so no reader sees rows without their
    # totals. A full or area refresh replaces each indicator in a transaction of its own.
    upward: dict[frozenset[str], list[str]] = {}
    with transaction.atomic() if scope is not None else contextlib.nullcontext():
        for done, (ind, codes_here) in enumerate(work, 1):
            if progress:
                progress(done - 1, len(work), ind.code)
            written += write_indicator(ind, codes=codes_here, prefix=area, totals=codes_here is None)
            if codes_here is not None:
                upward.setdefault(frozenset(codes_here), []).append(ind.code)
        for divisions, codes_ in upward.items():
            write_totals(codes_, divisions=divisions)
    if codes is None and indicators is None and not area:
        # Figures of declarations that no longer exist would never be rewritten: drop them.
        kept = [ind.code for ind in declared.CATALOGUE.values()]
        Rollup.objects.exclude(indicator__in=kept).delete()
        RollupTotal.objects.exclude(indicator__in=kept).delete()
        if connection.vendor == "postgresql":
            # Every row was rewritten: fresh statistics, or the planner may take the wrong index
            # until autovacuum comes by (measured: a year's visits figure 200 ms, 1–10 ms after).
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Rollup._meta.db_table}, {RollupTotal._meta.db_table}")
    if progress:
        progress(len(work), len(work), "")
    return RefreshRun.objects.create(
        started_at=started,
        full=scope is None and not area,
        indicators=len(work),
        codes=len(scope or ()),
        rows=written,
        seconds=round(time.perf_counter() - clock, 3),
    )


# --- dirty codes: written by the hooks, drained by the frequent job --------------------------------


def mark_dirty(marks: Iterable[tuple[str, str]]) -> None:
    """Record (division code, model label) pairs whose records changed (the hooks call it after
    commit; a label '' stands for every indicator)."""
    DirtyCode.objects.bulk_create(
        [DirtyCode(code=code[:12], source=source[:100]) for code, source in set(marks) if code]
    )


def drain(progress: Progress | None = None) -> RefreshRun | None:
    """Refresh the rollup for the codes marked since the last drain and forget exactly those marks
    (a mark written meanwhile has a higher id and waits for the next run). None: nothing marked.

    Only the indicators that count a written model are rewritten, each for the codes written
    through its sources (an indicator without declared sources, or a mark without a source, takes
    every marked code); all in one transaction: one commit, however many indicators."""
    last = DirtyCode.objects.aggregate(m=Max("id"))["m"]
    if last is None:
        return None
    by_source: dict[str, set[str]] = {}
    for code, source in DirtyCode.objects.filter(id__lte=last).values_list("code", "source").distinct():
        by_source.setdefault(source, set()).add(code)
    everything = set().union(*by_source.values())
    anywhere = by_source.get("", set())

    def codes_of(ind: declared.Indicator) -> set[str]:
        if not ind.sources:
            return everything
        return anywhere.union(*(by_source.get(label, set()) for label, _path in ind.sources))

    with transaction.atomic():
        run = refresh(codes=everything, codes_of=codes_of, progress=progress)
        DirtyCode.objects.filter(id__lte=last).delete()
    return run
