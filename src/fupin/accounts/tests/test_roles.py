import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fupin.accounts.models import DataScope, UserRole
from fupin.accounts.roles import Role
from fupin.accounts.services import user_create, user_grant_role, user_revoke_role, user_set_scopes
from fupin.audit.models import AuditEvent
from fupin.testing import PASSWORD, XINGHAI


def test_it_refuses_a_second_administrator_role(cast):
    """三员分立: a system administrator cannot also be the audit administrator."""
    with pytest.raises(ValidationError, match="互斥"):
        user_grant_role(user=cast["sysadmin"], role=Role.AUDIT_ADMIN, by=cast["secadmin"])


def test_it_refuses_an_administrator_role_to_a_business_user(cast):
    """An administrator role is refused to someone who already holds a business role."""
    with pytest.raises(ValidationError, match="互斥"):
        user_grant_role(user=cast["county"], role=Role.SECURITY_ADMIN, by=cast["secadmin"])


def test_it_refuses_a_business_role_to_an_administrator(cast):
    """And a business role is refused to an administrator."""
    with pytest.raises(ValidationError, match="管理员"):
        user_grant_role(user=cast["auditadmin"], role=Role.COUNTY_OFFICER, by=cast["secadmin"])


def test_it_refuses_a_self_grant(cast):
    """Nobody changes their own roles."""
    with pytest.raises(ValidationError):
        user_grant_role(user=cast["secadmin"], role=Role.VIEWER, by=cast["secadmin"])


def test_it_backs_the_rule_with_a_database_constraint(cast):
    """Two administrator rows for one user are refused by the partial unique index itself."""
    with pytest.raises(IntegrityError), transaction.atomic():
        UserRole.objects.create(user=cast["sysadmin"], role=Role.AUDIT_ADMIN)


def test_it_grants_and_revokes_with_audit(cast):
    """A permitted grant and a revoke each write an audit row and change the user's permissions."""
    user = cast["cadre"]
    user_grant_role(user=user, role=Role.INSPECTOR, by=cast["secadmin"])
    assert UserRole.objects.filter(user=user, role=Role.INSPECTOR).exists()
    assert user_revoke_role(user=user, role=Role.INSPECTOR, by=cast["secadmin"])
    actions = list(
        AuditEvent.objects.filter(object_type="accounts.userrole")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "delete"]


def test_it_creates_users_under_the_password_policy(cast):
    """A weak password is refused; a strong one creates an audited account."""
    with pytest.raises(ValidationError):
        user_create(username="weak", password="password1", full_name="弱", by=cast["sysadmin"])
    user = user_create(username="newone", password=PASSWORD, full_name="新用户", by=cast["sysadmin"])
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_id=str(user.pk))
    assert event.actor_username == "sysadmin"
    assert event.changes["password"] == [None, "******"]


def test_it_sets_scopes_and_refuses_them_for_administrators(cast):
    """Scopes are replaced as a set and audited; administrators get none."""
    user_set_scopes(user=cast["cadre"], region_codes=[XINGHAI], by=cast["secadmin"])
    assert list(DataScope.objects.filter(user=cast["cadre"]).values_list("region_id", flat=True)) == [XINGHAI]
    assert AuditEvent.objects.get(action=AuditEvent.Action.UPDATE).changes == {
        "data_scopes": [["632524203207"], [XINGHAI]]
    }
    with pytest.raises(ValidationError):
        user_set_scopes(user=cast["sysadmin"], region_codes=[XINGHAI], by=cast["secadmin"])
