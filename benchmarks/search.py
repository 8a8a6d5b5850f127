"""Household search speed against its limit (`fupin bench_search`; a benchmark, not a test).

For each search mode (full name, surname alone, pinyin initials, full ID number, last four) it runs
N random queries the way the list page does — the first page of households (20; by matched name for
names and initials, by household number for ID numbers) through the scoping choke point, plus the
count for 共 N 条 — and, side by side, the limit: the same two answers from hand-written SQL on the
indexed member columns. Both sides must give the same page and the same count. Each query is timed as one (page + count); the table prints
p50/p95/p99 of both and the ratio of the p95s, and how many households the queries matched.

Queries come from members sampled at random from the database. ID numbers are decrypted here (in the
benchmark only; a `bench_fill` database holds real ciphertexts under the keys it was filled with).
A warm-up round (other random members) runs first and is not timed.
"""

import random
import statistics
import time
from types import SimpleNamespace

from django.db import connection

from fupin.core import crypto
from fupin.core.scoping import Scope
from fupin.registry import selectors
from fupin.registry.models import Member, last4_index

MODES = ("name", "surname", "initials", "id", "last4")
PAGE = 20

# The member look-up each mode means (selectors.members_matching), as hand-written SQL.
MEMBER_WHERE = {
    "name": "name LIKE %s",
    "surname": "name LIKE %s",
    "initials": "name_initials LIKE %s",
    "id": "id_number_bidx = %s",
    "last4": "id_last4_bidx = %s",
}
LIMIT_PAGE_SQL = """
SELECT h.id, h.number, h.head_name, h.village_id FROM registry_household h
WHERE h.village_id LIKE %s AND h.id IN (SELECT household_id FROM registry_member WHERE {where})
ORDER BY h.number LIMIT {page}
"""
# Names and initials: the walk of the (column pattern_ops, household_id) index, one row per household.
LIMIT_NAME_PAGE_SQL = """
SELECT DISTINCT ON (m.{column}, m.household_id) h.id, h.number, h.head_name, h.village_id
FROM registry_member m JOIN registry_household h ON h.id = m.household_id
WHERE h.village_id LIKE %s AND m.{column} LIKE %s AND NOT EXISTS (
  SELECT 1 FROM registry_member e WHERE e.household_id = m.household_id AND e.{column} LIKE %s
  AND e.{column} ~<~ m.{column})
ORDER BY m.{column} USING ~<~, m.household_id LIMIT {page}
"""
# Its count: the households of the first matches in index order (selectors.count_up_to).
LIMIT_NAME_WALK_SQL = """
SELECT m.household_id FROM registry_member m JOIN registry_household h ON h.id = m.household_id
WHERE h.village_id LIKE %s AND m.{column} LIKE %s ORDER BY m.{column} USING ~<~, m.household_id LIMIT {limit}
"""
NAME_COLUMN = {"name": "name", "surname": "name", "initials": "name_initials"}
LIMIT_COUNT_SQL = """
SELECT count(*) FROM registry_household h
WHERE h.village_id LIKE %s AND h.id IN (SELECT household_id FROM registry_member WHERE {where})
"""


def scoped_user(prefix: str):
    """A stand-in user whose scope is `prefix` (the choke point reads the cached scope)."""
    return SimpleNamespace(is_authenticated=True, is_active=True, _fupin_scope=Scope(prefixes=(prefix,)))


def sample_queries(n: int, *, seed: int = 1, prefix: str = "") -> dict[str, list[str]]:
    """`n` search texts per mode from random members in the scope (random primary keys, no ORDER BY random())."""
    rng = random.Random(seed)
    members = Member.objects.order_by()
    fields = ("name", "name_initials", "id_number_enc")
    if prefix:
        # A scope's members are spread over the whole id range: pick from its own ids.
        members = members.filter(household__village__code__startswith=prefix)
        scoped = list(members.values_list("id", flat=True))
        if not scoped:
            raise SystemExit("no members in that scope")
        chosen = [rng.choice(scoped) for _ in range(n)]
        by_id = {row[0]: row[1:] for row in members.filter(id__in=chosen).values_list("id", *fields)}
        picked: list[tuple] = [by_id[i] for i in chosen]
    else:
        ids = members.values_list("id", flat=True)
        low, high = ids.order_by("id").first(), ids.order_by("-id").first()
        if low is None:
            raise SystemExit(
                "no members: fill the database with `fupin generate` or `fupin bench_fill` first"
            )
        picked = []
        while len(picked) < n:
            batch = rng.sample(range(low, high + 1), min(n * 2, high - low + 1))
            picked += list(members.filter(id__in=batch).values_list(*fields)[: n - len(picked)])
    rng.shuffle(picked)
    numbers = [crypto.decrypt(enc) for _n, _i, enc in picked]
    return {
        "name": [name for name, *_rest in picked],
        "surname": [name[:1] for name, *_rest in picked],
        "initials": [initials[:3] for _n, initials, *_rest in picked],
        "id": numbers,
        "last4": [number[-4:] for number in numbers],
    }


def _limit_param(mode: str, q: str) -> str:
    if mode == "id":
        return crypto.blind_index("id", q)
    if mode == "last4":
        return last4_index(q)
    if mode in ("name", "surname", "initials"):
        return q.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
    return q


def p(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]
    )


def page_and_count(user, q: str, cap: int = 0) -> tuple[list[int], int]:
    """What the list page does for a search: the first page, then the count (共 N 条), exact or
    counted up to `cap + 1` (selectors.count_up_to)."""
    households = selectors.household_list(user=user, filters={"q": q})
    page = [h.pk for h in households[:PAGE]]
    return page, (selectors.count_up_to(households, cap) if cap else households.count())


def limit_page_and_count(mode: str, q: str, prefix: str, cap: int = 0) -> tuple[list[int], int]:
    """The same two answers by hand-written SQL on the indexed columns."""
    like = prefix.replace("%", r"\%").replace("_", r"\_") + "%"
    param = _limit_param(mode, q)
    where = MEMBER_WHERE[mode]
    count_sql = LIMIT_COUNT_SQL.format(where=where)
    if cap:
        count_sql = (
            f"SELECT count(*) FROM ({count_sql.replace('count(*)', 'h.id', 1)} LIMIT {int(cap) + 1}) s"  # noqa: S608 - constants
        )
    with connection.cursor() as cursor:
        if mode in NAME_COLUMN:
            column = NAME_COLUMN[mode]
            cursor.execute(LIMIT_NAME_PAGE_SQL.format(column=column, page=PAGE), [like, param, param])
            page = [row[0] for row in cursor.fetchall()]
            if cap:
                limit = cap + 1 + cap // 4
                cursor.execute(LIMIT_NAME_WALK_SQL.format(column=column, limit=limit), [like, param])
                walked = [row[0] for row in cursor.fetchall()]
                distinct = len(set(walked))
                if len(walked) < limit:
                    return page, min(distinct, cap + 1)
                if distinct > cap:
                    return page, cap + 1
        else:
            cursor.execute(LIMIT_PAGE_SQL.format(where=where, page=PAGE), [like, param])
            page = [row[0] for row in cursor.fetchall()]
        cursor.execute(count_sql, [like, param])
        return page, cursor.fetchone()[0]


def run(
    *, prefix: str, n: int, seed: int = 1, warmup: int = 50, modes: tuple[str, ...] = MODES, cap: int = 0
) -> list[dict]:
    """p50/p95/p99 per mode of the page + count, and of the hand-written SQL; `cap` counts up to cap + 1."""
    user = scoped_user(prefix)
    queries = sample_queries(n, seed=seed, prefix=prefix)
    warm = sample_queries(warmup, seed=seed + 1000, prefix=prefix) if warmup else None
    results = []
    for mode in modes:
        if warm:
            for q in warm[mode]:
                page_and_count(user, q, cap)
                limit_page_and_count(mode, q, prefix, cap)
        app, limit, found = [], [], []
        for i, q in enumerate(queries[mode]):
            # Alternate which side goes first, so neither always finds the other's pages cached.
            sides = [("app", app), ("sql", limit)]
            if i % 2:
                sides.reverse()
            counts = {}
            for side, times in sides:
                started = time.perf_counter()
                counts[side] = (
                    page_and_count(user, q, cap)
                    if side == "app"
                    else limit_page_and_count(mode, q, prefix, cap)
                )
                times.append((time.perf_counter() - started) * 1000)
            if counts["app"] != counts["sql"]:
                raise AssertionError(f"{mode} {q!r}: the page gave {counts['app']}, the SQL {counts['sql']}")
            found.append(counts["app"][1])
        results.append(
            {
                "mode": mode,
                "n": len(app),
                "p50": p(app, 50),
                "p95": p(app, 95),
                "p99": p(app, 99),
                "limit_p50": p(limit, 50),
                "limit_p95": p(limit, 95),
                "limit_p99": p(limit, 99),
                "found_p50": p(found, 50),
                "found_max": max(found),
            }
        )
    return results
