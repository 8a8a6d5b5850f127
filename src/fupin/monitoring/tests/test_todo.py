"""Monitoring's 待办 (monitoring/todo.py): each step's cases for the user who takes it, in the places
they answer for; overdue apart; each line's URL lists exactly the cases counted.

On FROZEN (a Monday), in 兴海县: two self-reports waiting for 唐乃亥乡's acceptance (one late, one
due tomorrow), a lead and an elimination at the township's check, a lead at 入户核实 and an
elimination at 信息比对 for 民族村's cadre, a 公示 still running (nobody's), two leads at the county's
decision (one past its limit, one in 河卡镇); one lead at 泾川县's decision, the outsider's.
"""

import datetime
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import resolve

from fupin.accounts.roles import Role
from fupin.core import lists as core_lists
from fupin.core.todo import DUE, OVERDUE, SOON, todos_for
from fupin.monitoring import deadlines, services
from fupin.monitoring import selectors_lists as rows
from fupin.monitoring.choices import Channel, EliminationKind, ObjectType, Stage
from fupin.monitoring.models import Elimination, Lead, MonitoringObject
from fupin.monitoring.todo import monitoring_todos
from fupin.regions.models import Region
from fupin.testing import (
    MINZU_VILLAGE,
    NINGQU_VILLAGE,
    TANGNAIHAI,
    make_household,
    make_township_officer,
    make_user,
    person_id,
)

FROZEN = datetime.date(2026, 3, 16)  # a Monday
D = datetime.date


def _case(case, stage: str, *, step_due=None, decision_due=None):
    code = case.village_id if isinstance(case, Lead) else case.object.household.village_id
    due = step_due or deadlines.step_due(deadlines.limits_for(code), case.opened_on, stage)
    fields = {"stage": stage, "step_due": due}
    if decision_due:
        fields["decision_due"] = decision_due
    type(case).objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def _lead(village: str, opened: D, stage: str, name: str, **dues) -> Lead:
    lead = services.open_lead(
        by=None,
        channel=Channel.SELF_REPORT,
        village=Region.objects.get(code=village),
        opened_on=opened,
        applicant_name=name,
        risks=["illness"],
    )
    return _case(lead, stage, **dues)


def _elimination(household, stage: str) -> Elimination:
    obj = MonitoringObject.objects.create(
        household=household, type=ObjectType.MARGINAL, identified_on=D(2025, 1, 1)
    )
    elimination = Elimination.objects.create(
        object=obj, kind=EliminationKind.NATURAL, stage=Stage.ACCEPTED, opened_on=D(2026, 3, 12)
    )
    return _case(elimination, stage, step_due=D(2026, 3, 25), decision_due=D(2026, 4, 10))


def build(made: dict) -> dict:
    datang = made["datang"]
    return {
        "township": make_township_officer(),
        # A township officer whose unit assists the whole county: sees 兴海县, answers for 唐乃亥乡.
        "township_unit": make_user(
            "township_unit", roles=[Role.TOWNSHIP_OFFICER], scopes=[TANGNAIHAI], unit=datang
        ),
        "sub_late": _lead(MINZU_VILLAGE, D(2026, 3, 2), Stage.SUBMITTED, "格桑"),
        "sub_soon": _lead(MINZU_VILLAGE, D(2026, 3, 13), Stage.SUBMITTED, "卓玛", step_due=D(2026, 3, 17)),
        "sub_ningqu": _lead(NINGQU_VILLAGE, D(2026, 3, 13), Stage.SUBMITTED, "拉毛"),
        "publicised": _lead(
            MINZU_VILLAGE,
            D(2026, 3, 10),
            Stage.PUBLICISED,
            "多杰",
            step_due=D(2026, 3, 25),
            decision_due=D(2026, 4, 10),
        ),
        "publicising": _lead(MINZU_VILLAGE, D(2026, 3, 10), Stage.PUBLICISING, "次仁"),
        "accepted": _lead(
            MINZU_VILLAGE,
            D(2026, 3, 14),
            Stage.ACCEPTED,
            "达娃",
            step_due=D(2026, 3, 20),
            decision_due=D(2026, 4, 10),
        ),
        "red": _lead(MINZU_VILLAGE, D(2026, 2, 1), Stage.CHECKED, "央金", decision_due=D(2026, 3, 1)),
        "checked_ningqu": _lead(
            NINGQU_VILLAGE,
            D(2026, 3, 10),
            Stage.CHECKED,
            "索南",
            step_due=D(2026, 3, 25),
            decision_due=D(2026, 4, 10),
        ),
        "jingchuan": _lead(
            "620821100206",
            D(2026, 3, 10),
            Stage.CHECKED,
            "李明",
            step_due=D(2026, 3, 25),
            decision_due=D(2026, 4, 10),
        ),
        "elim_verified": _elimination(made["zhaxi"], Stage.VERIFIED),
        "elim_publicised": _elimination(make_household(head="多杰", head_id=person_id(3)), Stage.PUBLICISED),
        # 王芳 lives in 宁曲村 (河卡镇): not 唐乃亥乡's.
        "elim_ningqu": _elimination(made["wang"], Stage.PUBLICISED),
    }


WORLD_LAYERS = ("households", build)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(rows, "today", lambda: FROZEN)


def _listed(user, url: str) -> set[int]:
    """The pks the URL's list shows this user (the page's own declaration and form)."""
    parts = urlsplit(url)
    spec = resolve(parts.path).func.spec
    query = core_lists.resolve(spec, user, QueryDict(parts.query))
    assert query.valid, query.form.errors
    return set(query.rows.values_list("pk", flat=True))


def _items(user) -> dict[str, tuple]:
    return {str(t.label): (t.count, t.level, t.url) for t in monitoring_todos(user)}


def _check_urls(user, expected: dict) -> None:
    for todo in monitoring_todos(user):
        assert _listed(user, todo.url) == {o.pk for o in expected[str(todo.label)]}, todo.label


def test_township_accepts_and_checks(world):
    user = world["township"]
    expected = {
        "风险线索:待受理(已逾期)": [world["sub_late"]],
        "风险线索:待受理": [world["sub_soon"]],
        "风险线索:待乡镇审核": [world["publicised"]],
        "风险消除:待乡镇审核": [world["elim_publicised"]],
    }
    items = _items(user)
    assert {k: v[0] for k, v in items.items()} == {k: len(v) for k, v in expected.items()}
    assert items["风险线索:待受理(已逾期)"][1] == OVERDUE
    assert items["风险线索:待受理"][1] == SOON  # due tomorrow
    assert items["风险线索:待乡镇审核"][1] == DUE
    _check_urls(user, expected)


def test_village_cadre_verifies_and_compares(world):
    user = world["cadre"]
    expected = {"风险线索:待入户核实": [world["accepted"]], "风险消除:待信息比对": [world["elim_verified"]]}
    assert {k: v[0] for k, v in _items(user).items()} == {k: 1 for k in expected}
    _check_urls(user, expected)


def test_county_decides(world):
    user = world["county"]
    expected = {
        "风险线索:待县级审定(已逾期)": [world["red"]],
        "风险线索:待县级审定": [world["checked_ningqu"]],
    }
    items = _items(user)
    assert {k: v[0] for k, v in items.items()} == {k: 1 for k in expected}
    assert items["风险线索:待县级审定(已逾期)"][1] == OVERDUE
    _check_urls(user, expected)


def test_own_places_only_where_the_view_is_wider(world):
    """A unit's assisted county is seen, not run: the lines count 唐乃亥乡 and their URLs say so."""
    user = world["township_unit"]
    items = _items(user)
    assert items["风险线索:待受理"][0] == 1  # not 宁曲村's self-report
    assert all("division=632524203" in url for _count, _level, url in items.values())
    _check_urls(
        user,
        {
            "风险线索:待受理(已逾期)": [world["sub_late"]],
            "风险线索:待受理": [world["sub_soon"]],
            "风险线索:待乡镇审核": [world["publicised"]],
            "风险消除:待乡镇审核": [world["elim_publicised"]],
        },
    )


def test_outsider_gets_nothing_of_xinghai(world):
    user = world["outsider"]
    assert {k: v[0] for k, v in _items(user).items()} == {"风险线索:待县级审定": 1}
    _check_urls(user, {"风险线索:待县级审定": [world["jingchuan"]]})


def test_readers_get_nothing(world):
    assert monitoring_todos(world["unitofficer"]) == []
    assert monitoring_todos(world["sysadmin"]) == []


def test_core_gathers_the_lines(world, client):
    todos = todos_for(world["county"])
    assert [t.level for t in todos if t.app == "monitoring"][0] == OVERDUE
    client.force_login(world["county"])
    for todo in todos:
        assert client.get(todo.url).status_code == 200
