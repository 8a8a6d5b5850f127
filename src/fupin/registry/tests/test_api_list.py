"""The API's household list: its count capped like the list page's, its page chosen before the
joins (selectors.household_page_values) and equal to the plain query's, on both databases."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fupin.accounts.tokens import token_issue
from fupin.core.scoping import Scope
from fupin.registry import selectors
from fupin.registry.api import _LIST_VALUES
from fupin.testing import HEAD_ID

WORLD_LAYERS = ("households",)


def _get(client, user, **params):
    _token, key = token_issue(user=user, name="t")
    response = client.get("/api/registry/households", params, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_count_is_capped_and_says_so(client, cast, households, monkeypatch):
    body = _get(client, cast["county"])
    assert (body["count"], body["count_capped"], len(body["items"])) == (2, False, 2)
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    body = _get(client, cast["county"])
    assert (body["count"], body["count_capped"], len(body["items"])) == (1, True, 2)
    body = _get(client, cast["county"], q="扎西")  # a name search counts on its index walk
    assert (body["count"], body["count_capped"]) == (1, False)


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
