"""The reports app: at start it listens to the writes of every declaration's `sources`.

Each declared source `("registry.Member", "household__village_id")` gets a post_save and a
post_delete receiver that reads the written record's division code along the path (a local `_id`
costs no query) and marks it dirty once the transaction commits: the frequent job
(`reports.tasks.drain_dirty`) then rewrites that code's rollup rows. The marks of one transaction
are gathered and written in one INSERT at commit (an import of a thousand members is one insert,
not a thousand); a transaction that rolls back marks nothing.

What the receivers cannot see — `QuerySet.update()`, `bulk_create`, raw SQL, a record moved to
another village (only its new village is marked) — is caught by the nightly full refresh.
"""

import logging
import threading

from django.apps import AppConfig
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

_local = threading.local()


def read_code(instance, path: str) -> str | None:
    """The division code at the end of `path` from `instance` (`village_id`,
    `household__village_id`, `village__code`: a trailing `__code` of a foreign key to a region is
    read from its `_id`, without loading the region)."""
    parts = path.split("__")
    if len(parts) >= 2 and parts[-1] == "code":
        parts = [*parts[:-2], f"{parts[-2]}_id"]
    value = instance
    try:
        for name in parts:
            value = getattr(value, name)
            if value is None:
                return None
    except Exception:  # a related row already gone (a cascade) has nothing to mark
        return None
    return str(value) if value else None


def _flush(pending: set) -> None:
    from fupin.reports import services

    marks = set(pending)
    pending.clear()
    if marks:
        services.mark_dirty(marks)


def mark_after_commit(code: str, source: str = "") -> None:
    """Mark `code` dirty (written through the model `source`) when the current transaction commits
    (at once outside one)."""
    if not connection.in_atomic_block:
        _flush({(code, source)})
        return
    pending = getattr(_local, "pending", None)
    callback = getattr(_local, "callback", None)
    # Our flush still waits in this transaction's callbacks: add to its set. After a commit or a
    # rollback Django dropped it, so a new set and callback start.
    if pending is None or not any(entry[1] is callback for entry in connection.run_on_commit):
        pending = set()

        def callback(pending=pending):
            _flush(pending)

        _local.pending, _local.callback = pending, callback
        transaction.on_commit(callback, robust=True)
    pending.add((code, source))


def _receiver(label: str, path: str):
    def mark(sender, instance, **kwargs):
        if kwargs.get("raw"):  # loading fixtures
            return
        code = read_code(instance, path)
        if code:
            mark_after_commit(code, label)

    return mark


_RECEIVERS: dict[tuple[str, str], object] = {}


def connect_sources() -> None:
    """Connect a receiver to each declared source (once per model and path)."""
    from fupin.core.indicators import catalogue

    for ind in catalogue().values():
        for label, path in ind.sources:
            key = (label, path)
            if key in _RECEIVERS:
                continue
            receiver = _receiver(label, path)
            _RECEIVERS[key] = receiver  # held here: signals keep weak references
            # A lazy sender ("app.Model"): reports imports no other app's models.
            post_save.connect(
                receiver, sender=label, weak=False, dispatch_uid=f"reports-dirty-save:{label}:{path}"
            )
            post_delete.connect(
                receiver, sender=label, weak=False, dispatch_uid=f"reports-dirty-del:{label}:{path}"
            )


def _sync_after_migrate(sender, using="default", **kwargs):
    from fupin.reports import services

    if using != "default":
        return
    try:
        services.sync_catalogue()
    except Exception:  # a half-migrated database (a migration test): the next refresh syncs
        log.warning("could not sync the indicator catalogue after migrate", exc_info=True)
    try:
        from fupin.reports.tabulations import ensure_shipped

        ensure_shipped()  # the shipped 报表, kept in step with reports/tabulations.py
    except Exception:  # a half-migrated database: the next migrate writes them
        log.warning("could not write the shipped forms after migrate", exc_info=True)


class ReportsConfig(AppConfig):
    name = "fupin.reports"
    label = "reports"
    verbose_name = _("统计与驾驶舱")

    def ready(self):
        connect_sources()
        post_migrate.connect(_sync_after_migrate, sender=self, dispatch_uid="reports-sync-catalogue")
