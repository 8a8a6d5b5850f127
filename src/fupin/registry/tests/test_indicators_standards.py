"""The registry's figure of the county consolidation standards (registry.indicators): 两不愁三保障及饮水
安全未达标 recounted at the county, township and village of 兴海县 (and 泾川县) equals a count by hand;
its drill (the closest list: the division's households) lists every household counted.

The world's 扎西 (民族村) failed housing in his 2019 check and passed every item in 2025 → not counted
(the latest check counts). Added: 王芳 (宁曲村) fails water in her 2025 check → counted; 多杰 (民族村) never
checked, his record says 饮水不安全 → counted; 次仁 (民族村), a member 辍学 → counted; 卓玛 (宁曲村), a
member without 医保 → counted; 格桑 (民族村), a 2025 check passed, nothing else → not counted; 李强
(泾川县) fails food in his 2024 check, his latest → counted.
"""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from fupin.core.indicators import catalogue, recount
from fupin.registry import services
from fupin.registry.models import Household, Member
from fupin.testing import (
    JINGCHUAN,
    MINZU_VILLAGE,
    NINGQU_VILLAGE,
    TANGNAIHAI,
    XINGHAI,
    make_household,
    person_id,
)

NINGQU_TOWNSHIP = NINGQU_VILLAGE[:9]
ITEMS = ("food", "clothing", "education", "medical", "housing", "water")


def _check(household, year, *failed):
    services.check_record(
        by=None,
        household=household,
        year=year,
        results={item: item not in failed for item in ITEMS},
        reasons={item: "未达标" for item in failed},
    )


def build(made: dict) -> dict:
    zhaxi, wang, li = made["zhaxi"], made["wang"], made["li"]
    duojie = make_household(village=MINZU_VILLAGE, head="多杰", head_id=person_id(601))
    ciren = make_household(village=MINZU_VILLAGE, head="次仁", head_id=person_id(602))
    zhuoma = make_household(village=NINGQU_VILLAGE, head="卓玛", head_id=person_id(603, male=False))
    gesang = make_household(village=MINZU_VILLAGE, head="格桑", head_id=person_id(604))
    _check(zhaxi, 2025)
    _check(wang, 2025, "water")
    _check(gesang, 2025)
    _check(li, 2024, "food")
    Household.objects.filter(pk=duojie.pk).update(safe_water=False)
    Member.objects.filter(household=ciren).update(school_status="dropout")
    Member.objects.filter(household=zhuoma).update(medical_insurance=False)
    return {"duojie": duojie, "ciren": ciren, "zhuoma": zhuoma, "gesang": gesang}


WORLD_LAYERS = ("households", build)
CODE = "registry.living_unmet"

HAND = [
    (XINGHAI, 4),
    (TANGNAIHAI, 2),
    (MINZU_VILLAGE, 2),
    (NINGQU_TOWNSHIP, 2),
    (NINGQU_VILLAGE, 2),
    (JINGCHUAN, 1),
    ("", 5),
]


@pytest.mark.parametrize(("prefix", "expected"), HAND)
def test_recount_equals_the_hand_count(world, prefix, expected):
    assert recount(catalogue()[CODE], prefix=prefix) == expected


def test_the_rows_are_the_households_that_fail(world):
    counted = {h.pk for h in catalogue()[CODE].rows()}
    assert counted == {world[n].pk for n in ("wang", "duojie", "ciren", "zhuoma", "li")}


@pytest.mark.parametrize("division", [XINGHAI, MINZU_VILLAGE])
def test_the_drill_lists_the_divisions_households_those_counted_among_them(world, county_client, division):
    url = catalogue()[CODE].drill(division, "", "")
    path, query = urlsplit(url).path, dict(parse_qsl(urlsplit(url).query))
    assert path == reverse("registry:household_list")
    response = county_client.get(path, {**query, "size": 100})
    assert response.status_code == 200 and not response.context["form"].errors
    listed = {row.pk for row in response.context["page"].rows}
    assert listed == set(
        Household.objects.filter(village__code__startswith=division).values_list("pk", flat=True)
    )
    counted = {h.pk for h in catalogue()[CODE].rows().filter(village__code__startswith=division)}
    assert counted and counted <= listed
