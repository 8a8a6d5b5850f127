from base64 import b32encode
from datetime import timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from fupin.accounts.forms import LoginForm, OtpTokenForm, TokenIssueForm
from fupin.accounts.middleware import needs_two_factor
from fupin.accounts.models import ApiToken
from fupin.accounts.tokens import token_issue, token_revoke
from fupin.audit.services import audit_record
from fupin.core.audit_actions import AuditAction

_REASONS = {
    "idle": gettext_lazy("长时间未操作,会话已超时,请重新登录。"),
    "absolute": gettext_lazy("登录时间已达上限,请重新登录。"),
}


def _cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Only fixed messages keyed by a code: nothing from the query string reaches the page.
        reason = _REASONS.get(self.request.GET.get("reason", ""))
        context["reason"] = str(reason) if reason else ""
        return context


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """AXES_LOCKOUT_CALLABLE: the page shown instead of the login form while an account is locked."""
    return render(request, "accounts/locked_out.html", {"minutes": _cooloff_minutes()}, status=429)


def _next_url(request, default="core:home"):
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return redirect(default).url


@login_required
def otp_verify(request):
    """Second step of sign-in: a code from the user's authenticator app."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp_enrol")
    form = OtpTokenForm(request.POST or None)
    if form.is_valid():
        with transaction.atomic():
            ok = device.verify_token(form.cleaned_data["token"])
        if ok:
            otp_login(request, device)
            return redirect(_next_url(request))
        audit_record(action=AuditAction.LOGIN_FAILED, request=request, detail=_("动态验证码错误"))
        form.add_error("token", _("验证码错误或已过期,请重试。"))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_enrol(request):
    """Bind an authenticator app: scan the QR code (or type the secret), confirm with a code."""
    if user_has_device(request.user, confirmed=True):
        return redirect("accounts:otp_verify" if not request.user.is_verified() else "accounts:profile")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": _("手机验证器")}
    )
    form = OtpTokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(
                action=AuditAction.UPDATE,
                request=request,
                obj=request.user,
                detail=_("绑定两步验证设备"),
            )
            messages.success(request, _("两步验证已启用。"))
            return redirect(_next_url(request, "accounts:profile"))
        form.add_error("token", _("验证码错误或已过期,请重试。"))
    secret = b32encode(device.bin_key).decode()
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(
        request,
        "accounts/otp_enrol.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": _next_url(request, "accounts:profile")},
    )


@login_required
@require_POST
def otp_disable(request):
    """Users outside the administrator roles may turn their own second factor off again."""
    if request.user.is_administrator or not request.user.is_verified():
        messages.error(request, _("管理员必须使用两步验证,不能关闭。"))
        return redirect("accounts:profile")
    TOTPDevice.objects.filter(user=request.user).delete()
    audit_record(action=AuditAction.UPDATE, request=request, obj=request.user, detail=_("关闭两步验证"))
    messages.success(request, _("两步验证已关闭。"))
    return redirect("accounts:profile")


@login_required
def profile(request):
    """我的账号: password, two-factor status and API tokens."""
    return render(
        request,
        "accounts/profile.html",
        {
            "two_factor_on": user_has_device(request.user, confirmed=True),
            "two_factor_required": request.user.is_administrator,
            "tokens": ApiToken.objects.filter(user=request.user),
            "needs_two_factor": needs_two_factor(request.user),
        },
    )


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if form.is_valid():
        with transaction.atomic():
            user = form.save()
            audit_record(
                action=AuditAction.UPDATE,
                request=request,
                obj=user,
                changes={"password": ["******", "******"]},
                detail=_("修改密码"),
            )
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改。"))
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def token_list(request):
    """The user's own API tokens; a new key is shown on this response only, never again."""
    form = TokenIssueForm(request.POST or None)
    new_key = None
    if form.is_valid():
        expires_at = timezone.now() + timedelta(days=form.cleaned_data["days"])
        _token, new_key = token_issue(
            user=request.user,
            name=form.cleaned_data["name"],
            expires_at=expires_at,
            by=request.user,
            request=request,
        )
        form = TokenIssueForm()
    tokens = ApiToken.objects.filter(user=request.user)
    response = render(
        request, "accounts/token_list.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )
    response["Cache-Control"] = "no-store"  # the page may hold a key
    return response


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_revoke(token=token, by=request.user, request=request)
    messages.success(request, _("令牌已吊销。"))
    return redirect("accounts:token_list")
