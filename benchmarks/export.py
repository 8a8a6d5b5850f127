"""The registry's CSV export against `psql \\copy` of the same columns (`fupin bench_export`).

- ours: `registry.exporting.write_csv` for the households a county officer of PREFIX lists (the
  list's own query through the scoping choke point): every member with the export's 33 cells,
  ID numbers decrypted and masked, codes labelled, text formula-escaped, into a file.
- the limit: what `psql \\copy (SELECT …) TO FILE CSV` does — `COPY … TO STDOUT (FORMAT csv)`
  written to a file as it arrives — for the stored columns the export reads (ciphertexts and
  masked copies, codes, flags) of the same members in the same order. No decrypting, no labels.
- optionally the row path (`export_rows`, the .xlsx's cells, through `csv.writer`): how it went
  before the database made the CSV's cells.

Rounds alternate who goes first; the ratio compares median rates (rows/s), ours over the limit's.
PostgreSQL only (the limit is its COPY).
"""

import csv
import statistics
import tempfile
import time
from pathlib import Path

from django.db import connection

from benchmarks.search import scoped_user
from fupin.registry import selectors
from fupin.registry.exporting import export_rows, write_csv
from fupin.registry.models import Household, Member

# The stored columns the masked export reads, as `\copy` would take them.
COPY_COLUMNS = (
    "h.number, h.village_id, h.group_name, h.head_name, h.phone_masked, h.bank_name, "
    "h.bank_account_masked, h.attribute, h.main_cause, h.cause2, h.cause3, h.housing_area, "
    "h.housing_structure, h.housing_year, h.relocated, h.safe_water, h.electricity, m.name, m.sex, "
    "m.birth_year, m.id_number_enc, m.relation, m.ethnicity, m.education, m.school_status, "
    "m.health_enc, m.disability_enc, m.labour, m.work_status, m.months_worked, m.dibao, "
    "m.medical_insurance, m.pension_insurance"
)


def households_of(prefix: str):
    return selectors.household_list(user=scoped_user(prefix))


def ours(households, path: Path) -> int:
    with path.open("w", encoding="utf-8", newline="") as fh:
        return write_csv(fh, households)


def row_path(households, path: Path) -> int:
    rows = export_rows(selectors.members_of(households))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        count = 0
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def limit(households, path: Path) -> int:
    chosen, params = households.order_by().values("pk").query.sql_with_params()
    select = (
        f"SELECT {COPY_COLUMNS} FROM {Member._meta.db_table} m "  # noqa: S608 - constants
        f"JOIN {Household._meta.db_table} h ON h.id = m.household_id "
        f"WHERE m.household_id IN ({chosen}) ORDER BY h.number, m.id"
    )
    count = 0
    with connection.cursor() as cursor, path.open("wb") as fh:
        with cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT csv)", params) as copy:
            for data in copy:
                fh.write(data)
                count += 1
    return count


def run(*, prefix: str, rounds: int, with_row_path: bool = False, say=print) -> dict:
    if connection.vendor != "postgresql":
        raise SystemExit("bench_export compares with PostgreSQL's COPY: use a PostgreSQL database")
    households = households_of(prefix)
    sides = {"ours": ours, "copy": limit}
    if with_row_path:
        sides["rows"] = row_path
    times: dict[str, list[float]] = {side: [] for side in sides}
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="fupin-bench-export-") as folder:
        for number in range(rounds):
            order = list(sides) if number % 2 == 0 else list(reversed(sides))
            for side in order:
                started = time.perf_counter()
                counts[side] = sides[side](households, Path(folder) / f"{side}.csv")
                times[side].append(time.perf_counter() - started)
                say(f"round {number + 1} {side:<5} {times[side][-1]:7.2f} s  {counts[side]:,} rows")
        size = {side: (Path(folder) / f"{side}.csv").stat().st_size for side in sides}
    if len(set(counts.values())) != 1:
        raise SystemExit(f"the sides wrote different numbers of rows: {counts}")
    rows = counts["ours"]
    median = {side: statistics.median(t) for side, t in times.items()}
    return {
        "rows": rows,
        "seconds": median,
        "bytes": size,
        "ratio": median["copy"] / median["ours"],  # ours' rate over the limit's
    }
