"""Household search (registry.selectors): each mode, and that the SQL stays index-friendly."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fupin.registry import selectors, services
from fupin.registry.idnumbers import make_id_number
from fupin.testing import HEAD_ID, WIFE_ID

WORLD_LAYERS = ("households",)

SISTER_ID = make_id_number(area_code="632524", birth_date=datetime.date(1975, 4, 1), sequence=22, male=False)
NIECE_ID = make_id_number(area_code="632524", birth_date=datetime.date(1999, 2, 3), sequence=24, male=False)
OUTSIDE_ID = make_id_number(area_code="620821", birth_date=datetime.date(1990, 5, 6), sequence=26, male=False)


@pytest.mark.parametrize(
    ("q", "mode"),
    [
        (HEAD_ID, "id"),
        (HEAD_ID.lower(), "id"),
        ("６３２５２４" + HEAD_ID[6:], "id"),  # full-width digits from a Chinese IME
        ("123x", "last4"),
        ("1234", "last4"),
        ("zx", "initials"),
        ("扎西", "name"),
        ("12345", "number"),  # five digits and more: a household number (户编号)
        ("63252420320700082", "number"),
        ("６３２５２４２０３２０７０００８２", "number"),
        ("632524203207000082", "number"),  # 18 digits, but no birth date in digits 7-14
        (HEAD_ID[:17] + ("1" if HEAD_ID[-1] != "1" else "2"), "id"),  # a mistyped check digit
        ("99" + HEAD_ID[2:17] + "0", "number"),  # no such province: not an ID number
        ("  ", ""),
    ],
)
def test_it_tells_the_search_mode(q, mode):
    assert selectors.search_mode(q) == mode


@pytest.mark.parametrize("q", [HEAD_ID, WIFE_ID, HEAD_ID[-4:], "zm", "z", "卓", "卓玛"])
def test_it_finds_the_household_once_by_any_member(cast, households, q):
    found = list(selectors.household_list(user=cast["county"], filters={"q": q}))
    assert [h.pk for h in found] == [households["zhaxi"].pk]


def test_it_finds_nothing_outside_the_scope(cast, households):
    assert list(selectors.household_list(user=cast["outsider"], filters={"q": HEAD_ID})) == []


def test_it_searches_with_equality_and_prefixes_only(cast, households):
    """No '%x%' scan: `=` or `LIKE 'x%'`. ID numbers in a semi-join subquery (no join to members);
    names and initials joined to their matching members, one per household, in index order."""
    for q in (HEAD_ID, HEAD_ID[-4:], "zx", "扎"):
        with CaptureQueriesContext(connection) as queries:
            list(selectors.household_list(user=cast["county"], filters={"q": q}))
        sql = queries.captured_queries[-1]["sql"]
        assert "%%" not in sql and "'%" not in sql
        assert HEAD_ID not in sql  # the full number never reaches the database, only its blind index
        if q[0].isdigit():
            assert 'JOIN "registry_member"' not in sql
        else:
            assert 'JOIN "registry_member"' in sql and "NOT EXISTS" in sql
            column = '"registry_member"."name' + ("_initials" if q.isascii() else "") + '"'
            walk = f'ORDER BY {column} USING ~<~ /* ASC */, "registry_member"."household_id"'
            assert walk in sql if connection.vendor == "postgresql" else "USING" not in sql


def test_it_lists_name_matches_in_the_order_of_the_matched_name(cast, households):
    """By name, not household number: 卓玛 (扎西's household) before 卓萨 (王芳's), though 王芳's number
    is the lower; a household with two matches (扎西 and 卓玛 for "z") is listed once."""
    wang, zhaxi = households["wang"], households["zhaxi"]
    assert wang.number < zhaxi.number
    services.member_add(by=None, household=wang, name="卓萨", id_number=SISTER_ID, relation="other")
    found = selectors.household_list(user=cast["county"], filters={"q": "卓"})
    assert [h.pk for h in found] == [zhaxi.pk, wang.pk]
    assert selectors.count_up_to(found, 1000) == 2
    by_initials = selectors.household_list(user=cast["county"], filters={"q": "z"})
    assert [h.pk for h in by_initials] == [zhaxi.pk, wang.pk]  # zm (卓玛) < zs (卓萨); zx (扎西) kept once


def test_the_capped_count_of_a_name_search_is_the_households_count(cast, households):
    """count_up_to counts a name search on its index walk: households, not matching members, and
    never more than cap + 1, whichever way it decides (few matches, many, many per household)."""
    wang, li = households["wang"], households["li"]
    services.member_add(by=None, household=wang, name="卓萨", id_number=SISTER_ID, relation="other")
    services.member_add(by=None, household=wang, name="卓嘎", id_number=NIECE_ID, relation="other")
    services.member_add(by=None, household=li, name="卓尼", id_number=OUTSIDE_ID, relation="other")
    for q in ("z", "卓", "zm", "扎西", "w", "zz"):
        found = selectors.household_list(user=cast["county"], filters={"q": q})
        exact = len(list(found))
        assert exact == found.count()
        for cap in (1, 2, 3, 1000):
            assert selectors.count_up_to(found, cap) == min(exact, cap + 1), (q, cap)
    assert len(list(selectors.household_list(user=cast["county"], filters={"q": "z"}))) == 2  # not 李强's
