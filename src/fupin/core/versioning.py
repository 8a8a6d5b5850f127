"""Optimistic locking for records users edit: a `version` column, bumped by every write that changes
something. A write that changes nothing (a PATCH of only `version`, a form saved as it was) leaves
the row, its version and `updated_at` alone: otherwise every other holder of the record would be
told their copy is stale when nothing in it is."""

import copy

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone

from fupin.core.errors import StaleVersion


def _comparable(field, value):
    """`value` as the database would hold it in `field`'s column (a related object as its key)."""
    if isinstance(value, models.Model):
        value = value.pk
    if value is None:
        return None
    target = field.target_field if field.is_relation else field
    try:
        return target.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return value


def _unchanged(model, stored: dict, values: dict) -> bool:
    for name, value in values.items():
        if hasattr(value, "resolve_expression"):  # F(), Now(): only the database knows
            return False
        field = model._meta.get_field(name)
        if _comparable(field, stored[field.attname]) != _comparable(field, value):
            return False
    return True


def update_if_current(obj, version: int, values: dict, **conditions) -> bool:
    """Write `values` to `obj`'s row only if its stored version is still `version` (and `conditions`
    hold), bumping the version and `updated_at` (auto_now does not fire on UPDATE); StaleVersion
    otherwise, with nothing written. Returns False, writing nothing, when every value is already
    stored. The caller refreshes and audits."""
    model = type(obj)
    current = model._base_manager.filter(pk=obj.pk, version=version, **conditions)
    columns = {model._meta.get_field(name).attname for name in values}
    stored = current.values(*columns).first() if columns else current.values("pk").first()
    if stored is None:
        raise StaleVersion()
    if _unchanged(model, stored, values):
        return False
    values = dict(values)
    if "updated_at" not in values and any(f.name == "updated_at" for f in model._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    # The version condition again: another writer may have come between the read and this write.
    if not current.update(**values, version=F("version") + 1):
        raise StaleVersion()
    _announce(obj, values, current.db)
    return True


def _announce(obj, values: dict, using: str) -> None:
    """Tell post_save's receivers the row was saved, as Model.save() would: an UPDATE sends no signal,
    and the rollup's dirty marks (reports.apps) listen to post_save — without this a household's own
    edit never reached the 驾驶舱 until the nightly full refresh. The instance is a copy carrying the
    written values (an expression stays on the copy as written; receivers read plain fields)."""
    saved = copy.copy(obj)
    for name, value in values.items():
        field = type(obj)._meta.get_field(name)
        if isinstance(value, models.Model) or not field.is_relation:
            setattr(saved, name, value)
        else:
            setattr(saved, field.attname, value)
    post_save.send(
        sender=type(obj),
        instance=saved,
        created=False,
        update_fields=frozenset(values),
        raw=False,
        using=using,
    )
