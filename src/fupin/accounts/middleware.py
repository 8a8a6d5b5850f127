"""Session limits (idle and absolute timeouts) and the two-factor requirement (等保 2.0); the user of
a program's API call before its token is checked."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from fupin.accounts.roles import TWO_FACTOR_ROLES
from fupin.accounts.signals import LOGIN_AT, SEEN_AT

# Write the "last seen" stamp at most this often: a session save on every request is wasted I/O,
# and a minute is nothing against a 30-minute idle limit.
_SEEN_RESOLUTION = 60


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _login_redirect(request, reason: str):
    query = urlencode({"next": request.get_full_path(), "reason": reason})
    return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{query}")


class AnonymousCallerMiddleware:
    """`request.user` of a token call until the API's token authentication sets the token's user:
    an anonymous one, which is all the session and authentication middleware could find for a call
    without the session cookie (core.api_handler.is_token_api_call). Building the session store and
    the lazy user for each call was about 80 µs of CPU in-process (docs/benchmarks.md); no API
    operation reads `request.session`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = AnonymousUser()
        return self.get_response(request)


class SessionLimitsMiddleware:
    """Signs a user out after SESSION_IDLE_TIMEOUT without requests, or SESSION_ABSOLUTE_TIMEOUT
    after signing in, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                request.fupin_logout_reason = (
                    _("会话空闲超时") if expired == "idle" else _("会话超过最长时限")
                )
                logout(request)
                if _is_api(request):
                    return JsonResponse({"detail": _("会话已超时,请重新登录。")}, status=401)
                return _login_redirect(request, expired)
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> str | None:
        session, now = request.session, time.time()
        login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
        if login_at is None or seen_at is None:
            # A session signed in some way that bypassed the login signal: start its clocks now.
            session[LOGIN_AT] = login_at or now
            session[SEEN_AT] = now
            return None
        if now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
            return "absolute"
        if now - seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds():
            return "idle"
        if now - seen_at > _SEEN_RESOLUTION:
            session[SEEN_AT] = now
        return None


def needs_two_factor(user) -> bool:
    """Administrators always; anyone else once they have enrolled a device."""
    return user.has_role(*TWO_FACTOR_ROLES) or user_has_device(user, confirmed=True)


class TwoFactorRequiredMiddleware:
    """Sends a signed-in user who needs a second factor to verify (or, with no device, to enrol)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not self._exempt(request.path)
            and needs_two_factor(user)
        ):
            if _is_api(request):
                return JsonResponse({"detail": _("需要完成两步验证。")}, status=403)
            target = "accounts:otp_verify" if user_has_device(user, confirmed=True) else "accounts:otp_enrol"
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(target)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = (
            reverse("accounts:login"),
            reverse("accounts:logout"),
            reverse("accounts:otp_verify"),
            reverse("accounts:otp_enrol"),
            settings.STATIC_URL,
            "/i18n/",
            "/healthz",
        )
        return path.startswith(exempt)
