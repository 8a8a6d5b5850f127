"""The supervision demo (demo/supervision.py) on the shipped divisions, the demo's units and users:
seed 001's plan of 10 goals, 30 measures and 92 tasks; 兴海县's plan of this year with tasks overdue;
findings at every state of the closed loop, with their photos and the days they record."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from fupin.core.photos import sniff_image
from fupin.demo.builders import build_units, build_users
from fupin.demo.supervision import build_supervision, load_plans
from fupin.supervision import selectors, services
from fupin.supervision.choices import Escalation, FindingState, PhotoKind, TaskState, Urgency
from fupin.supervision.models import Finding, FindingEvent, Goal, Measure, Plan, Task, TaskEvent

GANSU = "抓党建促脱贫攻坚三年行动计划"
XINGHAI = "兴海县常态化帮扶年度工作计划"
SEED = sorted(Path("/work/shared/seeds").glob("001_*.txt"))


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """Units, users and the supervision step, built once for the module and rolled back after it."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media
        ),
    ):
        with transaction.atomic():
            call_command("regions", "load", verbosity=0)
            build_units()
            build_users()
            started = timezone.now()
            made = build_supervision()
            yield {"made": made, "started": started, "again": build_supervision(), "media": media}
            transaction.set_rollback(True)


@pytest.fixture
def demo(built, db, settings):
    settings.MEDIA_ROOT = built["media"]  # where the build wrote its photos
    return built


def test_seed_001s_plan_has_10_goals_30_measures_and_92_tasks(demo):
    plan = Plan.objects.get(title=GANSU)
    assert (plan.start_year, plan.end_year, plan.issuer.name) == (2018, 2020, "中共甘肃省委组织部")
    assert Goal.objects.filter(plan=plan).count() == 10
    assert Measure.objects.filter(goal__plan=plan).count() == 30
    tasks = Task.objects.filter(plan=plan)
    assert tasks.count() == 92
    assert all(datetime.date(2018, 1, 1) <= t.deadline <= datetime.date(2020, 12, 31) for t in tasks)
    # Every task has its 牵头处室 and 责任处室, offices of the department.
    offices = {t.lead_unit for t in tasks} | {t.responsible_unit for t in tasks}
    assert all(u is not None and u.parent.name == "中共甘肃省委组织部" for u in offices)
    assert {"组织二处", "干部教育处", "督查室"} <= {u.short_name for u in offices}


def test_most_of_seed_001s_tasks_are_done_some_late_and_some_never(demo):
    tasks = Task.objects.filter(plan__title=GANSU)
    done = tasks.filter(state=TaskState.DONE)
    assert done.count() == 87
    assert done.filter(completed_on__gt=F("deadline")).count() == 2
    unfinished = tasks.exclude(state=TaskState.DONE)
    assert {selectors.urgency_of(t) for t in unfinished} == {Urgency.OVERDUE}
    assert set(unfinished.values_list("state", flat=True)) == {TaskState.IN_PROGRESS, TaskState.NOT_STARTED}
    # Each done task's events bear the plan's day and the days of its reports, not the build's.
    events = TaskEvent.objects.filter(task__plan__title=GANSU)
    assert all(e.at < demo["started"] for e in events)
    assert all(e.at.date() == e.task.completed_on for e in events.filter(to_status=TaskState.DONE))


def test_xinghais_plan_of_this_year_has_tasks_overdue_and_near(demo):
    tasks = Task.objects.filter(plan__title=XINGHAI)
    assert tasks.count() == 6 and {t.plan.start_year for t in tasks} == {timezone.localdate().year}
    urgencies = {selectors.urgency_of(t) for t in tasks}
    assert {Urgency.OVERDUE, Urgency.SOON, Urgency.DUE} <= urgencies
    assert tasks.filter(responsible_unit__name="大唐青海能源开发有限公司").count() == 2


def test_findings_at_every_state_one_sent_back_one_red_one_orange(demo):
    xinghai = Finding.objects.filter(division__code__startswith="632524")
    assert set(xinghai.values_list("state", flat=True)) == set(FindingState.values)
    sent_back = FindingEvent.objects.filter(finding__in=xinghai, action=services.SENT_BACK).get()
    assert sent_back.finding.state == FindingState.RECTIFYING
    assert "明白卡" in sent_back.reason
    urgencies = [selectors.urgency_of(f) for f in xinghai]
    assert urgencies.count(Urgency.OVERDUE) == 1 and urgencies.count(Urgency.SOON) == 1
    red = next(f for f in xinghai if selectors.urgency_of(f) == Urgency.OVERDUE)
    assert red.escalation == Escalation.ESCALATED and red.escalated_unit.name == "中国大唐集团有限公司"
    assert red.responsible_unit.name == "大唐青海能源开发有限公司"
    # The Gansu county: the department's 2019 暗访, all closed; the county's own this year.
    jingchuan = Finding.objects.filter(division__code__startswith="6208")
    assert jingchuan.filter(found_on__year=2019, state=FindingState.CLOSED).count() == 3
    assert set(
        jingchuan.filter(found_on__year=timezone.localdate().year).values_list("state", flat=True)
    ) == {
        FindingState.OPEN,
        FindingState.SUBMITTED,
    }


def test_every_finding_has_its_evidence_and_a_closed_one_its_before_and_after(demo):
    for finding in Finding.objects.all():
        kinds = set(finding.photos.values_list("kind", flat=True))
        assert PhotoKind.EVIDENCE in kinds
        if finding.state in (FindingState.SUBMITTED, FindingState.CLOSED):
            assert PhotoKind.AFTER in kinds
    photo = Finding.objects.filter(state=FindingState.CLOSED).first().photos.first()
    with photo.file.open("rb") as f:
        data = f.read()
    assert sniff_image(data[:16]) == "image/jpeg" and len(data) < 4000


def test_the_loops_events_bear_the_days_they_record(demo):
    for event in FindingEvent.objects.select_related("finding"):
        finding = event.finding
        assert event.at < demo["started"], event.action
        if event.action == services.RECORDED:
            assert event.at.date() == finding.found_on
        if event.action == services.CLOSED:
            assert event.at.date() == finding.closed_on


def test_the_data_file_marks_quoted_texts_and_a_second_run_makes_nothing(demo):
    assert demo["made"] > 0 and demo["again"] == 0
    assert Plan.objects.filter(title=GANSU).count() == 1
    gansu = load_plans()["plans"][0]
    items = [g for g in gansu["goals"]]
    items += [m for g in gansu["goals"] for m in g["measures"]]
    items += [t for g in gansu["goals"] for m in g["measures"] for t in m["tasks"]]
    assert {i["source"] for i in items} == {"seed", "derived"}
    if SEED:  # the seeds live beside the checkout; the quotes are checked where they are
        text = SEED[0].read_text(encoding="utf-8")
        for item in items:
            if item["source"] == "seed":
                assert item["title"] in text, item["title"]
            if "basis" in item:
                assert item["basis"] in text, item["basis"]


def test_xinghai_has_its_consolidation_assessment_of_this_year(demo):
    from decimal import Decimal

    from fupin.reports import selectors as reports
    from fupin.supervision.models import Assessment
    from fupin.supervision.standards import STANDARDS

    assessment = Assessment.objects.get(kind="county", county_id="632524", year=timezone.localdate().year)
    viewer = assessment.assessor
    assert viewer.username == "viewer_qinghai" and assessment.state == "draft" and assessment.unit is None
    items = {i.code: i for i in assessment.items.all()}
    assert list(items) == [s.key for s in STANDARDS]
    for standard in STANDARDS:
        if standard.of is None:  # a figure straight from the rollup, as the viewer reads it
            value = reports.figure(
                viewer,
                standard.indicator,
                division="632524",
                period=standard.period_for(assessment.year),
                category=standard.category,
            )
            expected = None if value is None else Decimal(value).quantize(Decimal("0.01"))
            assert items[standard.key].actual == expected, standard.key
    assert assessment.total == sum(i.score for i in items.values())
    evidence = [e for i in items.values() for e in i.evidence.all()]
    assert sorted(e.content_type for e in evidence) == ["application/pdf", "image/jpeg"]
    if not items["overdue_visits"].met:
        assert (
            items["overdue_visits"].note
            and items["overdue_visits"].score == items["overdue_visits"].max_points / 2
        )
