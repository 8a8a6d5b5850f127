"""`fupin bench_import --members N`: our import of N members against the bare write of the same rows.

1. Generate a CSV (and with --xlsx an .xlsx) of N valid members (households of 1-6 on the demo
   villages, real check digits) into a temporary directory.
2. Empty the registry tables and run `fupin import households FILE` in a child process: wall time and
   the child's peak memory (its VmHWM, the resident high-water mark, read from /proc while it
   runs, or the PSS of the child and the .xlsx reader process it forks, if that sum is larger).
3. The limit, in the same run: the rows our import wrote (already clean and encrypted) copied out and
   written back with no Python work into fresh tables of the same shape and indexes (PostgreSQL:
   binary COPY TO a file, then binary COPY FROM it; SQLite: one executemany per table).
It deletes every registry row, so run it on a database of its own.
"""

import csv
import datetime
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection, transaction

from fupin.registry import choices
from fupin.registry.idnumbers import make_id_number
from fupin.registry.importing.template import HEADERS, labels_of

VILLAGES = ("632524203207", "632524101206")
_TABLES = ("registry_household", "registry_member")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗才让卓玛多杰扎西"
_GIVEN = "明华国建平秀英兰军梅芳强伟丽静霞云海山红德吉措"


def generate_rows(members: int, seed: int = 1):
    """Valid rows in HEADERS order: households of 1-6 members, one head each, unique ID numbers."""
    rnd = random.Random(seed)
    causes = labels_of(choices.Cause)
    attributes = labels_of(choices.Attribute)
    start = datetime.date(1940, 1, 1)
    serial, household = 0, 0
    while serial < members:
        household += 1
        village = VILLAGES[household % len(VILLAGES)]
        number = f"{village}{household:08d}"
        size = min(rnd.randint(1, 6), members - serial)
        main = rnd.choice(causes)
        second = rnd.choice([c for c in causes if c != main])
        common = [
            number,
            village,
            f"{rnd.randint(1, 9)}社",
            "",
            f"139{rnd.randint(0, 99999999):08d}",
            "农村信用社",
            f"62{rnd.randint(10**15, 10**16 - 1)}",
            rnd.choice(attributes),
            main,
            second,
            "",
            f"{rnd.randint(40, 200)}.5",
            "砖混",
            str(rnd.randint(1970, 2019)),
            "否",
            "是",
            "是",
        ]
        head_name = ""
        for k in range(size):
            # serial -> (birth day, sequence): 500 sequences per sex per day keep every ID unique
            day, seq = divmod(serial, 1000)
            male = seq % 2 == 0
            birth = start + datetime.timedelta(days=day % 25000)
            id_number = make_id_number(area_code="632524", birth_date=birth, sequence=seq // 2, male=male)
            name = rnd.choice(_SURNAMES) + rnd.choice(_GIVEN) + rnd.choice(_GIVEN)
            if k == 0:
                head_name = name
            row = common.copy()
            row[3] = head_name
            row += [
                name,
                "男" if male else "女",
                "",
                id_number,
                "户主" if k == 0 else ("之子" if male else "之女"),
                "汉族",
                "初中",
                "非在校生",
                "健康",
                "",
                "普通劳动力",
                "县内务工",
                str(rnd.randint(0, 12)),
                "否",
                "是",
                "是",
            ]
            serial += 1
            yield row


def write_csv(path: Path, members: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerows(generate_rows(members))


def write_xlsx(path: Path, members: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("家庭成员")
    for col, header in enumerate(HEADERS):
        sheet.write_string(0, col, header)
    for r, row in enumerate(generate_rows(members), start=1):
        for col, value in enumerate(row):
            if value:
                sheet.write_string(r, col, value)
    book.close()


def empty_registry() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE registry_household, registry_member RESTART IDENTITY CASCADE")
            cursor.execute("VACUUM ANALYZE registry_household")
            cursor.execute("VACUUM ANALYZE registry_member")
        else:
            with transaction.atomic():
                cursor.execute("PRAGMA defer_foreign_keys = ON")
                tables = [
                    r[0]
                    for r in cursor.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'registry_%'"
                    ).fetchall()
                ]
                for table in tables:
                    if table not in ("registry_povertyline", "registry_exitthreshold"):
                        cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - names from sqlite_master
            cursor.execute("VACUUM")


def timed_child_import(path: Path) -> tuple[float, float, str]:
    """(seconds, peak memory in MB, output) of `fupin import households path` in a child process.

    Peak memory is the larger of the child's VmHWM (the resident high-water mark, from /proc, which
    only grows and starts afresh at exec) and the largest sum of the PSS of the child and the
    processes it forks (the .xlsx reader, importing/readahead.py) seen in samples every 50 ms. PSS
    shares a page between the processes mapping it, so the Django code both have after the fork is
    counted once; a sum of RSS would count it twice. Not ru_maxrss from wait4: Linux carries the
    RSS high-water mark of the forking parent across exec, and this parent holds the SQLite limit's
    rows by then."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-m", "fupin", "import", "households", str(path)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        peak_kb = 0
        while process.poll() is None:
            tree = (process.pid, *_children(process.pid))
            together = sum(_status_kb(pid, "Pss:", "smaps_rollup") for pid in tree)
            peak_kb = max(peak_kb, together, _status_kb(process.pid, "VmHWM:"))
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        log.seek(0)
        output = log.read().decode(errors="replace")
    if process.returncode:
        raise RuntimeError(output)
    return elapsed, peak_kb / 1024, output.strip()


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


def _status_kb(pid: int, field: str, name: str = "status") -> int:
    """A kB figure from /proc/PID/status (or smaps_rollup); 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def child_startup() -> float:
    """Seconds a child `fupin` needs before any work (subtracted from the import's wall time)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "fupin", "check", "-v0"], check=True)  # noqa: S603
    return time.perf_counter() - started


def time_limit() -> float:
    """Seconds to write the rows now in the registry into fresh tables of the same shape and indexes."""
    return _limit_postgresql() if connection.vendor == "postgresql" else _limit_sqlite()


def _limit_postgresql() -> float:
    total = 0.0
    with tempfile.TemporaryDirectory() as tmp, connection.cursor() as cursor:
        for table in _TABLES:
            dump = Path(tmp) / f"{table}.bin"
            with open(dump, "wb") as fh, cursor.copy(f"COPY {table} TO STDOUT (FORMAT binary)") as copy:  # noqa: S608
                for block in copy:
                    fh.write(block)
            cursor.execute(f"DROP TABLE IF EXISTS bench_{table}")
            cursor.execute(f"CREATE TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
            try:
                started = time.perf_counter()
                with transaction.atomic(), open(dump, "rb") as fh:
                    with cursor.copy(f"COPY bench_{table} FROM STDIN (FORMAT binary)") as copy:  # noqa: S608
                        while block := fh.read(1 << 20):
                            copy.write(block)
                total += time.perf_counter() - started
            finally:
                cursor.execute(f"DROP TABLE bench_{table}")
    return total


def _limit_sqlite() -> float:
    total = 0.0
    with connection.cursor() as cursor:
        for table in _TABLES:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            rows = cursor.fetchall()
            cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL", [table])
            ddl = [sql.replace(f'"{table}"', f'"bench_{table}"') for (sql,) in cursor.fetchall()]
            ddl = [
                s.replace("REFERENCES", "-- ").split("-- ")[0] + ")" if "REFERENCES" in s and False else s
                for s in ddl
            ]
            cursor.execute(f"DROP TABLE IF EXISTS bench_{table}")
            for statement in ddl:
                cursor.execute(_rename_indexes(statement, table))
            marks = ", ".join(["?"] * len(rows[0])) if rows else ""
            try:
                started = time.perf_counter()
                with transaction.atomic():
                    connection.connection.executemany(f"INSERT INTO bench_{table} VALUES ({marks})", rows)  # noqa: S608
                total += time.perf_counter() - started
            finally:
                cursor.execute(f"DROP TABLE bench_{table}")
    return total


def _rename_indexes(statement: str, table: str) -> str:
    if statement.startswith("CREATE INDEX") or statement.startswith("CREATE UNIQUE INDEX"):
        head, rest = statement.split(" ON ", 1)
        words = head.split(" ")
        words[-1] = words[-1].replace('"', "").join(('"bench_', '"'))
        return " ".join(words) + " ON " + rest
    return statement
