"""Export of the registry in the import template's columns (one row per member).

What is exported is what the list shows: the households of `selectors.household_list` for the
same filters (through the scoping choke point) and their members, in household number order,
read in chunks so memory stays flat. Every export is masked: ID numbers as 6201**********1234
(decrypted for the mask), phones and bank accounts as their stored masked copies, the birth date
as its year, health and disability "***". A clear export is a separate, stated action (the 明文导出
form, `fupin export households --clear --purpose …`): it needs `registry.reveal_household` and a
purpose, and its audit row carries the row count and the purpose. Every text cell is
formula-escaped (core.exports.escape_cell).

Two paths to the same cells: `export_rows` (Python values, for the .xlsx) and `csv_chunks` (the
CSV, its cells made by the database; see csv_query), which `fupin bench_export` measures against
`psql \\copy`.
"""

import re
from contextlib import contextmanager

from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from fupin.core import crypto, lists
from fupin.core.exports import _FORMULA_LEAD, escape_cell
from fupin.core.masking import mask_id_number
from fupin.registry.importing.template import COLUMNS, HEADERS, labels_of
from fupin.registry.models import Household, Member

HIDDEN = "***"
EXPORT_PERM = "registry.view_member"
REVEAL_PERM = "registry.reveal_household"
_YES_NO = ("是", "否")


def may_export_clear(user) -> bool:
    return user.has_perm(EXPORT_PERM) and user.has_perm(REVEAL_PERM)


def audit_export(
    *, count: int, reveal: bool, purpose: str = "", filters=None, fmt: str, sort: str = "", **where
):
    """The member export's audit row, in the one shape of every export (core.lists.audit_export).
    `where`: request= (pages) or actor= and region_code= (the command line)."""
    lists.audit_export(
        name="registry.member",
        title=_("贫困户家庭成员"),
        filters=filters,
        sort=sort,
        count=count,
        masked=not reveal,
        purpose=purpose,
        fmt=fmt,
        **where,
    )


# Where each column's value is read (the export's SELECT: `h` the household, `m` the member).
# `phone`, `bank_account`, `birth_date`, `id_number`, `health` and `disability` depend on the mode
# (masked or clear) and are made in _row_plan / _cells.
_SOURCES = {
    "number": "h.number",
    "village": "h.village_id",
    "group_name": "h.group_name",
    "head_name": "h.head_name",
    "bank_name": "h.bank_name",
    "attribute": "h.attribute",
    "main_cause": "h.main_cause",
    "cause2": "h.cause2",
    "cause3": "h.cause3",
    "housing_area": "h.housing_area",
    "housing_structure": "h.housing_structure",
    "housing_year": "h.housing_year",
    "relocated": "h.relocated",
    "safe_water": "h.safe_water",
    "electricity": "h.electricity",
    "name": "m.name",
    "sex": "m.sex",
    "relation": "m.relation",
    "ethnicity": "m.ethnicity",
    "education": "m.education",
    "school_status": "m.school_status",
    "labour": "m.labour",
    "work_status": "m.work_status",
    "months_worked": "m.months_worked",
    "dibao": "m.dibao",
    "medical_insurance": "m.medical_insurance",
    "pension_insurance": "m.pension_insurance",
}
# The same columns as paths from Member, for the row path (values_list).
_PATHS = {key: ("household__" if sql[0] == "h" else "") + sql[2:] for key, sql in _SOURCES.items()}


def _choice_labels() -> dict[str, dict[str, str]]:
    with translation.override("zh-hans"):
        return {
            c.key: dict(zip(c.choices.values, labels_of(c.choices), strict=True))
            for c in COLUMNS
            if c.choices
        }


def _birth_and_number(enc: str) -> tuple[str, str]:
    number = crypto.decrypt(enc)
    birth = f"{number[6:10]}-{number[10:12]}-{number[12:14]}" if number else ""
    return birth, number


def _decrypted_label(enc: str, names: dict[str, str]) -> str:
    value = crypto.decrypt(enc)
    return names.get(value, value)


def _escaped(fn):
    return lambda values: escape_cell(fn(values))


def _row_plan(reveal: bool) -> tuple[list[str], list]:
    """(the values_list paths, one function per column from the fetched tuple to the cell)."""
    labels = _choice_labels()
    paths: list[str] = []

    def at(path: str) -> int:
        if path not in paths:
            paths.append(path)
        return paths.index(path)

    def cell(column):
        key = column.key
        if key in ("phone", "bank_account"):
            if reveal:
                i = at(f"household__{key}_enc")
                return lambda v: crypto.decrypt(v[i])
            i = at(f"household__{key}_masked")
            return lambda v: v[i]
        if key == "birth_date":
            if reveal:
                i = at("id_number_enc")
                return lambda v: _birth_and_number(v[i])[0]
            i = at("birth_year")
            return lambda v: f"{v[i]}-**-**" if v[i] else ""
        if key == "id_number":
            i = at("id_number_enc")
            if reveal:
                return lambda v: crypto.decrypt(v[i])
            return lambda v: mask_id_number(crypto.decrypt(v[i]))
        if key in ("health", "disability"):
            i = at(f"{key}_enc")
            if not reveal:
                return lambda v: HIDDEN if v[i] else ""
            names = labels.get(key, {})
            return lambda v: _decrypted_label(v[i], names)
        i = at(_PATHS[key])
        if column.kind == "choice":
            names = labels[key]
            return lambda v: names.get(v[i], v[i])
        if column.kind == "bool":
            return lambda v: _YES_NO[0] if v[i] else _YES_NO[1]
        if column.kind == "decimal":
            return lambda v: "" if v[i] is None else str(v[i])
        return lambda v: "" if v[i] is None else v[i]

    plan = []
    for column in COLUMNS:
        fn = cell(column)
        if column.kind == "text" or column.key == "disability":  # free text: may begin with = + - @
            fn = _escaped(fn)
        plan.append(fn)
    return paths, plan


def export_rows(members, *, reveal: bool = False):
    """Rows in HEADERS order, formula-escaped; lazy (a generator). For the .xlsx (ints stay numbers).

    Reads exactly the columns shown, as tuples (values_list), not model instances: no timestamps
    parsed, nothing decrypted that the mode does not show (a masked row decrypts its ID number
    alone, for the mask's first and last four)."""
    paths, plan = _row_plan(reveal)
    with _planned_for_every_row():
        for values in members.values_list(*paths).iterator(chunk_size=2000):
            yield [fn(values) for fn in plan]


@contextmanager
def _planned_for_every_row():
    """PostgreSQL plans the server-side cursor of `.iterator()` for its first tenth of rows
    (cursor_tuple_fraction 0.1): a county's 10,589 members by a nested loop in number order, 1.08 s
    against 0.13 s for the plan of the whole result. The export reads every row."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")


# --- the CSV, its cells made by the database ---------------------------------------------------


_CSV_QUOTED = re.compile('[,"\r\n]')


def _csv_text(value: str) -> str:
    """A text cell in CSV: formula-escaped, quoted when it holds a separator, a quote or a line end."""
    if value.startswith(_FORMULA_LEAD):
        value = "'" + value
    if _CSV_QUOTED.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value


class _Sql:
    """The cell expressions of one export query, collecting their parameters in order."""

    def __init__(self):
        self.params: list = []

    def literal(self, value: str) -> str:
        self.params.append(value)
        return "%s"

    def text(self, column: str) -> str:
        """Free text as a CSV cell: formula-escaped like core.exports.escape_cell, and always
        quoted (cheaper in SQL than looking for separators first)."""
        leads = ", ".join(self.literal(c) for c in _FORMULA_LEAD)
        escaped = f"CASE WHEN substr({column}, 1, 1) IN ({leads}) THEN '''' || {column} ELSE {column} END"
        return f"""'"' || replace({escaped}, '"', '""') || '"'"""

    def choice(self, column: str, labels: dict[str, str]) -> str:
        whens = " ".join(
            f"WHEN {self.literal(value)} THEN {self.literal(_csv_text(label))}"
            for value, label in labels.items()
        )
        return f"CASE {column} {whens} ELSE {self.text(column)} END"

    def yes_no(self, column: str) -> str:
        return f"CASE WHEN {column} THEN {self.literal(_YES_NO[0])} ELSE {self.literal(_YES_NO[1])} END"

    def hidden(self, column: str) -> str:
        return f"CASE WHEN {column} = '' THEN '' ELSE {self.literal(HIDDEN)} END"

    @staticmethod
    def number(column: str, decimals: int | None = None) -> str:
        if decimals is not None and connection.vendor == "sqlite":
            # SQLite stores 84.0 as the integer 84; the field (and PostgreSQL) give "84.0".
            return f"CASE WHEN {column} IS NULL THEN '' ELSE printf('%%.{decimals}f', {column}) END"
        return f"coalesce(CAST({column} AS TEXT), '')"


def _masked_id(enc: str) -> str:
    return mask_id_number(crypto.decrypt(enc))


def _clear_text(enc: str) -> str:
    return _csv_text(crypto.decrypt(enc))


def _repeating(finish):
    """`finish` for a household's value, repeated on each of its members' consecutive rows:
    decrypted once per household (a clear export of 329,359 members: 11.6 and 10.1 s before, 9.2
    and 8.7 s after, same runs of the machine)."""
    last = [None, ""]

    def finish_once(enc: str) -> str:
        if enc != last[0]:
            last[:] = enc, finish(enc)
        return last[1]

    return finish_once


def _birth_and_number_cells(enc: str) -> str:
    return ",".join(_birth_and_number(enc))


def _cells(sql: _Sql, reveal: bool) -> list:
    """One entry per cell in HEADERS order: an SQL expression giving the finished CSV cell, or
    (an SQL value, the Python function finishing it) for what SQL cannot do, decrypting. In a
    clear export the ID number's function writes the birth date's cell too (one decryption)."""
    labels = _choice_labels()
    cells: list = []
    for column in COLUMNS:
        key, kind = column.key, column.kind
        if key in ("phone", "bank_account"):
            cells.append((f"h.{key}_enc", _repeating(_clear_text)) if reveal else f"h.{key}_masked")
        elif key == "birth_date":
            if not reveal:
                cells.append("CAST(m.birth_year AS TEXT) || '-**-**'")
        elif key == "id_number":
            cells.append(("m.id_number_enc", _birth_and_number_cells if reveal else _masked_id))
        elif key in ("health", "disability"):
            if not reveal:
                cells.append(sql.hidden(f"m.{key}_enc"))
            else:
                names = labels.get(key, {})
                cells.append(
                    (f"m.{key}_enc", lambda enc, names=names: _csv_text(_decrypted_label(enc, names)))
                )
        elif kind == "choice":
            cells.append(sql.choice(_SOURCES[key], labels[key]))
        elif kind == "bool":
            cells.append(sql.yes_no(_SOURCES[key]))
        elif kind == "text":
            cells.append(sql.text(_SOURCES[key]))
        elif kind == "decimal":
            cells.append(sql.number(_SOURCES[key], decimals=1))
        elif kind in ("int", "months"):
            cells.append(sql.number(_SOURCES[key]))
        else:  # household numbers and village codes: digits
            cells.append(_SOURCES[key])
    return cells


def csv_query(households, *, reveal: bool = False) -> tuple[str, list, list]:
    """(SQL, params, functions) of the CSV export of `households` (a household_list queryset).

    Each row of the SQL is (text, value, text, …, value, text): runs of finished CSV cells, joined
    with their commas by the database, and between them the values only Python can finish, each
    with its function. A masked row is (the cells before the ID number, its ciphertext, the cells
    after it): the database labels the codes, writes 是/否, escapes and quotes the text, and Python
    decrypts and masks one value per member.
    """
    sql = _Sql()
    selects, functions, run = [], [], []
    for i, cell in enumerate(_cells(sql, reveal)):
        if i:
            run.append("','")
        if isinstance(cell, str):
            run.append(cell)
            continue
        selects.append(" || ".join(run) or "''")
        selects.append(cell[0])
        functions.append(cell[1])
        run = []
    selects.append(" || ".join(run) or "''")
    chosen, chosen_params = households.order_by().values("pk").query.sql_with_params()
    statement = (
        f"SELECT {', '.join(selects)} FROM {Member._meta.db_table} m "  # noqa: S608 - names and placeholders
        f"JOIN {Household._meta.db_table} h ON h.id = m.household_id "
        f"WHERE m.household_id IN ({chosen}) ORDER BY h.number, m.id"
    )
    return statement, [*sql.params, *chosen_params], functions


CSV_ROWS_AT_ONCE = 2000


def _query_rows(statement: str, params: list, width: int):
    """The rows of `statement` in lists of CSV_ROWS_AT_ONCE, streamed.

    On PostgreSQL through `COPY (…) TO STDOUT`: a server-side cursor (what `.iterator()` uses) is
    planned for its first tenth of rows and, outside a transaction, materialised WITH HOLD before
    the first fetch — 1.08 s against 0.13 s for a county's 10,589 members, 7 s against 4.5 s for
    329,359; COPY streams the plan of the plain query. SQLite's cursor streams by itself."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            while rows := cursor.fetchmany(CSV_ROWS_AT_ONCE):
                yield rows
        return
    with connection.cursor() as cursor, cursor.copy(f"COPY ({statement}) TO STDOUT", params) as copy:
        copy.set_types(["text"] * width)
        rows = []
        for row in copy.rows():
            rows.append(row)
            if len(rows) == CSV_ROWS_AT_ONCE:
                yield rows
                rows = []
        if rows:
            yield rows


def csv_chunks(households, *, reveal: bool = False):
    """The CSV export of `households`: the header (after Excel's BOM), then text chunks of
    CSV_ROWS_AT_ONCE members. The cells of export_rows, made by the database (csv_query): on
    329,359 members, building each row in Python from its 33 values took 15 s against 4 s for
    `psql \\copy` of the same columns (docs/benchmarks.md)."""
    statement, params, functions = csv_query(households, reveal=reveal)
    yield "\ufeff" + ",".join(_csv_text(h) for h in HEADERS) + "\r\n"
    chunks = _query_rows(statement, params, 2 * len(functions) + 1)
    if len(functions) == 1:  # masked: one value per row
        (finish,) = functions
        for rows in chunks:
            yield "".join([f"{before}{finish(value)}{after}\r\n" for before, value, after in rows])
        return
    for rows in chunks:
        lines = []
        for row in rows:
            parts = [row[0]]
            for k, finish in enumerate(functions):
                parts += (finish(row[2 * k + 1]), row[2 * k + 2])
            parts.append("\r\n")
            lines.append("".join(parts))
        yield "".join(lines)


def write_xlsx(target, rows) -> int:
    """Write rows to a path or a binary file object with constant memory; returns the row count."""
    import xlsxwriter

    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("家庭成员")
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    for col, header in enumerate(HEADERS):
        sheet.write_string(0, col, header, bold)
        sheet.set_column(col, col, max(10, len(header) * 2 + 2))
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(count, col, value)
            else:
                sheet.write_string(count, col, str(value))
    book.close()
    return count


def write_csv(fh, households, *, reveal: bool = False) -> int:
    """The CSV export of `households` (csv_chunks) into a text file; returns the member row count."""
    count = -1  # the header's line
    for chunk in csv_chunks(households, reveal=reveal):
        fh.write(chunk)
        count += chunk.count("\r\n")
    return count
