"""core.permissions: the one check of pages, the API and services."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from fupin.core.permissions import may, require, within
from fupin.testing import JINGCHUAN, MINZU_VILLAGE, XINGHAI


def test_it_lets_the_system_do_everything():
    """`by=None` is the demo and the commands: no permission, no scope asked."""
    assert may(None, "registry.change_household", code=JINGCHUAN)
    require(None, "registry.change_household", code=None)


def test_it_asks_only_the_permission_when_no_record_is_named(cast):
    assert may(cast["county"], "registry.view_household")
    assert not may(cast["sysadmin"], "registry.view_household")
    with pytest.raises(PermissionDenied, match="没有权限。"):
        require(cast["sysadmin"], "registry.view_household")


def test_it_takes_the_user_from_a_request(cast):
    request = RequestFactory().get("/")
    request.user = cast["outsider"]
    require(request, "registry.view_household")
    with pytest.raises(PermissionDenied, match="没有权限操作该记录"):
        require(request, "registry.change_household", code=MINZU_VILLAGE)


def test_it_asks_the_record_place_or_unit_when_named(cast):
    county, unitofficer = cast["county"], cast["unitofficer"]
    assert may(county, "assistance.add_visit", code=MINZU_VILLAGE)
    assert not may(county, "assistance.add_visit", code=JINGCHUAN)
    # code=None names a record without a place: nobody's but the system's.
    assert not may(county, "assistance.add_visit", code=None)
    assert within(unitofficer, unit_id=cast["datang"].pk)
    assert not within(unitofficer, unit_id=cast["jingchuan_unit"].pk)
    assert within(county, code=[JINGCHUAN, MINZU_VILLAGE])


def test_it_separates_seeing_from_answering_for(cast):
    """The unit officer sees 兴海县 (the place the unit assists) but does not answer for it."""
    unitofficer = cast["unitofficer"]
    assert within(unitofficer, code=XINGHAI)
    assert not within(unitofficer, code=XINGHAI, own=True)
    assert within(cast["county"], code=MINZU_VILLAGE, own=True)


def test_it_says_a_rules_own_reason(cast):
    with pytest.raises(PermissionDenied, match="只能填写本单位"):
        require(cast["county"], None, unit_id=cast["datang"].pk, reason="只能填写本单位的责任书目标")
