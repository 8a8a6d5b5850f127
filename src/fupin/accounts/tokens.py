"""API tokens: issue (key shown once), authenticate by hash, revoke. Issue and revoke are audited."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.models import ApiToken
from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_record


def token_issue(*, user, name: str, expires_at=None, by=None, request=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns (token, key). The key is never stored, only its hash."""
    key = "fp_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=key[:8], key_hash=ApiToken.hash_key(key), expires_at=expires_at
        )
        audit_record(
            action=AuditEvent.Action.CREATE,
            actor=by or user,
            request=request,
            obj=token,
            object_repr=f"{user.get_username()} · {token}",
            changes={"expires_at": [None, expires_at.isoformat() if expires_at else None]},
        )
    return token, key


def token_revoke(*, token: ApiToken, by, request=None) -> ApiToken:
    """Stop a token working at once; the row stays for the record."""
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action=AuditEvent.Action.UPDATE,
            actor=by,
            request=request,
            obj=token,
            object_repr=f"{token.user.get_username()} · {token}",
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
            detail=_("吊销接口令牌"),
        )
    return token


def authenticate_token(key: str):
    """The active user behind a key, or None. Touches last_used_at at most once a minute."""
    if not key or len(key) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
