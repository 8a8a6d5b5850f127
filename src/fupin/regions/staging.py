"""Set-based writes for the division loader: stage every clean row, then merge with two statements.

Staging is a TEMP table filled by COPY on PostgreSQL and by `executemany` on SQLite; the merge
(UPDATE ... FROM, INSERT ... SELECT ... WHERE NOT EXISTS) is the same SQL on both, which is why a
load of 665,276 rows takes seconds instead of the minutes a per-row ORM upsert would.
"""

from django.db import connection

_CREATE = """CREATE TEMP TABLE regions_staging (
    code varchar(12) NOT NULL, name varchar(100) NOT NULL, short_name varchar(100) NOT NULL,
    level smallint NOT NULL, parent_id varchar(12) NULL, initials varchar(60) NOT NULL
)"""
_COPY = "COPY regions_staging (code, name, short_name, level, parent_id, initials) FROM STDIN"
_INSERT_STAGED = "INSERT INTO regions_staging (code, name, short_name, level, parent_id, initials) VALUES (?, ?, ?, ?, ?, ?)"
# coalesce(...) <> coalesce(...) is a null-safe comparison both databases spell the same way.
_COUNT_STAGED = "SELECT level, count(*) FROM regions_staging GROUP BY level"
_COUNT_NEW = (
    "SELECT s.level, count(*) FROM regions_staging s WHERE NOT EXISTS "
    "(SELECT 1 FROM regions_region t WHERE t.code = s.code) GROUP BY s.level"
)
_COUNT_CHANGED = (
    "SELECT s.level, count(*) FROM regions_staging s JOIN regions_region t ON t.code = s.code "
    "WHERE (t.name <> s.name OR t.short_name <> s.short_name OR t.level <> s.level "
    "OR t.initials <> s.initials OR coalesce(t.parent_id, '') <> coalesce(s.parent_id, '')) "
    "GROUP BY s.level"
)
_UPDATE = (
    "UPDATE regions_region AS t SET name = s.name, short_name = s.short_name, level = s.level, "
    "parent_id = s.parent_id, initials = s.initials FROM regions_staging s WHERE s.code = t.code "
    "AND (t.name <> s.name OR t.short_name <> s.short_name OR t.level <> s.level "
    "OR t.initials <> s.initials OR coalesce(t.parent_id, '') <> coalesce(s.parent_id, ''))"
)
# Code order puts every parent before its children and keeps index inserts sequential.
_INSERT_NEW = (
    "INSERT INTO regions_region (code, name, short_name, level, parent_id, initials) "
    "SELECT code, name, short_name, level, parent_id, initials FROM regions_staging s "
    "WHERE NOT EXISTS (SELECT 1 FROM regions_region t WHERE t.code = s.code) ORDER BY s.code"
)


def create(cursor) -> None:
    cursor.execute("DROP TABLE IF EXISTS regions_staging")
    # On PostgreSQL the table goes at commit or rollback; SQLite's is dropped in merge() or rolled back.
    cursor.execute(_CREATE + (" ON COMMIT DROP" if connection.vendor == "postgresql" else ""))


def write(cursor, rows: list[tuple]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        with cursor.copy(_COPY) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(_INSERT_STAGED, rows)


def merge(cursor) -> dict[int, tuple[int, int, int]]:
    """Apply the staged rows; level -> (inserted, updated, unchanged). Rows not staged are left alone."""
    if connection.vendor == "postgresql":
        cursor.execute("ANALYZE regions_staging")  # temp tables get no autovacuum statistics
    cursor.execute(_COUNT_STAGED)
    staged = dict(cursor.fetchall())
    cursor.execute(_COUNT_NEW)
    inserted = dict(cursor.fetchall())
    cursor.execute(_COUNT_CHANGED)
    updated = dict(cursor.fetchall())
    if any(updated.values()):
        cursor.execute(_UPDATE)
    if any(inserted.values()):
        cursor.execute(_INSERT_NEW)
    if connection.vendor != "postgresql":
        cursor.execute("DROP TABLE regions_staging")
    counts = {}
    for level, n in sorted(staged.items()):
        new, changed = inserted.get(level, 0), updated.get(level, 0)
        counts[level] = (new, changed, n - new - changed)
    return counts
