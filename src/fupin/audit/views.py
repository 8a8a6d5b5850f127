from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from fupin.audit.models import AuditEvent


@permission_required("audit.view_auditevent", raise_exception=True)
def event_list(request):
    return render(request, "audit/event_list.html", {"events": AuditEvent.objects.all()[:100]})
