"""The party demo: seeds 000, 001 and 004 on real codes, built fast and idempotently."""

import time

import pytest
from django.core.management import call_command

from fupin.demo.builders import build_units, build_users
from fupin.demo.party import TEMP_BRANCH, build_party
from fupin.party.models import (
    BranchScore,
    CadreMonthScore,
    Pairing,
    PairingActivity,
    PartyMember,
    PartyOrg,
    ReserveCadre,
    WeakCase,
)
from fupin.party.selectors import meeting_calendar


@pytest.fixture
def shipped_regions(db):
    call_command("regions", "load", verbosity=0)


def test_it_builds_the_seeds_party_world_quickly_and_once(shipped_regions):
    """大唐青海's three branches paired with 兴海县's three village branches, Gansu's branches with scores,
    and 茂名's temporary branch with its committee of three; a second run makes nothing."""
    build_units()
    build_users()
    started = time.perf_counter()
    made = build_party()
    assert time.perf_counter() - started < 10
    assert made > 0
    pairs = Pairing.objects.filter(village_branch__region__code__startswith="632524")
    assert pairs.count() == 3
    assert set(pairs.values_list("village_branch__region_id", flat=True)) == {
        "632524203207",
        "632524101206",
        "632524100202",
    }
    donation = PairingActivity.objects.get(kind="donation", pairing__village_branch__region_id="632524203207")
    assert "党旗" in donation.donated_items and donation.held_on.isoformat() == "2019-09-05"
    assert PairingActivity.objects.filter(held_on="2019-10-29", kind="training").count() == 3
    temporary = PartyOrg.objects.get(name=TEMP_BRANCH)
    assert temporary.kind == "temporary" and temporary.approved_by == "中共茂名市委组织部"
    committee = dict(PartyMember.objects.filter(org=temporary).values_list("name", "post"))
    assert committee == {"李晓奋": "secretary", "罗道叠": "organisation", "容柏青": "propaganda"}
    assert (
        PartyOrg.objects.filter(kind="industry").exists() and PartyOrg.objects.filter(kind="joint").exists()
    )
    assert BranchScore.objects.filter(org__region__code__startswith="62").count() >= 4
    assert CadreMonthScore.objects.filter(cadre__org__region__code__startswith="621227").count() >= 6
    assert ReserveCadre.objects.exists() and WeakCase.objects.exists()
    minzu = PartyOrg.objects.get(region_id="632524203207")
    states = {
        p.state
        for periods in meeting_calendar(minzu, minzu.meetings.first().held_on.year).values()
        for p in periods
    }
    assert "done" in states
    assert build_party() == 0
