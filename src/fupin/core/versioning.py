"""Optimistic locking for records users edit: a `version` column, bumped by every write."""

from django.db.models import F
from django.utils import timezone

from fupin.core.errors import StaleVersion


def update_if_current(obj, version: int, values: dict, **conditions) -> None:
    """Write `values` to `obj`'s row only if its stored version is still `version` (and `conditions`
    hold), bumping the version and `updated_at` (auto_now does not fire on UPDATE); StaleVersion
    otherwise, with nothing written. The caller refreshes and audits."""
    model = type(obj)
    values = dict(values)
    if "updated_at" not in values and any(f.name == "updated_at" for f in model._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    if not model._base_manager.filter(pk=obj.pk, version=version, **conditions).update(
        **values, version=F("version") + 1
    ):
        raise StaleVersion()
