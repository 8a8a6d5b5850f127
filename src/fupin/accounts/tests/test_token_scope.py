"""Token authentication reads the user's roles and data scopes in the token's query; what it sets
is what the separate look-ups give (User.roles, core.scoping.scope_of)."""

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fupin.accounts.models import DataScope, User
from fupin.accounts.tokens import authenticate_token, token_issue
from fupin.core.scoping import scope_of


def test_the_token_brings_the_roles_and_the_scope_of_every_kind_of_user(cast):
    DataScope.objects.create(user=cast["county"], region_id="620821")  # two divisions
    for name in ("county", "cadre", "outsider", "unitofficer", "sysadmin", "secadmin", "auditadmin"):
        _token, key = token_issue(user=cast[name], name="t")
        with CaptureQueriesContext(connection) as queries:
            user = authenticate_token(key)
            roles, scope = user.roles, scope_of(user)
        fresh = User.objects.get(pk=user.pk)
        assert (roles, scope) == (fresh.roles, scope_of(fresh)), name
        if user.unit_id is None:
            reads = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
            assert len(reads) == 1, name  # (the first use also writes last_used_at)
    assert scope_of(authenticate_token(token_issue(user=cast["sysadmin"], name="t")[1])).is_empty


def test_a_user_without_roles_or_scopes(cast):
    bare = User.objects.create(username="nobody")
    user = authenticate_token(token_issue(user=bare, name="t")[1])
    assert user.roles == frozenset() and scope_of(user).is_empty


def test_the_token_brings_the_permissions_granted_directly(cast):
    """Beside the roles' permissions, a user may hold some granted one by one: the token's query
    reads those too (the permission backend's cache), so a check costs no query of its own."""
    user = cast["county"]
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    _token, key = token_issue(user=user, name="t")
    authenticate_token(key)  # the first use writes last_used_at
    with CaptureQueriesContext(connection) as queries:
        authed = authenticate_token(key)
        perms = authed.get_all_permissions()
    assert "audit.view_auditevent" in perms
    assert perms == User.objects.get(pk=user.pk).get_all_permissions()
    assert len(queries.captured_queries) == 1
