"""What an audit row says was done: shared ground, so every app names an action without reaching
into the audit app's models (audit.models.AuditEvent.Action is this same class)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("账号锁定")
    LOGOUT = "logout", _("退出")
    DENIED = "denied", _("拒绝访问")
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    REVEAL = "reveal", _("查看敏感信息")
    EXPORT = "export", _("导出")
    PURGE = "purge", _("清理过期记录")
    OTHER = "other", _("其他")
