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

import logging
import time
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import CharField, F, Max
from django.db.models.functions import Cast
from django.utils import timezone, translation

from fupin.core import indicators as declared
from fupin.core.indicators import LEVELS, RATIO
from fupin.reports.models import DirtyCode, Indicator, RefreshRun, Rollup

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


def write_indicator(ind: declared.Indicator, *, codes: set[str] | None = None, prefix: str = "") -> int:
    """Replace the indicator's rollup rows (all, those of `codes`, or those under the division
    `prefix`) with a fresh count, in one transaction; returns the rows written."""
    selects = [_select(ind, _grouped(ind, codes=codes, prefix=prefix, categorised=False), categorised=False)]
    if ind.category_of is not None:
        grouped = _grouped(ind, codes=codes, prefix=prefix, categorised=True)
        selects.append(_select(ind, grouped, categorised=True))
    selects = [s for s in selects if s is not None]
    with transaction.atomic():
        stale = Rollup.objects.filter(indicator=ind.code)
        if codes is not None:
            stale = stale.filter(code__in=sorted(codes))
        if prefix:
            stale = stale.filter(code__startswith=prefix)
        stale.delete()  # no relations, no signals: one DELETE statement
        if not selects:
            return 0
        sql = f"INSERT INTO {Rollup._meta.db_table} ({_COLUMNS}) " + " UNION ALL ".join(
            s for s, _p in selects
        )
        params = [p for _s, ps in selects for p in ps]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return max(cursor.rowcount, 0)


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
    for done, (ind, codes_here) in enumerate(work, 1):
        if progress:
            progress(done - 1, len(work), ind.code)
        written += write_indicator(ind, codes=codes_here, prefix=area)
    if codes is None and indicators is None and not area:
        # Figures of declarations that no longer exist would never be rewritten: drop them.
        Rollup.objects.exclude(indicator__in=[ind.code for ind in declared.CATALOGUE.values()]).delete()
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
