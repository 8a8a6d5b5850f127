"""Reads about units, always through the scoping choke point.

Other apps read units and assisted places here, never from orgs.models (see docs/architecture.md).
"""

from django.db.models import Q
from django.http import Http404

from fupin.orgs.models import AssistedPlace, Unit


def units_visible_to(user):
    """The units a user may see: their own and those under it, those in or assisting their places.

    Nobody signed in (None) sees none; a form declares its unit field with `units_visible_to(None)`
    and narrows it to the user's units when it is built.
    """
    return Unit.objects.visible_to(user)


def unit_for(user, pk):
    """The unit `pk` if the user may see it, else None: out of scope answers exactly like missing.

    `user=None` is the system (imports, the demo, commands), as `by=None` in the services: any unit.
    """
    if not isinstance(pk, int) or isinstance(pk, bool):
        return None
    units = Unit.objects.all() if user is None else Unit.objects.visible_to(user)
    return units.filter(pk=pk).first()


def unit_or_404(user, pk) -> Unit:
    """`unit_for(user, pk)`, or the same 404 whether it is missing or out of scope."""
    unit = unit_for(user, pk)
    if unit is None:
        raise Http404
    return unit


def places_visible_to(user):
    """The assisted places (定点帮扶) a user may see."""
    return AssistedPlace.objects.visible_to(user)


def unit_and_descendants(unit_id: int) -> list[int]:
    """The unit and every unit under it (the tree is small: walk it level by level)."""
    found, frontier = [unit_id], [unit_id]
    while frontier:
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        found.extend(frontier)
    return found


def assisted_region_codes(unit_ids) -> list[str]:
    """The division codes of the places these units assist (part of their people's scope)."""
    return list(AssistedPlace.objects.filter(unit_id__in=unit_ids).values_list("region_id", flat=True))


def unit_list(*, user, q: str = "", kind: str = ""):
    units = Unit.objects.visible_to(user).select_related("region", "parent")
    if q:
        units = units.filter(Q(name__contains=q) | Q(short_name__contains=q))
    if kind:
        units = units.filter(kind=kind)
    return units.order_by("name", "id")


def unit_places(unit):
    return unit.assisted_places.select_related("region").order_by("region_id")


def units_by_ids(ids):
    """The units of `ids` (already decided on: the unit and those under it), unscoped, by name."""
    return Unit.objects.filter(pk__in=list(ids)).order_by("name")


def units_named(text: str):
    """The units whose full or short name is `text`, unscoped (the command line's look-up)."""
    return Unit.objects.filter(Q(name=text) | Q(short_name=text)).order_by("name")
