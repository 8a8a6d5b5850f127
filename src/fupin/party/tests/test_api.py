"""The party API: writes through the services, 409 for stale or refused steps, 422 in Chinese."""

import pytest
from django.utils import timezone

from fupin.accounts.tokens import token_issue
from fupin.party.tests import matrix


@pytest.fixture
def world(cast):
    return {**cast, **matrix.objects(cast)}


def _auth(user) -> dict:
    _token, key = token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_it_records_a_meeting_and_reports_it_on_the_calendar(client, world):
    org = world["party_branch"]
    today = timezone.localdate()
    answer = client.post(
        f"/api/party/orgs/{org.pk}/meetings",
        {
            "kind": "theme_day",
            "held_on": today.isoformat(),
            "topic": "主题党日",
            "attendee_ids": [world["party_member"].pk],
        },
        content_type="application/json",
        **_auth(world["cadre"]),
    )
    assert answer.status_code == 201 and answer.json()["attendee_count"] == 1
    periods = client.get(f"/api/party/orgs/{org.pk}/calendar", **_auth(world["cadre"])).json()
    current = [p for p in periods if p["kind"] == "theme_day" and p["start"] <= today.isoformat() <= p["end"]]
    assert current[0]["state"] == "done" and current[0]["meeting_ids"] == [answer.json()["id"]]


def test_it_answers_bad_input_with_a_chinese_422(client, world):
    answer = client.post(
        f"/api/party/orgs/{world['party_branch'].pk}/meetings",
        {"kind": "party", "held_on": "2020-01-01", "topic": ""},
        content_type="application/json",
        **_auth(world["cadre"]),
    )
    assert answer.status_code == 422 and "请求参数有误" in answer.json()["detail"]
    future = client.post(
        f"/api/party/orgs/{world['party_branch'].pk}/meetings",
        {"kind": "lesson", "held_on": "2099-01-01", "topic": "党课"},
        content_type="application/json",
        **_auth(world["cadre"]),
    )
    assert future.status_code == 422 and "日期不能晚于今天" in future.json()["detail"]


def test_it_answers_a_stale_version_and_a_refused_step_with_409(client, world):
    member = world["party_member"]
    auth = _auth(world["county"])
    first = client.patch(
        f"/api/party/members/{member.pk}",
        {"version": 1, "name": "改名"},
        content_type="application/json",
        **auth,
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.patch(
        f"/api/party/members/{member.pk}",
        {"version": 1, "name": "又改"},
        content_type="application/json",
        **auth,
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    refused = client.post(
        f"/api/party/members/{member.pk}/transitions",
        {"action": "advance", "on": timezone.localdate().isoformat(), "version": 2},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 409 and refused.json()["reasons"] == ["已是正式党员"]


def test_it_keeps_the_weak_case_workflow_to_those_who_may_run_it(client, world):
    case = world["party_case"]
    body = {"action": "revoke", "version": 1, "reason": "误判"}
    denied = client.post(
        f"/api/party/weak-cases/{case.pk}/transitions",
        body,
        content_type="application/json",
        **_auth(world["cadre"]),
    )
    assert denied.status_code == 403
    done = client.post(
        f"/api/party/weak-cases/{case.pk}/transitions",
        body,
        content_type="application/json",
        **_auth(world["county"]),
    )
    assert done.status_code == 200 and done.json()["status"] == "revoked"


def test_it_ranks_scores_and_lists_pairings_in_scope(client, world):
    year = world["party_score"].year
    scores = client.get(f"/api/party/scores?year={year}&division=632524", **_auth(world["county"])).json()
    assert scores[0]["org_name"] == matrix.BRANCH and scores[0]["rank"] == 1 and scores[0]["star"] == 4
    pairings = client.get("/api/party/pairings", **_auth(world["unitofficer"])).json()
    assert pairings[0]["helper_unit"] == "大唐青海能源开发有限公司"
    assert client.get("/api/party/pairings", **_auth(world["outsider"])).json() == []
