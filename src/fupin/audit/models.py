from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.core.audit_actions import AuditAction


class AuditImmutableError(Exception):
    """Raised when code tries to change or delete an audit row (the trail is append-only)."""


class AuditQuerySet(models.QuerySet):
    """Refuses bulk update() and delete(): audit rows only ever leave through the retention purge."""

    def update(self, **kwargs):
        raise AuditImmutableError("audit events are append-only")

    def delete(self):
        raise AuditImmutableError("audit events are append-only; use audit_purge for retention")

    def _retention_delete(self, cutoff):
        """The one way out: rows older than the retention cut-off (see services.audit_purge)."""
        return models.QuerySet.delete(self.filter(at__lt=cutoff))


class AuditEvent(models.Model):
    """One append-only, hash-chained line of the audit trail (who did what, when, to which record)."""

    Action = AuditAction  # the audit app and older code name it AuditEvent.Action

    at = models.DateTimeField(_("时间"), db_index=True)
    # Plain columns, not foreign keys: deleting a user must never touch (update) an audit row.
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True)
    ip = models.CharField(_("IP地址"), max_length=45, blank=True)
    path = models.CharField(_("请求路径"), max_length=300, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    detail = models.TextField(_("说明"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        permissions = [("export_auditevent", _("可以导出审计记录"))]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        # Append-only: a row is written once, by services.audit_record, and never saved again.
        if not self._state.adding:
            raise AuditImmutableError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audit events are append-only; use audit_purge for retention")

    # The fields that go into the hash, in a fixed order (the id is not known before the insert;
    # order and deletions are caught through prev_hash instead).
    HASHED_FIELDS = (
        "at",
        "actor_id",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "region_code",
        "ip",
        "path",
        "changes",
        "detail",
        "prev_hash",
    )
