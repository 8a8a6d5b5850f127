"""Reads of the registry, always through the scoping choke point.

Search is built for ten million members: every mode is an `=` or a prefix `LIKE 'x%'` on an
indexed column (of Member; a household number is an `=` on Household's unique `number`). ID
numbers and last four (a few matches) are a semi-join
(`id IN (SELECT household_id …)`) ordered by household number. Names and initials (up to hundreds
of thousands of matches) are listed in the order of the matched name, so the first page is a walk
of the member index that stops after one page (see name_search).
"""

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import (
    CharField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    Window,
)
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import Concat, Left, RowNumber
from django.db.models.lookups import Exact, LessThan
from django.dispatch import receiver
from django.http import Http404

from fupin.core import crypto
from fupin.core.crypto import blind_index
from fupin.core.scoping import scope_of
from fupin.registry.choices import Health
from fupin.registry.idnumbers import normalize_id_number, parse_id_number
from fupin.registry.models import (
    Household,
    HouseholdEvent,
    LivingCheck,
    Member,
    PovertyLine,
    YearlyIncome,
    last4_index,
)

_FULL_ID = re.compile(r"[0-9]{17}[0-9X]")
_LAST4 = re.compile(r"[0-9X]{4}")
# 户编号: the village code and a sequence (17 digits from the services), or an imported number of
# up to 20 digits. Four digits are a last-four search, so a number needs at least five.
_HOUSEHOLD_NUMBER = re.compile(r"[0-9]{5,20}")
_INITIALS = re.compile(r"[A-Za-z]+")

# Income bands relative to the poverty line of the latest income year.
BAND_BELOW = "below"  # under the line
BAND_NEAR = "near"  # from the line to 1.5 × the line (the monitoring range)
BAND_ABOVE = "above"  # 1.5 × the line and more
BAND_NONE = "none"  # no income recorded
BANDS = (BAND_BELOW, BAND_NEAR, BAND_ABOVE, BAND_NONE)
MONITORING_FACTOR = Decimal("1.5")


def search_mode(q: str) -> str:
    """Which look-up a search text means: "id", "number", "last4", "initials", "name" ("" for nothing).

    Eighteen characters may be an ID number or an 18-digit household number: it is an ID number
    when it reads as one (a known province and a real birth date; a wrong check digit is a mistyped
    ID number, still searched by its blind index, so it never reaches the database in clear).
    A household number's digits 7-14 are its township and village codes and sequence, never a
    birth date (the 1900s-2000s years they would need have months > 12 or day 00).
    """
    text = normalize_id_number(q)
    if not text:
        return ""
    if _FULL_ID.fullmatch(text) and _reads_as_id_number(text):
        return "id"
    if _HOUSEHOLD_NUMBER.fullmatch(text):
        return "number"
    if _LAST4.fullmatch(text):
        return "last4"
    if _INITIALS.fullmatch(text):
        return "initials"
    return "name"


def _reads_as_id_number(text: str) -> bool:
    try:
        parse_id_number(text)
    except ValidationError as exc:
        return exc.code == "id_check"
    return True


def member_lookup(q: str) -> dict:
    """The Member filter a search text means (see search_mode), e.g. {"name__startswith": "王海"}."""
    mode = search_mode(q)
    text = normalize_id_number(q)
    if mode == "id":
        return {"id_number_bidx": blind_index("id", text)}
    if mode == "last4":
        return {"id_last4_bidx": last4_index(text)}
    if mode == "initials":
        return {"name_initials__startswith": text.lower()}
    if mode == "name":
        return {"name__startswith": q.strip()}
    return {}


def members_matching(q: str):
    """Members found by a search text (see search_mode), as an unscoped queryset of Member."""
    lookup = member_lookup(q)
    return Member.objects.filter(**lookup) if lookup else Member.objects.none()


def members_by_id_index(indexes, *, cursor=None) -> dict[str, tuple[int, int, str]]:
    """The registered people among keyed ID indexes (core.crypto.blind_index("id", number)), in one
    set-based query for the whole chunk: {index: (member id, household id, village code)}.

    Unscoped (the caller decides what a match outside its area means). `cursor`: a DB-API cursor of
    a PostgreSQL connection the caller's thread owns (a COPY pipeline's writer thread must not share
    the ORM's); the array parameter keeps the query one statement whatever the chunk's size."""
    indexes = list(indexes)
    if not indexes:
        return {}
    if cursor is None:
        rows = Member._base_manager.filter(id_number_bidx__in=indexes).values_list(
            "id_number_bidx", "id", "household_id", "household__village_id"
        )
        return {bidx: (mid, hid, village) for bidx, mid, hid, village in rows}
    member, household = Member._meta.db_table, Household._meta.db_table
    cursor.execute(
        f"SELECT m.id_number_bidx, m.id, m.household_id, h.village_id FROM {member} m "  # noqa: S608
        f"JOIN {household} h ON h.id = m.household_id WHERE m.id_number_bidx = ANY(%s)",
        [indexes],
    )
    return {bidx: (mid, hid, village) for bidx, mid, hid, village in cursor.fetchall()}


def county_member_index(county_code: str, *, cursor) -> dict[str, tuple[int, int]]:
    """{keyed ID index: (member id, household id)} of every member registered in the county, in one
    set-based query (a scan and a hash join), for matching a long list against the whole county at
    once: past a few ten thousand rows the scan costs PostgreSQL less than one index look-up per row
    (each compares the keyed index in the column's collation). About 240 bytes a member in memory;
    the rows arrive through a server-side cursor, a batch at a time. `cursor` as for
    members_by_id_index (its connection is used)."""
    member, household = Member._meta.db_table, Household._meta.db_table
    with cursor.connection.cursor(name="fupin_county_member_index") as rows:
        rows.itersize = 20_000
        rows.execute(
            f"SELECT m.id_number_bidx, m.id, m.household_id FROM {member} m "  # noqa: S608
            f"JOIN {household} h ON h.id = m.household_id WHERE h.village_id LIKE %s",
            [county_code.replace("%", "").replace("_", "") + "%"],
        )
        return {bidx: (mid, hid) for bidx, mid, hid in rows}


def with_latest_income(households):
    """Annotate `latest_year`, `latest_per_capita` and `latest_line` (that year's poverty line)."""
    latest = YearlyIncome.objects.filter(household=OuterRef("pk")).order_by("-year")
    return households.annotate(
        latest_year=Subquery(latest.values("year")[:1]),
        latest_per_capita=Subquery(latest.values("per_capita")[:1]),
    ).annotate(
        latest_line=Subquery(PovertyLine.objects.filter(year=OuterRef("latest_year")).values("amount")[:1])
    )


def division_in_scope(user, code: str) -> bool:
    return scope_of(user).covers_code(code)


# --- one household or member, for the other apps ------------------------------------------------
# They read households and members here, never from registry.models (see docs/architecture.md).
# Out of scope answers exactly like missing; `user=None` is the system (imports, the demo,
# commands), as `by=None` in the services.


def households_visible_to(user):
    """The households a user may see (nobody signed in, None, sees none)."""
    return Household.objects.visible_to(user)


def household_for(user, *, pk=None, number: str | None = None) -> Household | None:
    """The household of id `pk` or 户编号 `number` if the user may see it, else None."""
    if pk is not None:
        if not isinstance(pk, int) or isinstance(pk, bool):
            return None
        lookup = {"pk": pk}
    elif number:
        lookup = {"number": str(number).strip()}
    else:
        return None
    households = Household.objects.all() if user is None else Household.objects.visible_to(user)
    return households.select_related("village").filter(**lookup).first()


def household_or_404(user, pk) -> Household:
    """`household_for(user, pk=pk)`, or the same 404 whether it is missing or out of scope."""
    household = household_for(user, pk=pk)
    if household is None:
        raise Http404
    return household


def member_for(
    user, *, pk=None, household_number: str | None = None, name: str | None = None
) -> Member | None:
    """The member of id `pk`, or named `name` in the household of 户编号 `household_number`, if the
    user may see them, else None."""
    if pk is not None:
        if not isinstance(pk, int) or isinstance(pk, bool):
            return None
        lookup = {"pk": pk}
    elif household_number and name:
        lookup = {"household__number": str(household_number).strip(), "name": name}
    else:
        return None
    members = Member.objects.all() if user is None else Member.objects.visible_to(user)
    return members.select_related("household").filter(**lookup).order_by("pk").first()


@cache
def _listed_households():
    """The list's base query, built once: resolving the income subqueries was 0.4 ms of each API
    list request. A template only, never evaluated (each use chains a filter onto a copy)."""
    return with_latest_income(Household.objects.select_related("village"))


def household_list(*, user, filters: dict | None = None):
    """The households `user` may see, narrowed by the query form's (or the API's) filters.

    filters: division (code prefix inside the scope), status, attribute, exit_review (the step an
    exit waits at), cause (the main cause, as
    the list's column and the statistical tables count it), health (a Health value), income_band
    (BANDS), income_min/income_max (per-capita, latest year), q (see search_mode).

    The one query of the list page, the API list and the exports (members_of): what a user
    exports is exactly what the same filters list.

    The query depends on nothing but the user's scope and the filters, so it is built once per
    (scope, filters) in a process and copied for each call (_LISTS), with the SQL that counting and
    paging it compiles (count_up_to, household_page_values): building and compiling it was 1 ms of
    the API list's CPU per request. Only SQL is kept, never rows: each call still reads the data.
    A search (`q`) is not kept: its text is personal data.
    """
    filters = filters or {}
    key = _list_key(user, filters)
    if key is None:
        return _household_list(user, filters)
    with _LISTS_LOCK:
        template = _LISTS.get(key)
        if template is not None:
            _LISTS.move_to_end(key)
    if template is None:
        template = _household_list(user, filters)
        template._fupin_sql = {}
        with _LISTS_LOCK:
            _LISTS[key] = template
            while len(_LISTS) > _LISTS_KEPT:
                _LISTS.popitem(last=False)
    households = template._chain()  # a copy: the template is never evaluated
    households._fupin_sql = template._fupin_sql
    for kept in ("walk", "keyset"):  # what household_list adds to its query (a copy drops it)
        if getattr(template, kept, None) is not None:
            setattr(households, kept, getattr(template, kept))
    return households


# The built household lists, by (database, scope, filters), the most recently used last.
_LISTS: OrderedDict = OrderedDict()
_LISTS_LOCK = threading.Lock()
_LISTS_KEPT = 128
_SQL_KEPT = 16  # compiled statements kept per list (pages at different offsets)


def _list_key(user, filters: dict) -> tuple | None:
    """The memo's key; None (not kept) for a search: its text may be a name or an ID number, never
    kept in the process beyond the request."""
    if (filters.get("q") or "").strip():
        return None
    values = tuple(sorted((k, getattr(v, "code", v)) for k, v in filters.items()))
    key = (connection.alias, scope_of(user), values)
    try:
        hash(key)
    except TypeError:
        return None
    return key


@receiver(setting_changed)
def _forget_lists(**kwargs):
    """A setting may change the SQL (the blind-index key of a search, the database): tests."""
    with _LISTS_LOCK:
        _LISTS.clear()


def _compiled_sql(queryset, key: tuple, compile_sql):
    """`compile_sql()` (SQL and params, or None for a query that selects nothing), kept with the
    list's query when `queryset` is household_list's copy (a further filter or sort drops it)."""
    memo = getattr(queryset, "_fupin_sql", None)
    if memo is not None and key in memo:
        return memo[key]
    try:
        compiled = compile_sql()
    except EmptyResultSet:  # .none(): a division outside the scope, an empty scope
        compiled = None
    if memo is not None:
        if len(memo) >= _SQL_KEPT:
            memo.clear()
        memo[key] = compiled
    return compiled


def _household_list(user, filters: dict):
    households = _listed_households().visible_to(user)
    division = filters.get("division")
    prefixes = scope_of(user).prefixes
    if division:
        code = getattr(division, "code", division)
        if not division_in_scope(user, code):
            return households.none()
        households = households.filter(village__code__startswith=code)
        prefixes = (code,)
    if filters.get("status"):
        households = households.filter(status=filters["status"])
    if filters.get("attribute"):
        households = households.filter(attribute=filters["attribute"])
    if filters.get("exit_review"):
        households = households.filter(exit_review=filters["exit_review"])
    if filters.get("cause"):
        households = households.filter(main_cause=filters["cause"])
    health = filters.get("health")
    if health:
        sick = Member.objects.filter(health_bidx=blind_index("health", health))
        households = households.filter(id__in=sick.values("household_id"))
    households = _income_filter(households, filters)
    q = (filters.get("q") or "").strip()
    mode = search_mode(q) if q else ""
    if mode in ("name", "initials"):
        households = name_search(households, q)
    elif mode == "number":
        # The unique index on number: one household at most, in the scope or not at all.
        households = households.filter(number=normalize_id_number(q))
    elif q:
        households = households.filter(id__in=members_matching(q).values("household_id")).order_by(
            search_order()
        )
        households.keyset = KEYSET
    elif prefixes and min(map(len, prefixes)) >= NARROW_CODE:
        households = households.order_by(search_order())
        households.keyset = KEYSET
    return households


# search_order() is the order of these fields: the API's cursor (core.lists) follows them, so a
# county's or a city's list pages on past any offset.
KEYSET = ("number", "pk")


# A city's code and longer: the scope holds at most some tens of thousands of households.
NARROW_CODE = 4
# 共 N 条 of the list and the API is counted up to this (past it: 共 1000+ 条, `count_capped`).
COUNT_CAP = 1000


def household_page(households, start: int, stop: int):
    """Rows `start` to `stop` of `households` (a household_list queryset): the page's households
    chosen first, in the list's order, by the household table alone, and only then joined with
    their village's name and latest income.

    In one query, PostgreSQL joined and annotated the scope's households before keeping a page
    (or, planning for 50 rows, walked the number index: 36,520 households read for the first page
    of a county of 2,920 at 1 M members, 17.9 ms); choosing the ids first is 3.3 ms. The list's
    order of a county or narrower scope is `number || ''` (household_list), which no index serves,
    so the few thousand matches are collected and sorted instead of that walk. A name search keeps
    its own plan (a walk of the member name index, see name_search).
    """
    if getattr(households, "walk", None) is not None:
        return households[start:stop]
    return _page_of(Household.objects.filter(pk__in=households.values("pk")[start:stop]))


def _page_of(chosen):
    return with_latest_income(chosen.select_related("village")).order_by("number")


@dataclass(frozen=True)
class _Compiled:
    """A compiled query whose one subquery is filled in at each run (see household_page_values)."""

    sql: str
    params: tuple
    names: tuple[str, ...]
    converters: tuple  # (column, converters, expression): Django's conversions of the values


_PAGE_IDS = "SELECT NULL /* the page's ids */"
_compiled_pages: dict[tuple, _Compiled] = {}


def _unchanged_by(convert, expression, connection) -> bool:
    """Whether `convert` is an expression's int() or Decimal() of a value PostgreSQL's driver already
    reads as that type (an integer or numeric column: the income subqueries' year and per capita).
    Skipping them changes no value; applying them to each row was 12 µs of CPU per page of 50."""
    return (
        connection.vendor == "postgresql"
        and convert == getattr(expression, "convert_value", None)
        and expression.output_field.get_internal_type()
        in (
            "IntegerField",
            "SmallIntegerField",
            "PositiveSmallIntegerField",
            "PositiveIntegerField",
            "BigIntegerField",
            "DecimalField",
        )
    )


def _compiled_page(fields: tuple[str, ...], renames: tuple = (), connection=connection) -> _Compiled:
    key = (connection.alias, fields, renames)
    compiled = _compiled_pages.get(key)
    if compiled is None:
        marker = RawSQL(_PAGE_IDS, ())  # noqa: S611 - a constant, replaced by the compiled id query
        query = _page_of(Household.objects.filter(pk__in=marker)).values(*fields).query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        assert sql.count(_PAGE_IDS) == 1  # noqa: S101 - the marker is ours; a second one would be a bug
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        names = tuple(dict(renames).get(name, name) for name in names)
        expressions = [column[0] for column in compiler.select[: compiler.col_count]]
        # Django's own conversions of the values (SQLite's 0/1 to booleans, its numbers to Decimal).
        converters = tuple(
            (i, found, expression)
            for i, expression in enumerate(expressions)
            if (
                found := [
                    convert
                    for convert in connection.ops.get_db_converters(expression)
                    + expression.get_db_converters(connection)
                    if not _unchanged_by(convert, expression, connection)
                ]
            )
        )
        compiled = _compiled_pages[key] = _Compiled(sql, tuple(params), names, converters)
    return compiled


def _in_number_order(households) -> bool:
    """Whether `households` is in household number order, the order household_page re-applies to
    the page it chose: the list's own orders, never a sort asked for by a column (?sort=status)."""
    query = households.query
    if not query.order_by:
        return query.default_ordering  # Household's Meta ordering: number
    return tuple(query.order_by) in ((_SEARCH_ORDER,), ("number", "pk"))


def household_page_values(
    households, start: int, stop: int, fields: tuple[str, ...], renames: tuple = ()
) -> list[dict]:
    """household_page as dicts of `fields` (model fields, `village__name`, `latest_year`,
    `latest_per_capita`, …), for the API's list; `renames`, pairs (field, name), name some of them
    otherwise (`("village_id", "village_code")`): the dicts are made with those names (renaming
    each row's keys afterwards was 14 µs of CPU per page of 50).

    The same SQL, but only the page's id query is compiled for each request (and not even that for
    household_list's own query, see _compiled_sql): the rest — the join, the income subqueries, the
    columns — does not depend on the filters and is compiled once per process. Compiling it was
    2.4 ms of the API list's 10 ms of CPU per request (county officer, 1 M members). A list sorted
    by a column (or searched by name) is read as plain values, in its own order.
    """
    if getattr(households, "walk", None) is not None or not _in_number_order(households):
        rows = list(households[start:stop].values(*fields))
        if renames:
            names = dict(renames)
            rows = [{names.get(name, name): value for name, value in row.items()} for row in rows]
        return rows
    # The default database's connection, looked up once (each use of django.db.connection goes
    # through its proxy to the thread's connections, 3–4 µs).
    connection = connections[DEFAULT_DB_ALIAS]
    compiled = _compiled_page(tuple(fields), renames, connection)
    ids = _compiled_sql(
        households, ("page", start, stop), lambda: households.values("pk")[start:stop].query.sql_with_params()
    )
    if ids is None:
        return []
    sql, params = ids
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql.replace(_PAGE_IDS, sql), (*compiled.params, *params))
        rows = cursor.fetchall()
    if compiled.converters:
        rows = [list(row) for row in rows]
        for row in rows:
            for i, found, expression in compiled.converters:
                for convert in found:
                    row[i] = convert(row[i], expression, connection)
    names = compiled.names
    return [dict(zip(names, row, strict=True)) for row in rows]


def members_of(households):
    """The members of `households` (a household_list queryset) in household number order: the rows
    of the export, read with the list's own query as a subquery (its filters, scope and search)."""
    chosen = households.order_by().values("pk")
    return (
        Member.objects.filter(household_id__in=chosen)
        .select_related("household")
        .order_by("household__number", "id")
    )


class PatternOrder(OrderBy):
    """Ascending order of a column in its `varchar_pattern_ops` index (`USING ~<~` on PostgreSQL).

    The prefix indexes use the pattern operator class (a `LIKE 'x%'` needs it under a non-C
    collation); its order is byte order, which the planner matches only when asked for by
    operator. Other databases sort plainly. (The comment is for Django's compiler, which finds
    each ORDER BY term's expression by cutting its SQL at the last " ASC"/" DESC".)"""

    def as_sql(self, compiler, connection, template=None, **extra_context):
        if connection.vendor == "postgresql":
            template = "%(expression)s USING ~<~ /* ASC */"
        return super().as_sql(compiler, connection, template=template, **extra_context)


class PatternLessThan(LessThan):
    """`a < b` in the order of PatternOrder (`~<~`, byte order, on PostgreSQL; SQLite's default
    BINARY collation already compares bytes)."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ~<~ {rhs}", (*lhs_params, *rhs_params)


def name_search(households, q: str):
    """Households with a member whose name (or initials) starts with `q`, in the matched name's order.

    Ordered by (matched name, household), the order of the covering index (`registry_member_name_hh`
    or `…_initials_hh`), so PostgreSQL walks the index, checks each entry's household against the
    scope and the other filters, and stops after one page: at ten million members a common name or
    three initials (up to 184,000 households) are a page in milliseconds, where sorting every match
    by household number cost up to a second.

    One row per household, at its first match in that order: a NOT EXISTS drops a match when the
    household has a lower one, and on PostgreSQL DISTINCT ON drops the rest (equal names in one
    household). Both use only the index's two columns, so the walk never reads the member table —
    in a county, where most of the country's matches are walked and dropped, that is the difference
    between 90 and 8 ms. SQLite, which has no DISTINCT ON, breaks ties by member id instead.
    `matched_name` (shown in the list) is read for the page's rows only.
    """
    lookup = member_lookup(q)
    (column_lookup,) = lookup
    column = column_lookup.removesuffix("__startswith")
    joined = f"members__{column}"
    lower = PatternLessThan(F(column), OuterRef(joined))
    if connection.vendor != "postgresql":
        lower = lower | Q(**{column: OuterRef(joined)}, id__lt=OuterRef("members__id"))
    # The household's own matches, by household_id. The prefix test is written so that no index
    # can serve it: with `LIKE 'wb%'`, whose matches PostgreSQL underestimates (786 against 31,823
    # at ten million), it walked the prefix index for each of the page's households (2.5 s).
    value = lookup[column_lookup]
    own = Member.objects.filter(Exact(Left(column, len(value)), Value(value)), household_id=OuterRef("pk"))
    earlier = own.filter(lower)
    first = own.order_by(PatternOrder(F(column)), "id")
    order = (PatternOrder(F(joined)), "members__household_id")
    matching = Q(**{f"members__{column_lookup}": value})
    # One filter() call: the member the anti-join compares with is the joined one (a second call
    # would join the members again).
    found = households.filter(matching, ~Exists(earlier)).order_by(*order)
    if connection.vendor == "postgresql":
        found = found.distinct(joined, "members__household_id")
    found = found.annotate(matched_name=Subquery(first.values("name")[:1]))
    found.walk = households.filter(matching).order_by(*order)  # for count_up_to
    return found


def search_order():
    """Household number order for search results, as an expression no index matches.

    With `ORDER BY number` PostgreSQL may walk the number index and probe each household for a
    matching member, expecting the 20 matches of the first page early; names cluster by place
    (卓玛 only in Qinghai, whose codes sort last), and at ten million members that walk read 2.5
    million households (4.5 s). Ordering by `number || ''` (the same order) makes it collect the
    matching households first and sort them: cost bounded by the number of matches.
    """
    return _SEARCH_ORDER


# One instance (an expression is never changed in place): the page's check of the list's own order
# (_in_number_order) is then an identity test, where comparing two such expressions cost 0.2 ms.
_SEARCH_ORDER = Concat("number", Value(""), output_field=CharField()).asc()


def count_up_to(queryset, cap: int) -> int:
    """How many rows `queryset` has, counting no further than `cap + 1`.

    For 共 N 条 on huge results: an exact count costs as much as the rows it counts (a surname alone
    matches hundreds of thousands of members at ten million), while `cap + 1` rows prove "more than
    cap" in bounded time. `SELECT COUNT(*) FROM (… LIMIT cap + 1)`.

    A name search (name_search) is counted on its index walk without the one-row-per-household
    test, which costs a look-up of the household's other members per match: the households of the
    first cap + cap/4 matching members, de-duplicated here. Fewer matches than that: the exact
    count; more than `cap` households among them: cap + 1; else (many matches per household, as
    for a single initial) the plain count.
    """
    walk = getattr(queryset, "walk", None)
    if walk is not None:
        limit = cap + 1 + cap // 4
        households = list(walk.values_list("members__household_id", flat=True)[:limit])
        distinct = len(set(households))
        if len(households) < limit:
            return min(distinct, cap + 1)
        if distinct > cap:
            return cap + 1
    # core.pagination.count_up_to's SQL, without the ORM's count() around it (0.6 → 0.35 ms of CPU),
    # compiled once for household_list's own query (_compiled_sql).
    compiled = _compiled_sql(
        queryset, ("count", cap), lambda: queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
    )
    if compiled is None:
        return 0
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) capped", params)  # noqa: S608 - compiled SQL
        return cursor.fetchone()[0]


def _income_filter(households, filters: dict):
    band = filters.get("income_band")
    if band == BAND_NONE:
        households = households.filter(latest_year__isnull=True)
    elif band == BAND_BELOW:
        households = households.filter(latest_per_capita__lt=_line())
    elif band == BAND_NEAR:
        households = households.filter(
            latest_per_capita__gte=_line(), latest_per_capita__lt=_line(MONITORING_FACTOR)
        )
    elif band == BAND_ABOVE:
        households = households.filter(latest_per_capita__gte=_line(MONITORING_FACTOR))
    if filters.get("income_min") is not None:
        households = households.filter(latest_per_capita__gte=filters["income_min"])
    if filters.get("income_max") is not None:
        households = households.filter(latest_per_capita__lte=filters["income_max"])
    return households


def _line(factor: Decimal | None = None):
    """The latest year's poverty line (times `factor`), as an expression on the annotated query."""
    if factor is None:
        return F("latest_line")
    return ExpressionWrapper(
        F("latest_line") * Value(factor), output_field=DecimalField(max_digits=14, decimal_places=3)
    )


def household_detail(household) -> dict:
    """Everything the household page shows, each list in one query."""
    incomes = list(YearlyIncome.objects.filter(household=household).order_by("year"))
    years = [i.year for i in incomes]
    lines = dict(PovertyLine.objects.filter(year__in=years).values_list("year", "amount"))
    for income in incomes:
        income.line = lines.get(income.year)
        income.below_line = income.line is not None and income.per_capita < income.line
    return {
        "members": list(Member.objects.filter(household=household).order_by("id")),
        "incomes": incomes,
        "checks": list(LivingCheck.objects.filter(household=household).order_by("-year")),
        "events": list(
            HouseholdEvent.objects.filter(household=household).select_related("actor").order_by("-at", "-id")
        ),
    }


def poverty_lines() -> dict[int, Decimal]:
    return dict(PovertyLine.objects.values_list("year", "amount"))


# --- set-based sources for other apps -------------------------------------------------------------
# Unscoped row sources for work over the whole population that is never shown as is: monitoring's
# risk rules and data-quality checks compile them (`queryset.query.sql_with_params()`) into their own
# INSERT … SELECT, with their own area filter, so they read the registry without naming its tables.
# Each column is named by the values() key; a renamed field keeps its key here.


def household_rows():
    """(id, village_id, attribute, status) of every household."""
    return Household._base_manager.order_by().values("id", "village_id", "attribute", "status")


def member_rows():
    """(id, household_id, labour, work_status, months_worked, dibao, id_number_bidx) of every member."""
    return Member._base_manager.order_by().values(
        "id", "household_id", "labour", "work_status", "months_worked", "dibao", "id_number_bidx"
    )


def income_rows():
    """Every yearly income with its stored totals (YearlyIncome.compute_totals: the one definition)."""
    return YearlyIncome._base_manager.order_by().values(
        "household_id",
        "year",
        "people",
        "wages",
        "business",
        "transfers",
        "property",
        "net_income",
        "per_capita",
        "compliant_costs",
        "per_capita_after_costs",
    )


def check_rows():
    """Every 两不愁三保障 + water check: (household_id, year, food … water)."""
    return LivingCheck._base_manager.order_by().values("household_id", "year", *LivingCheck.ITEMS)


# --- the national exchange (fupin.exchange) ---------------------------------------------------------


def exchange_member_rows(households):
    """One dict per member of `households` (a scoped Household queryset: the caller's choke point
    applies) with its household's columns, for the national exchange's files and the comparison of
    returns: stored values only (ciphertexts, codes), in 户编号 then member order. `seq` is the
    member's place in its household (1, 2, …: the 人编号's suffix), `per_capita` the latest year's
    人均纯收入, `housing_ok` the latest 两不愁三保障 check's 住房安全 (None: never checked)."""
    income = YearlyIncome.objects.filter(household=OuterRef("household_id")).order_by("-year")
    check = LivingCheck.objects.filter(household=OuterRef("household_id")).order_by("-year")
    return (
        Member.objects.filter(household_id__in=households.order_by().values("pk"))
        .annotate(
            seq=Window(RowNumber(), partition_by=[F("household_id")], order_by=F("id").asc()),
            per_capita=Subquery(income.values("per_capita")[:1]),
            housing_ok=Subquery(check.values("housing")[:1]),
        )
        .order_by("household__number", "id")
        .values(
            "id",
            "household_id",
            "seq",
            "name",
            "sex",
            "id_number_enc",
            "id_number_bidx",
            "relation",
            "ethnicity",
            "education",
            "school_status",
            "health_enc",
            "labour",
            "work_status",
            "months_worked",
            "dibao",
            "per_capita",
            "housing_ok",
            household_number=F("household__number"),
            village=F("household__village_id"),
            group=F("household__group_name"),
            attribute=F("household__attribute"),
            main_cause=F("household__main_cause"),
            safe_water=F("household__safe_water"),
            relocated=F("household__relocated"),
            members=F("household__member_count"),
            phone_enc=F("household__phone_enc"),
            phone_masked=F("household__phone_masked"),
            status=F("household__status"),
        )
    )


def member_ids_in(households) -> set[int]:
    """The ids of every member of `households` (a scoped Household queryset), in one query."""
    return set(
        Member.objects.filter(household_id__in=households.order_by().values("pk")).values_list(
            "id", flat=True
        )
    )


# --- 明白卡 and 一户一档 (the documents app) ----------------------------------------------------------
# A village's batch of cards reads each list once for all its households (not a query per card).


def village_households(user, code: str):
    """The households of village `code` that `user` may see, in 户编号 order (None: the system)."""
    households = Household.objects.all() if user is None else Household.objects.visible_to(user)
    return households.filter(village_id=code).select_related("village").order_by("number")


def members_by_household(household_ids) -> dict[int, list[Member]]:
    """The members of households already fetched in scope, in the order they were registered."""
    found: dict[int, list[Member]] = {pk: [] for pk in household_ids}
    for member in Member.objects.filter(household_id__in=list(found)).order_by("household_id", "id"):
        found[member.household_id].append(member)
    return found


def latest_incomes(household_ids) -> dict[int, YearlyIncome]:
    """The latest yearly income of each household already fetched in scope (absent: none recorded)."""
    found: dict[int, YearlyIncome] = {}
    for income in YearlyIncome.objects.filter(household_id__in=list(household_ids)).order_by(
        "household_id", "-year"
    ):
        found.setdefault(income.household_id, income)
    return found


def clear_id_number(member: Member) -> str:
    """A member's full ID number, for a document printed in clear: the caller has checked
    `registry.reveal_household` on the household and audits the print with its purpose."""
    return member._plain_id_number()


def clear_personal(obj, field: str) -> str:
    """A household's phone or bank account, or a member's health or disability, decrypted for a
    document printed in clear (the caller checked the permission and audits, as for clear_id_number).
    Health is its label (健康, 长期慢性病 …)."""
    column = {"phone": "phone_enc", "bank_account": "bank_account_enc"}.get(field) or f"{field}_enc"
    stored = getattr(obj, column, "")
    value = crypto.decrypt(stored) if stored else ""
    if field == "health" and value in Health.values:
        return str(Health(value).label)
    return value
