"""Writes to the audit trail: one append function, a diff helper and the retention purge.

Every row carries sha256(prev_hash + canonical JSON of its fields); `fupin audit verify` walks
the chain. Appends are serialised so two writers can never both chain onto the same row.
"""

import hashlib
import json
from datetime import UTC, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import FileField, Manager, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.audit.models import AuditEvent
from fupin.core import todo
from fupin.core.masking import mask_account, mask_id_number, mask_phone, mask_text

GENESIS_HASH = "0" * 64
# Any constant shared by every writer; "fupi" "nAUD" in ASCII.
_PG_LOCK_KEY = 0x66757069_6E415544
MIN_RETENTION_DAYS = 183

# Fields never worth recording in clear, whatever the caller declares.
ALWAYS_SENSITIVE = frozenset({"password", "key_hash"})


def _canonical(fields: dict) -> str:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _hash_fields(event: AuditEvent) -> dict:
    fields = {name: getattr(event, name) for name in AuditEvent.HASHED_FIELDS}
    # The stored timestamp, in UTC, to the microsecond: both databases give it back unchanged.
    fields["at"] = event.at.astimezone(UTC).isoformat(timespec="microseconds")
    return fields


def compute_hash(event: AuditEvent) -> str:
    """The hash a row must carry, recomputed from its stored fields (used by append and verify)."""
    return hashlib.sha256((event.prev_hash + _canonical(_hash_fields(event))).encode()).hexdigest()


def _json_safe(value):
    """Decimal, dates, UUIDs ... as the strings JSONField would otherwise refuse or change."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _lock_chain():
    # SQLite writers are already serialised (IMMEDIATE transactions take the write lock at BEGIN).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def _append(**fields) -> AuditEvent:
    event = AuditEvent(**fields)
    event.at = event.at or timezone.now()
    event.changes = _json_safe(event.changes or {})
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.prev_hash = last or GENESIS_HASH
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    # The actor's 待办 may have changed (a visit recorded, a lead decided): their kept lines go.
    todo.forget(event.actor_id)
    return event


def _client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded header is set by the client unless a trusted proxy rewrites it.
    return (request.META.get("REMOTE_ADDR") or "")[:45]


def audit_record(
    *,
    action: str,
    actor=None,
    request=None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    region_code: str = "",
    changes: dict | None = None,
    detail: str = "",
    actor_username: str = "",
) -> AuditEvent:
    """Append one event. `actor` defaults to the request's signed-in user; `actor_username` records
    a name with no account behind it (a failed login's attempted username)."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or ("" if obj.pk is None else str(obj.pk))
        object_repr = object_repr or str(obj)
    return _append(
        action=action,
        actor_id=getattr(actor, "pk", None),
        actor_username=(actor_username or (actor.get_username() if actor is not None else ""))[:150],
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_repr=mask_text(str(object_repr))[:200],
        region_code=(region_code or "")[:12],
        ip=_client_ip(request) if request is not None else "",
        # A search text in the query string (?q=<ID number>, carried by an export) is masked too.
        path=(mask_text(request.get_full_path())[:300] if request is not None else ""),
        changes=changes or {},
        detail=mask_text(detail),
    )


def audit_denied(request, reason: str = "") -> AuditEvent:
    """Record a refused access (call it wherever code turns a user away)."""
    return audit_record(action=AuditEvent.Action.DENIED, request=request, detail=reason)


def _mask(field: str, value):
    if value is None or value == "":
        return value
    name = field.lower()
    if name in ALWAYS_SENSITIVE:
        return "******"
    if "phone" in name or "mobile" in name:
        return mask_phone(str(value))
    if "id_number" in name or "id_card" in name or "idcard" in name:
        return mask_id_number(str(value))
    if "account" in name or "card" in name:
        return mask_account(str(value))
    return "******"


def audit_diff(before: dict, after: dict, *, sensitive=frozenset()) -> dict:
    """{field: [old, new]} for the fields whose values differ; sensitive values masked."""
    hidden = ALWAYS_SENSITIVE | frozenset(sensitive)
    diff = {}
    for field in sorted(set(before) | set(after)):
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        if field in hidden:
            old, new = _mask(field, old), _mask(field, new)
        else:
            old = mask_text(old) if isinstance(old, str) else old
            new = mask_text(new) if isinstance(new, str) else new
        diff[field] = _json_safe([old, new])
    return diff


def audit_snapshot(instance) -> dict:
    """The instance's concrete field values (foreign keys as ids, files as their stored names), for
    `before=` of an update; a file's name is what the audit row can hold and what identifies it."""
    return {
        f.attname: getattr(instance, f.attname).name
        if isinstance(f, FileField)
        else getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
    }


def _region_code_of(instance) -> str:
    paths = getattr(type(instance), "scope_region_field", None) or ()
    if isinstance(paths, str):
        paths = (paths,)
    for path in paths:
        value = instance
        for part in path.split("__"):
            value = getattr(value, part, None)
            if value is None or isinstance(value, Manager):
                break
        if isinstance(value, str):
            return value
    return ""


def _sensitive_fields_of(instance) -> frozenset:
    # A model lists its personal-data fields in `audit_sensitive_fields`; encrypted columns too.
    return frozenset(getattr(type(instance), "audit_sensitive_fields", ()))


def audit_model_change(*, actor, request, instance, action: str, before=None) -> AuditEvent:
    """Audit a create, update or delete of any domain record.

    For an update pass `before=audit_snapshot(instance)` taken before the change; for a delete
    call this before `instance.delete()` (Django clears the pk afterwards), in the same transaction.
    """
    current = audit_snapshot(instance)
    if isinstance(before, Model):
        before = audit_snapshot(before)  # callers may hand over the unchanged instance itself
    if action == AuditEvent.Action.CREATE:
        old, new = {}, current
    elif action == AuditEvent.Action.DELETE:
        old, new = current, {}
    else:
        old, new = before or {}, current
    return audit_record(
        action=action,
        actor=actor,
        request=request,
        obj=instance,
        region_code=_region_code_of(instance),
        changes=audit_diff(old, new, sensitive=_sensitive_fields_of(instance)),
    )


def audit_purge(*, days: int | None = None, by=None) -> int:
    """Remove events older than `days` (default AUDIT_RETENTION_DAYS); refuses under 183 days.

    Only a prefix of the chain goes (rows before the first one inside the retention window), and
    a PURGE event records the hash of the last removed row, so `verify` can tell a retention cut
    from an attacker's deletion of the oldest rows.
    """
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    if days < MIN_RETENTION_DAYS:
        raise ValidationError(
            _("审计记录至少保存 %(min)d 天,不能清理 %(days)d 天以内的记录。")
            % {"min": MIN_RETENTION_DAYS, "days": days}
        )
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        _lock_chain()
        first_kept = AuditEvent.objects.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True)
        old = AuditEvent.objects.filter(at__lt=cutoff)
        if first_kept.exists():
            old = old.filter(id__lt=first_kept.first())
        last_removed = old.order_by("-id").values_list("hash", flat=True).first()
        if last_removed is None:
            return 0
        count, _ignored = old._retention_delete(cutoff)
        audit_record(
            action=AuditEvent.Action.PURGE,
            actor=by,
            object_type="audit.auditevent",
            object_id=last_removed,
            object_repr=_("清理 %(days)d 天前的审计记录") % {"days": days},
            detail=_("删除 %(count)d 条,截止 %(cutoff)s") % {"count": count, "cutoff": cutoff.isoformat()},
        )
    return count


def _purge_covers(prev_hash: str) -> bool:
    return AuditEvent.objects.filter(action=AuditEvent.Action.PURGE, object_id=prev_hash).exists()


def audit_verify(*, batch_size: int = 2000) -> tuple[int, AuditEvent | None, str]:
    """Walk the chain in id order: (rows checked, first bad row or None, why it is bad)."""
    checked, prev, last_id = 0, None, 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return checked, None, ""
        for event in batch:
            if prev is None:
                if event.prev_hash != GENESIS_HASH and not _purge_covers(event.prev_hash):
                    return checked, event, _("链首记录的前序哈希不是创世值,也没有对应的保留期清理记录")
            elif event.prev_hash != prev:
                return checked, event, _("前序哈希与上一条记录不符(记录被删除或插入)")
            if compute_hash(event) != event.hash:
                return checked, event, _("哈希与记录内容不符(记录被修改)")
            prev = event.hash
            checked += 1
        last_id = batch[-1].id
