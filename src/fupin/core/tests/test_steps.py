"""core.steps.run_step: a step posted from a button, answered with a message and a redirect."""

import pytest
from django import forms
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.core.steps import run_step


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={"invalid": "版本有误"})
    reason = forms.CharField(label="原因", error_messages={"required": "必填"})


def _request(data=None):
    request = RequestFactory().post("/step/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _said(request) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in get_messages(request)]


def _refusing(exc):
    def write():
        raise exc

    return write


def test_it_runs_the_step_says_so_and_goes_on():
    request = _request()
    response = run_step(
        request, lambda: 7, success=lambda n: f"/records/{n}/", done=lambda n: f"第{n}条已办理"
    )
    assert response.status_code == 302 and response.url == "/records/7/"
    assert _said(request) == [(constants.SUCCESS, "第7条已办理")]


def test_it_says_operation_done_when_the_view_names_nothing():
    request = _request()
    response = run_step(request, lambda: None, success="/record/")
    assert response.url == "/record/"
    assert _said(request) == [(constants.SUCCESS, "操作成功。")]


@pytest.mark.parametrize(
    ("refusal", "said"),
    [
        (StaleVersion(), ["该记录已被他人修改,请刷新后重试"]),
        (TransitionRefused(["尚未审核", "资金未到位"]), ["尚未审核", "资金未到位"]),
        (
            ValidationError({"amount": "超过可用余额", "date": "不能晚于今天"}),
            ["超过可用余额", "不能晚于今天"],
        ),
        (ValidationError("整体不对"), ["整体不对"]),
    ],
)
def test_it_says_every_reason_of_a_refusal_and_goes_back(refusal, said):
    request = _request()
    response = run_step(request, _refusing(refusal), success="/record/", failure="/record/#steps")
    assert response.status_code == 302 and response.url == "/record/#steps"
    assert _said(request) == [(constants.ERROR, s) for s in said]


def test_it_goes_back_to_the_success_page_when_no_failure_page_is_named():
    request = _request()
    response = run_step(request, _refusing(StaleVersion()), success="/record/")
    assert response.url == "/record/"


def test_it_does_not_run_the_step_on_an_invalid_form_and_names_the_field():
    request = _request({"version": "x", "reason": ""})
    ran = []
    form = StepForm(request.POST)
    response = run_step(request, lambda: ran.append(form.cleaned_data), form=form, success="/record/")
    assert response.url == "/record/" and ran == []
    # A field with a label is named; the hidden version field has none, its error is said as it is.
    assert _said(request) == [(constants.ERROR, "版本有误"), (constants.ERROR, "原因:必填")]


def test_the_step_reads_the_valid_form():
    request = _request({"version": "3", "reason": "材料齐全"})
    form = StepForm(request.POST)
    response = run_step(request, lambda: form.cleaned_data["reason"], form=form, success="/record/", done=str)
    assert response.url == "/record/"
    assert _said(request) == [(constants.SUCCESS, "材料齐全")]
