"""What every app's forms share: the picker's starting place, text checks, and the request kit's
form half: `save_form` (a service's refusal as form errors) and `form_page` (the one form page)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.core.menu import section_for
from fupin.core.permissions import require
from fupin.core.scoping import scope_of
from fupin.core.validators import has_control
from fupin.regions.forms import RegionField


def scope_root(user) -> str | None:
    """The one division the picker starts from: the user's scope when it is a single place."""
    prefixes = scope_of(user).prefixes
    return prefixes[0] if len(prefixes) == 1 else None


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each key under its field, the rest on top.

    A form may name `SERVICE_FIELD_ALIASES` when a service calls a field otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    aliases = getattr(form, "SERVICE_FIELD_ALIASES", {})
    for field, errors in error.error_dict.items():
        field = aliases.get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def no_control(value: str, *, multiline: bool = False) -> str:
    """`value` stripped; refused when it holds control characters (tabs and newlines only when multiline)."""
    if has_control(value, multiline=multiline):
        raise ValidationError(_("含有不允许的控制字符"), code="control")
    return value.strip()


class VersionedForm(forms.Form):
    """A form that edits a record with a version column: the version read travels with the form."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


# --- saving a form through a service ------------------------------------------------------------

# Set on the answer to a POST that wrote nothing (a form shown again with its errors, a refused step
# asked for by the offline outbox): a script posting a form (fupin/outbox.js) cannot tell a page that
# says "saved" from one that says why not by its 200 alone.
REFUSED_HEADER = "X-Fupin-Refused"


def save_form(form: forms.Form, write) -> bool:
    """Run `write(form)`; on a service's refusal put its reasons on the form and answer False.

    A stale version and a refused workflow step go on top, a ValidationError under its fields
    (apply_service_errors); the form keeps everything typed, so the page shows it again."""
    try:
        write(form)
    except StaleVersion as exc:
        form.add_error(None, exc.message)
    except TransitionRefused as exc:
        for reason in exc.reasons:
            form.add_error(None, reason)
    except ValidationError as exc:
        apply_service_errors(form, exc)
    else:
        return True
    return False


def form_page(
    request,
    form: forms.Form,
    *,
    write,
    success,
    title: str = "",
    back: str = "",
    perm: str | None = None,
    done="",
    crumbs=(),
    template: str = "core/form.html",
    **context,
):
    """The one form page: on a valid POST run `write(form)` through `save_form`, say `done` (已保存)
    and go to `success`; else render `template`. `success` and `done` may be functions of what
    `write` returned (the new record's page, a message naming it).

    perm: checked first (a page whose permission the view has checked already leaves it out).
    crumbs: (label, url) pairs between the app's menu entry and the title in the breadcrumb.
    The template gets the form, title, back, crumbs and `context` (intro, subtitle, or what an app's
    own layout needs; `offline`, a label, lets a form sent without signal wait on the phone: outbox.js)."""
    if perm is not None:
        require(request, perm)
    if request.method == "POST" and form.is_valid():
        result = []
        if save_form(form, lambda f: result.append(write(f))):
            done = done(result[0]) if callable(done) else done
            messages.success(request, done or gettext("已保存。"))
            return redirect(success(result[0]) if callable(success) else success)
    section = section_for(request)
    context.update(form=form, title=title, back=back, crumbs=[*([section] if section else []), *crumbs])
    response = render(request, template, context)
    if request.method == "POST":
        # A POST answered with the form again was refused (a success redirects): say so in a header,
        # since the page itself answers 200 and the offline outbox (fupin/outbox.js) must tell.
        response[REFUSED_HEADER] = "1"
    return response


class ScopedForm(forms.Form):
    """A form that knows its user: each division picker in `region_fields` starts at the user's place
    (a village cadre's one village is the answer, no picker needed), and a division outside the
    user's scope is refused. The base of entry forms and of query forms (core.lists.FilterForm)."""

    region_fields: tuple[str, ...] = ()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        root = scope_root(user)
        for name in self.region_fields:
            old = self.fields[name]
            if root and len(root) == 12:
                field = RegionField(label=old.label, required=old.required, widget=forms.HiddenInput)
                field.initial = root
                self.initial.setdefault(name, root)
            else:
                field = RegionField(
                    label=old.label, required=old.required, root=root, levels=getattr(old, "levels", None)
                )
            self.fields[name] = field

    def clean(self):
        cleaned = super().clean()
        for name in self.region_fields:
            region = cleaned.get(name)
            if region is not None and not scope_of(self.user).covers_code(region.code):
                self.add_error(name, _("所选区划不在您的数据范围内。"))
        return cleaned
