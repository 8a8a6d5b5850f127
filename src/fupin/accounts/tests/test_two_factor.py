import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

ADMINS = ["sysadmin", "secadmin", "auditadmin"]


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("name", ADMINS)
def test_it_sends_an_administrator_without_a_device_to_enrolment(client, cast, name):
    """An administrator with no device is sent to the enrolment page, which shows a QR code."""
    client.force_login(cast[name])
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_enrol"))
    page = client.get(response["Location"])
    assert page.status_code == 200 and "<svg" in page.content.decode()


@pytest.mark.parametrize("name", ADMINS)
def test_it_requires_a_code_from_each_administrator(client, cast, name):
    """Redirected to verify until a right code is given; then the pages open."""
    device = TOTPDevice.objects.create(user=cast[name], name="phone", confirmed=True)
    client.force_login(cast[name])
    response = client.get(reverse("core:home"))
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    bad = client.post(
        reverse("accounts:otp_verify"), {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert bad.status_code == 200 and "验证码错误" in bad.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(reverse("accounts:otp_verify") + "?next=/", {"token": _code(device)})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_it_enrols_with_a_confirming_code(client, cast):
    """The enrolment page creates a device; a right code confirms it and verifies the session."""
    client.force_login(cast["secadmin"])
    client.get(reverse("accounts:otp_enrol"))
    device = TOTPDevice.objects.get(user=cast["secadmin"])
    assert not device.confirmed
    response = client.post(reverse("accounts:otp_enrol"), {"token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200


def test_it_leaves_business_users_without_a_device_alone(client, cast):
    """Two-factor is optional for business roles until they enrol."""
    client.force_login(cast["county"])
    assert client.get(reverse("core:home")).status_code == 200


def test_it_requires_a_code_once_a_business_user_has_enrolled(client, cast):
    """A business user who has a confirmed device must use it."""
    TOTPDevice.objects.create(user=cast["county"], name="phone", confirmed=True)
    client.force_login(cast["county"])
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:otp_verify"))


def test_it_keeps_the_login_page_and_static_files_open(client, cast):
    """The login, logout and code pages are exempt (no redirect loop)."""
    client.force_login(cast["sysadmin"])
    assert client.get(reverse("accounts:otp_enrol")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
