"""API tokens: issue (key shown once), authenticate by hash, revoke. Issue and revoke are audited."""

import secrets
from functools import cache

from django.db import transaction
from django.db.models import Aggregate, CharField, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.models import ApiToken, DataScope, UserRole
from fupin.audit.services import audit_record
from fupin.core.audit_actions import AuditAction
from fupin.core.scoping import preset_scope


def token_issue(*, user, name: str, expires_at=None, by=None, request=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns (token, key). The key is never stored, only its hash."""
    key = "fp_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=key[:8], key_hash=ApiToken.hash_key(key), expires_at=expires_at
        )
        audit_record(
            action=AuditAction.CREATE,
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
            action=AuditAction.UPDATE,
            actor=by,
            request=request,
            obj=token,
            object_repr=f"{token.user.get_username()} · {token}",
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
            detail=_("吊销接口令牌"),
        )
    return token


class _Listed(Aggregate):
    """A column's values joined with commas (role and division codes hold none)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _listed(model, column: str):
    rows = model.objects.filter(user=OuterRef("user_id")).order_by().values("user")
    return Subquery(rows.annotate(listed=_Listed(column)).values("listed"))


@cache
def _tokens():
    """The look-up's query, built once (a template only, never evaluated): resolving its two
    subqueries on each request cost more than running them."""
    return ApiToken.objects.select_related("user").annotate(
        role_list=_listed(UserRole, "role"), region_list=_listed(DataScope, "region_id")
    )


def authenticate_token(key: str):
    """The active user behind a key, or None. Touches last_used_at at most once a minute.

    The user's roles and data scopes come in the token's query and are set as the request's
    caches (User.roles, core.scoping.scope_of): one query instead of three, 7.4 → 4.6 ms of CPU
    per API list request in-process (docs/benchmarks.md). A user with a unit gets the scope of
    scope_of, which adds the unit's tree and assisted places.
    """
    if not key or len(key) > 200:
        return None
    token = _tokens().filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user = token.user
    user._fupin_roles = frozenset(filter(None, (token.role_list or "").split(",")))
    if user.unit_id is None:  # as accounts.selectors.user_scope_parts, without its queries
        regions = [] if user.is_administrator else (token.region_list or "").split(",")
        preset_scope(user, prefixes=filter(None, regions))
    return user
