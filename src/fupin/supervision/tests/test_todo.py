"""Supervision's 待办: who is told about which findings and tasks, counted by hand, with their levels
and links, inside each user's scope."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from fupin import testing
from fupin.accounts.roles import Role
from fupin.core.todo import DUE, OVERDUE, SOON, todos_for
from fupin.orgs.models import Unit
from fupin.regions.models import Region
from fupin.supervision import services
from fupin.supervision.models import Category

WORLD_LAYERS = ()
DAY = datetime.timedelta(days=1)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60


def _photo(name="p.jpg"):
    return ContentFile(JPEG, name=name)


@pytest.fixture
def made(cast):
    """兴海县: in 民族村 one finding 待整改 (on time), one 整改中 (orange), one 待核验, one 已销号; in
    宁曲村 one 待整改 past its deadline whose responsible unit is 大唐; in 泾川县 one 待整改. A plan of
    兴海县 with 大唐 responsible for a task past its deadline, one near it, one done, one far off."""
    today = timezone.localdate()
    inspector = testing.make_user(
        "inspector", roles=[Role.INSPECTOR], scopes=[testing.XINGHAI], full_name="督查员"
    )
    category, _made = Category.objects.get_or_create(name="帮扶工作", defaults={"soon_days": 3})
    region = Region.objects.get

    def record(code, *, found=0, due=30, by=inspector, **fields):
        return services.record_finding(
            by=by,
            division=region(code=code),
            category=category,
            description="问题",
            found_on=today - found * DAY,
            deadline=today + due * DAY,
            photos=[_photo()],
            **fields,
        )

    def step(finding, action, by, **fields):
        finding.refresh_from_db()
        return action(by=by, finding=finding, version=finding.version, **fields)

    minzu, ningqu = testing.MINZU_VILLAGE, testing.NINGQU_VILLAGE
    cadre = cast["cadre"]
    record(minzu)  # 待整改, on time
    orange = record(minzu, due=1)
    step(orange, services.plan_rectification, cadre, plan="整改")
    submitted = record(minzu)
    step(submitted, services.plan_rectification, cadre, plan="整改")
    step(submitted, services.submit_rectification, cadre, result="已整改", after_photos=[_photo()])
    closed = record(minzu)
    step(closed, services.plan_rectification, cadre, plan="整改")
    step(closed, services.submit_rectification, cadre, result="已整改", after_photos=[_photo()])
    step(closed, services.close_finding, inspector)
    record(ningqu, found=40, due=-10, responsible_unit=cast["datang"])
    record(testing.FENGHUANG_VILLAGE, by=cast["outsider"])

    office = Unit.objects.create(name="兴海县乡村振兴局", kind=Unit.Kind.AGENCY, region_id=testing.XINGHAI)
    plan = services.create_plan(
        by=None,
        title="兴海县常态化帮扶工作计划",
        area=region(code=testing.XINGHAI),
        start_year=2026,
        end_year=2026,
    )
    goal = services.add_goal(by=None, plan=plan, order=1, title="目标")
    measure = services.add_measure(by=None, goal=goal, order=1, title="措施")
    for order, due in enumerate((-5, 3, -20, 60), start=1):
        task = services.add_task(
            by=None,
            measure=measure,
            order=order,
            title=f"任务{order}",
            lead_unit=office,
            responsible_unit=cast["datang"],
            deadline=today + due * DAY,
        )
        if due == -20:
            services.report_task(by=None, task=task, version=task.version, progress=100, note="完成")
    return {**cast, "inspector": inspector}


def _lines(user) -> dict:
    return {str(t.label): (t.count, t.level, t.url) for t in todos_for(user) if t.app == "supervision"}


def test_the_village_is_told_what_it_must_rectify(made):
    lines = _lines(made["cadre"])
    assert set(lines) == {"督查问题待整改"}
    count, level, url = lines["督查问题待整改"]
    assert (count, level) == (2, SOON)  # the orange one; the one 待核验 waits for others
    assert url.endswith("/supervision/findings/?state=open")


def test_the_county_rectifies_and_verifies_its_whole_county(made):
    lines = _lines(made["county"])
    assert lines["督查问题待整改"][:2] == (3, OVERDUE)  # 宁曲村's is past its deadline
    assert lines["督查问题待核验"][:2] == (1, DUE)
    assert lines["督查问题待核验"][2].endswith("?state=submitted")
    assert "本单位任务临期或逾期" not in lines  # the county officer belongs to no unit


def test_the_inspector_only_verifies(made):
    assert {k: v[:2] for k, v in _lines(made["inspector"]).items()} == {"督查问题待核验": (1, DUE)}


def test_the_responsible_unit_sees_its_finding_and_its_late_tasks(made):
    lines = _lines(made["unitofficer"])
    assert lines["督查问题待整改"][:2] == (1, OVERDUE)
    count, level, url = lines["本单位任务临期或逾期"]
    assert (count, level) == (2, OVERDUE)  # the one past and the one near; not the done, not the far
    assert "urgency=late" in url
    assert "督查问题待核验" not in lines


def test_nothing_of_xinghai_reaches_the_outsider_or_an_administrator(made):
    assert {k: v[:2] for k, v in _lines(made["outsider"]).items()} == {"督查问题待整改": (1, DUE)}
    assert _lines(made["sysadmin"]) == {}


def test_the_links_list_what_the_lines_count(made, client):
    """The county's 待核验 link lists its one finding 待核验; the unit's task link its two late tasks."""
    client.force_login(made["county"])
    page = client.get(_lines(made["county"])["督查问题待核验"][2])
    assert page.status_code == 200 and "共 1 条" in page.content.decode()
    client.force_login(made["unitofficer"])
    page = client.get(_lines(made["unitofficer"])["本单位任务临期或逾期"][2])
    assert page.status_code == 200 and "共 2 条" in page.content.decode()
