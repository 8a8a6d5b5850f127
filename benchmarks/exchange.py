"""A county's file in the national layout against the limit (`fupin bench_exchange`).

- ours: `exchange.exporting.write_csv` of the `members` layout (one row per person, 26 cells) for
  the households a county officer of PREFIX sees (the scoping choke point): the members read in
  chunks with their household's columns, latest income and check (registry.selectors.
  exchange_member_rows), place names per chunk, the ID number decrypted for its mask, codes written
  as their national labels, into a UTF-8 CSV with BOM — the job's work without the queue.
- the limit: a hand-written `COPY (SELECT …) TO STDOUT (FORMAT csv)` of the same columns, unmasked
  (the stored ciphertexts as they are, codes as stored, place names joined, the person number and the
  latest income and check by SQL), written to a file as it arrives. No decrypting, no labels.

Rounds alternate who goes first; the ratio is the limit's median time over ours (1.0: as fast as
COPY). PostgreSQL only.
"""

import statistics
import tempfile
import time
from pathlib import Path

from django.db import connection

from benchmarks.search import scoped_user
from fupin.exchange import exporting
from fupin.regions.models import Region
from fupin.registry.models import Household, LivingCheck, Member, YearlyIncome


def ours(prefix: str, path: Path) -> int:
    user = scoped_user(prefix)
    return exporting.write_csv(
        path, exporting.rows(user, what="members", area=prefix), what="members", clear=False
    )


def limit_sql(prefix: str) -> tuple[str, list]:
    h, m, r = Household._meta.db_table, Member._meta.db_table, Region._meta.db_table
    i, c = YearlyIncome._meta.db_table, LivingCheck._meta.db_table
    select = f"""
        SELECT rc.name, rt.name, rv.name, h.group_name, h.village_id, h.number,
               h.number || LPAD((ROW_NUMBER() OVER (PARTITION BY m.household_id ORDER BY m.id))::text, 2, '0'),
               m.name, m.id_number_enc, m.sex, m.relation, m.ethnicity, m.education, m.school_status,
               m.health_enc, m.labour, m.work_status, m.months_worked, m.dibao, h.member_count, h.attribute,
               h.main_cause,
               (SELECT y.per_capita FROM {i} y WHERE y.household_id = h.id ORDER BY y.year DESC LIMIT 1),
               (SELECT NOT k.housing FROM {c} k WHERE k.household_id = h.id ORDER BY k.year DESC LIMIT 1),
               h.safe_water, h.phone_enc
        FROM {m} m JOIN {h} h ON h.id = m.household_id
        LEFT JOIN {r} rv ON rv.code = h.village_id
        LEFT JOIN {r} rt ON rt.code = SUBSTR(h.village_id, 1, 9)
        LEFT JOIN {r} rc ON rc.code = SUBSTR(h.village_id, 1, 6)
        WHERE h.village_id LIKE %s
        ORDER BY h.number, m.id
    """  # noqa: S608 - table names from the models
    return select, [prefix + "%"]


def limit(prefix: str, path: Path) -> int:
    select, params = limit_sql(prefix)
    count = 0
    with connection.cursor() as cursor, path.open("wb") as fh:
        with cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT csv)", params) as copy:
            for data in copy:
                fh.write(data)
        count = cursor.rowcount
    return count


def _lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def run(*, prefix: str, rounds: int, say=print) -> dict:
    if connection.vendor != "postgresql":
        raise SystemExit("bench_exchange compares with PostgreSQL's COPY: use a PostgreSQL database")
    sides = {"ours": ours, "copy": limit}
    times: dict[str, list[float]] = {side: [] for side in sides}
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="fupin-bench-exchange-") as folder:
        for number in range(rounds):
            order = list(sides) if number % 2 == 0 else list(reversed(sides))
            for side in order:
                path = Path(folder) / f"{side}.csv"
                started = time.perf_counter()
                sides[side](prefix, path)
                times[side].append(time.perf_counter() - started)
                # Data lines (no field holds a line break): ours has a header line.
                counts[side] = _lines(path) - (1 if side == "ours" else 0)
                say(f"round {number + 1} {side:<5} {times[side][-1]:7.2f} s  {counts[side]:,} rows")
        size = {side: (Path(folder) / f"{side}.csv").stat().st_size for side in sides}
    if len(set(counts.values())) != 1:
        raise SystemExit(f"the sides wrote different numbers of rows: {counts}")
    median = {side: statistics.median(t) for side, t in times.items()}
    return {
        "rows": counts["ours"],
        "seconds": median,
        "bytes": size,
        "ratio": median["copy"] / median["ours"],
    }
