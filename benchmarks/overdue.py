# ruff: noqa: S608 - benchmark SQL built from this module's constants; values are parameters
"""`fupin bench_overdue`: the monitoring overdue lists of a province as a viewer of that province sees
them, against hand-written SQL giving the same answers, N samples each, p50/p95 and the ratio
(issue 12: "a province's overdue list at 10 M people: p95 under 100 ms"; a benchmark, not a test).

Two pages, each timed through the real code path — the list's query form, its scoped rows
(monitoring.selectors_lists), `core.lists.page_of` (the capped count and the first page), the batch
and every cell — by `core.lists.page_context` on a request of the province's viewer, or with
`via="client"` the whole page through the Django test client (middleware, session, template):

- `overdue`: 逾期线索 (`monitoring:overdue_list`), open leads past a deadline counted per township,
  first page (20 townships, the reddest first) and the number of townships;
- `leads`: 风险线索 filtered to 已逾期 (`monitoring:lead_list?urgency=overdue`), first page (20 leads,
  newest first, with village and household) and the count capped as the list caps it.

The limit, per page: the same page and count in hand-written SQL on the base tables (stage list,
date comparisons, `LIKE 'province%'`), independent of the selectors' text, with the same definitions
(monitoring/deadlines.py: red past the decision limit, orange past the step's deadline). Both sides
must give the same rows and counts. Samples alternate which side goes first.

"Today": the lists judge urgency on `monitoring.selectors_lists.today()`; the benchmark replaces that
function for the run (by default with the day after the latest decision limit in the province, so
every open lead is overdue — the largest list), nothing in the data is rewritten. The run first
ANALYZEs the lead, region and household tables (what autovacuum does on a live database).
"""

import contextlib
import datetime
import statistics
import time
from unittest import mock

from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from fupin.accounts.models import DataScope, User, UserRole
from fupin.accounts.roles import Role
from fupin.core.lists import DEFAULT_COUNT_CAP, page_context
from fupin.monitoring import lists
from fupin.monitoring import selectors_lists as rows
from fupin.monitoring.choices import OPEN_STAGES

PAGES = ("overdue", "leads")
PAGE = 20
_STAGES = ", ".join(f"'{s}'" for s in sorted(OPEN_STAGES))
_LATE = f"l.stage IN ({_STAGES}) AND (l.step_due < %(on)s OR l.decision_due < %(on)s)"

# 逾期线索 by hand: the townships' counts, their first page (the reddest first) with names, and the
# number of townships (a window count, one statement).
OVERDUE_SQL = f"""
SELECT g.code, g.orange, g.red, g.total, coalesce(r.name, g.code), coalesce(p.name, ''), g.areas
FROM (
    SELECT left(l.village_id, %(digits)s) AS code,
        count(*) FILTER (WHERE l.step_due < %(on)s AND NOT coalesce(l.decision_due < %(on)s, false)) AS orange,
        count(*) FILTER (WHERE l.decision_due < %(on)s) AS red,
        count(*) AS total, count(*) OVER () AS areas
    FROM monitoring_lead l
    WHERE l.village_id LIKE %(like)s AND {_LATE}
    GROUP BY 1
    ORDER BY red DESC, total DESC, code
    LIMIT {PAGE}
) g
LEFT JOIN regions_region r ON r.code = g.code
LEFT JOIN regions_region p ON p.code = r.parent_id
ORDER BY g.red DESC, g.total DESC, g.code
"""
# 风险线索, 已逾期, by hand: the first page with its village and household, and the capped count.
LEADS_PAGE_SQL = f"""
SELECT l.id, l.number, v.name, h.number, h.head_name
FROM monitoring_lead l
JOIN regions_region v ON v.code = l.village_id
LEFT JOIN registry_household h ON h.id = l.household_id
WHERE l.village_id LIKE %(like)s AND {_LATE}
ORDER BY l.opened_on DESC, l.id DESC
LIMIT {PAGE + 1}
"""
LEADS_COUNT_SQL = f"""
SELECT count(*) FROM (
    SELECT 1 FROM monitoring_lead l WHERE l.village_id LIKE %(like)s AND {_LATE} LIMIT %(cap)s
) x
"""


def province_viewer(province: str):
    """`bench_viewer_<province>`: 市/省级查看 with the province as scope (made on first use)."""
    user, created = User.objects.get_or_create(
        username=f"bench_viewer_{province}", defaults={"full_name": f"省级查看(基准 {province})"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        UserRole.objects.create(user=user, role=Role.VIEWER)
        DataScope.objects.create(user=user, region_id=province)
    return user


@contextlib.contextmanager
def judged_on(day: datetime.date):
    """The lists judge urgency on `day` (selectors_lists.today is the one place they ask)."""
    with mock.patch.object(rows, "today", lambda: day):
        yield


def default_day(province: str) -> datetime.date:
    """The day after the province's latest decision limit of an open lead: every open lead overdue."""
    with connection.cursor() as c:
        c.execute(
            f"SELECT max(greatest(l.step_due, l.decision_due)) FROM monitoring_lead l "
            f"WHERE l.village_id LIKE %s AND l.stage IN ({_STAGES})",
            [province + "%"],
        )
        latest = c.fetchone()[0]
    if latest is None:
        raise SystemExit(f"no open leads in {province}: run `fupin bench_monitoring --prepare` first")
    return latest + datetime.timedelta(days=1)


def open_leads(province: str, on: datetime.date) -> dict:
    """How many open leads the province has, and how many of them are orange and red on `on`."""
    with connection.cursor() as c:
        c.execute(
            f"SELECT count(*), count(*) FILTER (WHERE {_LATE} AND NOT coalesce(l.decision_due < %(on)s, false)), "
            f"count(*) FILTER (WHERE {_LATE} AND l.decision_due < %(on)s) "
            f"FROM monitoring_lead l WHERE l.village_id LIKE %(like)s AND l.stage IN ({_STAGES})",
            {"on": on, "like": province + "%"},
        )
        total, orange, red = c.fetchone()
    return {"open": total, "orange": orange, "red": red}


# ---------------------------------------------------------------- the two sides


PARAMS = {"overdue": {}, "leads": {"urgency": rows.OVERDUE}}
SPECS = {"overdue": lists.OVERDUE, "leads": lists.LEADS}


def _answer(page: str, page_rows: list, count: int) -> tuple:
    """What both sides must agree on: the page's rows and the (capped) count."""
    if page == "overdue":
        return [
            (r["code"], r["orange"], r["red"], r["total"], r["name"], r["parent"]) for r in page_rows
        ], count
    return [r.pk for r in page_rows], count


def ours(page: str, user, factory: RequestFactory) -> tuple:
    """The list page's work short of the template: form, scoped rows, capped count, first page, batch
    and every cell (core.lists.page_context)."""
    spec = SPECS[page]
    request = factory.get(reverse(f"{spec.url}_list"), PARAMS[page])
    request.user = user
    context = page_context(request, spec)
    return _answer(page, context["page"].rows, context["page"].count)


def ours_client(page: str, client: Client) -> None:
    """The whole page through the test client (middleware, session, template). Outside a test run the
    client gives no template context: its answer is checked once by `ours` before the timing."""
    spec = SPECS[page]
    response = client.get(reverse(f"{spec.url}_list"), PARAMS[page])
    if response.status_code != 200:
        raise SystemExit(f"{page}: the page answered {response.status_code}")


def hand(page: str, province: str, on: datetime.date) -> tuple:
    params = {"like": province + "%", "on": on, "digits": 9, "cap": DEFAULT_COUNT_CAP + 1}
    with connection.cursor() as c:
        if page == "overdue":
            c.execute(OVERDUE_SQL, params)
            found = c.fetchall()
            return [row[:6] for row in found], (found[0][6] if found else 0)
        c.execute(LEADS_PAGE_SQL, params)
        ids = [row[0] for row in c.fetchall()][:PAGE]
        c.execute(LEADS_COUNT_SQL, params)
        return ids, c.fetchone()[0]


# ---------------------------------------------------------------- the run


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def run(
    *, province: str, n: int = 200, warmup: int = 10, on: datetime.date | None = None, via: str = "context"
) -> dict:
    """p50/p95 of each page and of its hand-written SQL over `n` samples, same answers asserted."""
    if connection.vendor != "postgresql":
        raise SystemExit("bench_overdue needs PostgreSQL (a bench_fill database with rule leads)")
    with connection.cursor() as c:
        # Planner statistics as autovacuum keeps them on a live database (the bench database runs with
        # autovacuum off, and bench_monitoring analyses the lead table while it is still empty).
        c.execute("ANALYZE monitoring_lead, regions_region, registry_household")
    on = on or default_day(province)
    user = province_viewer(province)
    factory = RequestFactory()
    client = None
    if via == "client":
        client = Client()
        client.force_login(user)
    result = {"province": province, "on": on, "via": via, "leads": open_leads(province, on), "pages": []}
    with judged_on(on):
        for page in PAGES:

            def app(page=page):
                return ours_client(page, client) if client else ours(page, user, factory)

            def limit(page=page):
                return hand(page, province, on)

            if client and ours(page, user, factory) != limit():
                raise SystemExit(f"{page}: the list and the SQL differ")
            for _i in range(warmup):
                app()
                limit()
            times: dict[str, list[float]] = {"app": [], "sql": []}
            answer = None
            for i in range(n):
                sides = [("app", app), ("sql", limit)]
                if i % 2:
                    sides.reverse()
                got = {}
                for side, call in sides:
                    started = time.perf_counter()
                    got[side] = call()
                    times[side].append((time.perf_counter() - started) * 1000)
                if not client and got["app"] != got["sql"]:
                    raise SystemExit(f"{page}: the list gave {got['app']}, the SQL {got['sql']}")
                answer = got["sql"]
            app_p95, sql_p95 = pct(times["app"], 95), pct(times["sql"], 95)
            result["pages"].append(
                {
                    "page": page,
                    "n": n,
                    "rows": len(answer[0]),
                    "count": answer[1],
                    "p50": pct(times["app"], 50),
                    "p95": app_p95,
                    "sql_p50": pct(times["sql"], 50),
                    "sql_p95": sql_p95,
                    "ratio": app_p95 / sql_p95 if sql_p95 else float("inf"),
                }
            )
    return result
