"""API tokens: issue (key shown once), authenticate by hash, revoke. Issue and revoke are audited."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from operator import itemgetter

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, transaction
from django.db.models import Aggregate, CharField, OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.models import ApiToken, DataScope, User, UserRole
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
    """A column's values joined with commas (role and division codes, permission names hold none)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _listed(model, column):
    rows = model.objects.filter(user=OuterRef("user_id")).order_by().values("user")
    return Subquery(rows.annotate(listed=_Listed(column)).values("listed"))


@cache
def _tokens():
    """The look-up's query, built once (a template only, never evaluated): resolving its two
    subqueries on each request cost more than running them."""
    granted = User.user_permissions.through
    name = Concat("permission__content_type__app_label", Value("."), "permission__codename")
    return ApiToken.objects.select_related("user").annotate(
        role_list=_listed(UserRole, "role"),
        region_list=_listed(DataScope, "region_id"),
        perm_list=_listed(granted, name),
    )


# The look-up's SQL, compiled once per database: only the key's hash changes between requests.
# Compiling the ORM's query (a join and three subqueries) was 1.5 ms of CPU on each API request,
# more than running it; the ORM still defines the query, so it is the same SQL as before.
_KEY_MARKER = "fupin: the key's hash goes here"


@dataclass(frozen=True)
class _Lookup:
    sql: str
    params: tuple
    key_at: int  # where the key's hash goes among the params
    token: tuple[tuple[int, str], ...]  # (column, attname) of the token's fields
    user: tuple[tuple[int, str], ...]
    # The same as from_db takes them (names, and a getter of the values from the row), made once:
    # building the four lists for each request was 3 µs.
    token_names: tuple[str, ...]
    token_values: Callable
    user_names: tuple[str, ...]
    user_values: Callable
    annotations: dict[str, int]
    converters: tuple  # (column, converters, expression): the ORM's conversions of values


_lookups: dict[str, _Lookup] = {}


def _lookup(connection) -> _Lookup:
    found = _lookups.get(connection.alias)
    if found is not None:
        return found
    query = _tokens().filter(key_hash=_KEY_MARKER).order_by()[:1].query  # key_hash is unique
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    select = compiler.select
    (user_info,) = compiler.klass_info["related_klass_infos"]

    def columns(indexes):
        return tuple((i, select[i][0].target.attname) for i in indexes)

    token, user = columns(compiler.klass_info["select_fields"]), columns(user_info["select_fields"])

    expressions = [column[0] for column in select[: compiler.col_count]]
    converters = compiler.get_converters(expressions)
    found = _lookups[connection.alias] = _Lookup(
        sql=sql,
        params=tuple(params),
        key_at=list(params).index(_KEY_MARKER),
        token=token,
        user=user,
        token_names=tuple(name for _i, name in token),
        token_values=itemgetter(*(i for i, _name in token)),
        user_names=tuple(name for _i, name in user),
        user_values=itemgetter(*(i for i, _name in user)),
        annotations=dict(compiler.annotation_col_map),
        converters=tuple((i, funcs, expression) for i, (funcs, expression) in converters.items()),
    )
    return found


def _fetch(lookup: _Lookup, key_hash: str):
    params = list(lookup.params)
    params[lookup.key_at] = key_hash
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(lookup.sql, params)
        return cursor.fetchone()


def _fetch_checked(connection, lookup: _Lookup, key_hash: str):
    """_fetch, as the request's health check of a kept-open connection (CONN_HEALTH_CHECKS).

    Django checks such a connection with a `SELECT 1` before the request's first statement, so that
    one the database dropped meanwhile is replaced instead of failing the request. An API call's
    first statement is this look-up, a read that can simply run again: it is the check. On a
    connection found dead it is closed and the look-up runs once more on a new one — what the
    check would have done, without its round trip on every call (0.4 ms of CPU, app and database,
    per call of the household list: docs/benchmarks.md)."""
    checking = (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    )
    if not checking:
        return _fetch(lookup, key_hash)
    connection.health_check_done = True
    try:
        return _fetch(lookup, key_hash)
    except (InterfaceError, OperationalError):
        if connection.is_usable():
            raise  # not a dropped connection
        connection.close()
        return _fetch(lookup, key_hash)


def _token_of(key_hash: str) -> ApiToken | None:
    """The token of this hash with its user, and the user's roles, data scopes and permissions
    granted directly (as `role_list`, `region_list`, `perm_list`): one indexed query."""
    # The default database's connection, looked up once: each use of django.db.connection goes
    # through its proxy to the thread's connections (3–4 µs each; seven uses on this path).
    connection = connections[DEFAULT_DB_ALIAS]
    lookup = _lookup(connection)
    row = _fetch_checked(connection, lookup, key_hash)
    if row is None:
        return None
    if lookup.converters:
        row = list(row)
        for i, funcs, expression in lookup.converters:
            for convert in funcs:
                row[i] = convert(row[i], expression, connection)
    db = connection.alias
    token = ApiToken.from_db(db, lookup.token_names, lookup.token_values(row))
    user = User.from_db(db, lookup.user_names, lookup.user_values(row))
    ApiToken.user.field.set_cached_value(token, user)
    for name, i in lookup.annotations.items():
        setattr(token, name, row[i])
    return token


def authenticate_token(key: str):
    """The active user behind a key, or None. Touches last_used_at at most once a minute.

    One indexed query (compiled once, see _lookup) reads the token, its user and the user's roles,
    data scopes and directly granted permissions, set as the request's caches (User.roles,
    core.scoping.scope_of, the permission backend's): one query where there were four
    (docs/benchmarks.md). A user with a unit gets the scope of scope_of, which adds the unit's tree
    and assisted places. Nothing is cached between requests: a revoked or expired token, or a
    deactivated user, is refused at the next request.
    """
    if not key or len(key) > 200:
        return None
    token = _token_of(ApiToken.hash_key(key))
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user = token.user
    user._fupin_roles = frozenset(filter(None, (token.role_list or "").split(",")))
    if not user.is_superuser:  # as ModelBackend's cache of the user's own permissions
        user._user_perm_cache = set(filter(None, (token.perm_list or "").split(",")))
    if user.unit_id is None:  # as accounts.selectors.user_scope_parts, without its queries
        regions = [] if user.is_administrator else (token.region_list or "").split(",")
        preset_scope(user, prefixes=filter(None, regions))
    return user
