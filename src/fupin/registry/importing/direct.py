"""The fast path of an import: a file of new households, every row clean.

The staging path (importer.run_import with writer.Staging) copies every row into TEMP tables, runs
the rules that need the whole file as queries, and only then inserts into the indexed registry
tables: PostgreSQL's index work starts after all of Python's is done. Here the rows go straight
into `registry_household` and `registry_member` while they are checked. A writer thread runs the
COPY of one batch (PostgreSQL builds the index entries on the other core, and psycopg releases the
GIL while it waits) while the main thread checks and encrypts the next; on SQLite an executemany
(the sqlite3 module releases the GIL while SQLite inserts).

It is a bet that the file is the common case, and any doubt calls the bet off (`Fallback`): the
caller rolls everything back and runs the staging path, which knows how to report each problem by
row and column. Doubts are:
- any row error;
- a household number or an ID number already registered, or repeated in the file (the unique
  indexes refuse the COPY);
- rows of one household that are not together in the file, or that disagree on the household's
  columns, or a household without exactly one head.
The rules are the staging path's, so a file that gets here is one it would have accepted as is.
"""

import queue
import threading
from contextlib import closing

from django.db import connection
from django.utils import timezone

from fupin.core import crypto
from fupin.registry.choices import Relation
from fupin.registry.importing.columns import (
    INCOME_COLUMNS,
    household_columns,
    income_columns,
    member_columns,
    staged_income,
)
from fupin.registry.importing.rows import RowChecker, household_fingerprint
from fupin.registry.importing.writer import HH_COLUMNS, MEMBER_COLUMNS, Counts, _defaults
from fupin.registry.models import Household, Member

HH_DERIVED = ("head_name", "member_count")


class Fallback(Exception):
    """The file needs the staging path; `reason` says why (for the log and the tests)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _Writer(threading.Thread):
    """COPYs batches of households and their members on the import's own connection.

    The main thread must not use the connection until `finish()` returns: a query sent in the middle
    of a COPY would break it. A failure is kept in `error`; the batches after it are dropped."""

    def __init__(self, raw_connection, now):
        super().__init__(name="fupin-import-writer", daemon=True)
        self.raw = raw_connection
        self.batches: queue.Queue = queue.Queue(maxsize=2)  # memory: two batches in flight at most
        self.error: BaseException | None = None
        hh_extra, self.hh_defaults = _defaults(Household, HH_COLUMNS + HH_DERIVED, now)
        m_extra, self.m_defaults = _defaults(Member, (*MEMBER_COLUMNS, "household_id"), now)
        self.hh_defaults, self.m_defaults = tuple(self.hh_defaults), tuple(self.m_defaults)
        self.hh_columns = ("id", *HH_COLUMNS, *HH_DERIVED, *hh_extra)
        self.m_columns = (*MEMBER_COLUMNS, "household_id", *m_extra)
        self.i_columns = ("household_id", *INCOME_COLUMNS)
        self.hh_types: list[int] = []
        self.m_types: list[int] = []
        self.i_types: list[int] = []

    def run(self):
        try:
            with closing(self.raw.cursor()) as cursor:
                self.prepare(cursor)
                while (batch := self.batches.get()) is not None:
                    if self.error is None:
                        try:
                            self.write(cursor, batch)
                        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                            self.error = exc
                    self.batches.task_done()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            self.error = exc
            while self.batches.get() is not None:  # keep the main thread's puts from blocking
                self.batches.task_done()
        self.batches.task_done()  # the None

    def prepare(self, cursor) -> None:
        cursor.execute("SELECT pg_get_serial_sequence('registry_household', 'id')")
        self.sequence = cursor.fetchone()[0]
        self.hh_types = _column_types(cursor, "registry_household", self.hh_columns)
        self.m_types = _column_types(cursor, "registry_member", self.m_columns)
        self.i_types = _column_types(cursor, "registry_yearlyincome", self.i_columns)

    def write(self, cursor, batch: list[tuple[tuple, list[tuple], tuple | None]]) -> None:
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [self.sequence, len(batch)])
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.copy(_copy_sql("registry_household", self.hh_columns)) as copy:
            copy.set_types(self.hh_types)
            for hid, (household, _members, _income) in zip(ids, batch, strict=True):
                copy.write_row((hid, *household, *self.hh_defaults))
        tail = self.m_defaults
        with cursor.copy(_copy_sql("registry_member", self.m_columns)) as copy:
            copy.set_types(self.m_types)
            for hid, (_household, members, _income) in zip(ids, batch, strict=True):
                end = (hid, *tail)
                for member in members:
                    copy.write_row(member + end)
        incomes = [(hid, *income) for hid, (_h, _m, income) in zip(ids, batch, strict=True) if income]
        if incomes:
            with cursor.copy(_copy_sql("registry_yearlyincome", self.i_columns)) as copy:
                copy.set_types(self.i_types)
                for row in incomes:
                    copy.write_row(row)

    def idle(self) -> None:
        """Wait until every batch sent is written: the connection is the main thread's again until
        the next send (for the checker's rare look-ups, one per village code)."""
        self.batches.join()

    def send(self, batch) -> None:
        self._raise()
        self.batches.put(batch)

    def finish(self) -> None:
        """Wait for the last batch; Fallback if any failed."""
        self.stop()
        self._raise()

    def _raise(self):
        if self.error is not None:
            # The class and SQLSTATE only: a unique violation's message quotes the key.
            state = getattr(getattr(self.error, "diag", None), "sqlstate", "")
            raise Fallback(f"write: {type(self.error).__name__} {state}".strip())

    def stop(self) -> None:
        self.batches.put(None)
        self.join()


class _SqliteWriter(_Writer):
    """The same on SQLite: executemany, which releases the GIL while SQLite inserts and indexes."""

    def prepare(self, cursor) -> None:
        self.hh_sql = _insert_sql("registry_household", self.hh_columns)
        self.m_sql = _insert_sql("registry_member", self.m_columns)
        self.i_sql = _insert_sql("registry_yearlyincome", self.i_columns)

    def write(self, cursor, batch: list[tuple[tuple, list[tuple], tuple | None]]) -> None:
        # The transaction holds SQLite's write lock: nobody else takes ids meanwhile. Above both the
        # highest id and AUTOINCREMENT's record, so a deleted household's id is never reused.
        cursor.execute(
            "SELECT max(coalesce((SELECT max(id) FROM registry_household), 0), coalesce((SELECT seq FROM "
            "sqlite_sequence WHERE name = 'registry_household'), 0))"
        )
        first = cursor.fetchone()[0] + 1
        ids = range(first, first + len(batch))
        defaults, tail = self.hh_defaults, self.m_defaults
        cursor.executemany(
            self.hh_sql,
            [(hid, *household, *defaults) for hid, (household, _m, _i) in zip(ids, batch, strict=True)],
        )
        cursor.executemany(
            self.m_sql,
            [
                member + (hid, *tail)
                for hid, (_h, members, _i) in zip(ids, batch, strict=True)
                for member in members
            ],
        )
        incomes = [(hid, *income) for hid, (_h, _m, income) in zip(ids, batch, strict=True) if income]
        if incomes:
            cursor.executemany(self.i_sql, incomes)


def _insert_sql(table: str, columns) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608


def _copy_sql(table: str, columns) -> str:
    # Binary: PostgreSQL spends less CPU reading it than text (numbers, booleans and timestamps
    # need no parsing), and that CPU is the import's other half.
    return f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"  # noqa: S608 - our column names


def _column_types(cursor, table: str, columns) -> list[int]:
    """The type OIDs of `columns`, for a binary COPY (it needs each column's exact type)."""
    cursor.execute(
        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
        [table],
    )
    types = dict(cursor.fetchall())
    return [types[column] for column in columns]


def import_direct(rows, checker: RowChecker, *, batch_size: int, progress=None) -> tuple[int, Counts]:
    """Check and write `rows` ((line, cells), blank rows left out) as new households.

    Returns (rows read, counts). Raises Fallback, having written part of the file: the caller must
    roll back. Call it inside a transaction (savepoint), on PostgreSQL or SQLite."""

    writer_class = _Writer if connection.vendor == "postgresql" else _SqliteWriter
    writer = writer_class(connection.connection, timezone.now())
    look_up = checker.level_of

    def level_of(code: str):
        writer.idle()  # the writer owns the connection while it copies
        return look_up(code)

    checker.level_of = level_of
    writer.start()
    read = households = incomes = 0
    batch: list[tuple[tuple, list[tuple], tuple | None]] = []
    income: tuple = ()
    in_batch = 0
    members: list[tuple] = []
    number = head = None
    hh_columns: tuple = ()
    heads = 0
    group_fp = ""
    group_of = None  # the household dict the fingerprint was taken from
    blind_index = crypto.blind_index
    try:
        for line, cells in rows:
            household, member, errors = checker.check(line, cells)
            if errors:
                # Where, not what: a reason may quote a cell (a birth date read from an ID number),
                # and the reason goes to the log.
                raise Fallback(f"row {line}: {errors[0].column}")
            read += 1
            if household["number"] != number:
                if number is not None:
                    _close(number, heads)
                    written = _income(income, len(members))
                    batch.append(((*hh_columns, head, len(members)), members, written))
                    households += 1
                    incomes += written is not None
                    if in_batch >= batch_size:
                        writer.send(batch)
                        if progress:
                            progress(read)
                        batch, in_batch = [], 0
                number, members, head, heads = household["number"], [], "", 0
                hh_columns = household_columns(household, None)
                income = staged_income(household)
                group_of, group_fp = household, ""
            elif household is not group_of:
                # The same number with other household cells: equal only if they mean the same values.
                group_fp = group_fp or household_fingerprint(group_of)
                if household_fingerprint(household) != group_fp:
                    raise Fallback(f"row {line}: household columns differ")
                group_of = household
            if member["relation"] == Relation.HEAD:
                heads += 1
                head = head or member["name"]
            bidx = blind_index("id", member["id_number"].value)
            members.append(member_columns(member, bidx, None))
            in_batch += 1
        if number is not None:
            _close(number, heads)
            written = _income(income, len(members))
            batch.append(((*hh_columns, head, len(members)), members, written))
            households += 1
            incomes += written is not None
        if batch:
            writer.send(batch)
    except BaseException:
        writer.stop()  # before the caller rolls back: the connection must be free
        raise
    finally:
        checker.level_of = look_up
    writer.finish()
    if progress:
        progress(read)
    return read, Counts(households_created=households, members_created=read, incomes_created=incomes)


def _income(staged: tuple, people: int) -> tuple | None:
    """A new household's income row (INCOME_COLUMNS), or None: all its members are in the file."""
    return None if staged[0] is None else income_columns(staged[0], staged[1:], people)


def _close(number: str, heads: int) -> None:
    if heads != 1:
        raise Fallback(f"household {number}: {heads} heads")


__all__ = ["Fallback", "import_direct"]
