"""Reads of the registry, always through the scoping choke point.

Search is built for ten million members: every mode is an `=` or a prefix `LIKE 'x%'` on an
indexed column (of Member; a household number is an `=` on Household's unique `number`). ID
numbers and last four (a few matches) are a semi-join
(`id IN (SELECT household_id …)`) ordered by household number. Names and initials (up to hundreds
of thousands of matches) are listed in the order of the matched name, so the first page is a walk
of the member index that stops after one page (see name_search).
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
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
)
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import Concat, Left
from django.db.models.lookups import Exact, LessThan
from django.http import Http404

from fupin.core.crypto import blind_index
from fupin.core.scoping import scope_of
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

    filters: division (code prefix inside the scope), status, attribute, cause (the main cause, as
    the list's column and the statistical tables count it), health (a Health value), income_band
    (BANDS), income_min/income_max (per-capita, latest year), q (see search_mode).

    The one query of the list page, the API list and the exports (members_of): what a user
    exports is exactly what the same filters list.
    """
    filters = filters or {}
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
    elif prefixes and min(map(len, prefixes)) >= NARROW_CODE:
        households = households.order_by(search_order())
    return households


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
    expressions: tuple


_PAGE_IDS = "SELECT NULL /* the page's ids */"
_compiled_pages: dict[tuple, _Compiled] = {}


def _compiled_page(fields: tuple[str, ...]) -> _Compiled:
    key = (connection.vendor, fields)
    compiled = _compiled_pages.get(key)
    if compiled is None:
        marker = RawSQL(_PAGE_IDS, ())  # noqa: S611 - a constant, replaced by the compiled id query
        query = _page_of(Household.objects.filter(pk__in=marker)).values(*fields).query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        assert sql.count(_PAGE_IDS) == 1  # noqa: S101 - the marker is ours; a second one would be a bug
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        expressions = tuple(column[0] for column in compiler.select[: compiler.col_count])
        compiled = _compiled_pages[key] = _Compiled(sql, tuple(params), names, expressions)
    return compiled


def household_page_values(households, start: int, stop: int, fields: tuple[str, ...]) -> list[dict]:
    """household_page as dicts of `fields` (model fields, `village__name`, `latest_year`,
    `latest_per_capita`, …), for the API's list.

    The same SQL, but only the page's id query is compiled for each request: the rest — the join,
    the income subqueries, the columns — does not depend on the filters and is compiled once per
    process. Compiling it was 2.4 ms of the API list's 10 ms of CPU per request (county officer,
    1 M members).
    """
    if getattr(households, "walk", None) is not None:
        return list(households[start:stop].values(*fields))
    compiled = _compiled_page(tuple(fields))
    try:
        ids, params = households.values("pk")[start:stop].query.sql_with_params()
    except EmptyResultSet:  # .none(): a division outside the scope, an empty scope
        return []
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql.replace(_PAGE_IDS, ids), (*compiled.params, *params))
        rows = cursor.fetchall()
    # Django's own conversions of the values (SQLite's 0/1 to booleans, its numbers to Decimal).
    converters = [
        (i, found, expression)
        for i, expression in enumerate(compiled.expressions)
        if (found := connection.ops.get_db_converters(expression) + expression.get_db_converters(connection))
    ]
    if converters:
        rows = [list(row) for row in rows]
        for row in rows:
            for i, found, expression in converters:
                for convert in found:
                    row[i] = convert(row[i], expression, connection)
    return [dict(zip(compiled.names, row, strict=True)) for row in rows]


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
    return Concat("number", Value(""), output_field=CharField()).asc()


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
    # core.pagination.count_up_to's SQL, without the ORM's count() around it (0.6 → 0.35 ms of CPU).
    try:
        sql, params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
    except EmptyResultSet:
        return 0
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
