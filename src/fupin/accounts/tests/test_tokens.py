from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from fupin.accounts.models import ApiToken
from fupin.accounts.tokens import token_issue, token_revoke
from fupin.audit.models import AuditEvent


def _me(client, key):
    return client.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key}")


def test_it_authenticates_the_api_with_a_bearer_token(client, cast):
    """A fresh token opens /api/accounts/me as its owner."""
    _token, key = token_issue(user=cast["county"], name="脚本", by=cast["county"])
    response = _me(client, key)
    assert response.status_code == 200 and response.json()["username"] == "county"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="accounts.apitoken"
    ).exists()


def test_it_refuses_a_revoked_token(client, cast):
    """A revoked token stops working at once, and the revocation is audited."""
    token, key = token_issue(user=cast["county"], name="脚本", by=cast["county"])
    token_revoke(token=token, by=cast["secadmin"])
    assert _me(client, key).status_code == 401
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, object_id=str(token.pk)).exists()


def test_it_refuses_an_expired_token(client, cast):
    """A token past its expiry date is refused."""
    _token, key = token_issue(
        user=cast["county"], name="旧", expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert _me(client, key).status_code == 401


def test_it_refuses_a_made_up_token(client, cast):
    """A key that was never issued is refused."""
    assert _me(client, "fp_nonsense").status_code == 401


def test_it_shows_a_new_key_once_on_the_token_page(client, cast):
    """The token page issues a key and shows it on that response only."""
    client.force_login(cast["county"])
    response = client.post(reverse("accounts:token_list"), {"name": "报表脚本", "days": "30"})
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    assert key not in client.get(reverse("accounts:token_list")).content.decode()
    token = ApiToken.objects.get(user=cast["county"])
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
