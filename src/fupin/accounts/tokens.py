"""API tokens: issue (key shown once), authenticate by hash, revoke."""

import secrets

from django.utils import timezone

from fupin.accounts.models import ApiToken


def token_issue(*, user, name: str, expires_at=None) -> tuple[ApiToken, str]:
    key = "fp_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:8], key_hash=ApiToken.hash_key(key), expires_at=expires_at
    )
    return token, key


def authenticate_token(key: str):
    """The active user behind a key, or None. Touches last_used_at at most once a minute."""
    if not key or len(key) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    now = timezone.now()
    if token is None or not token.user.is_active or (token.expires_at and token.expires_at <= now):
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
