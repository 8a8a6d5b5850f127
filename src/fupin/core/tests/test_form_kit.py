"""core.forms' request kit: a service's refusal on the form, the one form page, the control rule."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from fupin.core import validators
from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.core.forms import form_page, no_control, save_form


class NameForm(forms.Form):
    name = forms.CharField()


def _refusing(exc):
    def write(form):
        raise exc

    return write


@pytest.mark.parametrize(
    ("refusal", "field", "messages"),
    [
        (StaleVersion(), None, ["该记录已被他人修改,请刷新后重试"]),
        (TransitionRefused(["尚未审核", "资金未到位"]), None, ["尚未审核", "资金未到位"]),
        (ValidationError({"name": "重名"}), "name", ["重名"]),
        (ValidationError("整体不对"), None, ["整体不对"]),
    ],
)
def test_it_puts_every_refusal_of_a_service_on_the_form(refusal, field, messages):
    form = NameForm({"name": "扎西"})
    assert form.is_valid()
    assert not save_form(form, _refusing(refusal))
    assert form.errors[field or "__all__"] == messages
    assert form["name"].value() == "扎西"  # what was typed is shown again


def test_it_answers_true_when_the_service_writes():
    form = NameForm({"name": "扎西"})
    assert form.is_valid() and save_form(form, lambda f: None)
    assert not form.errors


def _request(user, method="get", data=None):
    request = getattr(RequestFactory(), method)("/", data or {})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_it_saves_says_so_and_goes_to_the_new_records_page(cast):
    request = _request(cast["county"], "post", {"name": "tashi"})
    response = form_page(
        request,
        NameForm(request.POST),
        write=lambda f: f.cleaned_data["name"],
        success=lambda name: f"/done/{name}",
        done=lambda name: f"已保存{name}",
    )
    assert response.status_code == 302 and response.url == "/done/tashi"
    assert [str(m) for m in get_messages(request)] == ["已保存tashi"]


def test_it_shows_the_form_again_with_the_reason(cast):
    request = _request(cast["county"], "post", {"name": "扎西"})
    response = form_page(
        request,
        NameForm(request.POST),
        write=_refusing(TransitionRefused(["尚未审核"])),
        success="/",
        title="新增",
        back="/back",
        intro="说明文字",
    )
    html = response.content.decode()
    assert response.status_code == 200
    for part in ("尚未审核", 'value="扎西"', 'href="/back"', "说明文字", "保存", "返回"):
        assert part in html


def test_it_checks_the_permission_first(cast):
    request = _request(cast["sysadmin"])
    with pytest.raises(PermissionDenied):
        form_page(request, NameForm(), write=lambda f: None, success="/", perm="registry.add_household")


def test_the_api_patterns_say_what_has_control_says():
    """One control-character rule: the API's patterns agree with has_control on every C0 character."""
    import re

    for code in range(0, 33):
        text = f"a{chr(code)}b"
        assert bool(re.match(validators.NO_CONTROL_LINE, text)) is not validators.has_control(text)
        assert bool(re.match(validators.NO_CONTROL_TEXT, text)) is not validators.has_control(
            text, multiline=True
        )
    assert no_control(" 第一行\n第二行 ", multiline=True) == "第一行\n第二行"
    with pytest.raises(ValidationError):
        no_control("a\x00b", multiline=True)
