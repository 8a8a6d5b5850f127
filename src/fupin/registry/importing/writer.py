"""Staging tables and the set-based merge of an import (the pattern of regions/staging.py).

Clean rows stream into two TEMP tables (COPY on PostgreSQL, executemany on SQLite). The rules that
need the whole file (an ID twice, one head per household, household columns that disagree) are
then a few GROUP BY queries over the staging tables, so memory holds one batch, never the file.
The merge is UPDATE … FROM … WHERE a column IS DISTINCT FROM its staged value, then INSERT …
SELECT … WHERE NOT EXISTS: an unchanged row is not touched, which makes a second import of the same
file a no-op. Encrypted columns compare equal because the importer reuses the stored ciphertext
when the clear value is unchanged.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from fupin.registry.importing.columns import AMOUNT_KEYS, INCOME_COLUMNS, income_columns
from fupin.registry.models import Household, Member

HH_COLUMNS = (
    "number",
    "village_id",
    "group_name",
    "phone_enc",
    "phone_bidx",
    "phone_masked",
    "bank_name",
    "bank_account_enc",
    "bank_account_masked",
    "attribute",
    "main_cause",
    "cause2",
    "cause3",
    "housing_area",
    "housing_structure",
    "housing_year",
    "relocated",
    "safe_water",
    "electricity",
)
MEMBER_COLUMNS = (
    "name",
    "name_initials",
    "sex",
    "birth_year",
    "id_number_enc",
    "id_number_bidx",
    "id_last4_bidx",
    "relation",
    "ethnicity",
    "education",
    "school_status",
    "health_enc",
    "health_bidx",
    "disability_enc",
    "labour",
    "work_status",
    "months_worked",
    "dibao",
    "medical_insurance",
    "pension_insurance",
)
# The household's income for a year, if the file gives one (columns.staged_income).
INCOME_STAGE = ("income_year", *AMOUNT_KEYS)
# Staging-only columns, written first: row number, and the household's key and fingerprint.
HH_STAGE = ("line", "fp", *HH_COLUMNS, *INCOME_STAGE)
# id_masked: the masked number for the row-error report (the registry itself keeps no clear part).
MEMBER_STAGE = ("line", "hh_number", "hh_fp", "id_masked", *MEMBER_COLUMNS)
_TYPES = {
    "line": "integer",
    "housing_area": "numeric(7,1)",
    "housing_year": "integer",
    "months_worked": "integer",
    "birth_year": "integer",
    "relocated": "boolean",
    "safe_water": "boolean",
    "electricity": "boolean",
    "dibao": "boolean",
    "medical_insurance": "boolean",
    "pension_insurance": "boolean",
    "income_year": "integer",
    **dict.fromkeys(AMOUNT_KEYS, "numeric(12,2)"),
}


def _ddl(table: str, columns) -> str:
    body = ", ".join(f"{c} {_TYPES.get(c, 'text')}" for c in columns)
    return f"CREATE TEMP TABLE {table} ({body})"


def _distinct(a: str, b: str) -> str:
    """Null-safe 'differs' in each database's spelling."""
    if connection.vendor == "postgresql":
        return f"{a} IS DISTINCT FROM {b}"
    return f"{a} IS NOT {b}"


def _changed(columns, t="t", s="s") -> str:
    return "(" + " OR ".join(_distinct(f"{t}.{c}", f"{s}.{c}") for c in columns) + ")"


@dataclass
class Counts:
    """What a merge did (or, in a dry run, would do)."""

    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    members_created: int = 0
    members_updated: int = 0
    members_unchanged: int = 0
    incomes_created: int = 0
    incomes_updated: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.households_created
            or self.households_updated
            or self.members_created
            or self.members_updated
            or self.incomes_created
            or self.incomes_updated
        )


class Staging:
    """The two staging tables of one import, on one cursor, inside the import's transaction."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.pg = connection.vendor == "postgresql"

    def create(self) -> None:
        c = self.cursor
        for table in ("imp_household", "imp_member", "imp_bad"):
            c.execute(f"DROP TABLE IF EXISTS {table}")
        suffix = " ON COMMIT DROP" if self.pg else ""
        c.execute(_ddl("imp_household", HH_STAGE) + suffix)
        c.execute(_ddl("imp_member", MEMBER_STAGE) + suffix)
        c.execute("CREATE TEMP TABLE imp_bad (number text)" + suffix)

    def drop(self) -> None:
        if not self.pg:  # PostgreSQL drops them at commit or rollback
            for table in ("imp_household", "imp_member", "imp_bad"):
                self.cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def write(self, table: str, columns, rows: list[tuple]) -> None:
        if not rows:
            return
        if self.pg:
            with self.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            self.cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608

    def households(self, rows):
        self.write("imp_household", HH_STAGE, rows)

    def members(self, rows):
        self.write("imp_member", MEMBER_STAGE, rows)

    def mark_bad(self, numbers) -> None:
        self.write("imp_bad", ("number",), [(n,) for n in numbers])

    def fetch(self, sql: str, params=()) -> list[tuple]:
        self.cursor.execute(sql, params)
        return self.cursor.fetchall()

    # --- rules over the whole file ---

    def prepare(self) -> None:
        """One staged row per household (its first), and indexes for the checks and the merge."""
        c = self.cursor
        c.execute(
            "DELETE FROM imp_household WHERE line NOT IN (SELECT min(line) FROM imp_household GROUP BY number)"
        )
        c.execute("CREATE INDEX imp_household_number ON imp_household (number)")
        c.execute("CREATE INDEX imp_member_bidx ON imp_member (id_number_bidx)")
        c.execute("CREATE INDEX imp_member_hh ON imp_member (hh_number)")
        if self.pg:
            c.execute("ANALYZE imp_household")
            c.execute("ANALYZE imp_member")

    def duplicate_ids(self) -> list[tuple]:
        """(line, masked ID, household number, first line) of each repeat of an ID in the file."""
        return self.fetch(
            "SELECT m.line, m.id_masked, m.hh_number, f.first FROM imp_member m JOIN "
            "(SELECT id_number_bidx, min(line) AS first FROM imp_member GROUP BY id_number_bidx "
            "HAVING count(*) > 1) f ON f.id_number_bidx = m.id_number_bidx WHERE m.line > f.first ORDER BY m.line"
        )

    def inconsistent_households(self) -> list[tuple]:
        """(line, household number, first line) of member rows whose household columns differ from the first."""
        return self.fetch(
            "SELECT m.line, m.hh_number, h.line FROM imp_member m JOIN imp_household h ON h.number = m.hh_number "
            "WHERE m.hh_fp <> h.fp ORDER BY m.line"
        )

    def head_problems(self) -> list[tuple]:
        """(first line, household number, heads) of households without exactly one head, counting a
        head already registered and not in the file; households with bad rows are left out."""
        return self.fetch(
            "SELECT h.line, h.number, "
            "(SELECT count(*) FROM imp_member m WHERE m.hh_number = h.number AND m.relation = 'head') + "
            "(SELECT count(*) FROM registry_member em JOIN registry_household eh ON eh.id = em.household_id "
            " WHERE eh.number = h.number AND em.relation = 'head' AND NOT EXISTS "
            " (SELECT 1 FROM imp_member s WHERE s.id_number_bidx = em.id_number_bidx)) AS heads "
            "FROM imp_household h WHERE NOT EXISTS (SELECT 1 FROM imp_bad b WHERE b.number = h.number) "
            "AND (SELECT count(*) FROM imp_member m WHERE m.hh_number = h.number AND m.relation = 'head') + "
            "(SELECT count(*) FROM registry_member em JOIN registry_household eh ON eh.id = em.household_id "
            " WHERE eh.number = h.number AND em.relation = 'head' AND NOT EXISTS "
            " (SELECT 1 FROM imp_member s WHERE s.id_number_bidx = em.id_number_bidx)) <> 1 ORDER BY h.line"
        )

    def drop_bad(self) -> None:
        """--partial: leave out every household that has a bad row."""
        c = self.cursor
        c.execute("DELETE FROM imp_member WHERE hh_number IN (SELECT number FROM imp_bad)")
        c.execute("DELETE FROM imp_household WHERE number IN (SELECT number FROM imp_bad)")

    # --- the merge ---

    def count(self) -> Counts:
        one = lambda sql: self.fetch(sql)[0][0]  # noqa: E731
        hh_total = one("SELECT count(*) FROM imp_household")
        hh_new = one(
            "SELECT count(*) FROM imp_household s WHERE NOT EXISTS "
            "(SELECT 1 FROM registry_household t WHERE t.number = s.number)"
        )
        hh_changed = one(
            "SELECT count(*) FROM imp_household s JOIN registry_household t ON t.number = s.number "  # noqa: S608
            f"WHERE {_changed(HH_COLUMNS)}"
        )
        m_total = one("SELECT count(*) FROM imp_member")
        m_new = one(
            "SELECT count(*) FROM imp_member s WHERE NOT EXISTS "
            "(SELECT 1 FROM registry_member t WHERE t.id_number_bidx = s.id_number_bidx)"
        )
        m_changed = one(
            "SELECT count(*) FROM imp_member s JOIN registry_member t ON t.id_number_bidx = s.id_number_bidx "  # noqa: S608
            f"WHERE {_changed(MEMBER_COLUMNS)}"
        )
        counts = Counts(
            hh_new, hh_changed, hh_total - hh_new - hh_changed, m_new, m_changed, m_total - m_new - m_changed
        )
        # Incomes: new (household and year not recorded) or with other amounts than recorded; the
        # merge recounts what it writes (a changed household size changes the per-capita figures too).
        counts.incomes_created = one(
            "SELECT count(*) FROM imp_household s WHERE s.income_year IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM registry_yearlyincome y JOIN registry_household h ON h.id = y.household_id "
            "WHERE h.number = s.number AND y.year = s.income_year)"
        )
        counts.incomes_updated = one(
            "SELECT count(*) FROM imp_household s JOIN registry_household h ON h.number = s.number "  # noqa: S608
            "JOIN registry_yearlyincome y ON y.household_id = h.id AND y.year = s.income_year "
            f"WHERE {_changed(AMOUNT_KEYS, 'y', 's')}"
        )
        return counts

    def merge(self, counts: Counts) -> None:
        c = self.cursor
        now = timezone.now()
        # Households inserted below get their head's name and member count as they are written;
        # only those that were there before need _sync_households (new ids are above this one).
        existing_upto = self.fetch("SELECT coalesce(max(id), 0) FROM registry_household")[0][0]
        if counts.households_updated:
            sets = ", ".join(f"{col} = s.{col}" for col in HH_COLUMNS)
            c.execute(
                f"UPDATE registry_household AS t SET {sets}, version = t.version + 1, updated_at = %s "  # noqa: S608
                f"FROM imp_household s WHERE s.number = t.number AND {_changed(HH_COLUMNS)}",
                [now],
            )
        if counts.households_created:
            # A new household's members are all in the file (an ID of another household is refused),
            # inserted below in line order: the head is the first head row, the count the rows.
            derived = ("head_name", "member_count")
            extra, values = _defaults(Household, HH_COLUMNS + derived, now)
            c.execute(
                f"INSERT INTO registry_household ({', '.join(HH_COLUMNS + derived + extra)}) "  # noqa: S608
                f"SELECT {', '.join('s.' + col for col in HH_COLUMNS)}, "
                "coalesce((SELECT m.name FROM imp_member m WHERE m.hh_number = s.number "
                "AND m.relation = 'head' ORDER BY m.line LIMIT 1), ''), "
                "(SELECT count(*) FROM imp_member m WHERE m.hh_number = s.number)"
                f"{''.join(', %s' for _ in extra)} "
                "FROM imp_household s WHERE NOT EXISTS "
                "(SELECT 1 FROM registry_household t WHERE t.number = s.number) ORDER BY s.number",
                values,
            )
        if counts.members_updated:
            sets = ", ".join(f"{col} = s.{col}" for col in MEMBER_COLUMNS)
            c.execute(
                f"UPDATE registry_member AS t SET {sets}, version = t.version + 1, updated_at = %s "  # noqa: S608
                f"FROM imp_member s WHERE s.id_number_bidx = t.id_number_bidx AND {_changed(MEMBER_COLUMNS)}",
                [now],
            )
        if counts.members_created:
            extra, values = _defaults(Member, (*MEMBER_COLUMNS, "household_id"), now)
            c.execute(
                f"INSERT INTO registry_member ({', '.join((*MEMBER_COLUMNS, 'household_id', *extra))}) "  # noqa: S608
                f"SELECT {', '.join('s.' + col for col in MEMBER_COLUMNS)}, h.id"
                f"{''.join(', %s' for _ in extra)} FROM imp_member s JOIN registry_household h ON h.number = s.hh_number "
                "WHERE NOT EXISTS (SELECT 1 FROM registry_member t WHERE t.id_number_bidx = s.id_number_bidx) "
                "ORDER BY s.line",
                values,
            )
        if counts.members_created or counts.members_updated:
            self._sync_households(existing_upto)
        self._merge_incomes(counts)

    def _merge_incomes(self, counts: Counts) -> None:
        """The staged incomes, their totals computed in Python (YearlyIncome.compute_totals, the one
        definition) with the household's size after the merge; only new or changed rows are written."""
        compared = ("people", *AMOUNT_KEYS)
        rows = self.fetch(
            f"SELECT h.id, h.member_count, s.income_year, {', '.join('s.' + k for k in AMOUNT_KEYS)}, "  # noqa: S608
            f"y.id, {', '.join('y.' + k for k in compared)} FROM imp_household s "
            "JOIN registry_household h ON h.number = s.number "
            "LEFT JOIN registry_yearlyincome y ON y.household_id = h.id AND y.year = s.income_year "
            "WHERE s.income_year IS NOT NULL ORDER BY h.id"
        )
        n = len(AMOUNT_KEYS)
        inserts, updates = [], []
        for household_id, people, year, *rest in rows:
            values = income_columns(year, rest[:n], people)
            stored_id, stored = rest[n], rest[n + 1 :]
            if stored_id is None:
                inserts.append((household_id, *values))
            elif [_number(v) for v in stored] != [_number(v) for v in values[1 : 2 + n]]:
                updates.append((*values[1:], stored_id))
        if inserts:
            marks = ", ".join(["%s"] * (1 + len(INCOME_COLUMNS)))
            self.cursor.executemany(
                f"INSERT INTO registry_yearlyincome (household_id, {', '.join(INCOME_COLUMNS)}) "  # noqa: S608
                f"VALUES ({marks})",
                inserts,
            )
        if updates:
            sets = ", ".join(f"{c} = %s" for c in INCOME_COLUMNS[1:])
            self.cursor.executemany(
                f"UPDATE registry_yearlyincome SET {sets} WHERE id = %s",  # noqa: S608
                updates,
            )
        counts.incomes_created, counts.incomes_updated = len(inserts), len(updates)

    def _sync_households(self, existing_upto: int) -> None:
        """head_name and member_count of the households in the file that were there before the
        import (not a user edit: version kept)."""
        head = (
            "coalesce((SELECT m.name FROM registry_member m WHERE m.household_id = t.id "
            "AND m.relation = 'head' ORDER BY m.id LIMIT 1), '')"
        )
        size = "(SELECT count(*) FROM registry_member m WHERE m.household_id = t.id)"
        self.cursor.execute(
            f"UPDATE registry_household AS t SET head_name = {head}, member_count = {size} "  # noqa: S608
            "WHERE t.number IN (SELECT number FROM imp_household) AND t.id <= %s "
            f"AND (t.head_name <> {head} OR t.member_count <> {size})",
            [existing_upto],
        )


def _number(value):
    """A stored amount compared as a Decimal (SQLite hands back ints and floats)."""
    return None if value is None else Decimal(str(value))


def _defaults(model, staged, now) -> tuple[tuple[str, ...], list]:
    """Columns the file does not fill, with the model's defaults (so a new model field needs no change here)."""
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in staged or getattr(field, "generated", False):
            continue
        columns.append(field.column)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values.append(now)
        else:
            values.append(field.get_db_prep_save(field.get_default(), connection))
    return tuple(columns), values
