from django.shortcuts import render
from django.utils.translation import gettext as _

from fupin.audit.services import audit_denied


def permission_denied(request, exception=None):
    """handler403: every refusal is written to the audit trail, then a Chinese 403 page."""
    reason = str(exception) if exception else ""
    audit_denied(request, reason or _("没有访问权限"))
    return render(request, "audit/denied.html", {"reason": reason}, status=403)
