"""Assistance's 待办 (assistance/todo.py): overdue visits of a 帮扶责任人's own households, or of the
area for the others who visit; the URL lists exactly the pairings counted.

The world: the matrix's cadre paired with 扎西 (visited 3 days ago) and 王芳 of 宁曲村 (never); 民族村's
village cadre is the 帮扶责任人 of 多杰 (民族村, never visited); 泾川县's cadre of 李强 (never).
"""

import datetime
from urllib.parse import urlsplit

from django.http import QueryDict
from django.urls import resolve

from fupin.assistance import services
from fupin.assistance.models import Pairing
from fupin.assistance.todo import assistance_todos
from fupin.core import lists as core_lists
from fupin.core.todo import OVERDUE
from fupin.testing import JINGCHUAN_VILLAGE, MINZU_VILLAGE, make_household, make_township_officer, person_id


def build(made: dict) -> dict:
    start = datetime.date(2024, 1, 1)
    dorje = make_household(head="多杰", head_id=person_id(3))
    mine = services.cadre_create(
        by=None, name="村干部", level="village", region=MINZU_VILLAGE, user=made["cadre"]
    )
    far = services.cadre_create(by=None, name="泾川干部", level="county", region=JINGCHUAN_VILLAGE)
    return {
        "township": make_township_officer(),
        "dorje": dorje,
        "dorje_pairing": services.pairing_create(by=None, cadre=mine, household=dorje, start=start),
        "li_pairing": services.pairing_create(by=None, cadre=far, household=made["li"], start=start),
    }


WORLD_LAYERS = ("assistance", build)


def _listed(user, url: str) -> set[int]:
    parts = urlsplit(url)
    spec = resolve(parts.path).func.spec
    query = core_lists.resolve(spec, user, QueryDict(parts.query))
    return set(query.rows.values_list("pk", flat=True))


def _one(user):
    items = assistance_todos(user)
    assert len(items) == 1 and items[0].level == OVERDUE
    return items[0]


def _wang_pairing(world):
    return Pairing.objects.get(household=world["wang"], end__isnull=True)


def test_cadre_gets_own_households(world):
    todo = _one(world["cadre"])
    assert todo.count == 1 and "mine=1" in todo.url
    assert _listed(world["cadre"], todo.url) == {world["dorje_pairing"].pk}
    # `mine=1` is the user's own pairings: the county officer, who is nobody's 帮扶责任人, has none.
    assert _listed(world["county"], todo.url) == set()


def test_township_and_county_get_their_area(world):
    todo = _one(world["township"])
    assert todo.count == 1
    assert _listed(world["township"], todo.url) == {world["dorje_pairing"].pk}
    todo = _one(world["county"])
    assert todo.count == 2  # 多杰, and 王芳 of 宁曲村 never visited; 扎西 was
    assert _listed(world["county"], todo.url) == {world["dorje_pairing"].pk, _wang_pairing(world).pk}


def test_outsider_gets_nothing_of_xinghai(world):
    todo = _one(world["outsider"])
    assert todo.count == 1
    assert _listed(world["outsider"], todo.url) == {world["li_pairing"].pk}


def test_without_visiting_nothing(world):
    assert assistance_todos(world["sysadmin"]) == []
