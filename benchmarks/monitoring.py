# ruff: noqa: S608 - benchmark SQL built from this module's constants; values are parameters
"""`fupin bench_monitoring`: all risk rules over the bench database, written as leads by
`monitoring.rules.run_rules`, side by side with one hand-written `INSERT … SELECT` per rule in the
same run (into scratch copies of the lead and event tables), identical sets asserted, a second run
that adds nothing, and `reevaluate_household` timed on a sample. PostgreSQL only.

`prepare()` adds what `bench_fill` does not make (it makes households and members only), in SQL, a
few seconds per million members: yearly incomes of 2024 and 2025 with 合规自付支出 for every household
(totals computed as YearlyIncome.compute_totals computes them: numeric, rounded half up), members'
work status, 2025 两不愁三保障 checks for part of the households, monitoring lines for 2024/2025 per
province (and one county per province with its own), and a 医保 list for this month matched to 1 %
of the households. Deterministic (hashes of the ids), idempotent (run again: nothing added).

The hand-written side is the SQL one would write for each rule with no framework: base tables by
name, the latest income by a left anti-join on the next year, failed check items with array_remove,
`LIKE 'prefix%'` for the area — independent of monitoring.rules' text, same definitions (the module
docstring of monitoring/rules.py). Both sides run the rules in the same order with the same
exclusions (a monitored object; an open lead of their own rules, in their own table; an open lead
no rule wrote, in monitoring_lead), so their sets must be equal.
"""

import json
import random
import statistics
import time

from django.db import connection, transaction
from django.utils import timezone

from fupin.monitoring import deadlines, rules
from fupin.monitoring.choices import OPEN_STAGES, Channel, RuleKind, Stage

DEFAULT_PROVINCES = ("62", "63", "52", "53")


def _r(expr: str, salt: int, n: int) -> str:
    return f"mod(hashint8extended(({expr})::bigint, {salt}) & 2147483647, {n})"


# ---------------------------------------------------------------- preparing the data


def prepare(provinces=DEFAULT_PROVINCES, progress=print) -> dict:
    """Add incomes, work data, checks, lines and a 医保 list (see the module docstring)."""
    period = rules.current_period()
    done = {}
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM registry_yearlyincome WHERE year IN (2024, 2025)")
        if c.fetchone()[0] == 0:
            started = time.perf_counter()
            h = "h.id"
            factor = f"(0.7 + {_r(h, 101, 300)} / 100.0)"  # 0.70 … 3.69 × the line: about 10 % below
            drop = f"({_r(h, 102, 100)} < 5)"  # 5 %: 2024 was 1.6 times 2025
            share = f"(0.3 + {_r(h, 103, 50)} / 100.0)"  # wages 30 … 79 % of the net income
            c.execute(
                f"""
                INSERT INTO registry_yearlyincome (household_id, year, people, wages, business, transfers,
                    property, production_costs, medical_costs, schooling_costs, disaster_costs,
                    insurance_payouts, net_income, per_capita, compliant_costs, per_capita_after_costs)
                SELECT id, year, people, wages, business, net - wages - business - property + costs, property,
                    costs, medical, schooling, disaster, insurance, net, round(net / people, 2), compliant,
                    round((net - compliant) / people, 2)
                FROM (
                    SELECT b.*, round(b.net * b.share) AS wages, round(b.net * 0.2) AS business,
                        round(b.net * 0.02) AS property, round(b.net * 0.05) AS costs,
                        greatest(b.medical + b.schooling + b.disaster - b.insurance, 0) AS compliant
                    FROM (
                        SELECT h.id, y.year, h.member_count AS people, {share} AS share,
                            round(8700 * {factor} * CASE WHEN y.year = 2024 AND {drop} THEN 1.6
                                WHEN y.year = 2024 THEN 0.95 ELSE 1 END) * h.member_count AS net,
                            CASE WHEN {_r(h + " * 2 + y.year", 104, 100)} < 12 THEN {_r(h + " + y.year", 105, 40000)} ELSE 0 END AS medical,
                            CASE WHEN {_r(h + " * 3 + y.year", 106, 100)} < 8 THEN {_r(h + " + y.year", 107, 8000)} ELSE 0 END AS schooling,
                            CASE WHEN {_r(h + " * 5 + y.year", 108, 100)} < 2 THEN {_r(h + " + y.year", 109, 20000)} ELSE 0 END AS disaster,
                            CASE WHEN {_r(h + " * 7 + y.year", 110, 100)} < 3 THEN {_r(h + " + y.year", 111, 5000)} ELSE 0 END AS insurance
                        FROM registry_household h CROSS JOIN (VALUES (2024), (2025)) AS y(year)
                        WHERE h.member_count > 0
                    ) b
                ) x
                """
            )
            done["incomes"] = c.rowcount
            # Half the members in work (3 to 11 months), the rest not.
            c.execute(
                f"""
                UPDATE registry_member SET
                    work_status = CASE WHEN {_r("id", 112, 2)} = 0 THEN 'in_county' ELSE 'none' END,
                    months_worked = CASE WHEN {_r("id", 112, 2)} = 0 THEN 3 + {_r("id", 113, 9)} ELSE 0 END
                """
            )
            done["members"] = c.rowcount
            # 2025 checks for 40 % of the households; 5 % of those fail housing or water.
            c.execute(
                f"""
                INSERT INTO registry_livingcheck (household_id, year, food, clothing, education, medical,
                    housing, water, reasons, checked_at)
                SELECT h.id, 2025, true, true, true, true, {_r("h.id", 115, 100)} >= 3,
                    {_r("h.id", 115, 100)} NOT IN (3, 4), '{{}}', date '2025-12-01'
                FROM registry_household h WHERE {_r("h.id", 114, 100)} < 40
                """
            )
            done["checks"] = c.rowcount
            progress(f"  incomes, work and checks: {time.perf_counter() - started:.1f} s {done}")
        for province in provinces:
            for year, amount in ((2024, 8300), (2025, 8700)):
                c.execute(
                    "INSERT INTO monitoring_monitoringline (year, region_id, amount, note) "
                    "SELECT %s, %s, %s, 'bench' WHERE NOT EXISTS (SELECT 1 FROM monitoring_monitoringline "
                    "WHERE year = %s AND region_id = %s)",
                    [year, province, amount, year, province],
                )
                c.execute(
                    "INSERT INTO monitoring_monitoringline (year, region_id, amount, note) "
                    "SELECT %s, min(code), %s, 'bench' FROM regions_region WHERE level = 3 AND code LIKE %s "
                    "AND NOT EXISTS (SELECT 1 FROM monitoring_monitoringline l JOIN regions_region r "
                    "ON r.code = l.region_id WHERE l.year = %s AND r.level = 3 AND r.code LIKE %s) "
                    # An aggregate answers one row even when nothing matched (min: NULL): keep it out.
                    "HAVING min(code) IS NOT NULL",
                    [year, amount + 400, province + "%", year, province + "%"],
                )
            c.execute(
                "SELECT count(*) FROM monitoring_screeningbatch WHERE period = %s AND source = 'medical' "
                "AND county_id LIKE %s",
                [period, province + "%"],
            )
            if c.fetchone()[0] == 0:
                now = timezone.now()
                c.execute(
                    "INSERT INTO monitoring_screeningbatch (created_at, updated_at, source, county_id, period, "
                    "file_name, rows, matched, unmatched, hits) SELECT %s, %s, 'medical', min(code), %s, "
                    "'bench.xlsx', 0, 0, 0, 0 FROM regions_region WHERE level = 3 AND code LIKE %s RETURNING id",
                    [now, now, period, province + "%"],
                )
                batch = c.fetchone()[0]
                c.execute(
                    f"""
                    INSERT INTO monitoring_screeningrow (batch_id, row_number, id_number_bidx, name_masked,
                        member_id, household_id, amount, event, event_date, "values")
                    SELECT %s, row_number() OVER (ORDER BY m.id), m.id_number_bidx, '', m.id, m.household_id,
                        1000 + {_r("m.id", 116, 40000)}, '住院', %s, '{{}}'
                    FROM registry_member m JOIN registry_household h ON h.id = m.household_id
                    WHERE h.village_id LIKE %s AND m.relation = 'head' AND {_r("h.id", 117, 100)} = 0
                    """,
                    [batch, timezone.localdate(), province + "%"],
                )
                done[f"medical rows {province}"] = c.rowcount
        c.execute(
            "ANALYZE registry_yearlyincome, registry_member, registry_livingcheck, monitoring_screeningrow"
        )
    return done


# ---------------------------------------------------------------- the hand-written side


def hand_selects() -> dict[str, str]:
    """One SELECT per rule kind, (household_id, village_id, facts, screening_id), PostgreSQL only."""
    money = "round(({})::numeric, 2)::text".format
    pct = "round(({})::numeric, 1)::text".format
    # The latest income by the next year's absence: the same row as "no later year" because the window
    # holds two years at most (since = last year; registry.services.income_record takes no year after
    # this one), so there is no gap in it to pick a second row across.
    latest = (
        "JOIN registry_yearlyincome yi ON yi.household_id = h.id AND yi.year >= %(since)s "
        "LEFT JOIN registry_yearlyincome yn ON yn.household_id = h.id AND yn.year = yi.year + 1 "
    )
    lines = (
        "LEFT JOIN monitoring_monitoringline lc ON lc.year = yi.year AND lc.region_id = left(h.village_id, 6) "
        "LEFT JOIN monitoring_monitoringline lm ON lm.year = yi.year AND lm.region_id = left(h.village_id, 4) "
        "LEFT JOIN monitoring_monitoringline lp ON lp.year = yi.year AND lp.region_id = left(h.village_id, 2) "
    )
    line = "coalesce(lc.amount, lm.amount, lp.amount)"
    area = "h.village_id LIKE %(like)s AND yn.household_id IS NULL"
    low = (
        "(h.attribute IN ('dibao', 'tekun', 'dibao_poor') OR EXISTS (SELECT FROM registry_member m "
        f"WHERE m.household_id = h.id AND m.dibao) OR yi.per_capita < {line})"
    )
    gross = "(yi.wages + yi.business + yi.transfers + yi.property)"
    idle = (
        "NOT EXISTS (SELECT FROM registry_member m WHERE m.household_id = h.id AND "
        "(m.work_status <> 'none' OR m.months_worked > 12 - %(months)s))"
    )
    return {
        RuleKind.INCOME_BELOW_LINE: (
            "SELECT h.id, h.village_id, jsonb_build_object('year', yi.year, 'per_capita', "
            f"{money('yi.per_capita_after_costs')}, 'line', {money(line)}), NULL::bigint "
            f"FROM registry_household h {latest} {lines} WHERE {area} AND yi.per_capita_after_costs < {line}"
        ),
        RuleKind.INCOME_DROP: (
            "SELECT h.id, h.village_id, jsonb_build_object('year', yi.year, 'per_capita', "
            f"{money('yi.per_capita_after_costs')}, 'previous', {money('yp.per_capita_after_costs')}, "
            f"'drop_percent', {pct('100.0 * (yp.per_capita_after_costs - yi.per_capita_after_costs) / yp.per_capita_after_costs')}, "
            "'percent', %(percent)s::text), NULL::bigint "
            f"FROM registry_household h {latest} JOIN registry_yearlyincome yp ON yp.household_id = h.id "
            f"AND yp.year = yi.year - 1 WHERE {area} AND yp.per_capita_after_costs > 0 "
            "AND yi.per_capita_after_costs * 100 < yp.per_capita_after_costs * (100 - %(percent)s::numeric)"
        ),
        RuleKind.COSTS_ABOVE: (
            "SELECT id, village_id, jsonb_build_object('year', year, 'costs', "
            f"{money('costs')}, 'threshold', {money('threshold')}, 'low_income', low), NULL::bigint FROM ("
            "SELECT h.id, h.village_id, yi.year, yi.compliant_costs AS costs, low, "
            "CASE WHEN low THEN %(low)s::numeric ELSE %(other)s::numeric END AS threshold "
            f"FROM registry_household h {latest} {lines} CROSS JOIN LATERAL (SELECT coalesce({low}, false) AS low) l "
            f"WHERE {area} AND yi.compliant_costs > %(floor)s::numeric) x WHERE costs > threshold"
        ),
        RuleKind.COSTS_SHARE: (
            "SELECT h.id, h.village_id, jsonb_build_object('year', yi.year, 'costs', "
            f"{money('yi.compliant_costs')}, 'income', {money('yi.net_income')}, 'share', CASE WHEN "
            f"yi.net_income > 0 THEN {pct('100.0 * yi.compliant_costs / yi.net_income')} END, 'percent', "
            "%(percent)s::text), NULL::bigint "
            f"FROM registry_household h {latest} WHERE {area} AND yi.compliant_costs > 0 "
            "AND yi.compliant_costs * 100 > %(percent)s::numeric * yi.net_income"
        ),
        RuleKind.LIVING_CHECK: (
            "SELECT h.id, h.village_id, jsonb_build_object('year', c.year, 'failed', to_jsonb(array_remove(ARRAY["
            + ", ".join(
                f"CASE WHEN NOT c.{i} THEN '{i}' END"
                for i in ("food", "clothing", "education", "medical", "housing", "water")
            )
            + "], NULL))), NULL::bigint FROM registry_household h JOIN registry_livingcheck c ON c.household_id = h.id "
            "AND c.year >= %(since)s LEFT JOIN registry_livingcheck cn ON cn.household_id = h.id AND cn.year > c.year "
            "WHERE h.village_id LIKE %(like)s AND cn.id IS NULL AND NOT (c.food AND c.clothing AND c.education "
            "AND c.medical AND c.housing AND c.water)"
        ),
        RuleKind.NO_WORK: (
            "SELECT h.id, h.village_id, jsonb_build_object('year', yi.year, 'wages', "
            f"{money('yi.wages')}, 'income', {money(gross)}, 'months_worked', (SELECT max(m.months_worked) "
            "FROM registry_member m WHERE m.household_id = h.id), 'months', %(months)s, 'source', CASE WHEN "
            f"{idle} THEN 'members' ELSE 'labour' END), NULL::bigint FROM registry_household h {latest} "
            f"WHERE {area} AND yi.wages > 0 AND 2 * yi.wages >= {gross} AND ({idle} OR EXISTS (SELECT FROM "
            "monitoring_screeningrow r JOIN monitoring_screeningbatch b ON b.id = r.batch_id WHERE "
            "r.household_id = h.id AND b.source = 'labour' AND b.period = %(period)s AND r.event_date <= %(cutoff)s))"
        ),
    }


def hand_department(params: dict) -> str:
    """The department rule by hand: with thresholds (low income or not), with one amount, or any row."""
    hits = (
        "SELECT r.household_id AS hid, count(*) AS n, sum(r.amount) AS amount, max(r.batch_id) AS batch, "
        "max(r.event) AS event FROM monitoring_screeningrow r JOIN monitoring_screeningbatch b ON b.id = r.batch_id "
        "WHERE b.source = %(source)s AND b.period = %(period)s AND b.county_id BETWEEN %(blo)s AND %(bhi)s "
        "AND r.household_id IS NOT NULL GROUP BY r.household_id"
    )
    base = (
        "'source', %(source)s::text, 'batch', d.batch, 'rows', d.n, 'amount', "
        "CASE WHEN d.amount IS NOT NULL THEN round(d.amount, 2)::text END, 'event', d.event"
    )
    if "low_income" in params or "other" in params:
        line = "coalesce(lc.amount, lm.amount, lp.amount)"
        return (
            f"SELECT h.id, h.village_id, jsonb_build_object({base}, 'threshold', round(t.threshold, 2)::text, "
            f"'low_income', t.low), d.batch FROM ({hits}) d JOIN registry_household h ON h.id = d.hid "
            "LEFT JOIN (registry_yearlyincome yi LEFT JOIN registry_yearlyincome yn ON yn.household_id = "
            "yi.household_id AND yn.year = yi.year + 1) ON yi.household_id = h.id AND yi.year >= %(since)s "
            "AND yn.household_id IS NULL "
            "LEFT JOIN monitoring_monitoringline lc ON lc.year = yi.year AND lc.region_id = left(h.village_id, 6) "
            "LEFT JOIN monitoring_monitoringline lm ON lm.year = yi.year AND lm.region_id = left(h.village_id, 4) "
            "LEFT JOIN monitoring_monitoringline lp ON lp.year = yi.year AND lp.region_id = left(h.village_id, 2) "
            "CROSS JOIN LATERAL (SELECT coalesce(h.attribute IN ('dibao', 'tekun', 'dibao_poor') OR EXISTS "
            "(SELECT FROM registry_member m WHERE m.household_id = h.id AND m.dibao) OR yi.per_capita < "
            f"{line}, false) AS low) l CROSS JOIN LATERAL (SELECT l.low, CASE WHEN l.low THEN %(low)s::numeric "
            "ELSE %(other)s::numeric END AS threshold) t WHERE h.village_id LIKE %(like)s "
            "AND d.amount > %(floor)s::numeric AND d.amount > t.threshold"
        )
    if "amount" in params:
        return (
            f"SELECT h.id, h.village_id, jsonb_build_object({base}, 'threshold', round(%(floor)s::numeric, 2)::text), "
            f"d.batch FROM ({hits}) d JOIN registry_household h ON h.id = d.hid "
            "WHERE h.village_id LIKE %(like)s AND d.amount > %(floor)s::numeric"
        )
    return (
        f"SELECT h.id, h.village_id, jsonb_build_object({base}), d.batch FROM ({hits}) d "
        "JOIN registry_household h ON h.id = d.hid WHERE h.village_id LIKE %(like)s"
    )


def hand_run(area: str, period: str, rule_list, *, lead_table: str, event_table: str) -> dict:
    """Every rule by hand for one area into `lead_table`, then its events: {code: new leads}.

    A household is left out when it is monitored, has an open lead in `lead_table` (one this side's
    rules wrote) or an open lead the rules did not write (`monitoring_lead` with no rule: reported,
    found by a cadre, a department list by hand). The last is what `run_rules` sees besides its own
    leads: without it, on a database with such leads (bench_dashboard --prepare opens them for 0.6 %
    of the households) this side wrote leads for households ours rightly skips."""
    today = timezone.localdate()
    limits = deadlines.limits_for(area)
    now = timezone.now()
    stages = ", ".join(f"'{s}'" for s in sorted(OPEN_STAGES))
    selects = hand_selects()
    counts = {}
    county = area[:6]
    with connection.cursor() as c:
        c.execute(f"SELECT coalesce(max(id), 0) FROM {lead_table}")
        before = c.fetchone()[0]
        for rule in rule_list:
            prefix = rules._effective_prefix(area, rule.region_id)
            if prefix is None:
                counts[rule.code] = 0
                continue
            params = {
                **rules.rule_params(rule, today=today, period=period),
                "like": prefix + "%",
                "blo": county.ljust(6, "0"),
                "bhi": county.ljust(6, "9"),
                "now": now,
                "today": today,
                "step_due": deadlines.step_due(limits, today, Stage.ACCEPTED),
                "decision_due": deadlines.decision_due(limits, today),
                "rule": rule.pk,
                "risks": json.dumps([rule.risk]),
                "number": f"YJ{period.replace('-', '')}{rule.pk:03d}",
                "channel": Channel.DEPARTMENT if rule.kind == RuleKind.DEPARTMENT_HIT else Channel.RULE,
            }
            select = (
                hand_department(rule.params or {})
                if rule.kind == RuleKind.DEPARTMENT_HIT
                else selects[rule.kind]
            )
            c.execute(
                f"""
                INSERT INTO {lead_table} (number, channel, stage, opened_on, step_due, decision_due, village_id,
                    household_id, risks, rule_id, period, facts, screening_id, version, created_at, updated_at,
                    consent_signed, consent_photo, verification, comparison, closing_reasons, applicant_name,
                    phone_enc, phone_masked, id_number_enc, id_number_bidx, disaster_kind, hardship, proposed_type)
                SELECT %(number)s || lpad(f.id::text, 9, '0'), %(channel)s, 'accepted', %(today)s, %(step_due)s,
                    %(decision_due)s, f.village_id, f.id, %(risks)s::jsonb, %(rule)s, %(period)s, f.facts, f.batch,
                    1, %(now)s, %(now)s, false, '', '', '{{}}', '[]', '', '', '', '', '', '', '', ''
                FROM ({select}) AS f (id, village_id, facts, batch)
                WHERE NOT EXISTS (SELECT FROM monitoring_monitoringobject o WHERE o.household_id = f.id
                    AND o.status = 'monitored')
                  AND NOT EXISTS (SELECT FROM {lead_table} l WHERE l.household_id = f.id AND l.stage IN ({stages}))
                  AND NOT EXISTS (SELECT FROM monitoring_lead l WHERE l.household_id = f.id AND l.rule_id IS NULL
                    AND l.stage IN ({stages}))
                ON CONFLICT DO NOTHING
                """,
                params,
            )
            counts[rule.code] = c.rowcount
        c.execute(
            f"INSERT INTO {event_table} (lead_id, actor_id, from_status, to_status, reason, at) "
            f"SELECT l.id, NULL, '', l.stage, '系统预警:' || r.name, %s FROM {lead_table} l "
            "JOIN monitoring_riskrule r ON r.id = l.rule_id WHERE l.id > %s AND l.created_at = %s",
            [now, before, now],
        )
    return counts


# ---------------------------------------------------------------- the run


SCRATCH = ("bench_lead", "bench_leadevent")
COMPARED = "household_id, rule_id, period, number, channel, stage, village_id, facts, screening_id, risks"


def _reset(cursor) -> None:
    cursor.execute("DELETE FROM monitoring_leadevent")
    cursor.execute("DELETE FROM monitoring_lead WHERE rule_id IS NOT NULL")
    cursor.execute("DELETE FROM monitoring_rulerun")
    cursor.execute("DROP TABLE IF EXISTS bench_leadevent")
    cursor.execute("DROP TABLE IF EXISTS bench_lead")
    cursor.execute("CREATE TABLE bench_lead (LIKE monitoring_lead INCLUDING ALL)")
    cursor.execute("CREATE TABLE bench_leadevent (LIKE monitoring_leadevent INCLUDING ALL)")
    cursor.execute("VACUUM ANALYZE monitoring_lead")
    cursor.execute("VACUUM ANALYZE monitoring_leadevent")


def _ours(areas, period) -> tuple[float, dict]:
    counts = {}
    started = time.perf_counter()
    for area in areas:
        run = rules.run_rules(area_code=area, period=period)
        for code, c in run.counts.items():
            total = counts.setdefault(code, {"fired": 0, "new": 0})
            total["fired"] += c["fired"]
            total["new"] += c["new"]
    return time.perf_counter() - started, counts


def _hand(areas, period) -> tuple[float, dict]:
    rule_list = rules.active_rules()
    counts: dict = {}
    started = time.perf_counter()
    for area in areas:
        with transaction.atomic():
            for code, n in hand_run(
                area, period, rule_list, lead_table="bench_lead", event_table="bench_leadevent"
            ).items():
                counts[code] = counts.get(code, 0) + n
    return time.perf_counter() - started, counts


def _differences(cursor) -> tuple[int, int]:
    cursor.execute(
        f"SELECT count(*) FROM (SELECT {COMPARED} FROM monitoring_lead WHERE rule_id IS NOT NULL "
        f"EXCEPT SELECT {COMPARED} FROM bench_lead) x"
    )
    ours_only = cursor.fetchone()[0]
    cursor.execute(
        f"SELECT count(*) FROM (SELECT {COMPARED} FROM bench_lead EXCEPT SELECT {COMPARED} FROM monitoring_lead "
        "WHERE rule_id IS NOT NULL) x"
    )
    return ours_only, cursor.fetchone()[0]


def reevaluate_sample(n: int, seed: int = 1) -> dict:
    """reevaluate_household on `n` random households (before the run: each may write a lead), every
    one rolled back; milliseconds p50/p95/max."""
    with connection.cursor() as c:
        c.execute("SELECT max(id) FROM registry_household")
        top = c.fetchone()[0] or 0
    rng = random.Random(seed)
    times, wrote = [], 0
    for _i in range(n):
        household = rng.randint(1, top)
        with transaction.atomic():
            started = time.perf_counter()
            counts = rules.reevaluate_household(household)
            times.append((time.perf_counter() - started) * 1000)
            wrote += sum(c["new"] for c in counts.values())
            transaction.set_rollback(True)
    times.sort()
    return {
        "n": n,
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "max": times[-1],
        "wrote": wrote,
    }


def run(*, provinces=DEFAULT_PROVINCES, rounds: int = 2, sample: int = 200, progress=print) -> dict:
    if connection.vendor != "postgresql":
        raise SystemExit("bench_monitoring needs PostgreSQL (bench_fill's database)")
    period = rules.current_period()
    areas = list(provinces)
    result = {"rounds": []}
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM registry_member")
        result["members"] = c.fetchone()[0]
        c.execute("SELECT count(*) FROM registry_household")
        result["households"] = c.fetchone()[0]
        _reset(c)
    result["reevaluate"] = reevaluate_sample(sample)
    progress(f"  reevaluate_household: {result['reevaluate']}")
    for i in range(rounds):
        with connection.cursor() as c:
            _reset(c)
        order = ("hand", "ours") if i % 2 == 0 else ("ours", "hand")
        timing = {}
        for side in order:
            seconds, counts = (_hand if side == "hand" else _ours)(areas, period)
            timing[side] = seconds
            timing[side + "_counts"] = counts
            progress(f"  round {i + 1} {side}: {seconds:.2f} s")
        with connection.cursor() as c:
            ours_only, hand_only = _differences(c)
            c.execute("SELECT count(*) FROM monitoring_lead WHERE rule_id IS NOT NULL")
            leads = c.fetchone()[0]
            c.execute("SELECT count(*) FROM monitoring_leadevent")
            events = c.fetchone()[0]
            c.execute("SELECT count(*) FROM bench_leadevent")
            hand_events = c.fetchone()[0]
        if ours_only or hand_only or events != leads or hand_events != leads:
            raise SystemExit(
                f"sets differ: {ours_only} leads only ours, {hand_only} only by hand; "
                f"{leads} leads, {events} events, {hand_events} hand events"
            )
        again, again_counts = _ours(areas, period)
        if any(c["new"] for c in again_counts.values()):
            raise SystemExit(f"the second run added leads: {again_counts}")
        result["rounds"].append(
            {**timing, "leads": leads, "again": again, "ratio": timing["ours"] / timing["hand"]}
        )
        progress(
            f"  round {i + 1}: {leads:,} leads, identical; ours/hand {timing['ours'] / timing['hand']:.2f}; "
            f"second run {again:.2f} s, nothing added"
        )
    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS bench_leadevent")
        c.execute("DROP TABLE IF EXISTS bench_lead")
    return result
