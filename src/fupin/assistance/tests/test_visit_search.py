"""The phone visit search (走访 → 记录走访) finds a household of the user's scope whichever way a cadre
types it: a member's name, its pinyin initials, the household number shown on its card, the last
four of an ID number. It answered "在您的数据范围内没有找到该农户" for a household number: the visit
search only knew names and ID numbers (it now shares the registry's search, number included)."""

import pytest
from django.urls import reverse

from fupin.testing import HEAD_ID

NOT_FOUND = "在您的数据范围内没有找到该农户"


@pytest.mark.parametrize("how", ["name", "initials", "number", "last4", "id"])
def test_the_visit_search_finds_a_household_in_scope(client, world, how):
    zhaxi = world["zhaxi"]
    q = {"name": "扎西", "initials": "zx", "number": zhaxi.number, "last4": HEAD_ID[-4:], "id": HEAD_ID}[how]
    client.force_login(world["cadre"])
    body = client.get(reverse("assistance:visit_new"), {"q": q}).content.decode()
    assert NOT_FOUND not in body, q
    assert reverse("assistance:visit_record", args=[zhaxi.pk]) in body, q


def test_the_visit_search_finds_nothing_of_another_county_by_number(client, world):
    client.force_login(world["outsider"])
    body = client.get(reverse("assistance:visit_new"), {"q": world["zhaxi"].number}).content.decode()
    assert NOT_FOUND in body and reverse("assistance:visit_record", args=[world["zhaxi"].pk]) not in body


def test_the_visit_search_says_what_it_searches(client, world):
    client.force_login(world["cadre"])
    body = client.get(reverse("assistance:visit_new")).content.decode()
    assert "户编号" in body
