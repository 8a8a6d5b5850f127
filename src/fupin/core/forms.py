"""What every app's forms share: the picker's starting place, service errors on a form, text checks."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fupin.core.scoping import scope_of


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
    allowed = "\t\n\r" if multiline else ""
    if any(ord(c) < 32 and c not in allowed for c in value):
        raise ValidationError(_("含有不允许的控制字符"), code="control")
    return value.strip()


class VersionedForm(forms.Form):
    """A form that edits a record with a version column: the version read travels with the form."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
