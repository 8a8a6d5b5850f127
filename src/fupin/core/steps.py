"""The request kit's step half: a write posted from a button on a record's page (a workflow step,
拨付, 分配, a removal), answered with a message and a redirect rather than a form page. The form
half is core.forms (`save_form`, `form_page`).

    return run_step(
        request,
        lambda: services.team_transition(by=request.user, team=team, **form.cleaned_data),
        form=form,
        success=reverse("assistance:team_detail", args=[team.pk]),
        done=_("已变更工作队状态。"),
    )

The services are atomic (each write in one transaction, every refusal raised before or inside it),
so a refused step leaves nothing half-written. No transaction is added here: a refusal that a service
records on its way out (a refused access in the audit trail) must stay recorded.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.core.forms import REFUSED_HEADER

# Sent by the offline outbox (fupin/outbox.js) with every form it posts: a refused step is then
# answered 409 with its reasons instead of a redirect, which a script cannot tell from a success.
OUTBOX_HEADER = "X-Fupin-Outbox"


def form_reasons(form) -> list[str]:
    """A step form's errors, each after its field's label when the field has one (a hidden version
    field has none), so the user is told what to correct."""
    reasons = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        reasons.extend(f"{label}:{error}" if label else error for error in errors)
    return reasons


def refusal_reasons(exc: Exception) -> list[str]:
    """A service's refusal in words: a stale version, each reason of a refused step, each message
    of a ValidationError (field errors included, since a button's page has no fields to put them under)."""
    if isinstance(exc, StaleVersion):
        return [exc.message]
    if isinstance(exc, TransitionRefused):
        return list(exc.reasons)
    return list(exc.messages)


def form_messages(request, form) -> None:
    """A step form's errors as messages, so the page the user goes back to says what to correct."""
    for reason in form_reasons(form):
        messages.error(request, reason)


def refusal_messages(request, exc: Exception) -> None:
    """A service's refusal as messages (refusal_reasons)."""
    for reason in refusal_reasons(exc):
        messages.error(request, reason)


def refused(request, reasons: list[str], back) -> HttpResponse:
    """A refused step's answer: its reasons as messages and back to `back`; to the offline outbox, a
    409 with the reasons as text (no message left behind for a page nobody will look at)."""
    if request.headers.get(OUTBOX_HEADER):
        response = HttpResponse("\n".join(reasons), status=409, content_type="text/plain; charset=utf-8")
        response[REFUSED_HEADER] = "1"
        return response
    for reason in reasons:
        messages.error(request, reason)
    return redirect(back)


def run_step(request, write, *, success, failure=None, form=None, done=None) -> HttpResponse:
    """Run `write()`; say `done` (操作成功。) and go to `success`, or on a refusal say why and go to
    `failure` (default: `success`, then a URL). `success` and `done` may be functions of what `write` returned;
    the redirect targets are whatever `redirect` takes (a URL, a record with get_absolute_url). A
    refusal posted by the offline outbox is answered 409 with the reasons (`refused`).

    form: the step's small form; when it is not valid its errors are said and nothing runs, so
    `write` may read `form.cleaned_data`."""
    back = success if failure is None else failure
    if form is not None and not form.is_valid():
        return refused(request, form_reasons(form), back)
    try:
        result = write()
    except (StaleVersion, TransitionRefused, ValidationError) as exc:
        return refused(request, refusal_reasons(exc), back)
    done = done(result) if callable(done) else done
    messages.success(request, done or _("操作成功。"))
    return redirect(success(result) if callable(success) else success)
