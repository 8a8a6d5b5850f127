"""Household search (registry.selectors): each mode, and that the SQL stays index-friendly."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fupin.registry import selectors
from fupin.registry.tests import fixtures_screens
from fupin.registry.tests.fixtures_screens import HEAD_ID, WIFE_ID

households = fixtures_screens.households


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
        ("12345", "name"),
        ("  ", ""),
    ],
)
def test_it_tells_the_search_mode(q, mode):
    assert selectors.search_mode(q) == mode


@pytest.mark.parametrize("q", [HEAD_ID, WIFE_ID, HEAD_ID[-4:], "zm", "卓", "卓玛"])
def test_it_finds_the_household_once_by_any_member(cast, households, q):
    found = list(selectors.household_list(user=cast["county"], filters={"q": q}))
    assert [h.pk for h in found] == [households["zhaxi"].pk]


def test_it_finds_nothing_outside_the_scope(cast, households):
    assert list(selectors.household_list(user=cast["outsider"], filters={"q": HEAD_ID})) == []


def test_it_searches_with_equality_and_prefixes_only(cast, households):
    """No '%x%' scan and no join to members: `=` or `LIKE 'x%'` in a semi-join subquery."""
    for q in (HEAD_ID, HEAD_ID[-4:], "zx", "扎"):
        with CaptureQueriesContext(connection) as queries:
            list(selectors.household_list(user=cast["county"], filters={"q": q}))
        sql = queries.captured_queries[-1]["sql"]
        assert 'JOIN "registry_member"' not in sql
        assert "%%" not in sql and "'%" not in sql
        assert HEAD_ID not in sql  # the full number never reaches the database, only its blind index
