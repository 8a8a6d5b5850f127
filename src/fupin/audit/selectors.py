"""Reads of the audit trail. The trail is read by role (the audit administrator), not by division:
it records the administrators too, whose scope is empty, so it has no `visible_to`."""

import datetime

from django.db.models import Q

from fupin.audit.models import AuditEvent


def event_list(
    *,
    actor: str = "",
    action: str = "",
    obj: str = "",
    ip: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    """Events matching the filters, newest first (the timestamp, then the id: ties keep an order)."""
    events = AuditEvent.objects.all()
    if actor:
        events = events.filter(actor_username__icontains=actor)
    if action:
        events = events.filter(action=action)
    if obj:
        events = events.filter(
            Q(object_repr__icontains=obj) | Q(object_type__icontains=obj) | Q(object_id=obj)
        )
    if ip:
        events = events.filter(ip__startswith=ip)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events.order_by("-at", "-id")
