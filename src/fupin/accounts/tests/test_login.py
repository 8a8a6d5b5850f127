from datetime import timedelta

from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from fupin.audit.models import AuditEvent
from fupin.testing import PASSWORD


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_signs_in_and_out_and_audits_both(client, cast):
    """A right password signs in (LOGIN row); logging out is a POST and writes a LOGOUT row."""
    response = _login(client, "county")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN, actor_username="county").exists()
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT, actor_username="county").exists()


def test_it_audits_a_failed_login_with_the_attempted_username(client, cast):
    """A wrong password shows a Chinese error and records the name that was tried."""
    response = _login(client, "county", "wrong-password")
    assert response.status_code == 200
    assert "账号或密码错误" in response.content.decode()
    failed = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert failed.actor_username == "county" and failed.actor_id is None


def test_it_locks_the_account_after_five_failures(client, cast):
    """5 wrong passwords lock the account: the 6th try, with the right password, is refused."""
    for _ in range(5):
        _login(client, "county", "wrong-password")
    response = _login(client, "county")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED_OUT, actor_username="county").exists()


def test_it_locks_the_account_not_the_address(client, cast):
    """Another account behind the same address (a county office's NAT) can still sign in."""
    for _ in range(5):
        _login(client, "county", "wrong-password")
    assert _login(client, "cadre").status_code == 302


def test_it_lifts_the_lock_after_the_cool_off(client, cast):
    """Once the last failure is more than 15 minutes old, the right password works again."""
    for _ in range(5):
        _login(client, "county", "wrong-password")
    assert _login(client, "county").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, "county").status_code == 302


def test_it_forgets_failures_older_than_the_window(client, cast):
    """Four failures, a quarter of an hour of quiet, then one more failure does not lock."""
    for _ in range(4):
        _login(client, "county", "wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    _login(client, "county", "wrong-password")
    assert _login(client, "county").status_code == 302
