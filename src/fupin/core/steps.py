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


def form_messages(request, form) -> None:
    """A step form's errors as messages, each after its field's label when the field has one (a
    hidden version field has none), so the page the user goes back to says what to correct."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}:{error}" if label else error)


def refusal_messages(request, exc: Exception) -> None:
    """A service's refusal as messages: a stale version, each reason of a refused step, each message
    of a ValidationError (field errors included, since a button's page has no fields to put them under)."""
    if isinstance(exc, StaleVersion):
        messages.error(request, exc.message)
    elif isinstance(exc, TransitionRefused):
        for reason in exc.reasons:
            messages.error(request, reason)
    else:
        for message in exc.messages:
            messages.error(request, message)


def run_step(request, write, *, success, failure=None, form=None, done=None) -> HttpResponse:
    """Run `write()`; say `done` (操作成功。) and go to `success`, or on a refusal say why and go to
    `failure` (default: `success`, then a URL). `success` and `done` may be functions of what `write` returned;
    the redirect targets are whatever `redirect` takes (a URL, a record with get_absolute_url).

    form: the step's small form; when it is not valid its errors are said and nothing runs, so
    `write` may read `form.cleaned_data`."""
    back = success if failure is None else failure
    if form is not None and not form.is_valid():
        form_messages(request, form)
        return redirect(back)
    try:
        result = write()
    except (StaleVersion, TransitionRefused, ValidationError) as exc:
        refusal_messages(request, exc)
        return redirect(back)
    done = done(result) if callable(done) else done
    messages.success(request, done or _("操作成功。"))
    return redirect(success(result) if callable(success) else success)
