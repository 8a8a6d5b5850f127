"""Party's 待办 (party/todo.py): the branches the user keeps that missed organisational life this
year; the URL lists exactly the branches counted (the unit's line apart: see the module).

On FROZEN (16 March: January and February have ended), no branch has held a meeting this year:
民族村's branch (the matrix's), 宁曲村's, the unit's own branch and 泾川县's all missed.
"""

import datetime
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import resolve

from fupin.core import lists as core_lists
from fupin.core.todo import OVERDUE
from fupin.party import services
from fupin.party import todo as party_todo
from fupin.party.todo import party_todos
from fupin.testing import JINGCHUAN_VILLAGE, NINGQU_VILLAGE, make_township_officer

FROZEN = datetime.date(2026, 3, 16)


def _branch(name: str, code: str):
    return services.org_create(
        by=None,
        name=name,
        level="branch",
        kind="village",
        region_id=code,
        founded_on=datetime.date(2000, 7, 1),
    )


def build(made: dict) -> dict:
    return {
        "township": make_township_officer(),
        "ningqu_branch": _branch("中共宁曲村支部委员会", NINGQU_VILLAGE),
        "jingchuan_branch": _branch("中共凤凰村支部委员会", JINGCHUAN_VILLAGE),
    }


WORLD_LAYERS = ("party", build)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(party_todo, "today", lambda: FROZEN)


def _listed(user, url: str) -> set[int]:
    parts = urlsplit(url)
    spec = resolve(parts.path).func.spec
    query = core_lists.resolve(spec, user, QueryDict(parts.query))
    return set(query.rows.values_list("pk", flat=True))


def _counts(user) -> dict[str, int]:
    return {str(t.label): t.count for t in party_todos(user) if t.count}


def test_cadre_and_township_their_branch(world):
    for name in ("cadre", "township"):
        user = world[name]
        (todo,) = [t for t in party_todos(user) if t.count]
        assert (todo.count, todo.level) == (1, OVERDUE)
        assert _listed(user, todo.url) == {world["party_branch"].pk}


def test_county_its_villages(world):
    (todo,) = [t for t in party_todos(world["county"]) if t.count]
    assert todo.count == 2
    assert _listed(world["county"], todo.url) == {world["party_branch"].pk, world["ningqu_branch"].pk}


def test_unit_its_own_branch_only(world):
    """The unit sees 兴海县's branches (it assists the county) but keeps only its own."""
    assert _counts(world["unitofficer"]) == {"本单位党组织缺会(三会一课)": 1}


def test_outsider_gets_nothing_of_xinghai(world):
    (todo,) = [t for t in party_todos(world["outsider"]) if t.count]
    assert todo.count == 1
    assert _listed(world["outsider"], todo.url) == {world["jingchuan_branch"].pk}


def test_readers_nothing(world):
    assert party_todos(world["sysadmin"]) == []
