"""Risk rules compiled to set-based SQL (monitoring.rules): each rule fires on a household built by
hand for it and not on its neighbour, with the values that fired it (computed by hand below); a
second run adds nothing; the area and a rule's region limit what is read; households already handled
are left out; one household is re-evaluated after an income is written.

The run date is frozen at 2026-11-20: "the 12 months before the run" are the incomes of 2025 (none of
2026 is recorded). Monitoring lines 2025: 青海 8,700, 兴海县 9,000 (the county's wins), 甘肃 8,000.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from fupin.monitoring import deadlines, numbers, rules, services
from fupin.monitoring.choices import Channel, ObjectStatus, ObjectType, RuleKind, Source, Stage
from fupin.monitoring.models import (
    Lead,
    LeadEvent,
    MonitoringLine,
    MonitoringObject,
    RiskRule,
    RuleRun,
    ScreeningBatch,
    ScreeningRow,
)
from fupin.regions.models import Region
from fupin.registry import services as registry
from fupin.testing import JINGCHUAN_VILLAGE, MINZU_VILLAGE, NINGQU_VILLAGE, XINGHAI, person_id

TODAY = datetime.date(2026, 11, 20)
PERIOD = "2026-11"
ALL_OK = dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), True)
_n = iter(range(200, 480))


def home(
    *,
    village=MINZU_VILLAGE,
    attribute="ordinary",
    members=2,
    work=("none", 0),
    incomes=(),
    checks=(),
    dibao=False,
):
    """A household of `members` people (work status and months worked of each), its incomes
    ({year, amounts…}) and checks ({year, results})."""
    household = registry.household_create(
        by=None, village_code=village, attribute=attribute, main_cause="illness"
    )
    area = village[:6]
    for i in range(members):
        registry.member_add(
            by=None,
            household=household,
            name=f"成员{i}",
            id_number=person_id(next(_n), area=area),
            relation="head" if i == 0 else "son",
            work_status=work[0],
            months_worked=work[1],
            labour="ordinary",
            dibao=dibao and i == 0,
        )
    for income in incomes:
        registry.income_record(by=None, household=household, **income)
    for check in checks:
        registry.check_record(
            by=None,
            household=household,
            year=check["year"],
            results={**ALL_OK, **check.get("failed", {})},
            reasons={item: "未达标" for item in check.get("failed", {})},
        )
    household.refresh_from_db()
    return household


def build(made):
    for year, code, amount in ((2025, "63", 8700), (2025, XINGHAI, 9000), (2025, "62", 8000)):
        MonitoringLine.objects.create(year=year, region_id=code, amount=amount)
    w = {}
    # income_below_line: 8,800 is above 青海's line but below 兴海县's; 9,100 is above both.
    w["below"] = home(incomes=[{"year": 2025, "wages": 12000, "business": 5600}])
    w["above"] = home(incomes=[{"year": 2025, "wages": 12000, "business": 6200}])
    # The same in 泾川县 (甘肃 8,000): 7,000 is below.
    w["jingchuan"] = home(village=JINGCHUAN_VILLAGE, incomes=[{"year": 2025, "wages": 14000}])
    # income_drop (30 %): 12,000 → 8,000 is down 33.3 %; 12,000 → 9,000 only 25 %.
    w["drop"] = home(incomes=[{"year": 2024, "wages": 24000}, {"year": 2025, "wages": 16000}])
    w["small_drop"] = home(incomes=[{"year": 2024, "wages": 24000}, {"year": 2025, "wages": 18000}])
    # costs_above (1万 low income, 2.6万 others): a 低保户 with 12,000 of costs after insurance
    # (15,000 − 3,000); an ordinary household with 20,000; another with 27,000.
    w["low_costs"] = home(
        attribute="dibao",
        incomes=[{"year": 2025, "wages": 60000, "medical_costs": 15000, "insurance_payouts": 3000}],
    )
    w["mid_costs"] = home(incomes=[{"year": 2025, "wages": 60000, "medical_costs": 20000}])
    w["high_costs"] = home(incomes=[{"year": 2025, "wages": 100000, "medical_costs": 27000}])
    # costs_share (50 %): 12,000 of 20,000 is 60 %; 12,000 of 30,000 is 40 %.
    w["share"] = home(incomes=[{"year": 2025, "wages": 20000, "schooling_costs": 12000}])
    w["small_share"] = home(incomes=[{"year": 2025, "wages": 30000, "schooling_costs": 12000}])
    # living_check: the 2025 check fails housing; the other's old 2019 failure is not the latest.
    w["check"] = home(checks=[{"year": 2025, "failed": {"housing": False}}])
    w["check_ok"] = home(checks=[{"year": 2019, "failed": {"water": False}}, {"year": 2025}])
    # no_work (3 months): wages 20,000 of 22,000; nobody works and at most 8 months were worked; the
    # neighbour has a member in work. The third works, but 人社 says he lost his job in July.
    idle = [{"year": 2025, "wages": 20000, "business": 2000}]
    w["idle"] = home(work=("none", 8), incomes=idle)
    w["busy"] = home(work=("in_county", 10), incomes=idle)
    w["laid_off"] = home(work=("in_county", 10), incomes=idle)
    # department_hit: 医保 rows (1万 low income, 2.6万 others) and a 民政 row.
    w["dept_low"] = home(dibao=True, incomes=[{"year": 2025, "wages": 60000}])
    w["dept_rich"] = home(incomes=[{"year": 2025, "wages": 60000}])
    w["dept_civil"] = home(incomes=[{"year": 2025, "wages": 60000}])
    w["dept_old"] = home(incomes=[{"year": 2025, "wages": 60000}])
    county = Region.objects.get(code=XINGHAI)

    def batch(source, period, rows):
        b = ScreeningBatch.objects.create(source=source, county=county, period=period, file_name="x.xlsx")
        for i, (household, amount, event, on) in enumerate(rows, 1):
            ScreeningRow.objects.create(
                batch=b,
                row_number=i,
                id_number_bidx=f"bidx{i}",
                household=household,
                amount=amount,
                event=event,
                event_date=on,
            )
        return b

    w["medical"] = batch(
        Source.MEDICAL,
        PERIOD,
        [
            (w["dept_low"], Decimal("7000"), "住院", datetime.date(2026, 10, 3)),
            (w["dept_low"], Decimal("5000"), "门诊慢特病", datetime.date(2026, 10, 9)),
            (w["dept_rich"], Decimal("12000"), "住院", datetime.date(2026, 10, 3)),
            (None, Decimal("90000"), "住院", None),  # unmatched: never a lead
        ],
    )
    w["civil"] = batch(Source.CIVIL, PERIOD, [(w["dept_civil"], None, "新纳入临时救助", None)])
    batch(Source.CIVIL, "2026-10", [(w["dept_old"], None, "新纳入低保", None)])
    w["labour"] = batch(Source.LABOUR, PERIOD, [(w["laid_off"], None, "失业登记", datetime.date(2026, 7, 1))])
    return w


WORLD_LAYERS = (build,)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def run(kinds=None, area=XINGHAI, **kwargs):
    return rules.run_rules(area_code=area, period=PERIOD, kinds=kinds, **kwargs)


def lead_of(household, code=None) -> Lead | None:
    leads = Lead.objects.filter(household=household, rule__isnull=False)
    if code:
        leads = leads.filter(rule__code=code)
    return leads.first()


def test_income_below_line_uses_the_nearest_line(cast):
    result = run([RuleKind.INCOME_BELOW_LINE])
    lead = lead_of(cast["below"], "income-below-line")
    assert lead.facts == {"year": 2025, "per_capita": "8800.00", "line": "9000.00"}
    assert lead_of(cast["above"]) is None
    assert lead_of(cast["jingchuan"]) is None  # another county: not in the run's area
    assert result.counts["income-below-line"]["new"] == Lead.objects.filter(rule__isnull=False).count()


def test_a_lead_is_written_as_the_review_chain_expects(cast):
    result = run([RuleKind.INCOME_BELOW_LINE], by=cast["county"])
    lead = lead_of(cast["below"])
    rule = RiskRule.objects.get(code="income-below-line")
    limits = deadlines.limits_for(XINGHAI)
    assert lead.number == numbers.rule_receipt(PERIOD, rule.pk, cast["below"].pk)
    assert (lead.channel, lead.stage, lead.period, lead.rule_id) == (
        Channel.RULE,
        Stage.ACCEPTED,
        PERIOD,
        rule.pk,
    )
    assert lead.village_id == MINZU_VILLAGE and lead.risks == [rule.risk] and lead.version == 1
    assert lead.opened_on == TODAY
    assert lead.step_due == deadlines.step_due(limits, TODAY, Stage.ACCEPTED)
    assert lead.decision_due == deadlines.decision_due(limits, TODAY)
    assert lead.reported_by == cast["county"] and lead.created_at is not None
    event = LeadEvent.objects.get(lead=lead)
    assert (event.from_status, event.to_status, event.actor) == ("", Stage.ACCEPTED, cast["county"])
    assert rule.name in event.reason
    assert (
        LeadEvent.objects.filter(lead__rule__isnull=False).count()
        == result.counts["income-below-line"]["new"]
    )
    assert result.finished_at and result.by == cast["county"] and result.area_id == XINGHAI


def test_income_drop(cast):
    run([RuleKind.INCOME_DROP])
    lead = lead_of(cast["drop"], "income-drop")
    assert lead.facts == {
        "year": 2025,
        "per_capita": "8000.00",
        "previous": "12000.00",
        "drop_percent": "33.3",
        "percent": "30",
    }
    assert lead_of(cast["small_drop"]) is None


def test_costs_above_by_low_income(cast):
    run([RuleKind.COSTS_ABOVE])
    low = lead_of(cast["low_costs"], "medical-costs")
    assert low.facts == {"year": 2025, "costs": "12000.00", "threshold": "10000.00", "low_income": True}
    assert low.risks == ["illness"]
    high = lead_of(cast["high_costs"], "medical-costs")
    assert high.facts == {"year": 2025, "costs": "27000.00", "threshold": "26000.00", "low_income": False}
    assert lead_of(cast["mid_costs"]) is None


def test_costs_share(cast):
    run([RuleKind.COSTS_SHARE])
    lead = lead_of(cast["share"], "costs-share")
    assert lead.facts == {
        "year": 2025,
        "costs": "12000.00",
        "income": "20000.00",
        "share": "60.0",
        "percent": "50",
    }
    assert lead_of(cast["small_share"]) is None


def test_living_check_reads_the_latest_check(cast):
    run([RuleKind.LIVING_CHECK])
    assert lead_of(cast["check"], "living-check").facts == {"year": 2025, "failed": ["housing"]}
    assert lead_of(cast["check_ok"]) is None


def test_department_hits(cast):
    result = run([RuleKind.DEPARTMENT_HIT])
    medical = lead_of(cast["dept_low"], "dept-medical")
    assert medical.channel == Channel.DEPARTMENT and medical.screening_id == cast["medical"].pk
    assert medical.facts == {
        "source": "medical",
        "batch": cast["medical"].pk,
        "rows": 2,
        "amount": "12000.00",
        "event": "门诊慢特病",
        "threshold": "10000.00",
        "low_income": True,
    }
    assert lead_of(cast["dept_rich"]) is None  # 12,000 is below the 2.6万 of others
    civil = lead_of(cast["dept_civil"], "dept-civil")
    assert civil.facts == {
        "source": "civil",
        "batch": cast["civil"].pk,
        "rows": 1,
        "amount": None,
        "event": "新纳入临时救助",
    }
    assert lead_of(cast["dept_old"]) is None  # a list of another period
    assert result.counts["dept-medical"] == {"fired": 1, "new": 1}
    assert result.counts["dept-emergency"] == {"fired": 0, "new": 0}


def test_no_work(cast):
    run([RuleKind.NO_WORK])
    idle = lead_of(cast["idle"], "no-work")
    assert idle.facts == {
        "year": 2025,
        "wages": "20000.00",
        "income": "22000.00",
        "months_worked": 8,
        "months": 3,
        "source": "members",
    }
    assert lead_of(cast["busy"]) is None
    assert lead_of(cast["laid_off"], "no-work").facts["source"] == "labour"


def test_a_second_run_adds_nothing(cast):
    first = run()
    leads, events = Lead.objects.count(), LeadEvent.objects.count()
    assert leads > 10
    second = run()
    assert Lead.objects.count() == leads and LeadEvent.objects.count() == events
    assert all(c["new"] == 0 for c in second.counts.values())
    assert {k: c["fired"] for k, c in second.counts.items()} == {
        k: c["fired"] for k, c in first.counts.items()
    }
    # One lead per household in a run: a household several rules fire on gets the first rule's.
    assert Lead.objects.values("household").distinct().count() == leads
    # A rejected lead is closed: the same rule does not raise it again in the same period.
    Lead.objects.filter(household=cast["below"]).update(stage=Stage.REJECTED)
    assert run().counts["income-below-line"]["new"] == 0


def test_households_already_handled_are_left_out(cast):
    MonitoringObject.objects.create(
        household=cast["below"], type=ObjectType.MARGINAL, identified_on=TODAY, status=ObjectStatus.MONITORED
    )
    services.open_lead(
        by=None,
        channel=Channel.CADRE,
        village=cast["drop"].village,
        household=cast["drop"],
        risks=["illness"],
    )
    result = run([RuleKind.INCOME_BELOW_LINE, RuleKind.INCOME_DROP])
    assert lead_of(cast["below"]) is None and lead_of(cast["drop"]) is None
    assert result.counts["income-below-line"]["fired"] >= 1  # it fired, but nothing new was written
    assert result.counts["income-drop"] == {"fired": 1, "new": 0}


def test_the_area_and_a_rules_region_limit_the_run(cast):
    village = run([RuleKind.INCOME_BELOW_LINE], area=NINGQU_VILLAGE)
    assert village.counts["income-below-line"] == {"fired": 0, "new": 0}
    gansu = run([RuleKind.INCOME_BELOW_LINE], area="620821")
    assert lead_of(cast["jingchuan"]).facts == {"year": 2025, "per_capita": "7000.00", "line": "8000.00"}
    assert gansu.counts["income-below-line"] == {"fired": 1, "new": 1}
    RiskRule.objects.filter(code="income-below-line").update(region_id="62")
    assert run([RuleKind.INCOME_BELOW_LINE]).counts["income-below-line"] == {"fired": 0, "new": 0}
    assert lead_of(cast["below"]) is None


def test_a_run_needs_the_permission_over_the_area(cast):
    with pytest.raises(PermissionDenied):
        run(by=cast["outsider"])
    with pytest.raises(PermissionDenied):
        run(by=cast["cadre"])
    with pytest.raises(ValidationError):
        rules.run_rules(area_code=XINGHAI, period="2026-13")
    with pytest.raises(ValidationError):
        rules.run_rules(area_code="999999", period=PERIOD)
    assert not RuleRun.objects.exists() and not Lead.objects.exists()


def test_progress_is_reported_per_rule(cast):
    seen = []
    run(progress=lambda done, total, message: seen.append((done, total)))
    total = RiskRule.objects.filter(active=True).count()
    assert seen == [(i, total) for i in range(1, total + 1)]


def test_reevaluate_household_after_an_income_is_written(cast, django_capture_on_commit_callbacks):
    MonitoringLine.objects.create(year=2026, region_id="63", amount=9000)
    household = cast["above"]
    with django_capture_on_commit_callbacks(execute=True):
        registry.income_record(by=None, household=household, year=2026, wages=10000)
    lead = lead_of(household)
    assert lead.rule.code == "income-below-line" and lead.period == PERIOD and lead.reported_by is None
    # 青海's line: 兴海县 has none for 2026.
    assert lead.facts == {"year": 2026, "per_capita": "5000.00", "line": "9000.00"}
    assert LeadEvent.objects.filter(lead=lead).count() == 1
    assert rules.reevaluate_household(household.pk)["income-below-line"] == {"fired": 1, "new": 0}
    assert Lead.objects.filter(household=household).count() == 1
    # A write that rolls back re-evaluates nothing.
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        registry.income_record(by=None, household=cast["small_share"], year=2026, wages="x")
    assert callbacks == []


def test_the_facts_json_is_stored_as_json(cast):
    run([RuleKind.LIVING_CHECK])
    with connection.cursor() as cursor:
        cursor.execute("SELECT facts FROM monitoring_lead WHERE household_id = %s", [cast["check"].pk])
        raw = cursor.fetchone()[0]
    assert (json.loads(raw) if isinstance(raw, str) else raw) == {"year": 2025, "failed": ["housing"]}


def test_reevaluating_each_household_writes_what_a_run_writes(cast):
    homes = [v for v in cast.values() if hasattr(v, "village_id") and v.village_id.startswith(XINGHAI)]
    for household in homes:
        rules.reevaluate_household(household.pk)

    def written():
        return {
            (lead.household_id, lead.rule_id, json.dumps(lead.facts, sort_keys=True))
            for lead in Lead.objects.all()
        }

    one_by_one = written()
    assert len(one_by_one) > 10 and LeadEvent.objects.count() == len(one_by_one)
    LeadEvent.objects.all().delete()
    Lead.objects.all().delete()
    run()
    assert written() == one_by_one
