"""The nightly work on the queue (monitoring.tasks): 公示 ended when their days are over, the data-quality
checks of every county with monitoring objects, the rules over every county with households — each a
Job row without an owner, run by the periodic tasks at their hours of Beijing time.

Jobs run inside the call (huey's immediate mode, the root conftest); the periodic functions are called
directly. The day is frozen at 2026-11-20 (a Friday).
"""

import datetime

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from fupin.jobs.models import Job
from fupin.monitoring import rules, services, tasks
from fupin.monitoring.choices import Channel, EliminationKind, ObjectType, Stage
from fupin.monitoring.models import (
    Elimination,
    Lead,
    MonitoringLine,
    MonitoringObject,
    QualityFinding,
    RuleRun,
)
from fupin.regions.models import Region
from fupin.registry import services as registry
from fupin.testing import JINGCHUAN, MINZU_VILLAGE, XINGHAI, person_id

TODAY = datetime.date(2026, 11, 20)
D = datetime.date


def _publicising(lead_or_elimination, until: datetime.date):
    type(lead_or_elimination).objects.filter(pk=lead_or_elimination.pk).update(
        stage=Stage.PUBLICISING, publicity_from=until - datetime.timedelta(days=5), publicity_to=until
    )
    lead_or_elimination.refresh_from_db()
    return lead_or_elimination


def build(made):
    zhaxi, wang = made["zhaxi"], made["wang"]
    MonitoringLine.objects.create(year=2025, region_id="63", amount=9000)
    # Below 青海's line in 2025: the income rule fires on it in November 2026.
    below = registry.household_create(
        by=None, village_code=MINZU_VILLAGE, attribute="ordinary", main_cause="illness"
    )
    registry.member_add(by=None, household=below, name="贡保", id_number=person_id(61), relation="head")
    registry.income_record(by=None, household=below, year=2025, wages=6000)
    other = registry.household_create(
        by=None, village_code=MINZU_VILLAGE, attribute="ordinary", main_cause="illness"
    )
    registry.member_add(by=None, household=other, name="才让", id_number=person_id(62), relation="head")

    def lead(household, until):
        opened = until - datetime.timedelta(days=8)
        row = services.open_lead(
            by=None,
            channel=Channel.CADRE,
            village=Region.objects.get(code=household.village_id),
            opened_on=opened,
            household=household,
            risks=["illness"],
        )
        return _publicising(row, until)

    obj = MonitoringObject.objects.create(
        household=zhaxi, type=ObjectType.UNSTABLE, identified_on=D(2026, 1, 5), former_poor=True
    )
    elimination = Elimination.objects.create(
        object=obj, kind=EliminationKind.NATURAL, stage=Stage.ACCEPTED, opened_on=D(2026, 11, 1)
    )
    # A finding of 泾川县 from before, which has no monitoring object now: the night's check clears it.
    QualityFinding.objects.create(
        rule="no_pairing",
        county_id=JINGCHUAN,
        household=made["li"],
        detail="旧的检查结果",
        found_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
    )
    return {
        "below": below,
        "over": lead(wang, TODAY - datetime.timedelta(days=1)),  # the last day was yesterday
        "last_day": lead(other, TODAY),  # today is its last day
        "elimination": _publicising(elimination, D(2026, 11, 18)),
        "zhaxi_object": obj,
    }


WORLD_LAYERS = ("households", build)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture(autouse=True)
def fresh_marks():
    """The once-a-night marks live in the queue's storage (memory in tests): none from another test."""
    keys = [f"fupin-nightly:{name}:{TODAY.isoformat()}" for name in ("publicities", "checks", "rules")]
    for key in keys:
        HUEY.delete(key)
    yield
    for key in keys:
        HUEY.delete(key)


def _system_jobs(kind: str) -> list[Job]:
    return list(Job.objects.filter(kind=kind).order_by("label"))


# --- 公示 ------------------------------------------------------------------------------------------


def test_publicities_whose_days_are_over_move_on_to_the_township(cast):
    job = tasks.end_publicities_tonight()
    assert (job.kind, job.owner, job.state) == ("monitoring.publicities", None, "done")
    assert job.result == {"on": "2026-11-20", "ended": 2} and job.label == "2026-11-20"
    over, last_day, elimination = (
        Lead.objects.get(pk=cast["over"].pk),
        Lead.objects.get(pk=cast["last_day"].pk),
        Elimination.objects.get(pk=cast["elimination"].pk),
    )
    assert over.stage == Stage.PUBLICISED and elimination.stage == Stage.PUBLICISED
    assert last_day.stage == Stage.PUBLICISING  # its last day is today: tomorrow night
    event = over.events.order_by("-id").first()
    assert event.actor is None and event.to_status == Stage.PUBLICISED and "公示期满" in event.reason
    again = tasks.end_publicities_tonight()  # nothing left to end: a job that says so
    assert again.state == "done" and again.result["ended"] == 0


# --- data-quality checks --------------------------------------------------------------------------


def test_the_checks_run_for_every_county_with_objects_one_job_each(cast):
    assert [c.code for c in tasks.counties_with_objects()] == [JINGCHUAN, XINGHAI]
    jobs = tasks.check_counties()
    assert [(j.kind, j.owner, j.state, j.label) for j in jobs] == [
        ("monitoring.quality", None, "done", "泾川县"),
        ("monitoring.quality", None, "done", "兴海县"),
    ]
    assert [j.result["county"] for j in jobs] == [JINGCHUAN, XINGHAI]
    # 扎西's object has no 帮扶责任人 and no measure ten months on; 泾川县's old finding is gone.
    found = set(QualityFinding.objects.filter(county_id=XINGHAI).values_list("rule", flat=True))
    assert {"no_pairing", "no_measure"} <= found
    assert not QualityFinding.objects.filter(county_id=JINGCHUAN).exists()
    assert jobs[1].result["findings"] == QualityFinding.objects.filter(county_id=XINGHAI).count()


# --- risk rules -----------------------------------------------------------------------------------


def test_the_rules_run_for_every_county_with_households_and_a_second_night_adds_nothing(cast):
    assert tasks.counties_with_households() == [JINGCHUAN, XINGHAI]
    jobs = tasks.run_rules_in_counties()
    assert [(j.kind, j.owner, j.state, j.label) for j in jobs] == [
        ("monitoring.rules", None, "done", "泾川县 2026-11"),
        ("monitoring.rules", None, "done", "兴海县 2026-11"),
    ]
    runs = {run.area_id: run for run in RuleRun.objects.filter(period="2026-11")}
    assert set(runs) == {JINGCHUAN, XINGHAI} and all(run.by is None for run in runs.values())
    assert {str(run.job_id) for run in runs.values()} == {str(j.pk) for j in jobs}  # the run names its job
    lead = Lead.objects.get(household=cast["below"], channel=Channel.RULE)
    assert lead.period == "2026-11" and lead.rule.kind == "income_below_line"
    leads = Lead.objects.count()
    second = tasks.run_rules_in_counties()  # the next night, the same month: one lead per household and rule
    assert [j.state for j in second] == ["done", "done"] and sum(j.result["new"] for j in second) == 0
    assert Lead.objects.count() == leads


def test_a_county_that_fails_fails_its_own_job_only(cast, monkeypatch):
    run_rules = rules.run_rules

    def broken(*, area_code, **kwargs):
        if area_code == JINGCHUAN:
            raise RuntimeError("disk full")
        return run_rules(area_code=area_code, **kwargs)

    monkeypatch.setattr(rules, "run_rules", broken)
    failed, done = tasks.run_rules_in_counties()
    assert failed.state == "failed" and "disk full" not in failed.error and "预警规则" in failed.error
    assert done.state == "done" and done.result["area"] == XINGHAI


# --- the periodic tasks ---------------------------------------------------------------------------


def _due_at(beijing: datetime.datetime) -> set[str]:
    """The periodic tasks the consumer starts at that Beijing time (huey reads the clock in UTC)."""
    utc = (
        beijing.replace(tzinfo=timezone.get_default_timezone()).astimezone(datetime.UTC).replace(tzinfo=None)
    )
    return {type(task).__name__ for task in HUEY.read_periodic(utc)} & {
        "nightly_publicities",
        "nightly_checks",
        "nightly_rules",
    }


def test_the_periodic_tasks_are_registered_at_night_in_beijing_time():
    night = datetime.datetime(2026, 11, 21)
    assert _due_at(night.replace(hour=0, minute=10)) == {"nightly_publicities"}
    assert _due_at(night.replace(hour=0, minute=30)) == {"nightly_checks"}
    assert _due_at(night.replace(hour=1, minute=0)) == {"nightly_rules"}
    # Every night (weekends and the 1st of a month included), and at no other minute.
    for day in (datetime.datetime(2026, 11, 22), datetime.datetime(2026, 12, 1)):
        assert _due_at(day.replace(hour=1)) == {"nightly_rules"}
    assert _due_at(night.replace(hour=8, minute=10)) == set()  # 00:10 UTC: not the morning's work
    per_minute = [len(_due_at(night + datetime.timedelta(minutes=m))) for m in range(24 * 60)]
    assert sum(per_minute) == 3 and max(per_minute) == 1
    assert tasks.PUBLICITIES_AT.fields == {"minute": "10", "hour": "0"}
    assert tasks.CHECKS_AT.fields == {"minute": "30", "hour": "0"}
    assert tasks.RULES_AT.fields == {"minute": "0", "hour": "1"}


def test_a_periodic_task_runs_once_a_night_however_many_consumers(cast):
    tasks.nightly_publicities.call_local()
    tasks.nightly_publicities.call_local()  # a second consumer's: skipped
    assert len(_system_jobs("monitoring.publicities")) == 1
    tasks.nightly_checks.call_local()
    tasks.nightly_rules.call_local()
    tasks.nightly_rules.call_local()
    assert len(_system_jobs("monitoring.quality")) == 2 and len(_system_jobs("monitoring.rules")) == 2
    assert all(job.owner is None for job in Job.objects.all())
