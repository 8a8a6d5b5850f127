import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.accounts.roles import ADMIN_ROLES, Role
from fupin.core.models import Created


class User(AbstractUser):
    """A person who signs in. What they see comes from their data scopes and unit (see core.scoping)."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [
            ("use_admin", _("可以进入后台")),
            ("grant_role", _("可以分配角色和数据范围")),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def roles(self) -> frozenset[str]:
        """The user's role codes, read once per request."""
        if not hasattr(self, "_fupin_roles"):
            self._fupin_roles = (
                frozenset(self.role_grants.values_list("role", flat=True)) if self.pk else frozenset()
            )
        return self._fupin_roles

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_administrator(self) -> bool:
        return bool(self.roles & ADMIN_ROLES)


class UserRole(models.Model):
    """A role granted to a user. The database itself refuses a second administrator role per user."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_userrole_unique"),
            # 三员分立: one administrator role per user, enforced by a partial unique index.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role__in=sorted(ADMIN_ROLES)),
                name="accounts_userrole_one_admin_role",
                violation_error_message=_(
                    "系统管理员、安全管理员、审计管理员三种角色互斥,同一账号只能担任其一。"
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class DataScope(models.Model):
    """A division the user may see: every record whose code starts with this region's code."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="data_scopes"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("数据范围"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["user", "region"]
        verbose_name = _("数据范围")
        verbose_name_plural = _("数据范围")
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="accounts_datascope_unique")]

    def __str__(self):
        return f"{self.user} · {self.region}"


class ApiToken(Created):
    """A bearer token for programs. Only a SHA-256 of the key is stored; the key is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=50)
    prefix = models.CharField(_("前缀"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    # Revoked, not deleted: the row keeps who held the token and when it stopped working.
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
