"""Who may edit a paired branch (the paired-unit rule, docs/architecture.md "Roles and permissions").

An assisting unit sees the village branch it is paired with but does not run it: the branch itself,
its township and its county edit its data, members and meetings; the unit records joint activities
on the pairing and keeps its own branches. The rule is selectors.can_edit_org, asked by the services
(so the API too) and by the pages, which show a button only when it may be used.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from fupin import testing
from fupin.accounts.tokens import token_issue
from fupin.party import selectors, services
from fupin.party.models import Meeting, PairingActivity, PartyMember

# The party world and the township officer of 唐乃亥乡, who keeps 民族村's branch too.
WORLD_LAYERS = ("party", lambda made: {"township": testing.make_township_officer()})


def _auth(user) -> dict:
    _token, key = token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _today():
    return timezone.localdate()


def test_the_rule_keeps_a_paired_village_branch_to_its_village_township_and_county(world):
    branch, company = world["party_branch"], world["party_company"]
    officer = world["unitofficer"]
    assert branch in selectors.org_list(user=officer)  # seen: 大唐 assists 兴海县
    assert not selectors.can_edit_org(officer, branch)  # but not kept
    assert selectors.can_edit_org(officer, company)  # its own branch is
    for keeper in ("cadre", "township", "county"):
        assert selectors.can_edit_org(world[keeper], branch), keeper
    assert not selectors.can_edit_org(world["county"], company)
    assert not selectors.can_edit_org(world["outsider"], branch)
    assert list(selectors.editable_orgs(officer)) == [company]
    assert branch in selectors.editable_orgs(world["township"])


def test_the_unit_officer_cannot_edit_the_paired_branch_through_the_services(world):
    branch, member, officer = world["party_branch"], world["party_member"], world["unitofficer"]
    with pytest.raises(PermissionDenied):
        services.member_add(by=officer, org=branch, name="外来者")
    with pytest.raises(PermissionDenied):
        services.member_update(by=officer, member=member, version=member.version, name="改名")
    with pytest.raises(PermissionDenied):
        services.meeting_record(by=officer, org=branch, kind="theme_day", held_on=_today(), topic="代记")
    with pytest.raises(PermissionDenied):
        services.org_update(by=officer, org=branch, version=branch.version, note="改")
    assert not PartyMember.objects.filter(name="外来者").exists()
    # …while it keeps its own branch and records joint activities on the pairing.
    services.member_add(by=officer, org=world["party_company"], name="新党员", stage="applicant")
    activity = services.activity_add(
        by=officer, pairing=world["party_pairing"], kind="lecture", held_on=_today(), title="联合党课"
    )
    assert activity.recorded_by == officer


def test_the_township_and_the_county_edit_the_branch(world):
    branch = world["party_branch"]
    services.member_add(by=world["township"], org=branch, name="乡镇登记", stage="applicant")
    services.meeting_record(by=world["county"], org=branch, kind="lesson", held_on=_today(), topic="党课")
    fresh = services.org_update(by=world["county"], org=branch, version=branch.version, note="县里更新")
    assert fresh.note == "县里更新"


def test_the_unit_officer_sees_no_edit_buttons_and_gets_403_on_the_branch_forms(client, world):
    branch, member = world["party_branch"], world["party_member"]
    client.force_login(world["unitofficer"])
    page = client.get(reverse("party:org_detail", args=[branch.pk])).content.decode()
    for url in (
        reverse("party:org_edit", args=[branch.pk]),
        reverse("party:member_add", args=[branch.pk]),
        reverse("party:meeting_create", args=[branch.pk]),
    ):
        assert f'href="{url}"' not in page
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "x", "topic": "x"}).status_code == 403
    assert "新增党员" not in page and "记录会议" not in page
    for url in (
        reverse("party:member_edit", args=[member.pk]),
        reverse("party:meeting_edit", args=[world["party_meeting"].pk]),
    ):
        assert client.get(url).status_code == 403
    member_page = client.get(reverse("party:member_detail", args=[member.pk])).content.decode()
    assert reverse("party:member_edit", args=[member.pk]) not in member_page
    home = client.get(reverse("party:home")).content.decode()
    assert reverse("party:meeting_create", args=[branch.pk]) not in home
    assert reverse("party:meeting_create", args=[world["party_company"].pk]) in home
    calendar = client.get(reverse("party:calendar", args=[branch.pk])).content.decode()
    assert reverse("party:meeting_create", args=[branch.pk]) not in calendar


def test_the_unit_officer_records_a_joint_activity_on_the_pairing_page(client, world):
    pairing = world["party_pairing"]
    client.force_login(world["unitofficer"])
    page = client.get(reverse("party:pairing_detail", args=[pairing.pk])).content.decode()
    assert reverse("party:activity_create", args=[pairing.pk]) in page
    answer = client.post(
        reverse("party:activity_create", args=[pairing.pk]),
        {
            "kind": "joint_event",
            "held_on": _today().isoformat(),
            "title": "共建主题党日",
            "participants": "12",
        },
    )
    assert answer.status_code == 302
    assert PairingActivity.objects.filter(title="共建主题党日", recorded_by=world["unitofficer"]).exists()


def test_the_village_cadre_and_the_county_see_the_branch_buttons(client, world):
    branch = world["party_branch"]
    for who in ("cadre", "county"):
        client.force_login(world[who])
        page = client.get(reverse("party:org_detail", args=[branch.pk])).content.decode()
        assert reverse("party:member_add", args=[branch.pk]) in page, who
        assert reverse("party:meeting_create", args=[branch.pk]) in page, who
        assert client.get(reverse("party:meeting_create", args=[branch.pk])).status_code == 200


def test_the_api_refuses_the_unit_officers_writes_to_the_paired_branch(client, world):
    branch, member, pairing = world["party_branch"], world["party_member"], world["party_pairing"]
    auth = _auth(world["unitofficer"])
    before = Meeting.objects.count()
    answers = [
        client.post(
            f"/api/party/orgs/{branch.pk}/members",
            {"name": "外来者"},
            content_type="application/json",
            **auth,
        ),
        client.post(
            f"/api/party/orgs/{branch.pk}/meetings",
            {"kind": "theme_day", "held_on": _today().isoformat(), "topic": "代记"},
            content_type="application/json",
            **auth,
        ),
        client.patch(
            f"/api/party/orgs/{branch.pk}",
            {"version": branch.version, "name": "改名"},
            content_type="application/json",
            **auth,
        ),
        client.patch(
            f"/api/party/members/{member.pk}",
            {"version": member.version, "name": "改名"},
            content_type="application/json",
            **auth,
        ),
    ]
    assert [a.status_code for a in answers] == [403, 403, 403, 403]
    assert Meeting.objects.count() == before
    activity = client.post(
        f"/api/party/pairings/{pairing.pk}/activities",
        {
            "kind": "visit",
            "held_on": (_today() - datetime.timedelta(days=1)).isoformat(),
            "title": "走访村支部",
        },
        content_type="application/json",
        **auth,
    )
    assert activity.status_code == 201
