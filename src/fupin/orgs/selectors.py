"""Reads about units, always through the scoping choke point."""

from django.db.models import Q

from fupin.orgs.models import Unit


def unit_list(*, user, q: str = "", kind: str = ""):
    units = Unit.objects.visible_to(user).select_related("region", "parent")
    if q:
        units = units.filter(Q(name__contains=q) | Q(short_name__contains=q))
    if kind:
        units = units.filter(kind=kind)
    return units


def unit_places(unit):
    return unit.assisted_places.select_related("region").order_by("region_id")
