"""Meeting attendance comes from the members ticked and the guests named, never from a typed number
(a 6-member branch once saved a meeting with 99 attendees): form, service, API and the migration."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fupin.accounts.tokens import token_issue
from fupin.party import services
from fupin.party.models import Meeting


def _six(made: dict) -> dict:
    """Five more members: a branch of six."""
    branch = made["party_branch"]
    return {
        "six": [made["party_member"]]
        + [services.member_add(by=None, org=branch, name=f"党员{n}", stage="applicant") for n in range(5)]
    }


WORLD_LAYERS = ("party", _six)


def _today():
    return timezone.localdate()


def _auth(user) -> dict:
    _token, key = token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_service_derives_the_figures_from_the_members_ticked(world):
    six = world["six"]
    meeting = services.meeting_record(
        by=world["cadre"],
        org=world["party_branch"],
        kind="committee",
        held_on=_today(),
        topic="支委会",
        attendees=six[:2],
        guests=[" 乡镇包村干部 ", "", "驻村工作队员"],
    )
    assert (meeting.attendee_count, meeting.absent_count) == (2, 4)
    assert meeting.guests == ["乡镇包村干部", "驻村工作队员"]
    # A typed figure is not input: the caller is refused outright.
    with pytest.raises(TypeError):
        services.meeting_record(
            by=world["cadre"],
            org=world["party_branch"],
            kind="lesson",
            held_on=_today(),
            topic="党课",
            attendee_count=99,
        )


def test_the_service_refuses_attendees_outside_the_branch(world):
    outsider = services.member_add(by=None, org=world["party_company"], name="公司党员", stage="applicant")
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(
            by=None,
            org=world["party_branch"],
            kind="lesson",
            held_on=_today(),
            topic="党课",
            attendees=[outsider],
        )
    assert "attendees" in refused.value.message_dict
    assert not Meeting.objects.filter(topic="党课").exists()


def test_editing_the_attendees_derives_the_figures_again(world):
    meeting, six = world["party_meeting"], world["six"]
    fresh = services.meeting_update(
        by=world["county"], meeting=meeting, version=meeting.version, attendees=six[:5], guests=["列席甲"]
    )
    assert (fresh.attendee_count, fresh.absent_count, fresh.guests) == (5, 1, ["列席甲"])
    assert fresh.attendees.count() == 5
    fresh = services.meeting_update(by=world["county"], meeting=fresh, version=fresh.version, topic="改题")
    assert (fresh.attendee_count, fresh.attendees.count(), fresh.guests) == (5, 5, ["列席甲"])


def test_the_form_ticks_members_and_names_guests_and_ignores_a_typed_count(client, world):
    six, org = world["six"], world["party_branch"]
    client.force_login(world["cadre"])
    page = client.get(reverse("party:meeting_create", args=[org.pk])).content.decode()
    assert 'name="attendee_count"' not in page and 'name="absent_count"' not in page
    assert page.count('type="checkbox" name="attendees"') == 6 and 'name="guests"' in page
    answer = client.post(
        reverse("party:meeting_create", args=[org.pk]),
        {
            "kind": "members",
            "held_on": _today().isoformat(),
            "topic": "党员大会",
            "attendees": [m.pk for m in six[:3]],
            "guests": "乡镇包村干部\n驻村第一书记、村委会委员",
            "attendee_count": "99",
        },
    )
    assert answer.status_code == 302
    meeting = Meeting.objects.get(topic="党员大会")
    assert (meeting.attendee_count, meeting.absent_count) == (3, 3)
    assert meeting.guests == ["乡镇包村干部", "驻村第一书记", "村委会委员"]
    detail = client.get(reverse("party:meeting_detail", args=[meeting.pk])).content.decode()
    assert "3 / 3" in detail and "驻村第一书记" in detail


def test_the_api_takes_member_ids_and_refuses_others_and_typed_counts(client, world):
    six, org = world["six"], world["party_branch"]
    auth = _auth(world["cadre"])
    url = f"/api/party/orgs/{org.pk}/meetings"
    body = {"kind": "theme_day", "held_on": _today().isoformat(), "topic": "主题党日"}
    made = client.post(
        url,
        {**body, "attendee_ids": [m.pk for m in six[:4]], "guests": ["群众代表"]},
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201
    out = made.json()
    assert (out["attendee_count"], out["absent_count"], out["guests"]) == (4, 2, ["群众代表"])
    assert out["attendee_ids"] == sorted(m.pk for m in six[:4])

    other = services.member_add(by=None, org=world["party_company"], name="公司党员", stage="applicant")
    for ids in ([other.pk], [987654]):
        refused = client.post(
            url, {**body, "attendee_ids": [six[0].pk, *ids]}, content_type="application/json", **auth
        )
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["loc"] == ["body", "attendee_ids"]
    typed = client.post(url, {**body, "attendee_count": 99}, content_type="application/json", **auth)
    assert typed.status_code == 422
    assert Meeting.objects.filter(topic="主题党日").count() == 1


def test_the_migration_derives_the_figures_and_keeps_the_typed_ones_in_the_minutes(world):
    meeting = world["party_meeting"]  # one member ticked, of a branch of six
    Meeting.objects.filter(pk=meeting.pk).update(attendee_count=99, absent_count=0, minutes="学习")
    migration = importlib.import_module("fupin.party.migrations.0002_meeting_attendance_from_members")
    migration.derive_attendance(apps, None)
    meeting.refresh_from_db()
    assert (meeting.attendee_count, meeting.absent_count) == (1, 5)
    assert meeting.minutes == "学习\n(原登记:实到 99 人,缺席 0 人)"


def test_an_out_of_scope_or_missing_attendee_gets_the_same_answer(client, world):
    """An attendee id of a branch of another county, and an id of no member at all, answer the
    same 422 with the same errors, the payload's other mistakes included: an id reveals nothing."""
    from fupin import testing

    far = services.org_create(
        by=None, name="泾川县某村党支部", level="branch", kind="village", region_id=testing.JINGCHUAN
    )
    stranger = services.member_add(by=None, org=far, name="外县党员", stage="applicant")
    missing = stranger.pk + 1000
    url = f"/api/party/orgs/{world['party_branch'].pk}/meetings"
    auth = _auth(world["cadre"])
    tomorrow = (_today() + datetime.timedelta(days=1)).isoformat()
    answers = [
        client.post(
            url,
            {
                "kind": "lesson",
                "held_on": tomorrow,
                "topic": "党课",
                "attendee_ids": [world["six"][0].pk, pk],
            },
            content_type="application/json",
            **auth,
        )
        for pk in (stranger.pk, missing)
    ]
    assert [a.status_code for a in answers] == [422, 422]
    assert answers[0].json() == answers[1].json()
    assert {tuple(e["loc"]) for e in answers[0].json()["errors"]} >= {
        ("body", "attendee_ids"),
        ("body", "held_on"),
    }
    assert not Meeting.objects.filter(topic="党课").exists()
