"""Household search speed against its limit (`fupin bench_search`; a benchmark, not a test).

For each search mode (name, pinyin initials, full ID number, last four) it runs N random queries the
way the list page does (the first page of households through the scoping choke point, plus the count)
and, side by side, the limit: the bare look-up on the indexed member column as hand-written SQL.
Queries come from members sampled from the database (ID numbers decrypted here, in the benchmark only).
"""

import random
import statistics
import time
from types import SimpleNamespace

from django.db import connection

from fupin.core import crypto
from fupin.core.scoping import Scope
from fupin.registry import selectors
from fupin.registry.models import Member

MODES = ("name", "initials", "id", "last4")

LIMIT_SQL = {
    "name": "SELECT DISTINCT household_id FROM registry_member WHERE name LIKE %s LIMIT 21",
    "initials": "SELECT DISTINCT household_id FROM registry_member WHERE name_initials LIKE %s LIMIT 21",
    "id": "SELECT household_id FROM registry_member WHERE id_number_bidx = %s",
    "last4": "SELECT DISTINCT household_id FROM registry_member WHERE id_last4 = %s LIMIT 21",
}


def scoped_user(prefix: str):
    """A stand-in user whose scope is `prefix` (the choke point reads the cached scope)."""
    return SimpleNamespace(is_authenticated=True, is_active=True, _fupin_scope=Scope(prefixes=(prefix,)))


def sample_queries(n: int, *, seed: int = 1) -> dict[str, list[str]]:
    """`n` search texts per mode from random members (by random primary keys: no ORDER BY random())."""
    rng = random.Random(seed)
    ids = Member.objects.order_by().values_list("id", flat=True)
    low, high = ids.order_by("id").first(), ids.order_by("-id").first()
    if low is None:
        raise SystemExit("no members: fill the database with `fupin generate` first")
    picked: list[tuple[str, str, str]] = []
    while len(picked) < n:
        batch = rng.sample(range(low, high + 1), min(n * 2, high - low + 1))
        rows = Member.objects.filter(id__in=batch).values_list("name", "name_initials", "id_number_enc")[
            : n - len(picked)
        ]
        picked += list(rows)
    return {
        "name": [name for name, _i, _e in picked],
        "initials": [initials[:3] for _n, initials, _e in picked],
        "id": [crypto.decrypt(enc) for _n, _i, enc in picked],
        "last4": [crypto.decrypt(enc)[-4:] for _n, _i, enc in picked],
    }


def _limit_param(mode: str, q: str) -> str:
    if mode == "id":
        return crypto.blind_index("id", q)
    if mode in ("name", "initials"):
        return q.replace("%", r"\%").replace("_", r"\_") + "%"
    return q


def time_ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def p(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]
    )


def run(*, prefix: str, n: int, seed: int = 1) -> list[dict]:
    user = scoped_user(prefix)
    queries = sample_queries(n, seed=seed)
    results = []
    for mode in MODES:
        app, limit = [], []
        for q in queries[mode]:

            def page(q=q):
                households = selectors.household_list(user=user, filters={"q": q})
                list(households[:20])
                households.count()

            def bare(q=q, mode=mode):
                with connection.cursor() as cursor:
                    cursor.execute(LIMIT_SQL[mode], [_limit_param(mode, q)])
                    cursor.fetchall()

            app.append(time_ms(page))
            limit.append(time_ms(bare))
        results.append(
            {
                "mode": mode,
                "n": len(app),
                "p50": p(app, 50),
                "p95": p(app, 95),
                "limit_p50": p(limit, 50),
                "limit_p95": p(limit, 95),
            }
        )
    return results
