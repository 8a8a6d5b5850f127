from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The sign-in form, with messages that do not reveal whether the account exists."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One message for a wrong password and a disabled account: neither tells an attacker more.
        message = _("账号或密码错误。连续错误 %(limit)d 次将锁定账号 %(minutes)d 分钟。") % {
            "limit": settings.AXES_FAILURE_LIMIT,
            "minutes": settings.AXES_COOLOFF_TIME.total_seconds() // 60,
        }
        self.error_messages = {"invalid_login": message, "inactive": message}
        self.fields["username"].label = _("账号")
        self.fields["password"].label = _("密码")


class OtpTokenForm(forms.Form):
    """A six-digit code from the authenticator app."""

    token = forms.RegexField(
        label=_("动态验证码"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("请输入 6 位数字验证码。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class TokenIssueForm(forms.Form):
    """Name and lifetime of a new API token."""

    name = forms.CharField(label=_("令牌名称"), max_length=50)
    days = forms.TypedChoiceField(
        label=_("有效期"),
        coerce=int,
        choices=[(30, _("30 天")), (90, _("90 天")), (180, _("180 天")), (365, _("365 天"))],
        initial=90,
    )
