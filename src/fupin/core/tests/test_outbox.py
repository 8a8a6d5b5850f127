"""The offline outbox's server half (fupin/outbox.js posts the forms; browser_tests/test_offline.py
drives it): a refusal says so in a header, a refused step asked for by the outbox answers 409 with its
reasons, the token endpoint, the outbox page and the service worker."""

import json

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from fupin.core import views
from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.core.forms import REFUSED_HEADER, form_page
from fupin.core.steps import OUTBOX_HEADER, run_step


class NameForm(forms.Form):
    name = forms.CharField(label="姓名", error_messages={"required": "必填"})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _request(user=None, method="post", data=None, **headers):
    request = getattr(RequestFactory(), method)("/", data or {}, headers=headers)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _refusing(exc):
    def write(*args):
        raise exc

    return write


# --- the refusal header -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "write"),
    [
        ({"name": ""}, lambda f: None),  # the form's own check
        ({"name": "扎西", "version": "1"}, _refusing(StaleVersion())),  # the version rule
        ({"name": "扎西"}, _refusing(TransitionRefused(["尚未审核"]))),
    ],
)
def test_a_form_page_shown_again_after_a_post_says_refused_in_a_header(cast, data, write):
    request = _request(cast["county"], data=data)
    response = form_page(request, NameForm(request.POST), write=write, success="/done/", title="新增")
    assert response.status_code == 200
    assert response[REFUSED_HEADER] == "1"


def test_a_saved_form_and_a_blank_one_carry_no_refusal(cast):
    saved = _request(cast["county"], data={"name": "扎西"})
    response = form_page(saved, NameForm(saved.POST), write=lambda f: None, success="/done/")
    assert response.status_code == 302 and REFUSED_HEADER not in response
    blank = _request(cast["county"], method="get")
    assert REFUSED_HEADER not in form_page(blank, NameForm(), write=lambda f: None, success="/", title="新增")


def test_a_step_refused_for_the_outbox_answers_409_with_the_reasons_and_leaves_no_message():
    request = _request(**{OUTBOX_HEADER: "1"})
    response = run_step(request, _refusing(StaleVersion()), success="/record/")
    assert response.status_code == 409 and response[REFUSED_HEADER] == "1"
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "该记录已被他人修改,请刷新后重试"
    assert list(get_messages(request)) == []

    request = _request(**{OUTBOX_HEADER: "1"})
    response = run_step(request, _refusing(TransitionRefused(["尚未审核", "资金未到位"])), success="/record/")
    assert response.content.decode().splitlines() == ["尚未审核", "资金未到位"]


def test_an_invalid_step_form_for_the_outbox_names_each_field():
    request = _request(data={"name": ""}, **{OUTBOX_HEADER: "1"})
    ran = []
    response = run_step(request, lambda: ran.append(1), success="/record/", form=NameForm(request.POST))
    assert response.status_code == 409 and response.content.decode() == "姓名:必填"
    assert ran == []


def test_a_step_refused_for_a_person_still_goes_back_with_the_messages():
    request = _request()
    response = run_step(request, _refusing(StaleVersion()), success="/record/")
    assert response.status_code == 302 and REFUSED_HEADER not in response
    assert [str(m) for m in get_messages(request)] == ["该记录已被他人修改,请刷新后重试"]


# --- the pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_outbox_page_holds_nothing_of_anyone_and_needs_no_sign_in(client):
    response = client.get(reverse("core:outbox"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="outbox-list"' in html and 'id="outbox-entry"' in html
    assert 'data-user=""' in html  # signed out: the script takes the phone's last user


@pytest.mark.django_db
def test_the_token_says_who_is_signed_in_and_is_never_cached(client, cast, sign_in):
    signed_out = client.get(reverse("core:outbox_token"))
    assert signed_out.json()["user"] is None and signed_out.json()["csrf"]
    assert "no-cache" in signed_out["Cache-Control"]
    answer = sign_in(cast["cadre"]).get(reverse("core:outbox_token")).json()
    assert answer["user"] == cast["cadre"].pk and answer["csrf"]


@pytest.mark.django_db
def test_every_page_of_the_layout_carries_the_badge_and_the_script(client, cast, sign_in):
    html = sign_in(cast["cadre"]).get(reverse("core:home")).content.decode()
    assert 'id="outbox-badge"' in html and "fupin/outbox.js" in html
    assert f'data-user="{cast["cadre"].pk}"' in html


def test_the_service_worker_keeps_only_the_shell_and_the_outbox_page(client):
    response = client.get(reverse("core:service_worker"))
    source = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    first, _, rest = source.partition("\n")
    config = json.loads(first.removeprefix("self.FUPIN_SW = ").removesuffix(";"))
    assert config["fallback"] == reverse("core:outbox")
    assert all(url.startswith("/static/") for url in config["shell"])
    assert "/static/fupin/outbox.js" in config["shell"]
    assert len(config["version"]) == 16
    assert "caches" in rest


def test_the_service_workers_version_follows_what_it_keeps(monkeypatch):
    before = views._service_worker()
    monkeypatch.setattr(views, "SHELL_STATIC", (*views.SHELL_STATIC[:-1],))
    assert views._service_worker() != before
