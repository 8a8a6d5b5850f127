"""Writes about users: create, grant and revoke roles, set data scopes. Every one is audited.

三员分立 (等保 2.0): the system, security and audit administrator roles exclude each other and
every business role. The service refuses with a clear message; the partial unique index on
UserRole backs the administrator-vs-administrator rule in the database as well.
"""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from fupin.accounts.models import DataScope, User, UserRole
from fupin.accounts.roles import ADMIN_ROLES, Role
from fupin.audit.services import audit_model_change, audit_record
from fupin.core.audit_actions import AuditAction
from fupin.regions.models import Region


def _forget_cached_access(user) -> None:
    for attr in ("_fupin_roles", "_fupin_perm_cache", "_fupin_scope", "_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(attr, None)


def _locked(user) -> User:
    # Lock the user row so two concurrent grants cannot both pass the exclusivity check.
    return User.objects.select_for_update().get(pk=user.pk)


def role_grant_problem(*, user, role: str, by=None) -> str | None:
    """Why `role` may not be granted to `user` now, or None. Used by the service and admin forms."""
    if role not in Role.values:
        return _("未知角色:%(role)s") % {"role": role}
    if by is not None and by.pk == user.pk:
        return _("不能给自己分配或撤销角色。")
    held = set(UserRole.objects.filter(user=user).values_list("role", flat=True)) - {role}
    if role in ADMIN_ROLES and held:
        return _("系统管理员、安全管理员、审计管理员与其他任何角色互斥,该账号已有角色:%(roles)s。") % {
            "roles": "、".join(str(Role(r).label) for r in sorted(held))
        }
    if role not in ADMIN_ROLES and held & ADMIN_ROLES:
        return _("该账号是管理员(%(roles)s),不能再担任业务角色。") % {
            "roles": "、".join(str(Role(r).label) for r in sorted(held & ADMIN_ROLES))
        }
    return None


def user_create(*, username: str, password: str, full_name: str, unit=None, by, request=None) -> User:
    """A new account; the password must pass the password policy (等保 complexity)."""
    candidate = User(username=username, full_name=full_name, unit=unit)
    validate_password(password, candidate)
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ValidationError(_("账号 %(username)s 已存在。") % {"username": username})
        user = User.objects.create_user(username=username, password=password, full_name=full_name, unit=unit)
        audit_model_change(actor=by, request=request, instance=user, action=AuditAction.CREATE)
    return user


def user_grant_role(*, user, role: str, by, request=None) -> UserRole:
    """Grant a role, refusing any combination 三员分立 forbids. Granting a held role changes nothing."""
    with transaction.atomic():
        user = _locked(user)
        existing = UserRole.objects.filter(user=user, role=role).first()
        if existing is not None:
            return existing
        problem = role_grant_problem(user=user, role=role, by=by)
        if problem:
            raise ValidationError(problem, code="role_conflict")
        grant = UserRole.objects.create(user=user, role=role)
        audit_model_change(actor=by, request=request, instance=grant, action=AuditAction.CREATE)
    _forget_cached_access(user)
    return grant


def user_revoke_role(*, user, role: str, by, request=None) -> bool:
    """Take a role away; returns whether the user held it."""
    if by is not None and by.pk == user.pk:
        raise ValidationError(_("不能给自己分配或撤销角色。"))
    with transaction.atomic():
        grant = UserRole.objects.filter(user=user, role=role).first()
        if grant is None:
            return False
        audit_model_change(actor=by, request=request, instance=grant, action=AuditAction.DELETE)
        grant.delete()
    _forget_cached_access(user)
    return True


def user_set_scopes(*, user, region_codes, by, request=None) -> list[str]:
    """Replace the user's data scopes with exactly these divisions."""
    codes = sorted(set(region_codes))
    with transaction.atomic():
        user = _locked(user)
        if codes and user.is_administrator:
            raise ValidationError(_("管理员账号不查看业务数据,不能设置数据范围。"))
        known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValidationError(_("区划代码不存在:%(codes)s") % {"codes": "、".join(unknown)})
        before = sorted(DataScope.objects.filter(user=user).values_list("region_id", flat=True))
        if before == codes:
            return codes
        DataScope.objects.filter(user=user).exclude(region_id__in=codes).delete()
        DataScope.objects.bulk_create(
            [DataScope(user=user, region_id=c) for c in codes if c not in before], ignore_conflicts=True
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=by,
            request=request,
            obj=user,
            changes={"data_scopes": [before, codes]},
            detail=_("设置数据范围"),
        )
    _forget_cached_access(user)
    return codes


def user_reset_two_factor(*, user, by, request=None) -> int:
    """Remove the user's TOTP devices (a lost phone); an administrator re-enrols at next sign-in."""
    with transaction.atomic():
        count, _ignored = TOTPDevice.objects.filter(user=user).delete()
        audit_record(
            action=AuditAction.UPDATE,
            actor=by,
            request=request,
            obj=user,
            detail=_("重置两步验证(删除 %(count)d 个设备)") % {"count": count},
        )
    return count
