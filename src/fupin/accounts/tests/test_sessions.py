import time

from django.urls import reverse

from fupin.accounts.signals import LOGIN_AT, SEEN_AT
from fupin.audit.models import AuditEvent


def _shift(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_it_keeps_an_active_session(client, cast):
    """A user who keeps working stays signed in."""
    client.force_login(cast["county"])
    assert client.get(reverse("core:home")).status_code == 200


def test_it_signs_out_after_30_idle_minutes(client, cast):
    """After 31 minutes without a request the user is signed out and sent to login with a message."""
    client.force_login(cast["county"])
    _shift(client, **{SEEN_AT: 31 * 60})
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "reason=idle" in response["Location"]
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "会话已超时" in page.content.decode()
    logout = AuditEvent.objects.get(action=AuditEvent.Action.LOGOUT)
    assert logout.detail == "会话空闲超时"


def test_it_signs_out_after_the_absolute_limit(client, cast, settings):
    """Even an active session ends SESSION_ABSOLUTE_TIMEOUT after sign-in."""
    client.force_login(cast["county"])
    _shift(client, **{LOGIN_AT: settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() + 60, SEEN_AT: 10})
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and "reason=absolute" in response["Location"]


def test_it_answers_an_expired_api_session_with_401_json(client, cast):
    """Under /api/ an expired session gets a JSON 401 instead of a redirect."""
    client.force_login(cast["county"])
    _shift(client, **{SEEN_AT: 31 * 60})
    response = client.get("/api/accounts/me")
    assert response.status_code == 401
    assert response.json()["detail"]
