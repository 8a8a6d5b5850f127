"""Linking a cadre to a login account looks the username up within the user's scope only: an
account of another county answers exactly like one that does not exist (the look-up never says
whether a username exists elsewhere)."""

import re

from django.urls import reverse

from fupin.accounts.selectors import account_for
from fupin.accounts.tokens import token_issue

MESSAGE = "没有这个登录账号(或不在您的数据范围内)"


def _auth(user) -> dict:
    _token, key = token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_selector_finds_only_accounts_in_scope(world):
    county = world["county"]
    assert account_for(county, "cadre") == world["cadre"]  # a data scope inside 兴海县
    assert account_for(county, "unitofficer") == world["unitofficer"]  # 大唐 assists 兴海县
    for name in ("outsider", "nobody", "sysadmin", ""):
        assert account_for(county, name) is None
    assert account_for(world["outsider"], "cadre") is None


def _page(answer, typed: str) -> str:
    """The page without what changes on every request (CSRF token, CSP nonce) and the name typed."""
    page = re.sub(r'nonce="[^"]*"', "", answer.content.decode()).replace(f'value="{typed}"', "")
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", page)


def test_the_form_answers_an_account_of_another_county_like_a_missing_one(client, world):
    client.force_login(world["county"])
    answers = [
        client.post(
            reverse("assistance:cadre_new"),
            {"name": "才让", "level": "village", "region": "632524203207", "account": name},
        )
        for name in ("outsider", "nobody")
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert MESSAGE in answers[0].content.decode()
    assert _page(answers[0], "outsider") == _page(answers[1], "nobody")


def test_the_api_answers_an_account_of_another_county_like_a_missing_one(client, world):
    cadre, auth = world["assistance_cadre"], _auth(world["county"])
    answers = [
        client.patch(
            f"/api/assistance/cadres/{cadre.pk}",
            {"version": cadre.version, "account": name},
            content_type="application/json",
            **auth,
        )
        for name in ("outsider", "nobody")
    ]
    assert [a.status_code for a in answers] == [422, 422]
    assert answers[0].json() == answers[1].json()
    assert MESSAGE in answers[0].json()["detail"]
