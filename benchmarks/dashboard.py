# ruff: noqa: S608 - benchmark SQL built from this module's constants; values are parameters
"""`fupin bench_dashboard`: the 驾驶舱 and the rollup (issue 13, "Speed"), each side by side with its
limit in the same run. PostgreSQL only (a `bench_fill` database).

`prepare()` adds, in SQL, the records the indicators count (bench_fill makes households and members
only; `benchmarks.monitoring.prepare` adds incomes): village populations, monitoring objects (about
2.5 % of households, with risks, layers, statuses, identification and elimination dates over
2024–2026, a few re-identified) and leads (open ones, many overdue, and closed ones), assisting units
and the counties they assist, pairings cadre↔household for the poor, returned and monitored
households and 60 % of the exited ones, visits (a few per pairing a year, 70 % of those in force
visited in the last month), work teams with a first secretary and a member for one village in five,
party organisations (a committee per county and township, a branch per village, groups under a
quarter of them, members), 三会一课 over 2025–2026 with gaps, branch scores, weak branches, training
classes and attendees, projects with categories and statuses, beneficiaries, fund sources and ledger
entries (through the ledger's own trigger: budgets, allocations, disbursements, a few reversals),
purchases and placements of the units. Deterministic (hashes of ids and codes), idempotent (each
block is skipped when its rows are there: rows carry `created_at = STAMP` or a 'bench' text).

The runs (`run_*`), each with its limit in the same run:
- `dashboard`: p50/p95/p99 of `/` for a national viewer, a province viewer and a county officer
  through the test Client, against a bare view (one hand-written SQL over the rollup — a larger
  division's rows of `reports_rolluptotal`, a village's of `reports_rollup` — giving the same key
  figures and trends, as JSON) through the same Client; the figures are asserted equal.
- `refresh`: `reports.services.refresh()` (full, every indicator) against one hand-written
  `INSERT … SELECT … GROUP BY GROUPING SETS` per indicator into a scratch copy of the rollup, then
  its totals above the village (`hand_totals`, one more GROUPING SETS), and against DuckDB running
  the same group-bys over a Parquet snapshot of the records (pyarrow writes the snapshot, timed
  apart); rows of ours (village rows and totals) equal the hand-written ones, the village rows
  DuckDB's (asserted).
- `incremental`: one household's edit through `registry.services`, so the dirty marks are written as
  in production, then `reports.services.drain()`.
- `pages`: the old on-the-fly aggregates the issue names (a province's incidence, the assistance
  home page for a national and a province viewer, the coverage report nationally), timed now.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import statistics
import tempfile
import time
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

STAMP = "2001-01-01 00:00:00+00"  # created_at of every row prepare() writes
YEARS = (2025, 2026)
UNITS = 12


def _r(expr: str, salt: int, n: int) -> str:
    """A deterministic number 0 … n-1 from an integer expression."""
    return f"mod(hashint8extended(({expr})::bigint, {salt}) & 2147483647, {n})::int"


def _t(expr: str, salt: int, n: int) -> str:
    """A deterministic number 0 … n-1 from a text expression (a division code)."""
    return f"mod(hashtextextended(({expr})::text, {salt}) & 2147483647, {n})::int"


def _pick(values, index: str) -> str:
    return "(ARRAY[" + ", ".join(f"'{v}'" for v in values) + f"])[1 + {index}]"


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _pg():
    if connection.vendor != "postgresql":
        raise SystemExit("bench_dashboard needs PostgreSQL (a bench_fill database)")


def _exists(c, sql: str, params=()) -> bool:
    c.execute(f"SELECT EXISTS ({sql})", params)
    return c.fetchone()[0]


# ---------------------------------------------------------------- preparing the data


def prepare(progress=print, today: datetime.date | None = None) -> dict:
    """Add the records the indicators count (see the module docstring); returns the counts added."""
    _pg()
    from benchmarks import monitoring

    today = today or timezone.localdate()
    done: dict[str, int] = {}
    started = time.perf_counter()
    with connection.cursor() as c:
        # monitoring.prepare is not idempotent for its county lines (a second run inserts a line
        # without a region: min() over no rows), so it runs once, while its lines are missing.
        if not _exists(c, "SELECT 1 FROM monitoring_monitoringline WHERE note = 'bench'"):
            progress("  monitoring.prepare (incomes, checks, lines) …")
            c.execute("SELECT DISTINCT left(village_id, 2) FROM registry_household ORDER BY 1")
            monitoring.prepare(tuple(r[0] for r in c.fetchall()), progress=progress)
        for name, block in BLOCKS:
            clock = time.perf_counter()
            with transaction.atomic():
                added = block(c, today)
            if added is None:
                progress(f"  {name}: already there")
                continue
            done.update(added)
            progress(f"  {name}: {time.perf_counter() - clock:.1f} s {added}")
        c.execute(
            "ANALYZE monitoring_monitoringobject, monitoring_objectrisk, monitoring_lead, assistance_cadre, "
            "assistance_pairing, assistance_visit, assistance_workteam, assistance_posting, "
            "assistance_trainingclass, assistance_trainingattendee, party_partyorg, party_partymember, "
            "party_meeting, party_branchscore, party_weakcase, projects_project, projects_beneficiary, "
            "projects_fundsource, projects_ledgerentry, outcomes_purchase, outcomes_placement, "
            "registry_villagepopulation, orgs_unit, orgs_assistedplace, regions_region, registry_household"
        )
    progress(f"  prepared in {time.perf_counter() - started:.1f} s")
    return done


def _populations(c, today):
    if _exists(c, "SELECT 1 FROM registry_villagepopulation WHERE source = 'bench'"):
        return None
    # 农村户籍人口: the registered households are a part of it (1.5 … 3.5 times their members).
    c.execute(
        f"""
        INSERT INTO registry_villagepopulation (created_at, updated_at, year, population, source, village_id)
        SELECT %s, %s, y.year, (p.people * (1.5 + {_t("p.village_id", 301, 200)} / 100.0))::int
            + {_t("p.village_id || y.year", 302, 50)}, 'bench', p.village_id
        FROM (SELECT village_id, sum(member_count) AS people FROM registry_household GROUP BY 1) p
        CROSS JOIN (VALUES (2024), (2025)) AS y(year)
        """,
        [STAMP, STAMP],
    )
    return {"village populations": c.rowcount}


def _units(c, today):
    if _exists(c, "SELECT 1 FROM orgs_unit WHERE name LIKE 'bench 帮扶单位%%'"):
        return None
    kinds = ("central_enterprise", "state_enterprise", "agency", "institution")
    c.execute(
        f"""
        INSERT INTO orgs_unit (name, short_name, kind, created_at, updated_at)
        SELECT 'bench 帮扶单位 ' || lpad(n::text, 2, '0'), 'bench' || n, {_pick(kinds, "mod(n, 4)")}, %s, %s
        FROM generate_series(1, {UNITS}) n
        """,
        [STAMP, STAMP],
    )
    units = c.rowcount
    # Each unit assists the counties with households whose rank is its number modulo UNITS.
    c.execute(
        f"""
        INSERT INTO orgs_assistedplace (since, region_id, unit_id, until)
        SELECT date '2021-05-01', k.county, u.id, NULL
        FROM (SELECT county, row_number() OVER (ORDER BY county) AS rank
              FROM (SELECT DISTINCT left(village_id, 6) AS county FROM registry_household) d) k
        JOIN orgs_unit u ON u.name = 'bench 帮扶单位 ' || lpad((1 + mod(k.rank, {UNITS}))::text, 2, '0')
        ON CONFLICT DO NOTHING
        """
    )
    return {"units": units, "assisted counties": c.rowcount}


def _objects(c, today):
    if _exists(c, "SELECT 1 FROM monitoring_monitoringobject WHERE created_at = %s", [STAMP]):
        return None
    types = ("unstable",) * 5 + ("marginal",) * 4 + ("sudden",)
    layers = ("key_relief", "dibao_relief", "latent_risk", "development")
    ident = f"(date '2024-01-01' + {_r('h.id', 202, 1065)})"
    common = "h.id, %(stamp)s, %(stamp)s, 0, false"
    # A few households were monitored before, eliminated in 2023: their older object is history.
    c.execute(
        f"""
        INSERT INTO monitoring_monitoringobject (household_id, created_at, updated_at, version, safety_net,
            type, former_poor, identified_on, status, eliminated_on, elimination_kind, layer_id, lead_id)
        SELECT {common}, 'marginal', h.status = 'exited', date '2023-03-01' + {_r("h.id", 206, 120)},
            'eliminated', date '2023-03-01' + {_r("h.id", 206, 120)} + 200, 'assisted', NULL, NULL
        FROM registry_household h WHERE {_r("h.id", 201, 1000)} < 3
        """,
        {"stamp": STAMP},
    )
    older = c.rowcount
    c.execute(
        f"""
        INSERT INTO monitoring_monitoringobject (household_id, created_at, updated_at, version, safety_net,
            type, former_poor, identified_on, status, eliminated_on, elimination_kind, layer_id, lead_id)
        SELECT h.id, %(stamp)s, %(stamp)s, 0, {_r("h.id", 207, 100)} < 5,
            {_pick(types, _r("h.id", 203, 10))}, h.status = 'exited', x.ident,
            CASE WHEN x.gone THEN 'eliminated' ELSE 'monitored' END,
            CASE WHEN x.gone THEN least(x.ident + 120 + {_r("h.id", 205, 400)}, %(today)s::date - 1) END,
            CASE WHEN NOT x.gone THEN '' WHEN {_r("h.id", 208, 10)} < 8 THEN 'assisted' ELSE 'natural' END,
            CASE WHEN {_r("h.id", 209, 10)} < 9
                THEN (SELECT id FROM monitoring_layer WHERE code = {_pick(layers, _r("h.id", 210, 4))}) END,
            NULL
        FROM registry_household h
        CROSS JOIN LATERAL (SELECT {ident} AS ident,
            {_r("h.id", 204, 100)} < 55 AND {ident} + 120 < %(today)s::date AS gone) x
        WHERE {_r("h.id", 201, 1000)} < 25
        """,
        {"stamp": STAMP, "today": today},
    )
    objects = c.rowcount
    risks = (
        "illness",
        "disaster",
        "disability",
        "no_labour",
        "accident",
        "industry_failure",
        "job_instability",
        "schooling",
        "water",
        "other",
    )
    first = _r("o.id", 211, 10)
    second = f"mod({first} + 1 + {_r('o.id', 213, 9)}, 10)"
    c.execute(
        f"""
        INSERT INTO monitoring_objectrisk (object_id, risk, disaster_kind, "order")
        SELECT o.id, r.risk, CASE WHEN r.risk = 'disaster' THEN 'flood' ELSE '' END, r.n
        FROM monitoring_monitoringobject o
        CROSS JOIN LATERAL (
            SELECT {_pick(risks, first)} AS risk, 0 AS n
            UNION ALL SELECT {_pick(risks, second)}, 1 WHERE {_r("o.id", 212, 100)} < 30
        ) r
        WHERE o.created_at = %s
        """,
        [STAMP],
    )
    return {"objects (older, eliminated)": older, "objects (current)": objects, "object risks": c.rowcount}


def _leads(c, today):
    if _exists(c, "SELECT 1 FROM monitoring_lead WHERE number LIKE 'BENCH%%'"):
        return None
    channels = ("self_report", "cadre", "cadre", "department")
    open_stages = ("submitted", "accepted", "verified", "compared", "publicising", "publicised", "checked")
    columns = (
        "number, household_id, village_id, created_at, updated_at, version, stage, opened_on, step_due, "
        "decision_due, decided_on, consent_signed, consent_photo, verification, comparison, closing_reasons, "
        "channel, applicant_name, phone_enc, phone_masked, id_number_enc, id_number_bidx, risks, "
        "disaster_kind, hardship, proposed_type, period, facts"
    )
    tail = (
        "false, '', '', '{}'::jsonb, '[]'::jsonb, "
        + _pick(channels, _r("h.id", 223, 4))
        + ", '', '', '', '', '', '[\"illness\"]'::jsonb, '', '', '', '', '{}'::jsonb"
    )
    # Open leads opened over the last two months: most past their step's deadline, many past the
    # decision limit (逾期线索).
    opened = f"(%(today)s::date - 5 - {_r('h.id', 221, 60)})"
    c.execute(
        f"""
        INSERT INTO monitoring_lead ({columns})
        SELECT 'BENCH-O-' || h.id, h.id, h.village_id, %(stamp)s, %(stamp)s, 0,
            {_pick(open_stages, _r("h.id", 222, 7))}, {opened}, {opened} + 4, {opened} + 15, NULL, {tail}
        FROM registry_household h WHERE {_r("h.id", 220, 1000)} < 6
        """,
        {"stamp": STAMP, "today": today},
    )
    open_ = c.rowcount
    closed = ("decided", "decided", "not_included", "rejected")
    opened = f"least(date '2024-01-01' + {_r('h.id', 225, 1040)}, %(today)s::date - 20)"
    c.execute(
        f"""
        INSERT INTO monitoring_lead ({columns})
        SELECT 'BENCH-C-' || h.id, h.id, h.village_id, %(stamp)s, %(stamp)s, 0,
            {_pick(closed, _r("h.id", 226, 4))}, {opened}, NULL, NULL, {opened} + 12, {tail}
        FROM registry_household h WHERE {_r("h.id", 224, 1000)} < 20
        """,
        {"stamp": STAMP, "today": today},
    )
    return {"open leads": open_, "closed leads": c.rowcount}


def _pairings(c, today):
    if _exists(
        c, "SELECT 1 FROM assistance_cadre WHERE created_at = %s AND title = 'bench:pairing'", [STAMP]
    ):
        return None
    c.execute(
        f"""
        CREATE TEMP TABLE bench_paired ON COMMIT DROP AS
        SELECT h.id, h.village_id FROM registry_household h
        WHERE h.status IN ('poor', 'returned')
           OR (h.status = 'exited' AND {_r("h.id", 230, 100)} < 60)
           OR EXISTS (SELECT 1 FROM monitoring_monitoringobject o WHERE o.household_id = h.id
                      AND o.status = 'monitored')
        """
    )
    # One cadre per village and twelve of its paired households (a cadre pairs with several).
    c.execute(
        "CREATE TEMP TABLE bench_cadres_of ON COMMIT DROP AS "
        "SELECT village_id, 1 + count(*) / 12 AS n FROM bench_paired GROUP BY 1"
    )
    levels = ("village", "township", "county", "city")
    c.execute(
        f"""
        INSERT INTO assistance_cadre (name, level, title, version, created_at, updated_at, region_id,
            unit_id, user_id, phone_enc, phone_masked)
        SELECT 'bench 帮扶责任人 ' || v.village_id || '-' || k, {_pick(levels, _t("v.village_id || k", 231, 4))},
            'bench:pairing', 0, %s, %s, v.village_id, NULL, NULL, '', ''
        FROM bench_cadres_of v CROSS JOIN LATERAL generate_series(0, v.n - 1) k
        """,
        [STAMP, STAMP],
    )
    cadres = c.rowcount
    c.execute(
        "CREATE TEMP TABLE bench_cadre_map ON COMMIT DROP AS SELECT c.region_id AS village_id, "
        "split_part(c.name, '-', 2)::int AS k, c.id FROM assistance_cadre c "
        "WHERE c.created_at = %s AND c.title = 'bench:pairing'",
        [STAMP],
    )
    c.execute("CREATE INDEX ON bench_cadre_map (village_id, k)")
    start = f"(date '2024-01-01' + {_r('p.id', 232, 500)})"
    c.execute(
        f"""
        INSERT INTO assistance_pairing (start, "end", end_reason, version, created_at, cadre_id, household_id)
        SELECT {start},
            CASE WHEN {_r("p.id", 233, 100)} < 8 THEN least({start} + 200 + {_r("p.id", 234, 200)},
                %(today)s::date - 1) END,
            CASE WHEN {_r("p.id", 233, 100)} < 8 THEN 'bench' ELSE '' END, 0, %(stamp)s, m.id, p.id
        FROM bench_paired p JOIN bench_cadres_of v ON v.village_id = p.village_id
        JOIN bench_cadre_map m ON m.village_id = p.village_id AND m.k = mod({_r("p.id", 235, 1000)}, v.n)
        """,
        {"stamp": STAMP, "today": today},
    )
    return {"pairing cadres": cadres, "pairings": c.rowcount}


def _visits(c, today):
    if _exists(c, "SELECT 1 FROM assistance_visit WHERE notes = 'bench'"):
        return None
    # A few visits a year per pairing (0 … 5), within the pairing's dates and before today; and for
    # 70 % of the pairings in force a visit within the last 30 days (the rest are 逾期未走访).
    c.execute(
        f"""
        INSERT INTO assistance_visit (visited_on, people_met, notes, issues, created_at, cadre_id, household_id)
        SELECT d.day, '', 'bench', '', %(stamp)s, d.cadre_id, d.household_id
        FROM (
            SELECT p.cadre_id, p.household_id,
                make_date(y.year, 1, 1) + {_r("p.id * 31 + y.year * 7 + g", 241, 365)} AS day,
                p.start, coalesce(p."end", %(today)s::date) AS last
            FROM assistance_pairing p
            CROSS JOIN (VALUES (2025), (2026)) AS y(year)
            CROSS JOIN LATERAL generate_series(1, {_r("p.id + y.year", 240, 6)}) g
            WHERE p.created_at = %(stamp)s
            UNION ALL
            SELECT p.cadre_id, p.household_id, %(today)s::date - {_r("p.id", 243, 29)}, p.start, %(today)s::date
            FROM assistance_pairing p
            WHERE p.created_at = %(stamp)s AND p."end" IS NULL AND {_r("p.id", 242, 100)} < 70
        ) d
        WHERE d.day BETWEEN d.start AND d.last
        """,
        {"stamp": STAMP, "today": today},
    )
    return {"visits": c.rowcount}


def _teams(c, today):
    if _exists(c, "SELECT 1 FROM assistance_workteam WHERE name LIKE 'bench 工作队%%'"):
        return None
    # One village in five (with households, and the first) has a work team of its county's assisting unit.
    c.execute(
        f"""
        INSERT INTO assistance_workteam (name, start, "end", status, version, created_at, unit_id, village_id)
        SELECT 'bench 工作队 ' || v.code, date '2024-03-01' + {_t("v.code", 251, 300)},
            CASE WHEN {_t("v.code", 252, 100)} < 12 THEN date '2025-12-31' END,
            CASE WHEN {_t("v.code", 252, 100)} < 12 THEN 'ended' ELSE 'active' END, 0, %s,
            coalesce((SELECT min(a.unit_id) FROM orgs_assistedplace a WHERE a.region_id = left(v.code, 6)),
                (SELECT min(id) FROM orgs_unit WHERE name LIKE 'bench 帮扶单位%%')),
            v.code
        FROM (SELECT DISTINCT village_id AS code FROM registry_household) v
        WHERE {_t("v.code", 250, 5)} = 0 OR v.code = (SELECT min(village_id) FROM registry_household)
        """,
        [STAMP],
    )
    teams = c.rowcount
    c.execute(
        f"""
        INSERT INTO assistance_cadre (name, level, title, version, created_at, updated_at, region_id, unit_id,
            user_id, phone_enc, phone_masked)
        SELECT 'bench ' || r.role || ' ' || t.village_id, {_pick(("central", "province", "city", "county"), _t("t.village_id", 253, 4))},
            'bench:' || r.role, 0, %s, %s, t.village_id, t.unit_id, NULL, '', ''
        FROM assistance_workteam t CROSS JOIN (VALUES ('first_secretary'), ('team_member')) AS r(role)
        WHERE t.name LIKE 'bench 工作队%%'
        """,
        [STAMP, STAMP],
    )
    cadres = c.rowcount
    c.execute(
        """
        INSERT INTO assistance_posting (kind, post_title, start, "end", version, created_at, cadre_id, region_id,
            team_id)
        SELECT split_part(c.title, ':', 2), '', t.start, t."end", 0, %s, c.id, t.village_id, t.id
        FROM assistance_workteam t JOIN assistance_cadre c ON c.region_id = t.village_id
            AND c.created_at = %s AND c.title IN ('bench:first_secretary', 'bench:team_member')
        WHERE t.name LIKE 'bench 工作队%%'
        """,
        [STAMP, STAMP],
    )
    return {"work teams": teams, "team cadres": cadres, "postings": c.rowcount}


def _party(c, today):
    if _exists(c, "SELECT 1 FROM party_partyorg WHERE note = 'bench'"):
        return None
    insert = (
        "INSERT INTO party_partyorg (name, level, kind, founded_on, approved_by, note, version, created_at, "
        "updated_at, parent_id, region_id, unit_id) "
    )
    c.execute(
        insert
        + "SELECT '中共' || r.name || '委员会', 'committee', 'agency', date '1950-01-01', '', 'bench', 0, "
        "%s, %s, NULL, r.code, NULL FROM regions_region r WHERE r.level = 3 AND r.code IN "
        "(SELECT DISTINCT left(village_id, 6) FROM registry_household)",
        [STAMP, STAMP],
    )
    counties = c.rowcount
    c.execute(
        insert
        + "SELECT '中共' || r.name || '委员会', 'committee', 'village', date '1958-01-01', '', 'bench', 0, "
        "%s, %s, p.id, r.code, NULL FROM regions_region r JOIN party_partyorg p ON p.region_id = left(r.code, 6) "
        "AND p.note = 'bench' WHERE r.level = 4 AND r.code IN "
        "(SELECT DISTINCT left(village_id, 9) FROM registry_household) ON CONFLICT DO NOTHING",
        [STAMP, STAMP],
    )
    townships = c.rowcount
    # A branch per village; 3 % founded this year (they owe only the periods since).
    founded = (
        f"CASE WHEN {_t('r.code', 261, 100)} < 3 THEN make_date(%s, 1 + {_t('r.code', 262, 10)}, 1) "
        f"ELSE date '1980-01-01' + {_t('r.code', 263, 12000)} END"
    )
    c.execute(
        insert + f"SELECT r.name || '党支部', 'branch', 'village', {founded}, '', 'bench', 0, %s, %s, p.id, "
        "r.code, NULL FROM regions_region r JOIN party_partyorg p ON p.region_id = left(r.code, 9) "
        "AND p.note = 'bench' WHERE r.level = 5 AND r.code IN (SELECT DISTINCT village_id FROM registry_household) "
        "ON CONFLICT DO NOTHING",
        [today.year, STAMP, STAMP],
    )
    branches = c.rowcount
    c.execute(
        insert
        + "SELECT '第' || g || '党小组', 'group', 'village', b.founded_on, '', 'bench', 0, %s, %s, b.id, "
        f"b.region_id, NULL FROM party_partyorg b CROSS JOIN generate_series(1, 2) g "
        f"WHERE b.note = 'bench' AND b.level = 'branch' AND {_r('b.id', 264, 4)} = 0",
        [STAMP, STAMP],
    )
    groups = c.rowcount
    stages = ("full",) * 17 + ("probationary", "activist", "applicant")
    statuses = ("active",) * 18 + ("transferred", "deceased")
    c.execute(
        f"""
        INSERT INTO party_partymember (name, post, stage, status, version, created_at, updated_at, org_id)
        SELECT 'bench 党员', '', {_pick(stages, _r("b.id * 100 + n", 271, 20))},
            {_pick(statuses, _r("b.id * 100 + n", 272, 20))}, 0, %s, %s, b.id
        FROM party_partyorg b CROSS JOIN LATERAL generate_series(1, 6 + {_r("b.id", 270, 30)}) n
        WHERE b.note = 'bench' AND b.level = 'branch'
        """,
        [STAMP, STAMP],
    )
    return {
        "county committees": counties,
        "township committees": townships,
        "branches": branches,
        "party groups": groups,
        "party members": c.rowcount,
    }


def _meetings(c, today):
    if _exists(c, "SELECT 1 FROM party_meeting WHERE topic = 'bench'"):
        return None
    # Every branch, every month of 2025–2026 up to today: 支部委员会 and 主题党日 monthly, 支部党员大会 and
    # 党课 in the quarter's last month, a 党小组会 by each group monthly; 12 % of them skipped (gaps).
    c.execute(
        f"""
        INSERT INTO party_meeting (kind, held_on, topic, attendee_count, absent_count, minutes, version, created_at,
            updated_at, org_id, guests)
        SELECT k.kind, m.month + {_r("o.id * 7 + extract(month FROM m.month)::int", 281, 28)}, 'bench',
            5 + {_r("o.id", 282, 20)}, {_r("o.id + extract(month FROM m.month)::int", 283, 3)}, '', 0, %(stamp)s,
            %(stamp)s, o.id, '[]'::jsonb
        FROM party_partyorg o
        CROSS JOIN LATERAL (SELECT d::date AS month
            FROM generate_series(date '2025-01-01', %(today)s::date, interval '1 month') d) m
        JOIN (VALUES ('committee', 'branch', 1), ('theme_day', 'branch', 1), ('members', 'branch', 3),
            ('lesson', 'branch', 3), ('group', 'group', 1)) AS k(kind, level, every) ON k.level = o.level
        WHERE o.note = 'bench' AND o.level IN ('branch', 'group')
            AND mod(extract(month FROM m.month)::int, k.every) = 0
            AND m.month >= date_trunc('month', coalesce(o.founded_on, date '1980-01-01'))
            AND {_r("o.id * 1000 + extract(year FROM m.month)::int * 13 + extract(month FROM m.month)::int * 5 + length(k.kind)", 284, 100)} >= 12
            AND m.month + {_r("o.id * 7 + extract(month FROM m.month)::int", 281, 28)} <= %(today)s::date
        """,
        {"stamp": STAMP, "today": today},
    )
    return {"meetings": c.rowcount}


def _scores(c, today):
    if _exists(c, "SELECT 1 FROM party_checklist WHERE name = 'bench 标准化考评表'"):
        return None
    c.execute(
        "INSERT INTO party_checklist (name, issued_by, active) VALUES ('bench 标准化考评表', 'bench', false) "
        "RETURNING id"
    )
    checklist = c.fetchone()[0]
    c.execute(
        f"""
        INSERT INTO party_branchscore (year, total, star, satisfaction, version, updated_at, checklist_id, org_id)
        SELECT y.year, 60 + {_r("b.id + y.year", 291, 400)} / 10.0, 1 + {_r("b.id + y.year", 292, 5)}, NULL, 0,
            %s, %s, b.id
        FROM party_partyorg b CROSS JOIN (VALUES (2025, 92), (2026, 40)) AS y(year, share)
        WHERE b.note = 'bench' AND b.level = 'branch' AND {_r("b.id * 3 + y.year", 290, 100)} < y.share
        """,
        [STAMP, checklist],
    )
    scores = c.rowcount
    old = ("closed",) * 7 + ("rectifying",) * 2 + ("revoked",)
    new = ("identified",) * 4 + ("rectifying",) * 5 + ("closed",)
    c.execute(
        f"""
        INSERT INTO party_weakcase (year, criteria, description, plan, owner, deadline, status, version, created_at,
            updated_at, org_id)
        SELECT y.year, '[]'::jsonb, 'bench', '', '', make_date(y.year, 12, 31),
            CASE WHEN y.year = 2025 THEN {_pick(old, _r("b.id", 296, 10))} ELSE {_pick(new, _r("b.id", 297, 10))} END,
            0, %s, %s, b.id
        FROM party_partyorg b CROSS JOIN (VALUES (2025, 30), (2026, 20)) AS y(year, per_mille)
        WHERE b.note = 'bench' AND b.level = 'branch' AND {_r("b.id * 5 + y.year", 295, 1000)} < y.per_mille
        """,
        [STAMP, STAMP],
    )
    return {"branch scores": scores, "weak cases": c.rowcount}


def _training(c, today):
    if _exists(c, "SELECT 1 FROM assistance_trainingclass WHERE topic = 'bench'"):
        return None
    kinds = ("grassroots_cadre", "technician", "rich_leader", "party_member", "official", "unit_staff")
    forms = ("study_tour", "special_class", "mobile_lecture", "rotation")
    # Four classes a year in every county with households, run by its assisting unit.
    start = f"least(make_date(y.year, 1, 1) + {_t('k.county || y.year || n', 302, 340)}, %(today)s::date - 3)"
    c.execute(
        f"""
        INSERT INTO assistance_trainingclass (topic, form, kind, start, "end", place, hours, version, created_at,
            organiser_id, region_id)
        SELECT 'bench', {_pick(forms, _t("k.county || n", 303, 4))}, {_pick(kinds, _t("k.county || y.year || n", 304, 6))},
            {start}, {start} + 3, '', 24, 0, %(stamp)s, a.unit_id, k.county
        FROM (SELECT DISTINCT left(village_id, 6) AS county FROM registry_household) k
        JOIN LATERAL (SELECT min(unit_id) AS unit_id FROM orgs_assistedplace WHERE region_id = k.county) a ON true
        CROSS JOIN (VALUES (2025), (2026)) AS y(year) CROSS JOIN generate_series(1, 4) n
        WHERE a.unit_id IS NOT NULL
        """,
        {"stamp": STAMP, "today": today},
    )
    classes = c.rowcount
    c.execute(
        f"""
        INSERT INTO assistance_trainingattendee (kind, name, unit_name, count, training_id)
        SELECT t.kind, '', '', 20 + {_r("t.id", 305, 60)}, t.id FROM assistance_trainingclass t WHERE t.topic = 'bench'
        UNION ALL
        SELECT {_pick(kinds, _r("t.id", 306, 6))}, '', '', 5 + {_r("t.id", 307, 20)}, t.id
        FROM assistance_trainingclass t WHERE t.topic = 'bench'
        UNION ALL
        SELECT t.kind, 'bench 学员' || n, '', 1, t.id
        FROM assistance_trainingclass t CROSS JOIN generate_series(1, 3) n WHERE t.topic = 'bench'
        """
    )
    return {"training classes": classes, "attendee rows": c.rowcount}


PROJECT_STATUSES = (
    "draft",
    "proposed",
    "reviewed",
    "approved",
    "publicised",
    "in_progress",
    "in_progress",
    "accepted",
    "completed",
    "evaluated",
)
ALLOCATED = ("approved", "publicised", "in_progress", "accepted", "completed", "evaluated")
DISBURSED = ("in_progress", "accepted", "completed", "evaluated")


def _projects(c, today):
    if _exists(c, "SELECT 1 FROM projects_project WHERE name LIKE 'bench %%'"):
        return None
    categories = (
        "education",
        "medical",
        "housing_water",
        "infrastructure",
        "industry",
        "industry",
        "industry",
        "ecology",
        "employment",
        "consumption",
        "training",
        "other",
    )
    natures = ("new", "expansion", "continued", "purchase", "subsidy", "service")
    # A project in 35 % of the villages a year, five of each county's own a year.
    c.execute(
        f"""
        INSERT INTO projects_project (name, category, nature, year, tasks, budget, beneficiaries_text,
            target_households, performance_targets, benefit_mechanism, status, expert_names, expert_opinion,
            announcement, evaluation_opinion, version, created_at, updated_at, place_id)
        SELECT 'bench ' || p.place || ' ' || y.year || '-' || p.n, {_pick(categories, _t("p.place || y.year || p.n", 311, 12))},
            {_pick(natures, _t("p.place || p.n", 312, 6))}, y.year, '',
            50000 + {_t("p.place || y.year || p.n", 313, 1950)} * 1000, '', 0, '', '',
            CASE WHEN y.year = 2025 THEN {_pick(PROJECT_STATUSES[3:], _t("p.place || y.year || p.n", 314, 7))}
                ELSE {_pick(PROJECT_STATUSES, _t("p.place || y.year || p.n", 314, 10))} END,
            '', '', '', '', 0, %s, %s, p.place
        FROM (
            SELECT DISTINCT village_id AS place, 1 AS n FROM registry_household
            UNION ALL
            SELECT DISTINCT left(village_id, 6), n FROM registry_household CROSS JOIN generate_series(1, 5) n
        ) p CROSS JOIN (VALUES (2025), (2026)) AS y(year)
        WHERE length(p.place) = 6 OR {_t("p.place || y.year", 310, 100)} < 35
        """,
        [STAMP, STAMP],
    )
    projects = c.rowcount
    c.execute(
        f"""
        INSERT INTO projects_beneficiary (benefit, amount, created_at, household_id, village_id, project_id)
        SELECT 'bench', NULL, %s, h.id, h.village_id, p.id
        FROM projects_project p JOIN registry_household h ON h.village_id = p.place_id
        WHERE p.name LIKE 'bench %%' AND length(p.place_id) = 12 AND {_r("h.id * 7 + p.id", 315, 10)} < 3
        """,
        [STAMP],
    )
    return {"projects": projects, "beneficiaries": c.rowcount}


def _funds(c, today):
    if _exists(c, "SELECT 1 FROM projects_fundsource WHERE note = 'bench'"):
        return None
    gov = ("central", "provincial", "city", "county")
    c.execute(
        f"""
        INSERT INTO projects_fundsource (name, kind, year, note, created_at, place_id, unit_id)
        SELECT 'bench ' || k.county || ' ' || g.kind, g.kind, y.year, 'bench', %s::timestamptz, k.county, NULL
        FROM (SELECT DISTINCT left(village_id, 6) AS county FROM registry_household) k
        CROSS JOIN (VALUES {", ".join(f"('{g}')" for g in gov)}) AS g(kind)
        CROSS JOIN (VALUES (2025), (2026)) AS y(year)
        UNION ALL
        SELECT 'bench ' || u.name || ' ' || g.kind, g.kind, y.year, 'bench', %s::timestamptz,
            (SELECT min(region_id) FROM orgs_assistedplace a WHERE a.unit_id = u.id), u.id
        FROM orgs_unit u CROSS JOIN (VALUES ('unit_direct'), ('brought_in')) AS g(kind)
        CROSS JOIN (VALUES (2025), (2026)) AS y(year)
        WHERE u.name LIKE 'bench 帮扶单位%%'
        """,
        [STAMP, STAMP],
    )
    sources = c.rowcount
    entry = "INSERT INTO projects_ledgerentry (kind, amount, date, memo, at, source_id, project_id, allocation_id, reverses_id) "
    c.execute(
        entry
        + f"""
        SELECT 'budget', CASE WHEN s.unit_id IS NULL THEN 500000000 ELSE 1000000 + {_r("s.id", 321, 9000000)} END,
            least(make_date(s.year, 1, 15), %s::date), 'bench', %s, s.id, NULL, NULL, NULL
        FROM projects_fundsource s WHERE s.note = 'bench'
        """,
        [today, STAMP],
    )
    budgets = c.rowcount
    # Each approved (or later) project gets one allocation from one of its county's sources of its year.
    gov_kind = _pick(gov, _r("p.id", 322, 4))
    c.execute(
        entry
        + f"""
        SELECT 'allocation', round(p.budget * 0.8, 2),
            least(make_date(p.year, 3, 1) + {_r("p.id", 323, 200)}, %s::date), 'bench', %s, s.id, p.id, NULL, NULL
        FROM projects_project p
        JOIN projects_fundsource s ON s.note = 'bench' AND s.unit_id IS NULL AND s.year = p.year
            AND s.place_id = left(p.place_id, 6) AND s.kind = {gov_kind}
        WHERE p.name LIKE 'bench %%' AND p.status IN ({", ".join(f"'{s}'" for s in ALLOCATED)})
        ORDER BY p.id
        """,
        [today, STAMP],
    )
    allocations = c.rowcount
    c.execute(
        entry
        + f"""
        SELECT 'disbursement', round(a.amount * (0.3 + {_r("a.id", 324, 60)} / 100.0), 2),
            least(a.date + 30, %s::date), 'bench', %s, a.source_id, a.project_id, a.id, NULL
        FROM projects_ledgerentry a JOIN projects_project p ON p.id = a.project_id
        WHERE a.kind = 'allocation' AND a.memo = 'bench'
            AND p.status IN ({", ".join(f"'{s}'" for s in DISBURSED)})
        ORDER BY a.id
        """,
        [today, STAMP],
    )
    disbursements = c.rowcount
    c.execute(
        entry
        + f"""
        SELECT d.kind, -d.amount, least(d.date + 10, %s::date), 'bench 冲正', %s, d.source_id, d.project_id,
            d.allocation_id, d.id
        FROM projects_ledgerentry d
        WHERE d.kind = 'disbursement' AND d.memo = 'bench' AND {_r("d.id", 325, 100)} < 3
        ORDER BY d.id
        """,
        [today, STAMP],
    )
    return {
        "fund sources": sources,
        "budget entries": budgets,
        "allocations": allocations,
        "disbursements": disbursements,
        "reversals": c.rowcount,
    }


def _outcomes(c, today):
    if _exists(c, "SELECT 1 FROM outcomes_purchase WHERE note = 'bench'"):
        return None
    channels = ("platform_832", "own_shop", "canteen", "union", "staff", "other")
    # Each unit buys and sells produce of villages in the counties it assists, 40 times a year, and
    # places 30 people a year.
    villages = (
        "CROSS JOIN LATERAL (SELECT h.village_id FROM registry_household h WHERE h.village_id >= a.county "
        "AND h.village_id < a.county || 'z' ORDER BY h.village_id OFFSET {offset} LIMIT 1) v"
    )
    assisted = (
        "(SELECT unit_id, min(region_id) AS county FROM orgs_assistedplace GROUP BY unit_id) a "
        "JOIN orgs_unit u ON u.id = a.unit_id AND u.name LIKE 'bench 帮扶单位%%'"
    )
    day = f"least(make_date(y.year, 1, 1) + {_r('a.unit_id * 1000 + n + y.year', 332, 364)}, %(today)s::date)"
    c.execute(
        f"""
        INSERT INTO outcomes_purchase (kind, supplier, product, amount, date, channel, note, version, created_at,
            updated_at, region_id, unit_id)
        SELECT CASE WHEN {_r("a.unit_id * 1000 + n + y.year", 331, 10)} < 6 THEN 'bought' ELSE 'sold' END,
            'bench 合作社', '', 1000 + {_r("a.unit_id * 1000 + n + y.year", 333, 200000)}, {day},
            {_pick(channels, _r("a.unit_id * 1000 + n", 334, 6))}, 'bench', 0, %(stamp)s, %(stamp)s, v.village_id,
            a.unit_id
        FROM {assisted} CROSS JOIN (VALUES (2025), (2026)) AS y(year) CROSS JOIN generate_series(1, 40) n
        {villages.format(offset="mod(n, 5)")}
        """,
        {"stamp": STAMP, "today": today},
    )
    purchases = c.rowcount
    kinds = ("worker", "worker", "welfare_post", "graduate")
    bands = ("lt2000", "2000_3000", "3000_5000", "ge5000")
    c.execute(
        f"""
        INSERT INTO outcomes_placement (name, employer, kind, date, wage_band, note, version, created_at,
            updated_at, member_id, region_id, unit_id)
        SELECT 'bench', '', {_pick(kinds, _r("a.unit_id * 1000 + n", 335, 4))}, {day},
            {_pick(bands, _r("a.unit_id * 1000 + n", 336, 4))}, 'bench', 0, %(stamp)s, %(stamp)s, NULL,
            v.village_id, a.unit_id
        FROM {assisted} CROSS JOIN (VALUES (2025), (2026)) AS y(year) CROSS JOIN generate_series(1, 30) n
        {villages.format(offset="mod(n, 7)")}
        """,
        {"stamp": STAMP, "today": today},
    )
    return {"purchases": purchases, "placements": c.rowcount}


BLOCKS = (
    ("village populations", _populations),
    ("units", _units),
    ("monitoring objects", _objects),
    ("leads", _leads),
    ("pairings", _pairings),
    ("visits", _visits),
    ("work teams and postings", _teams),
    ("party organisations", _party),
    ("meetings", _meetings),
    ("scores and weak branches", _scores),
    ("training", _training),
    ("projects", _projects),
    ("funds and ledger", _funds),
    ("purchases and placements", _outcomes),
)


def counts() -> dict[str, int]:
    """Rows of the tables the indicators count (estimates are not enough: exact counts)."""
    tables = (
        "registry_household",
        "registry_member",
        "registry_villagepopulation",
        "registry_yearlyincome",
        "monitoring_monitoringobject",
        "monitoring_objectrisk",
        "monitoring_lead",
        "assistance_cadre",
        "assistance_pairing",
        "assistance_visit",
        "assistance_workteam",
        "assistance_posting",
        "assistance_trainingclass",
        "assistance_trainingattendee",
        "party_partyorg",
        "party_partymember",
        "party_meeting",
        "party_branchscore",
        "party_weakcase",
        "projects_project",
        "projects_beneficiary",
        "projects_fundsource",
        "projects_ledgerentry",
        "outcomes_purchase",
        "outcomes_placement",
    )
    with connection.cursor() as c:
        c.execute(" UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in tables))
        return dict(c.fetchall())


# ---------------------------------------------------------------- the hand-written rollup


class Dialect:
    """The few expressions PostgreSQL and DuckDB spell differently."""

    def __init__(self, name: str, today: datetime.date):
        self.name = name
        self.today = f"DATE '{today.isoformat()}'"
        self.cutoff_days = None

    def month(self, x: str) -> str:
        return f"to_char({x}, 'YYYY-MM')" if self.name == "pg" else f"strftime({x}, '%Y-%m')"

    def year(self, x: str) -> str:
        return f"extract(year FROM {x})::int::text" if self.name == "pg" else f"CAST(year({x}) AS VARCHAR)"

    def text(self, x: str) -> str:
        return f"({x})::text" if self.name == "pg" else f"CAST({x} AS VARCHAR)"

    def idiv(self, a: str, b) -> str:
        return f"(({a}) / {b})" if self.name == "pg" else f"(({a}) // {b})"

    def minus_days(self, days: int) -> str:
        return f"({self.today} - {days})" if self.name == "pg" else f"({self.today} - INTERVAL {days} DAY)"


def hand_specs(d: Dialect, today: datetime.date) -> list[dict]:
    """One hand-written GROUP BY per stored indicator: what it counts, from the base tables by name,
    independent of the declarations' querysets (the definitions are the apps' indicators.py)."""
    from fupin.assistance.selectors import visit_interval_days
    from fupin.party.choices import MEETING_EVERY_MONTHS
    from fupin.party.selectors import ended_periods

    open_stages = ", ".join(f"'{s}'" for s in sorted(OPEN_LEAD_STAGES))
    serving = f'{{a}}.start <= {d.today} AND ({{a}}."end" IS NULL OR {{a}}."end" >= {d.today})'
    current = (
        "monitoring_monitoringobject o JOIN registry_household h ON h.id = o.household_id "
        "WHERE NOT EXISTS (SELECT 1 FROM monitoring_monitoringobject l WHERE l.household_id = o.household_id "
        "AND (l.identified_on > o.identified_on OR (l.identified_on = o.identified_on AND l.id > o.id)))"
    )
    specs = [
        dict(
            code="registry.households",
            src="registry_household h",
            at="h.village_id",
            agg="count",
            cat="h.status",
        ),
        dict(
            code="registry.people",
            src="registry_household h",
            at="h.village_id",
            agg="sum",
            arg="h.member_count",
            cat="h.status",
        ),
        dict(
            code="registry.rural_population",
            src="registry_villagepopulation p",
            at="p.village_id",
            agg="sum",
            arg="p.population",
            period=d.text("p.year"),
        ),
        dict(
            code="registry.poor_people",
            src="registry_household h JOIN registry_villagepopulation p ON p.village_id = h.village_id "
            "WHERE h.status IN ('poor', 'returned') OR (h.status = 'exited' AND h.exit_year > p.year)",
            at="h.village_id",
            agg="sum",
            arg="h.member_count",
            period=d.text("p.year"),
        ),
        dict(
            code="registry.net_income",
            src="registry_yearlyincome i JOIN registry_household h ON h.id = i.household_id",
            at="h.village_id",
            agg="sum",
            arg="i.net_income",
            period=d.text("i.year"),
        ),
        dict(
            code="registry.income_people",
            src="registry_yearlyincome i JOIN registry_household h ON h.id = i.household_id",
            at="h.village_id",
            agg="sum",
            arg="i.people",
            period=d.text("i.year"),
        ),
    ]
    breakdowns = {
        "type": ("o.type", None),
        "risk": ("r.risk", "JOIN monitoring_objectrisk r ON r.object_id = o.id"),
        "layer": ("y.code", "LEFT JOIN monitoring_layer y ON y.id = o.layer_id"),
        "status": ("o.status", None),
    }
    for name, (cat, join) in breakdowns.items():
        for prefix, agg, arg in (("objects", "count", None), ("object_people", "sum", "h.member_count")):
            spec = dict(
                code=f"monitoring.{prefix}_by_{name}",
                src=current,
                at="h.village_id",
                agg=agg,
                arg=arg,
                cat=cat,
            )
            if name == "risk":
                # The risks multiply the rows: the total is counted without them.
                spec["cat_src"] = current.replace(" WHERE ", f" {join} WHERE ", 1)
            elif join:
                spec["src"] = current.replace(" WHERE ", f" {join} WHERE ", 1)
            specs.append(spec)
    specs += [
        dict(
            code="monitoring.identified",
            src="monitoring_monitoringobject o JOIN registry_household h ON h.id = o.household_id",
            at="h.village_id",
            agg="count",
            period=d.month("o.identified_on"),
            cat="o.type",
        ),
        dict(
            code="monitoring.eliminated",
            src="monitoring_monitoringobject o JOIN registry_household h ON h.id = o.household_id "
            "WHERE o.eliminated_on IS NOT NULL",
            at="h.village_id",
            agg="count",
            period=d.month("o.eliminated_on"),
        ),
        dict(
            code="monitoring.identified_people",
            src="monitoring_monitoringobject o JOIN registry_household h ON h.id = o.household_id",
            at="h.village_id",
            agg="sum",
            arg="h.member_count",
            period=d.month("o.identified_on"),
            cat="o.type",
        ),
        dict(
            code="monitoring.eliminated_people",
            src="monitoring_monitoringobject o JOIN registry_household h ON h.id = o.household_id "
            "WHERE o.eliminated_on IS NOT NULL",
            at="h.village_id",
            agg="sum",
            arg="h.member_count",
            period=d.month("o.eliminated_on"),
        ),
        dict(
            code="monitoring.overdue_leads",
            src=f"monitoring_lead l WHERE l.stage IN ({open_stages}) "
            f"AND (l.decision_due < {d.today} OR l.step_due < {d.today})",
            at="l.village_id",
            agg="count",
            cat=f"CASE WHEN l.decision_due < {d.today} THEN 'red' ELSE 'orange' END",
        ),
        dict(
            code="monitoring.leads",
            src="monitoring_lead l",
            at="l.village_id",
            agg="count",
            period=d.month("l.opened_on"),
            cat="l.channel",
        ),
    ]
    # The county consolidation standards' figures (monitoring/registry indicators.py): objects still
    # monitored with a measure answering them; incomes after costs below the nearest line of their
    # year (county, else city, else province); households failing 两不愁三保障 on their latest check or
    # on their own and their members' records.
    lines = " ".join(
        f"LEFT JOIN monitoring_monitoringline {a} ON {a}.year = i.year AND {a}.region_id = substr(h.village_id, 1, {n})"
        for a, n in (("lc", 6), ("lm", 4), ("lp", 2))
    )
    items = " OR ".join(
        f"NOT c.{item}" for item in ("food", "clothing", "education", "medical", "housing", "water")
    )
    specs += [
        dict(
            code="monitoring.objects_with_measures",
            src=current + " AND o.status = 'monitored' AND EXISTS (SELECT 1 FROM assistance_measure m "
            "JOIN assistance_plan p ON p.id = m.plan_id WHERE p.household_id = o.household_id "
            "AND m.status <> 'cancelled' AND (m.created_at >= o.identified_on OR m.status IN ('planned', 'active')))",
            at="h.village_id",
            agg="count",
        ),
        dict(
            code="monitoring.below_line",
            src=f"registry_yearlyincome i JOIN registry_household h ON h.id = i.household_id {lines} "
            "WHERE i.per_capita_after_costs < coalesce(lc.amount, lm.amount, lp.amount)",
            at="h.village_id",
            agg="count",
            period=d.text("i.year"),
        ),
        dict(
            code="registry.living_unmet",
            src="registry_household h WHERE NOT h.safe_water OR EXISTS (SELECT 1 FROM registry_member m "
            "WHERE m.household_id = h.id AND (m.school_status = 'dropout' OR NOT m.medical_insurance)) "
            "OR EXISTS (SELECT 1 FROM registry_livingcheck c WHERE c.household_id = h.id "
            f"AND ({items}) AND NOT EXISTS (SELECT 1 FROM registry_livingcheck n "
            "WHERE n.household_id = h.id AND n.year > c.year))",
            at="h.village_id",
            agg="count",
        ),
    ]
    poor_villages = (
        "regions_region r WHERE r.level = 5 AND r.code IN "
        "(SELECT village_id FROM registry_household WHERE status = 'poor')"
    )
    specs += [
        dict(code="assistance.poor_villages", src=poor_villages, at="r.code", agg="count"),
        dict(
            code="assistance.covered_villages",
            src=poor_villages + " AND EXISTS (SELECT 1 FROM assistance_posting s WHERE s.region_id = r.code "
            f"AND s.kind = 'first_secretary' AND {serving.format(a='s')})",
            at="r.code",
            agg="count",
        ),
        dict(
            code="assistance.paired_households",
            src=f"assistance_pairing p JOIN registry_household h ON h.id = p.household_id WHERE {serving.format(a='p')}",
            at="h.village_id",
            agg="distinct",
            arg="p.household_id",
        ),
        dict(
            code="assistance.visits",
            src="assistance_visit v JOIN registry_household h ON h.id = v.household_id",
            at="h.village_id",
            agg="count",
            period=d.month("v.visited_on"),
        ),
        dict(
            code="assistance.overdue_visits",
            src=f"assistance_pairing p JOIN registry_household h ON h.id = p.household_id WHERE {serving.format(a='p')} "
            "AND NOT EXISTS (SELECT 1 FROM assistance_visit v WHERE v.household_id = p.household_id "
            f"AND v.visited_on >= {d.minus_days(visit_interval_days())})",
            at="h.village_id",
            agg="distinct",
            arg="p.household_id",
        ),
        dict(
            code="assistance.postings",
            src=f"assistance_posting s WHERE {serving.format(a='s')}",
            at="s.region_id",
            agg="count",
            cat="s.kind",
        ),
        dict(
            code="assistance.teams",
            src="assistance_workteam t",
            at="t.village_id",
            agg="count",
            cat="t.status",
        ),
        dict(
            code="assistance.training",
            src="assistance_trainingattendee a JOIN assistance_trainingclass t ON t.id = a.training_id",
            at="t.region_id",
            agg="sum",
            arg="a.count",
            period=d.year("t.start"),
            cat="a.kind",
        ),
    ]
    org = "JOIN party_partyorg g ON g.id = {a}.org_id AND g.region_id IS NOT NULL"
    year = today.year
    owed = []
    for kind, every in MEETING_EVERY_MONTHS.items():
        periods = f"greatest({ended_periods(every, year, today)} - {d.idiv('m.start_month - 1', every)}, 0)"
        if kind == "group":
            periods = f"CASE WHEN m.has_groups THEN {periods} ELSE 0 END"
        owed.append(periods)
    branches = (
        f"(SELECT b.id, b.region_id, CASE WHEN extract(year FROM b.founded_on) = {year} THEN "
        f"CAST(extract(month FROM b.founded_on) AS INTEGER) WHEN extract(year FROM b.founded_on) > {year} THEN 13 "
        "ELSE 1 END AS start_month, EXISTS (SELECT 1 FROM party_partyorg s WHERE s.parent_id = b.id "
        "AND s.level = 'group') AS has_groups FROM party_partyorg b "
        "WHERE b.region_id IS NOT NULL AND b.level = 'branch')"
    )
    # 按期召开: the periods (ended this year, from the founding month) holding a meeting of their kind;
    # a 党小组会 of one of the branch's groups counts for the branch.
    kinds = ", ".join(
        f"('{kind}', {every}, {ended_periods(every, year, today)})"
        for kind, every in MEETING_EVERY_MONTHS.items()
    )
    period_of = d.idiv("CAST(extract(month FROM x.held_on) AS INTEGER) - 1", "k.every")
    this_year = f"x.held_on >= DATE '{year}-01-01' AND x.held_on < DATE '{year + 1}-01-01'"
    held = (
        f"SELECT x.org_id AS branch_id, x.kind, k.every, k.ended, {period_of} AS p FROM party_meeting x "
        f"JOIN (VALUES {kinds}) AS k(kind, every, ended) ON k.kind = x.kind WHERE {this_year} "
        f"UNION ALL SELECT o.parent_id, x.kind, k.every, k.ended, {period_of} FROM party_meeting x "
        f"JOIN party_partyorg o ON o.id = x.org_id JOIN (VALUES {kinds}) AS k(kind, every, ended) ON k.kind = x.kind "
        f"WHERE x.kind = 'group' AND o.parent_id IS NOT NULL AND {this_year}"
    )
    met = (
        f"{branches} m LEFT JOIN (SELECT t.branch_id, count(DISTINCT t.kind || ':' || {d.text('t.p')}) AS n "
        f"FROM ({held}) t JOIN {branches} b ON b.id = t.branch_id WHERE t.p < t.ended "
        f"AND t.p >= {d.idiv('b.start_month - 1', 't.every')} AND (t.kind <> 'group' OR b.has_groups) "
        "GROUP BY t.branch_id) c ON c.branch_id = m.id"
    )
    branches += " m"
    specs += [
        dict(
            code="party.orgs",
            src="party_partyorg g WHERE g.region_id IS NOT NULL",
            at="g.region_id",
            agg="count",
            cat="g.kind",
        ),
        dict(
            code="party.members",
            src="party_partymember x " + org.format(a="x") + " WHERE x.status = 'active' "
            "AND x.stage IN ('probationary', 'full')",
            at="g.region_id",
            agg="count",
            cat="x.stage",
        ),
        dict(
            code="party.meetings_held",
            src="party_meeting x " + org.format(a="x"),
            at="g.region_id",
            agg="count",
            period=d.month("x.held_on"),
            cat="x.kind",
        ),
        dict(
            code="party.score_sum",
            src="party_branchscore x " + org.format(a="x"),
            at="g.region_id",
            agg="sum",
            arg="x.total",
            period=d.text("x.year"),
        ),
        dict(
            code="party.branches_scored",
            src="party_branchscore x " + org.format(a="x"),
            at="g.region_id",
            agg="count",
            period=d.text("x.year"),
        ),
        dict(
            code="party.weak_identified",
            src="party_weakcase x " + org.format(a="x") + " WHERE x.status <> 'revoked'",
            at="g.region_id",
            agg="count",
            period=d.text("x.year"),
            cat="x.status",
        ),
        dict(
            code="party.weak_rectified",
            src="party_weakcase x " + org.format(a="x") + " WHERE x.status = 'closed'",
            at="g.region_id",
            agg="count",
            period=d.text("x.year"),
        ),
        dict(
            code="party.reserves",
            src="party_reservecadre x " + org.format(a="x") + " WHERE x.status = 'in_pool'",
            at="g.region_id",
            agg="count",
        ),
        dict(
            code="party.cadres_scored",
            src="party_cadremonthscore x JOIN party_villagecadre vc ON vc.id = x.cadre_id "
            "JOIN party_partyorg g ON g.id = vc.org_id AND g.region_id IS NOT NULL",
            at="g.region_id",
            agg="count",
            period=d.month("x.month"),
        ),
        dict(
            code="party.meetings_due",
            src=branches,
            at="m.region_id",
            agg="sum",
            arg=" + ".join(owed),
            period=f"'{year}'",
        ),
        dict(
            code="party.meetings_met",
            src=met,
            at="m.region_id",
            agg="sum",
            arg="coalesce(c.n, 0)",
            period=f"'{year}'",
        ),
        dict(
            code="projects.projects", src="projects_project p", at="p.place_id", agg="count", cat="p.status"
        ),
        dict(
            code="projects.projects_by_category",
            src="projects_project p",
            at="p.place_id",
            agg="count",
            cat="p.category",
        ),
    ]
    ledger = (
        "projects_ledgerentry e JOIN projects_fundsource s ON s.id = e.source_id "
        "LEFT JOIN projects_ledgerentry rv ON rv.id = e.reverses_id "
    )
    counted = d.year("coalesce(rv.date, e.date)")
    for code, kind, by in (
        ("projects.funds_budgeted", "budget", "source"),
        ("projects.funds_allocated", "allocation", "category"),
        ("projects.funds_allocated_by_source", "allocation", "source"),
        ("projects.funds_disbursed", "disbursement", "category"),
        ("projects.funds_disbursed_by_source", "disbursement", "source"),
    ):
        if kind == "budget":
            src, at = ledger + "WHERE e.kind = 'budget' AND s.place_id IS NOT NULL", "s.place_id"
        else:
            src = ledger + f"JOIN projects_project p ON p.id = e.project_id WHERE e.kind = '{kind}'"
            at = "p.place_id"
        specs.append(
            dict(
                code=code,
                src=src,
                at=at,
                agg="money",
                arg="e.amount",
                period=counted,
                cat="s.kind" if by == "source" else "p.category",
            )
        )
    specs += [
        dict(
            code="projects.beneficiary_households",
            src="projects_beneficiary b WHERE b.household_id IS NOT NULL",
            at="b.village_id",
            agg="distinct",
            arg="b.household_id",
        ),
        dict(
            code="projects.beneficiary_people",
            src="projects_beneficiary b LEFT JOIN registry_member m ON m.household_id = b.household_id "
            "WHERE b.household_id IS NOT NULL",
            at="b.village_id",
            agg="distinct",
            arg="m.id",
        ),
    ]
    for kind in ("bought", "sold"):
        specs.append(
            dict(
                code=f"outcomes.{kind}",
                src=f"outcomes_purchase x WHERE x.kind = '{kind}'",
                at="x.region_id",
                unit="x.unit_id",
                agg="money",
                arg="x.amount",
                period=d.year("x.date"),
            )
        )
    specs.append(
        dict(
            code="outcomes.placements",
            src="outcomes_placement x",
            at="x.region_id",
            unit="x.unit_id",
            agg="count",
            period=d.year("x.date"),
            cat="x.kind",
        )
    )
    for code, kind in (("outcomes.direct_funds", "unit_direct"), ("outcomes.brought_in_funds", "brought_in")):
        specs.append(
            dict(
                code=code,
                src=ledger + f"WHERE e.kind = 'budget' AND s.unit_id IS NOT NULL AND s.kind = '{kind}' "
                "AND s.place_id IS NOT NULL",
                at="s.place_id",
                unit="s.unit_id",
                agg="money",
                arg="e.amount",
                period=counted,
            )
        )
    for code, kind in (
        ("outcomes.cadres_trained", "grassroots_cadre"),
        ("outcomes.technicians_trained", "technician"),
    ):
        specs.append(
            dict(
                code=code,
                src=f"assistance_trainingattendee a JOIN assistance_trainingclass t ON t.id = a.training_id "
                f"WHERE a.kind = '{kind}'",
                at="t.region_id",
                unit="t.organiser_id",
                agg="sum",
                arg="a.count",
                period=d.year("t.start"),
            )
        )
    return specs


OPEN_LEAD_STAGES = ("submitted", "accepted", "verified", "compared", "publicising", "publicised", "checked")

_AGG = {
    "count": "count(*)",
    "sum": "sum(x.v)",
    "distinct": "count(DISTINCT x.v)",
    "money": "round(sum(x.v), 2)",
}


def hand_select(spec: dict, d: Dialect, area: str = "") -> str:
    """The rollup rows of one indicator: its grouped records with the code's ancestors, the total
    (category '') and the categories in one GROUPING SETS pass (or two passes where the category
    multiplies the rows)."""
    null_int = "NULL::int" if d.name == "pg" else "CAST(NULL AS INTEGER)"
    keys = (
        ["k_code"] + (["k_period"] if spec.get("period") else []) + (["k_unit"] if spec.get("unit") else [])
    )
    inner = [f"{spec['at']} AS k_code"]
    if spec.get("period"):
        inner.append(f"{spec['period']} AS k_period")
    if spec.get("unit"):
        inner.append(f"{spec['unit']} AS k_unit")
    inner.append(f"{spec.get('arg') or '1'} AS v")
    period = "x.k_period" if spec.get("period") else "''"
    unit = "x.k_unit" if spec.get("unit") else null_int
    value = _AGG[spec["agg"]]
    group = ", ".join(f"x.{k}" for k in keys)
    anc = ", ".join(
        f"CASE WHEN length(s.code) >= {n} THEN substr(s.code, 1, {n}) ELSE '' END" for n in (2, 4, 6, 9, 12)
    )

    def grouped(src: str, cat: str | None, sets: bool) -> str:
        cols = list(inner) + ([f"{cat} AS k_cat"] if cat else [])
        base = f"SELECT {', '.join(cols)} FROM {src}"
        if area:  # the records under one division (the planner pushes the filter down to the scan)
            base = f"SELECT * FROM ({base}) a WHERE a.k_code LIKE '{area}%'"
        if cat and sets:
            return (
                f"SELECT x.k_code AS code, {period} AS period, {unit} AS unit, "
                f"CASE WHEN GROUPING(x.k_cat) = 1 THEN '' ELSE x.k_cat END AS category, "
                f"GROUPING(x.k_cat) AS g, {value} AS value FROM ({base}) x "
                f"GROUP BY GROUPING SETS (({group}, x.k_cat), ({group}))"
            )
        category = "x.k_cat" if cat else "''"
        return (
            f"SELECT x.k_code AS code, {period} AS period, {unit} AS unit, {category} AS category, "
            f"{0 if cat else 1} AS g, {value} AS value FROM ({base}) x GROUP BY {group}"
            + (", x.k_cat" if cat else "")
        )

    cat = spec.get("cat")
    if cat and spec.get("cat_src"):
        body = grouped(spec["src"], None, False) + " UNION ALL " + grouped(spec["cat_src"], cat, False)
    else:
        body = grouped(spec["src"], cat, True)
    return (
        f"SELECT '{spec['code']}' AS indicator, s.category, s.period, s.unit AS unit_id, s.code, {anc}, "
        f"coalesce(s.value, 0) AS value FROM ({body}) s "
        "WHERE s.code IS NOT NULL AND (s.g = 1 OR s.category IS NOT NULL)"
    )


SCRATCH = "bench_rollup"
SCRATCH_TOTALS = "bench_rolluptotal"
_ROLLUP_COLUMNS = (
    "indicator, category, period, unit_id, code, province, city, county, township, village, value"
)
_TOTAL_COLUMNS = "indicator, category, period, unit_id, code, parent, value"


def hand_totals(table: str, where: str) -> str:
    """The totals above the village (reports.RollupTotal) from a rollup table's rows, the hand-written
    way: one GROUP BY GROUPING SETS (a pass over the rows, PostgreSQL and DuckDB alike), each set's
    division and its parent picked with GROUPING(); a group of records filed above the level (its
    column '') is no division's."""
    code = (
        "CASE WHEN GROUPING(township) = 0 THEN township WHEN GROUPING(county) = 0 THEN county "
        "WHEN GROUPING(city) = 0 THEN city ELSE province END"
    )
    parent = (
        "CASE WHEN GROUPING(township) = 0 THEN county WHEN GROUPING(county) = 0 THEN city "
        "WHEN GROUPING(city) = 0 THEN province ELSE '' END"
    )
    return (
        f"SELECT indicator, category, period, unit_id, {code} AS code, {parent} AS parent, sum(value) "
        f"FROM {table} WHERE {where} GROUP BY indicator, category, period, unit_id, GROUPING SETS "
        "((province, city, county, township), (province, city, county), (province, city), (province)) "
        f"HAVING {code} <> ''"
    )


def _stored_codes() -> list[str]:
    from fupin.reports import services

    return [ind.code for ind in services._stored()]


def hand_refresh(specs: list[dict], d: Dialect, codes: list[str], area: str = "") -> dict:
    """Each indicator's rows replaced in the scratch table: DELETE, then one INSERT … SELECT, in one
    transaction per indicator (what ours does); returns seconds per indicator."""
    times = {}
    by_code = {s["code"]: s for s in specs}
    with connection.cursor() as c:
        for code in codes:
            clock = time.perf_counter()
            with transaction.atomic():
                c.execute(f"DELETE FROM {SCRATCH} WHERE indicator = %s AND code LIKE %s", [code, area + "%"])
                c.execute(f"INSERT INTO {SCRATCH} ({_ROLLUP_COLUMNS}) {hand_select(by_code[code], d, area)}")
                c.execute(
                    f"DELETE FROM {SCRATCH_TOTALS} WHERE indicator = %s AND code LIKE %s", [code, area + "%"]
                )
                c.execute(
                    f"INSERT INTO {SCRATCH_TOTALS} ({_TOTAL_COLUMNS}) "
                    + hand_totals(SCRATCH, "indicator = %s AND code LIKE %s"),
                    [code, area + "%"],
                )
            times[code] = time.perf_counter() - clock
    return times


def _rows_differ(codes: list[str], area: str = "") -> dict[str, int]:
    """Rows of ours missing from the hand-written side and the reverse, per indicator."""
    cols = "indicator, category, period, coalesce(unit_id, -1), code, province, city, county, township, village, value"
    where = "indicator = ANY(%s) AND code LIKE %s"
    with connection.cursor() as c:
        c.execute(
            f"SELECT indicator, count(*) FROM (SELECT {cols} FROM reports_rollup WHERE {where} "
            f"EXCEPT ALL SELECT {cols} FROM {SCRATCH} WHERE {where}) x GROUP BY 1 "
            f"UNION ALL SELECT indicator || ' (hand only)', count(*) FROM (SELECT {cols} FROM {SCRATCH} WHERE {where} "
            f"EXCEPT ALL SELECT {cols} FROM reports_rollup WHERE {where}) y GROUP BY 1",
            [codes, area + "%"] * 4,
        )
        found = dict(c.fetchall())
        cols = "indicator, category, period, coalesce(unit_id, -1), code, parent, value"
        c.execute(
            f"SELECT indicator || ' (totals)', count(*) FROM (SELECT {cols} FROM reports_rolluptotal WHERE {where} "
            f"EXCEPT ALL SELECT {cols} FROM {SCRATCH_TOTALS} WHERE {where}) x GROUP BY 1 "
            f"UNION ALL SELECT indicator || ' (totals, hand only)', count(*) FROM (SELECT {cols} FROM "
            f"{SCRATCH_TOTALS} WHERE {where} EXCEPT ALL SELECT {cols} FROM reports_rolluptotal WHERE {where}) y "
            "GROUP BY 1",
            [codes, area + "%"] * 4,
        )
        found.update(c.fetchall())
        return found


# The base tables the stored indicators read, and the columns they read: the Parquet snapshot.
SNAPSHOT_TABLES = {
    "registry_household": "id, village_id, status, member_count, exit_year, safe_water",
    "registry_member": "id, household_id, school_status, medical_insurance",
    "registry_villagepopulation": "village_id, year, population",
    "registry_yearlyincome": "household_id, year, net_income, people, per_capita_after_costs",
    "registry_livingcheck": "household_id, year, food, clothing, education, medical, housing, water",
    "monitoring_monitoringline": "year, region_id, amount",
    "assistance_plan": "id, household_id",
    "assistance_measure": "plan_id, status, created_at",
    "regions_region": "code, level",
    "monitoring_monitoringobject": "id, household_id, identified_on, eliminated_on, type, status, layer_id",
    "monitoring_objectrisk": "object_id, risk",
    "monitoring_layer": "id, code",
    "monitoring_lead": "id, village_id, stage, step_due, decision_due, opened_on, channel",
    "assistance_posting": 'kind, region_id, start, "end"',
    "assistance_workteam": "id, village_id, status",
    "assistance_pairing": 'id, household_id, start, "end"',
    "assistance_visit": "id, household_id, visited_on",
    "assistance_trainingclass": "id, region_id, start, organiser_id",
    "assistance_trainingattendee": "training_id, kind, count",
    "party_partyorg": "id, region_id, kind, level, parent_id, founded_on",
    "party_partymember": "org_id, status, stage",
    "party_meeting": "org_id, held_on, kind",
    "party_branchscore": "org_id, year, total",
    "party_weakcase": "org_id, year, status",
    "party_reservecadre": "org_id, status",
    "party_villagecadre": "id, org_id",
    "party_cadremonthscore": "cadre_id, month",
    "projects_project": "id, place_id, status, category",
    "projects_ledgerentry": "id, kind, amount, date, source_id, project_id, reverses_id",
    "projects_fundsource": "id, place_id, unit_id, kind",
    "projects_beneficiary": "household_id, village_id",
    "outcomes_purchase": "kind, region_id, unit_id, amount, date",
    "outcomes_placement": "region_id, unit_id, date, kind",
}


def write_snapshot(folder: str) -> dict:
    """Each table's columns read with one binary COPY into Arrow arrays and written as Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 0
    clock = time.perf_counter()
    raw = connection.cursor().cursor  # psycopg's own cursor: COPY
    for table, columns in SNAPSHOT_TABLES.items():
        names = [c.strip().strip('"') for c in columns.split(",")]
        raw.execute(f"SELECT {columns} FROM {table} LIMIT 0")
        described = list(raw.description)
        data = {n: [] for n in names}
        with raw.copy(f"COPY (SELECT {columns} FROM {table}) TO STDOUT (FORMAT BINARY)") as copy:
            copy.set_types([col.type_code for col in described])
            for record in copy.rows():
                for n, v in zip(names, record, strict=True):
                    data[n].append(v)
        types = {
            20: pa.int64(),
            21: pa.int64(),
            23: pa.int64(),
            16: pa.bool_(),
            1082: pa.date32(),
            1184: pa.timestamp("us", tz="UTC"),  # timestamptz (a measure's created_at)
            1700: pa.decimal128(20, 2),
        }
        table_ = pa.table(
            {
                n: pa.array(data[n], type=types.get(col.type_code, pa.string()))
                for n, col in zip(names, described, strict=True)
            }
        )
        pq.write_table(table_, os.path.join(folder, f"{table}.parquet"))
        rows += len(table_)
    return {"seconds": time.perf_counter() - clock, "rows": rows}


def duckdb_refresh(today: datetime.date, folder: str, codes: list[str], area: str = "") -> dict:
    """The same group-bys in DuckDB over the Parquet snapshot, into one table; seconds and rows."""
    import duckdb

    db = duckdb.connect()
    for table in SNAPSHOT_TABLES:
        db.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{os.path.join(folder, table + '.parquet')}')"
        )
    db.execute(
        "CREATE TABLE rollup (indicator VARCHAR, category VARCHAR, period VARCHAR, unit_id INTEGER, code VARCHAR, "
        "province VARCHAR, city VARCHAR, county VARCHAR, township VARCHAR, village VARCHAR, value DECIMAL(20, 2))"
    )
    d = Dialect("duckdb", today)
    d_specs = {s["code"]: s for s in hand_specs(d, today)}
    times = {}
    clock = time.perf_counter()
    db.execute(
        "CREATE TABLE totals (indicator VARCHAR, category VARCHAR, period VARCHAR, unit_id INTEGER, code VARCHAR, "
        "parent VARCHAR, value DECIMAL(20, 2))"
    )
    for code in codes:
        started = time.perf_counter()
        db.execute(f"INSERT INTO rollup {hand_select(d_specs[code], d, area)}")
        db.execute(f"INSERT INTO totals {hand_totals('rollup', 'indicator = ?')}", [code])
        times[code] = time.perf_counter() - started
    total = time.perf_counter() - clock
    found = db.execute(
        "SELECT indicator, category, period, coalesce(unit_id, -1), code, province, city, county, township, "
        "village, value FROM rollup"
    ).fetchall()
    db.close()
    return {"seconds": total, "per_indicator": times, "rows": found}


def _ours_rows(codes, area: str = "") -> list[tuple]:
    with connection.cursor() as c:
        c.execute(
            "SELECT indicator, category, period, coalesce(unit_id, -1), code, province, city, county, township, "
            "village, value FROM reports_rollup WHERE indicator = ANY(%s) AND code LIKE %s",
            [codes, area + "%"],
        )
        return c.fetchall()


def _normal(rows) -> list[tuple]:
    return sorted(
        tuple(Decimal(v).quantize(Decimal("0.01")) if i == 10 else v for i, v in enumerate(r)) for r in rows
    )


def run_refresh(progress=print, today=None, skip=(), county="", area="") -> dict:
    """Ours (reports.services.refresh, full) against the hand-written GROUP BYs and DuckDB. `skip`:
    indicators left out of the three sides (one whose refresh would not end in the run's time); each
    is timed alone on one county instead (ours only). `area`: every side counts only the records under
    that division (ours: `refresh(area=…)`, a county office's own refresh), for a run that must end
    sooner than a full one."""
    from fupin.reports import services
    from fupin.reports.models import Rollup

    today = today or timezone.localdate()
    codes = [code for code in _stored_codes() if code not in skip]
    d = Dialect("pg", today)
    specs = hand_specs(d, today)
    missing = [code for code in codes if code not in {s["code"] for s in specs}]
    if missing:
        raise SystemExit(f"no hand-written GROUP BY for {', '.join(missing)}")
    with connection.cursor() as c:
        # Dropped first: the rollup's indexes are the scratch copy's (a copy made before they
        # changed would time a different table).
        c.execute(f"DROP TABLE IF EXISTS {SCRATCH}, {SCRATCH_TOTALS}")
        c.execute(f"CREATE TABLE {SCRATCH} (LIKE reports_rollup INCLUDING ALL)")
        c.execute(f"CREATE TABLE {SCRATCH_TOTALS} (LIKE reports_rolluptotal INCLUDING ALL)")
        c.execute("ANALYZE")
    result = {"indicators": len(codes), "area": area, "load_before": load()}
    # Ours replaces existing rows (one untimed refresh first when its table is empty); the hand-written
    # side starts from an empty scratch table (its DELETE finds nothing: the limit is flattered).
    if not Rollup.objects.exists():
        progress("  warm-up: one untimed refresh …")
        services.refresh(indicators=codes, area=area)
    with connection.cursor() as c:
        c.execute(f"TRUNCATE {SCRATCH}, {SCRATCH_TOTALS}")
    progress("  ours: reports.services.refresh() …")
    marks = [time.perf_counter()]
    names = []

    def tick(done, total, code):
        marks.append(time.perf_counter())
        names.append(code)

    clock = time.perf_counter()
    run = services.refresh(progress=tick, indicators=codes if skip else None, area=area)
    result["ours"] = time.perf_counter() - clock
    result["ours_rows"] = run.rows
    ours_each = {names[i]: marks[i + 2] - marks[i + 1] for i in range(len(names) - 1)}
    progress(f"  ours {result['ours']:.1f} s; hand-written …")
    clock = time.perf_counter()
    hand_each = hand_refresh(specs, d, codes, area)
    result["hand"] = time.perf_counter() - clock
    result["ratio"] = result["ours"] / result["hand"]
    differ = _rows_differ(codes, area)
    if differ:
        raise SystemExit(f"the rollup and the hand-written GROUP BYs differ: {differ}")
    with connection.cursor() as c:
        c.execute(f"SELECT count(*) FROM {SCRATCH}")
        result["hand_rows"] = c.fetchone()[0]
    progress(f"  hand {result['hand']:.1f} s (rows equal); Parquet snapshot …")
    with tempfile.TemporaryDirectory(prefix="bench_dashboard_") as folder:
        snap = write_snapshot(folder)
        result["snapshot"] = snap["seconds"]
        result["snapshot_rows"] = snap["rows"]
        progress(f"  snapshot {snap['seconds']:.1f} s ({snap['rows']:,} rows); DuckDB …")
        duck = duckdb_refresh(today, folder, codes, area)
    result["duckdb"] = duck["seconds"]
    result["duckdb_ratio"] = result["ours"] / duck["seconds"]
    ours_rows = _normal(_ours_rows(codes, area))
    if _normal(duck["rows"]) != ours_rows:
        theirs = set(_normal(duck["rows"]))
        ours_set = set(ours_rows)
        raise SystemExit(
            f"the rollup and DuckDB differ: {len(ours_set - theirs)} rows only ours, {len(theirs - ours_set)} only "
            f"DuckDB's, e.g. {sorted(ours_set - theirs)[:3]} / {sorted(theirs - ours_set)[:3]}"
        )
    result["load_after"] = load()
    result["per_indicator"] = [
        {
            "code": code,
            "ours": ours_each.get(code),
            "hand": hand_each[code],
            "duckdb": duck["per_indicator"][code],
        }
        for code in codes
    ]
    result["skipped"] = []
    for code in skip:
        area = county or biggest_county()
        clock = time.perf_counter()
        services.refresh(indicators=[code], area=area)
        result["skipped"].append({"code": code, "county": area, "ours_county": time.perf_counter() - clock})
    return result


# ---------------------------------------------------------------- the 驾驶舱


def national_viewer():
    """`bench_viewer_national`: 市/省级查看 with every province as scope (made on first use)."""
    from fupin.accounts.models import DataScope, User, UserRole
    from fupin.accounts.roles import Role
    from fupin.regions.models import Region

    user, created = User.objects.get_or_create(
        username="bench_viewer_national", defaults={"full_name": "全国查看(基准)"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        UserRole.objects.create(user=user, role=Role.VIEWER)
        DataScope.objects.bulk_create(
            [
                DataScope(user=user, region_id=code)
                for code in Region.objects.filter(level=1).values_list("code", flat=True)
            ]
        )
    return user


def county_officer(county: str):
    """`bench_county_<code>`: 县级干部 of the county (made on first use)."""
    from fupin.accounts.models import DataScope, User, UserRole
    from fupin.accounts.roles import Role

    user, created = User.objects.get_or_create(
        username=f"bench_county_{county}", defaults={"full_name": f"县级干部(基准 {county})"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        UserRole.objects.create(user=user, role=Role.COUNTY_OFFICER)
        DataScope.objects.create(user=user, region_id=county)
    return user


def biggest_county() -> str:
    with connection.cursor() as c:
        c.execute(
            "SELECT left(village_id, 6) FROM registry_household GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        )
        return c.fetchone()[0]


def _figure_plan(narrow: bool, today: datetime.date) -> list[dict]:
    """Which key figures the 驾驶舱 shows and the periods it reads for each (the page's own choice of
    slots and periods, fupin.reports.views.dashboard), resolved to stored parts."""
    from fupin.core import indicators as declared
    from fupin.reports import selectors
    from fupin.reports.views import dashboard as page

    slots = page.NARROW_FIGURES if narrow else page.WIDE_FIGURES
    wanted = page.NARROW_COUNT if narrow else page.WIDE_COUNT
    chosen = []
    for candidates in slots:
        ind = page._declared(candidates)
        if ind is not None and ind not in chosen:
            chosen.append(ind)
    for ind in declared.catalogue().values():
        if len(chosen) >= wanted:
            break
        if ind not in chosen and not ind.unit_field:
            chosen.append(ind)
    plan = []
    for ind in chosen[:wanted]:
        parts = [selectors.declaration(p) for p in ind.parts] if ind.kind == declared.RATIO else [ind]
        plan.append(
            {
                "code": ind.code,
                "period": ind.period,
                "scale": ind.scale,
                "ratio": ind.kind == declared.RATIO,
                "parts": [(p.code, p.period) for p in parts],
                "trend": page._trend_periods(ind, today),
            }
        )
    return plan


BARE_SQL = """
SELECT indicator, period, sum(value) FROM reports_rolluptotal
WHERE indicator = ANY(%(codes)s) AND code = ANY(%(larger)s) AND category = '' AND period <= %(last)s
GROUP BY indicator, period
UNION ALL
SELECT indicator, period, sum(value) FROM reports_rollup
WHERE indicator = ANY(%(codes)s) AND code = ANY(%(villages)s) AND category = '' AND period <= %(last)s
GROUP BY indicator, period
"""


def bare_figures(prefixes: list[str], division: str | None, plan: list[dict], today: datetime.date) -> dict:
    """The key figures and their trends from one hand-written SQL over the rollup: a larger
    division's total rows (reports_rolluptotal), a village's own rows."""
    areas = [division] if division else prefixes
    params = {
        "larger": [a for a in areas if len(a) < 12],
        "villages": [a for a in areas if len(a) == 12],
    }
    codes = sorted({code for f in plan for code, _period in f["parts"]})
    periods = {p for f in plan for p in f["trend"]}
    years = {str(today.year)} | {p[:4] for p in periods}
    # Every period key read, listed (the index's third column): '', the trend's, each year's months.
    keys = sorted({"", *periods, *years, *(f"{y}-{m:02d}" for y in years for m in range(1, 13))})
    with connection.cursor() as c:
        # `period <= the last key`: with a third list (`period = ANY(keys)`) PostgreSQL scans the table.
        c.execute(BARE_SQL, {**params, "codes": codes, "last": max(keys)})
        sums: dict[tuple[str, str], Decimal] = {}
        for i, p, v in c.fetchall():
            sums[(i, p)] = sums.get((i, p), Decimal(0)) + v

    def value(code: str, kind: str, period: str) -> Decimal:
        if kind == "snapshot":
            return sums.get((code, ""), Decimal(0))
        if kind == "month" and len(period) == 4:
            return sum((v for (i, p), v in sums.items() if i == code and p[:4] == period), Decimal(0))
        return sums.get((code, period), Decimal(0))

    def figure(f, period):
        values = [value(code, kind, period) for code, kind in f["parts"]]
        if not f["ratio"]:
            return values[0]
        return None if not values[1] else Decimal(values[0]) * f["scale"] / Decimal(values[1])

    out = {}
    for f in plan:
        trend = [(p, figure(f, p)) for p in f["trend"]]
        if f["period"] == "snapshot":
            period = ""
        elif f["period"] == "month":
            period = str(today.year)
        else:
            period = next((p for p, v in reversed(trend) if v), str(today.year))
        out[f["code"]] = {"value": figure(f, period), "period": period, "trend": trend}
    return out


def bare_view(request):
    """The limit of `/`: the user's scope (one SQL), the key figures and trends (one SQL), as JSON."""
    from django.http import HttpResponseForbidden, JsonResponse

    user = request.user
    if not user.is_authenticated:
        return HttpResponseForbidden()
    today = timezone.localdate()
    with connection.cursor() as c:
        c.execute("SELECT region_id FROM accounts_datascope WHERE user_id = %s ORDER BY 1", [user.pk])
        prefixes = [r[0] for r in c.fetchall()]
    narrow = bool(prefixes) and all(len(p) >= 9 for p in prefixes)
    division = prefixes[0] if len(prefixes) == 1 else None
    figures = bare_figures(prefixes, division, _figure_plan(narrow, today), today)
    return JsonResponse(
        {
            code: {
                "value": None if f["value"] is None else float(f["value"]),
                "period": f["period"],
                "trend": [[p, None if v is None else float(v)] for p, v in f["trend"]],
            }
            for code, f in figures.items()
        }
    )


def _urlpatterns():
    from django.urls import include, path

    return [path("__bench__/dashboard.json", bare_view), path("", include("fupin.urls"))]


def __getattr__(name):
    # This module is the URLconf of the dashboard run (ROOT_URLCONF overridden): the site plus the
    # bare view. Built on first use so that importing the module reads no URLs.
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def _stats(times: list[float]) -> dict:
    return {"p50": pct(times, 50), "p95": pct(times, 95), "p99": pct(times, 99), "n": len(times)}


def _float(v):
    return None if v is None else round(float(v), 6)


def run_dashboard(
    *, requests: int, warmup: int, province: str, county: str, stub_todos: bool = False, progress=print
) -> dict:
    """`/` for three viewers through the test Client against the bare view, same figures asserted.
    The 待办 list (core.todo, computed on the fly, not from the rollup) is timed alone once per viewer,
    counted (not read from the minute's cache); the timed requests read it as production does (kept
    FUPIN_TODO_CACHE_SECONDS per user: counted at the first warm-up request, then kept), and
    `stub_todos` leaves it out of them (an empty list), to time the rollup's part."""
    from unittest import mock

    from django.test import Client, override_settings

    from benchmarks.overdue import province_viewer
    from fupin.core import todo as core_todo
    from fupin.core.scoping import scope_of
    from fupin.reports.views import dashboard as page

    county = county or biggest_county()
    users = [
        ("national", national_viewer(), None),
        (f"province {province}", province_viewer(province), province),
        (f"county {county}", county_officer(county), county),
    ]
    result = []
    with override_settings(ROOT_URLCONF=__name__):
        for label, user, division in users:
            client = Client()
            client.force_login(user)
            # The figures of the page (its own code path) equal the bare view's.
            scope = scope_of(user)
            narrow = bool(scope.prefixes) and all(len(code) >= 9 for code in scope.prefixes)
            shown = {
                f.code: (_float(f.value), [(p, _float(v)) for p, v in f.trend])
                for f in page.key_figures(user, division, narrow=narrow)
            }
            bare = client.get("/__bench__/dashboard.json").json()
            theirs = {
                code: (_float(f["value"]), [(p, _float(v)) for p, v in f["trend"]])
                for code, f in bare.items()
            }
            if shown != theirs:
                raise SystemExit(
                    f"{label}: the dashboard's figures {shown} differ from the bare view's {theirs}"
                )
            with override_settings(FUPIN_TODO_CACHE_SECONDS=0):
                started = time.perf_counter()
                todos = core_todo.todos_for(user)
                todo_ms = (time.perf_counter() - started) * 1000
            progress(f"  {label}: 待办 alone {todo_ms:.0f} ms ({len(todos)} items, counted)")
            stub = (
                mock.patch.object(page.core_todo, "todos_for", lambda user: [])
                if stub_todos
                else contextlib.nullcontext()
            )
            stub.__enter__()
            page_response = client.get("/")
            if page_response.status_code != 200 or b"data-division" not in page_response.content:
                raise SystemExit(f"{label}: / answered {page_response.status_code} without the 驾驶舱")
            for _i in range(warmup):
                client.get("/")
                client.get("/__bench__/dashboard.json")
            times: dict[str, list[float]] = {"app": [], "bare": []}
            for i in range(requests):
                sides = [("app", "/"), ("bare", "/__bench__/dashboard.json")]
                if i % 2:
                    sides.reverse()
                for side, url in sides:
                    started = time.perf_counter()
                    response = client.get(url)
                    times[side].append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        raise SystemExit(f"{label}: {url} answered {response.status_code}")
            stub.__exit__(None, None, None)
            app, bare_ = _stats(times["app"]), _stats(times["bare"])
            row = {
                "viewer": label,
                "figures": len(shown),
                "todo_ms": todo_ms,
                "todos_stubbed": stub_todos,
                **app,
                "bare_p50": bare_["p50"],
                "bare_p95": bare_["p95"],
                "bare_p99": bare_["p99"],
                "ratio": app["p95"] / bare_["p95"],
                "load": load(),
            }
            progress(f"  {label}: p95 {row['p95']:.1f} ms, bare {row['bare_p95']:.1f} ms")
            result.append(row)
    return {"rows": result}


# ---------------------------------------------------------------- the incremental refresh

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(county: str, serial: int) -> str:
    born = f"{1960 + serial % 40}{1 + serial // 40 % 12:02d}{1 + serial // 480 % 28:02d}"
    body = f"{county}{born}{serial // 13440 % 1000:03d}"
    return body + "10X98765432"[sum(int(ch) * w for ch, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def run_incremental(*, samples: int, county: str, progress=print, committed=contextlib.nullcontext) -> dict:
    """Per sample: one household's edit through registry.services (a new member: the post_save hook
    marks the village dirty, as in production), then `reports.services.drain()` timed. Also checks
    whether `household_update` (a field of the household itself) writes a mark. `committed()` wraps
    each edit (a test passes one that runs the on-commit hooks its transaction holds back)."""
    import random

    from django.core.exceptions import ValidationError

    from fupin.registry import services as registry
    from fupin.registry.models import Household
    from fupin.reports import services
    from fupin.reports.models import DirtyCode

    county = county or biggest_county()
    user = county_officer(county)
    services.drain()  # marks left by earlier writes
    households = list(
        Household._base_manager.filter(village__code__startswith=county)
        .order_by("id")
        .values_list("id", flat=True)
    )
    rng = random.Random(13)
    picked = rng.sample(households, min(samples, len(households)))
    # A household's own field through household_update: does it mark its village?
    h = Household._base_manager.get(pk=picked[0])
    with committed():
        registry.household_update(
            by=user, household=h, version=h.version, housing_area=(h.housing_area or 0) + 1
        )
    update_marks = DirtyCode.objects.count()
    services.drain()
    edit, drain, marks, rows = [], [], [], []
    serial = int(time.time()) % 100000
    for pk in picked:
        household = Household._base_manager.get(pk=pk)
        started = time.perf_counter()
        for _attempt in range(20):
            serial += 7919
            try:
                with committed():
                    registry.member_add(
                        by=user,
                        household=household,
                        name="基准成员",
                        id_number=_id_number(county, serial),
                        relation="other",
                    )
                break
            except ValidationError:
                continue
        else:
            raise SystemExit("no new member could be added (20 ID numbers taken)")
        edit.append((time.perf_counter() - started) * 1000)
        marks.append(DirtyCode.objects.count())
        started = time.perf_counter()
        run = services.drain()
        drain.append((time.perf_counter() - started) * 1000)
        rows.append(run.rows if run else 0)
    return {
        "county": county,
        "samples": len(picked),
        "household_update_marks": update_marks,
        "marks_per_edit": statistics.median(marks),
        "rows_per_drain": statistics.median(rows),
        "edit": _stats(edit),
        "drain": _stats(drain),
        "load": load(),
    }


# ---------------------------------------------------------------- the pages the issue named


def run_pages(*, samples: int, province: str, progress=print) -> dict:
    """The figures the issue names as on-the-fly aggregates, timed as the app serves them now
    (p50/p95): a province's incidence as the API answers it (today's: from the rollup), the nation's
    as the 驾驶舱 reads it (`reports.selectors.figure`), the assistance home and the coverage report
    through the test Client; and, for comparison, the live count `registry.incidence.incidence()`
    that both replaced (still what a past year's incidence and an exit check read)."""
    from django.test import Client
    from django.urls import reverse

    from benchmarks.overdue import province_viewer
    from fupin.registry.incidence import incidence
    from fupin.reports.selectors import figure

    national, provincial = national_viewer(), province_viewer(province)
    clients = {}
    for label, user in (("national", national), ("province", provincial)):
        clients[label] = Client()
        clients[label].force_login(user)

    def page(client, url):
        def call():
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")

        return call

    def national_incidence():
        if figure(national, "registry.incidence") is None:
            raise SystemExit("the rollup holds no national incidence: refresh it first")

    cases = [
        (
            f"incidence of province {province} (API)",
            page(clients["province"], f"{reverse('api:get_incidence')}?code={province}"),
        ),
        ("incidence of the nation (驾驶舱 figure)", national_incidence),
        (f"incidence of province {province}, counted live", lambda: incidence(code_prefix=province)),
        ("incidence of the nation, counted live", lambda: incidence(code_prefix="")),
        ("assistance home, national viewer", page(clients["national"], reverse("assistance:home"))),
        (
            f"assistance home, province {province} viewer",
            page(clients["province"], reverse("assistance:home")),
        ),
        ("coverage report, national viewer", page(clients["national"], reverse("assistance:coverage_list"))),
    ]
    rows = []
    for label, call in cases:
        call()  # warm
        times = []
        for _i in range(samples):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        stats = _stats(times)
        progress(f"  {label}: p50 {stats['p50']:.0f} ms, p95 {stats['p95']:.0f} ms")
        rows.append({"page": label, **stats, "load": load()})
    return {"rows": rows}


# ---------------------------------------------------------------- the run and its report


def run(
    runs,
    *,
    requests=200,
    warmup=20,
    samples=20,
    province="52",
    county="",
    skip=(),
    area="",
    stub_todos=False,
    progress=print,
) -> dict:
    _pg()
    result = {"load": load(), "counts": counts(), "today": timezone.localdate().isoformat()}
    if "refresh" in runs:
        progress("full refresh …")
        result["refresh"] = run_refresh(progress=progress, skip=skip, county=county, area=area)
    if "dashboard" in runs:
        progress("dashboard …")
        result["dashboard"] = run_dashboard(
            requests=requests,
            warmup=warmup,
            province=province,
            county=county,
            stub_todos=stub_todos,
            progress=progress,
        )
    if "incremental" in runs:
        progress("incremental refresh …")
        result["incremental"] = run_incremental(samples=samples, county=county, progress=progress)
    if "pages" in runs:
        progress("old pages …")
        result["pages"] = run_pages(samples=samples, province=province, progress=progress)
    return result


def report(result: dict) -> list[str]:
    lines = [f"today {result['today']}, load at start {result['load']}"]
    lines.append("records: " + ", ".join(f"{t} {n:,}" for t, n in result["counts"].items()))
    if "refresh" in result:
        r = result["refresh"]
        lines += [
            f"full refresh{' of the records under ' + r['area'] if r.get('area') else ''}, {r['indicators']} indicators,"
            f" {r['ours_rows']:,} rows (load {r['load_before']} → {r['load_after']}):",
            f"  ours {r['ours']:.1f} s | hand-written GROUP BYs {r['hand']:.1f} s (ours/hand {r['ratio']:.2f}x, target ≤ 2x)"
            f" | DuckDB over Parquet {r['duckdb']:.1f} s (ours/DuckDB {r['duckdb_ratio']:.1f}x;"
            f" snapshot written in {r['snapshot']:.1f} s, {r['snapshot_rows']:,} rows)",
            f"  {'indicator':<40} {'ours s':>8} {'hand s':>8} {'duck s':>8} {'ours/hand':>9}",
        ]
        for row in r.get("skipped", []):
            lines.append(
                f"  skipped {row['code']}: ours alone on county {row['county']} took {row['ours_county']:.1f} s"
            )
        for row in sorted(r["per_indicator"], key=lambda x: -(x["ours"] or 0)):
            ratio = (row["ours"] or 0) / row["hand"] if row["hand"] else 0
            lines.append(
                f"  {row['code']:<40} {row['ours'] or 0:>8.2f} {row['hand']:>8.2f} {row['duckdb']:>8.2f} {ratio:>8.1f}x"
            )
    if "dashboard" in result:
        lines.append(
            f"dashboard `/` (ms; target p95 < 100): {'viewer':<16} p50 p95 p99 | bare p50 p95 p99 | ratio | 待办 alone | load"
        )
        for row in result["dashboard"]["rows"]:
            lines.append(
                f"  {row['viewer']:<18} {row['p50']:7.1f} {row['p95']:7.1f} {row['p99']:7.1f} | {row['bare_p50']:6.1f} "
                f"{row['bare_p95']:6.1f} {row['bare_p99']:6.1f} | {row['ratio']:5.1f}x | {row['todo_ms']:.0f}"
                f"{' (stubbed in the timed requests)' if row['todos_stubbed'] else ''} | {row['load']}"
            )
    if "incremental" in result:
        r = result["incremental"]
        lines.append(
            f"incremental (county {r['county']}, {r['samples']} edits, load {r['load']}): edit p50 {r['edit']['p50']:.0f} ms; "
            f"drain p50 {r['drain']['p50']:.0f} ms, p95 {r['drain']['p95']:.0f} ms, p99 {r['drain']['p99']:.0f} ms "
            f"(target < 200 ms); {r['marks_per_edit']:.0f} marks per edit, {r['rows_per_drain']:.0f} rows per drain; "
            f"household_update wrote {r['household_update_marks']} marks"
        )
    if "pages" in result:
        lines.append("the pages the issue named as on-the-fly aggregates, as served now (ms):")
        for row in result["pages"]["rows"]:
            lines.append(
                f"  {row['page']:<48} p50 {row['p50']:7.0f} p95 {row['p95']:7.0f}  load {row['load']}"
            )
    return lines
