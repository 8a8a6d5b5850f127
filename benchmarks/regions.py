"""`fupin bench_regions DIR`: our full load against the fastest bare write of the same rows, same run.

The limit is what the database can take with no parsing and no validation: on PostgreSQL a text COPY
of pre-serialised rows, on SQLite one `executemany`, each into a plain table of the same shape and
indexes. The ratio says how much of our time is ours. The benchmark empties and reloads the region
table, so run it on a database of its own (e.g. fupin_bench).
"""

import time
from pathlib import Path

from django.db import connection, transaction

from fupin.regions.loader import LoadResult, load_divisions

_COLUMNS = "code, name, short_name, level, parent_id, initials"
_INSERT_LIMIT = "INSERT INTO regions_bench_limit (code, name, short_name, level, parent_id, initials) VALUES (?, ?, ?, ?, ?, ?)"


def empty_regions() -> None:
    """Delete every region; fails (IntegrityError at commit) if other tables still point at them."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM regions_region")
    with connection.cursor() as cursor:
        # Dead rows and bloated indexes left by the delete would slow the timed load.
        cursor.execute("VACUUM ANALYZE regions_region" if connection.vendor == "postgresql" else "VACUUM")


def timed_load(directory: Path) -> tuple[float, LoadResult]:
    started = time.perf_counter()
    result = load_divisions(directory)
    return time.perf_counter() - started, result


def _clean_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_COLUMNS} FROM regions_region ORDER BY code")  # noqa: S608 - constant
        return cursor.fetchall()


def _copy_text(rows: list[tuple]) -> bytes:
    def field(value) -> str:
        if value is None:
            return "\\N"
        return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    return "".join("\t".join(field(v) for v in row) + "\n" for row in rows).encode()


def _limit_postgresql(rows: list[tuple]) -> float:
    payload = _copy_text(rows)  # serialised before the clock starts: the limit excludes all Python work
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS regions_bench_limit")
        cursor.execute("CREATE TABLE regions_bench_limit (LIKE regions_region INCLUDING ALL)")
        try:
            started = time.perf_counter()
            with transaction.atomic():
                with cursor.copy(f"COPY regions_bench_limit ({_COLUMNS}) FROM STDIN") as copy:
                    for i in range(0, len(payload), 1 << 20):
                        copy.write(payload[i : i + (1 << 20)])
            return time.perf_counter() - started
        finally:
            cursor.execute("DROP TABLE regions_bench_limit")


def _limit_sqlite(rows: list[tuple]) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, sql FROM sqlite_master WHERE tbl_name = 'regions_region' AND sql IS NOT NULL"
        )
        ddl = [sql.replace("regions_region", "regions_bench_limit") for _type, sql in cursor.fetchall()]
        cursor.execute("DROP TABLE IF EXISTS regions_bench_limit")
        for statement in ddl:  # the table first (sqlite_master lists it before its indexes), then indexes
            cursor.execute(statement)
        try:
            started = time.perf_counter()
            with transaction.atomic():
                cursor.executemany(_INSERT_LIMIT, rows)
            return time.perf_counter() - started
        finally:
            cursor.execute("DROP TABLE regions_bench_limit")


def time_limit() -> tuple[float, int]:
    """Seconds for the bare write of the rows now in the region table, and their number."""
    rows = _clean_rows()
    limit = _limit_postgresql if connection.vendor == "postgresql" else _limit_sqlite
    return limit(rows), len(rows)
