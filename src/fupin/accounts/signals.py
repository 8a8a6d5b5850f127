"""Login, logout, failed-login and lockout hooks that write the audit trail.

Signals, not view code, because every way in (the login page, the admin's login, a test client's
force_login) goes through django.contrib.auth and must be recorded the same way.
"""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from fupin.audit.services import audit_record
from fupin.core.audit_actions import AuditAction

# Session keys read by SessionLimitsMiddleware (epoch seconds).
LOGIN_AT = "fupin_login_at"
SEEN_AT = "fupin_seen_at"


@receiver(user_logged_in, dispatch_uid="fupin_audit_login")
def on_logged_in(sender, request, user, **kwargs):
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    audit_record(action=AuditAction.LOGIN, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="fupin_audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")
    locked = bool(getattr(request, "axes_locked_out", False))
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        request=request,
        actor_username=username,
        object_repr=username,
        detail=_("账号已锁定,拒绝登录") if locked else _("账号或密码错误"),
    )


@receiver(user_logged_out, dispatch_uid="fupin_audit_logout")
def on_logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    audit_record(
        action=AuditAction.LOGOUT,
        actor=user,
        request=request,
        detail=getattr(request, "fupin_logout_reason", ""),
    )


@receiver(user_locked_out, dispatch_uid="fupin_audit_locked_out")
def on_locked_out(sender, request, username, ip_address=None, **kwargs):
    audit_record(
        action=AuditAction.LOCKED_OUT,
        request=request,
        actor_username=str(username or ""),
        object_repr=str(username or ""),
        detail=_("连续登录失败,账号锁定"),
    )
