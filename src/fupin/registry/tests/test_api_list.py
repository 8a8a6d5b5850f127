"""The API's household list: its count capped like the list page's, its page chosen before the
joins (selectors.household_page_values) and equal to the plain query's, on both databases."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fupin.accounts.tokens import token_issue
from fupin.core import lists
from fupin.core.scoping import Scope
from fupin.registry import selectors
from fupin.registry.api.households import LIST_VALUES as _LIST_VALUES
from fupin.registry.api.households import _page
from fupin.registry.lists import HOUSEHOLDS
from fupin.registry.models import Household
from fupin.testing import HEAD_ID

WORLD_LAYERS = ("households",)


def _get(client, user, **params):
    _token, key = token_issue(user=user, name="t")
    response = client.get("/api/registry/households", params, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_count_is_capped_and_says_so(client, cast, households):
    body = _get(client, cast["county"])
    assert (body["count"], body["capped"], body["count_capped"], len(body["items"])) == (2, False, False, 2)
    # A declaration is frozen: its cap is set for this test only (the API reads it at each request).
    object.__setattr__(HOUSEHOLDS, "count_cap", 1)
    try:
        body = _get(client, cast["county"])
        assert (body["count"], body["capped"], body["count_capped"], len(body["items"])) == (1, True, True, 2)
        body = _get(client, cast["county"], q="扎西")  # a name search counts on its index walk
        assert (body["count"], body["capped"]) == (1, False)
    finally:
        object.__setattr__(HOUSEHOLDS, "count_cap", selectors.COUNT_CAP)


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"division": "632524203"},
        {"division": "63"},
        {"q": "z"},
        {"q": "扎"},
        {"q": HEAD_ID},
        {"q": HEAD_ID[-4:]},
        {"income_band": "none"},
        {"income_min": 1},
        {"status": "poor"},
        {"division": "620821"},  # outside the scope: nothing
    ],
)
@pytest.mark.parametrize("who", ["county", "outsider"])
def test_the_page_holds_what_the_plain_query_holds(cast, households, filters, who):
    found = selectors.household_list(user=cast[who], filters=filters)
    for start, stop in ((0, 50), (1, 2), (0, 1)):
        expected = list(found.values(*_LIST_VALUES)[start:stop])
        assert selectors.household_page_values(found, start, stop, _LIST_VALUES) == expected
        assert list(selectors.household_page(found, start, stop).values(*_LIST_VALUES)) == expected


def _scoped(prefix: str):
    """A stand-in user whose scope is `prefix` (the choke point reads the cached scope)."""
    return SimpleNamespace(is_authenticated=True, is_active=True, _fupin_scope=Scope(prefixes=(prefix,)))


@pytest.mark.parametrize(("prefix", "walks"), [("632524", False), ("6325", False), ("63", True)])
def test_a_county_is_sorted_by_a_key_no_index_serves(households, prefix, walks):
    """A city's or a county's page is sorted from its few thousand matches (`number || ''`), never
    by walking the number index of the whole country; a province keeps the walk, which stops early."""
    found = selectors.household_list(user=_scoped(prefix))
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.household_page_values(found, 0, 50, ("id", "number"))
    assert [row["number"] for row in rows] == sorted(
        h.number for h in households.values() if h.village_id.startswith(prefix)
    )
    assert ("||" not in queries.captured_queries[-1]["sql"]) is walks


@pytest.mark.parametrize("sort", ["status", "-number", "attribute"])
def test_a_sorted_page_keeps_its_sort(client, cast, households, sort):
    """A column's sort (?sort=) is the page's order, never re-sorted by number: such a page is read
    as plain values (selectors.household_page_values)."""
    body = _get(client, cast["county"], sort=sort)
    expected = selectors.household_list(user=cast["county"]).order_by(sort, "-pk" if sort[0] == "-" else "pk")
    assert [item["id"] for item in body["items"]] == [h.pk for h in expected]


def test_a_wide_scope_pages_on_by_keyset(households):
    """A province's list is in number order (an index walk): past one page `next` carries on, to the
    last household, with the page read the list's own way."""
    found = selectors.household_list(user=_scoped("6"))
    paginator = lists.CappedPagination(cap=1, counter=selectors.count_up_to, page=_page)
    seen, after = [], ""
    while True:
        answer = paginator.answer(found, lists.CappedPagination.Input(limit=1, after=after))
        seen += [item["number"] for item in answer["items"]]
        assert (answer["count"], answer["capped"]) == (1, True)
        if not answer["next"]:
            break
        after = answer["next"]
    assert seen == sorted(h.number for h in households.values())


def test_a_county_pages_on_by_keyset_past_any_offset(client, cast, households):
    """A county's list is sorted by `number || ''` (no index walk), the order of (number, id): the
    answer's `next` follows it, so no offset limit stops a client."""
    seen, params = [], {"limit": 1}
    while True:
        body = _get(client, cast["county"], **params)
        seen += [item["number"] for item in body["items"]]
        if not body["next"]:
            break
        params = {"limit": 1, "after": body["next"]}
    assert seen == sorted(h.number for h in households.values() if h.village_id.startswith("632524"))


def test_the_list_query_is_built_once_and_still_reads_fresh_rows(cast, households):
    """household_list keeps its query (and the SQL compiled from it) per scope and filters, never
    its rows; a search is not kept (its text is personal data)."""
    filters = {"status": "exited"}
    first = selectors.household_list(user=cast["county"], filters=filters)
    before = selectors.count_up_to(first, 1000)
    Household.objects.filter(pk=households["wang"].pk).update(status="exited")
    again = selectors.household_list(user=cast["county"], filters=filters)
    assert again is not first and again._fupin_sql is first._fupin_sql
    assert selectors.count_up_to(again, 1000) == before + (households["wang"].status != "exited")
    assert not hasattr(selectors.household_list(user=cast["county"], filters={"q": "扎西"}), "_fupin_sql")
