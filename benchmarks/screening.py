"""`fupin bench_screening --rows N`: matching a department list against the bare COPY plus hash join.

1. A list of N rows in a 医保 department's own layout (姓名, 公民身份号码, 个人自付金额(元), 结算日期,
   就诊类型), written as CSV: the ID numbers are those of the bench members of one county (made by
   `fupin bench_fill`, whose numbers are read back by decrypting `id_number_enc`: its numbers come
   from a slot formula and a sex drawn in SQL, so they cannot be recomputed here), a person
   appearing again when the county has fewer members than the list has rows; 5 % valid numbers of
   nobody registered (born 2020–2024: bench_fill's births end in 2019), a few bad check digits and
   bad amounts.
2. Ours: `screening.import_list` in this process (reading, the registry's ID rule, keyed indexes,
   masking, amounts and dates, look-ups chunk by chunk, writing ScreeningRow), timed from the call
   to its return. The rules engine is timed on its own afterwards, not in the import's figure.
3. The limit, in the same run: what the database needs of each row (row number, keyed index,
   masked name, amount, 事项, date) prepared beforehand (untimed), then timed: a bare text COPY into a
   TEMP table and a hash join with the members on the keyed index, materialised into a TEMP table
   (no WAL, no index: the "bare COPY plus hash join" of issue 12). The same join INSERTed into a
   fresh table of ScreeningRow's shape and indexes is timed too (the registry import's convention
   of a limit: our rows written with no Python work).

Our rows are deleted afterwards; run it on a database of its own, filled by bench_fill.
"""

import csv
import datetime
import os
import random
import resource
import time
from pathlib import Path

from django.db import connection, transaction

from fupin.core import crypto
from fupin.core.masking import mask_id_number
from fupin.monitoring import screening
from fupin.monitoring.choices import Source
from fupin.monitoring.models import ScreeningRow
from fupin.registry.idnumbers import make_id_number

HEADERS = ("序号", "姓名", "公民身份号码", "个人自付金额(元)", "结算日期", "就诊类型")
MAPPING = {
    "id_number": "公民身份号码",
    "name": "姓名",
    "amount": "个人自付金额(元)",
    "event": "就诊类型",
    "event_date": "结算日期",
}
KINDS = ("住院", "门诊慢特病", "门诊")
UNREGISTERED = 0.05  # share of valid numbers of people nobody registered
BAD = 0.001  # share of rows with a wrong check digit, and of rows with a bad amount


def county_members(county: str, limit: int) -> list[tuple[str, str]]:
    """(name, clear ID number) of up to `limit` members of `county`, decrypted from the registry."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.name, m.id_number_enc FROM registry_member m "
            "JOIN registry_household h ON h.id = m.household_id "
            "WHERE h.village_id LIKE %s ORDER BY m.id LIMIT %s",
            [county + "%", limit],
        )
        return [(name, crypto.decrypt(token)) for name, token in cursor.fetchall()]


def write_list(path: Path, rows: int, county: str, seed: int = 12) -> dict:
    """The department's CSV of `rows` rows; returns what went in."""
    rnd = random.Random(seed)
    people = county_members(county, rows)
    if not people:
        raise SystemExit(f"no members in {county}: run `fupin bench_fill --provinces {county}` first")
    counts = {"registered": 0, "unregistered": 0, "bad_id": 0, "bad_amount": 0, "people": len(people)}
    start = datetime.date(2020, 1, 1)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADERS)
        for i in range(rows):
            draw = rnd.random()
            if draw < UNREGISTERED:
                name = "王" + "芳华"[i % 2]
                number = make_id_number(
                    area_code=county,
                    birth_date=start + datetime.timedelta(days=i % 1800),
                    sequence=i % 500,
                    male=i % 2 == 0,
                )
                counts["unregistered"] += 1
            else:
                name, number = people[i % len(people)]
                counts["registered"] += 1
            if rnd.random() < BAD:
                number = number[:17] + ("0" if number[17] != "0" else "1")
                counts["bad_id"] += 1
            amount = f"{rnd.randint(0, 6_000_000) / 100:.2f}"
            if rnd.random() < BAD:
                amount = "待核"
                counts["bad_amount"] += 1
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 59)
            out.writerow((i + 1, name, number, amount, day.isoformat(), KINDS[i % 3]))
    return counts


def prepare_limit_rows(path: Path, target: Path) -> int:
    """What the database needs of each row, as a text COPY file (untimed: the limit does no Python)."""
    n = 0
    with open(path, encoding="utf-8", newline="") as fh, open(target, "w", encoding="utf-8") as out:
        reader = csv.reader(fh)
        next(reader)
        for line, (_no, name, number, amount, day, kind) in enumerate(reader, start=2):
            bidx = crypto.blind_index("id", number)
            amount = amount if amount.replace(".", "", 1).isdigit() else "\\N"
            out.write(
                f"{line}\t{bidx}\t{screening.mask_name(name)}\t{amount}\t{kind}\t{day}\t{mask_id_number(number)}\n"
            )
            n += 1
    return n


LIMIT_COLUMNS = (
    "row_number integer, bidx varchar(32), name_masked varchar(50), amount numeric(12, 2), "
    "event varchar(100), event_date date, masked varchar(18)"
)


def time_limit(prepared: Path) -> dict:
    """The bare COPY into a TEMP table and the hash join (into a TEMP table, and into a table of
    ScreeningRow's shape and indexes), each timed; rolled back. `cpu`: the backend's CPU seconds of
    the bare COPY and join."""
    timings = {}
    clock = CpuClock()
    with transaction.atomic(), connection.cursor() as cursor:
        _own, backend = clock.read()
        cursor.execute("SET LOCAL enable_nestloop = off")  # the hash join, whatever the estimates
        started = time.perf_counter()
        cursor.execute(f"CREATE TEMP TABLE bench_dept ({LIMIT_COLUMNS}) ON COMMIT DROP")
        with open(prepared, "rb") as fh, cursor.copy("COPY bench_dept FROM STDIN") as copy:
            while block := fh.read(1 << 20):
                copy.write(block)
        timings["copy"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(
            "CREATE TEMP TABLE bench_matched ON COMMIT DROP AS "
            "SELECT d.row_number, m.id AS member_id, m.household_id "
            "FROM bench_dept d JOIN registry_member m ON m.id_number_bidx = d.bidx"
        )
        timings["join"] = time.perf_counter() - started
        timings["cpu"] = clock.read()[1] - backend
        table = ScreeningRow._meta.db_table
        cursor.execute(f"CREATE TABLE bench_screen_rows (LIKE {table} INCLUDING ALL)")  # noqa: S608
        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO bench_screen_rows (batch_id, row_number, id_number_bidx, name_masked, member_id, "
            'household_id, amount, event, event_date, "values") '
            "SELECT 1, d.row_number, d.bidx, d.name_masked, m.id, m.household_id, d.amount, d.event, "
            "d.event_date, '{}' FROM bench_dept d LEFT JOIN registry_member m ON m.id_number_bidx = d.bidx"
        )
        timings["join_insert"] = time.perf_counter() - started
        transaction.set_rollback(True)
    return timings


def time_ours(path: Path, county: str, period: str) -> tuple[float, object, tuple[float, float]]:
    """import_list of the file, without the rules engine's run (timed apart): wall seconds, the batch,
    (our CPU seconds, the backend's CPU seconds)."""
    leads_of = screening._leads_of
    screening._leads_of = lambda batch, by: 0
    clock = CpuClock()
    try:
        own, backend = clock.read()
        started = time.perf_counter()
        batch = screening.import_list(
            by=None, source=Source.MEDICAL, county=county, period=period, upload=path, mapping=MAPPING
        )
        seconds = time.perf_counter() - started
        own_after, backend_after = clock.read()
    finally:
        screening._leads_of = leads_of
    return seconds, batch, (own_after - own, backend_after - backend)


def time_rules(batch) -> float:
    started = time.perf_counter()
    screening._leads_of(batch, None)
    return time.perf_counter() - started


def remove(batch) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ScreeningRow._meta.db_table} WHERE batch_id = %s", [batch.pk])  # noqa: S608
    batch.delete()


class CpuClock:
    """CPU seconds of this process (both threads) and of its PostgreSQL backend (read from /proc:
    the server is local): on a shared machine the wall time moves with the load, the CPU much less."""

    def __init__(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend = cursor.fetchone()[0]
        self.tick = os.sysconf("SC_CLK_TCK")

    def backend_cpu(self) -> float:
        try:
            fields = Path(f"/proc/{self.backend}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / self.tick

    def read(self) -> tuple[float, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime, self.backend_cpu()
