"""Reads about users: their scope parts, their roles."""

from fupin.orgs.models import AssistedPlace, Unit


def unit_and_descendants(unit_id: int) -> list[int]:
    """The unit and every unit under it (the tree is small: walk it level by level)."""
    found, frontier = [unit_id], [unit_id]
    while frontier:
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        found.extend(frontier)
    return found


def user_scope_parts(user) -> tuple[list[str], list[int]]:
    """Division prefixes and unit ids a user may see (see core.scoping for how they are used).

    Administrators of the three-admin model see no domain data, whatever else is attached.
    """
    if user.is_administrator:
        return [], []
    prefixes = list(user.data_scopes.values_list("region_id", flat=True))
    unit_ids: list[int] = []
    if user.unit_id:
        unit_ids = unit_and_descendants(user.unit_id)
        prefixes += AssistedPlace.objects.filter(unit_id__in=unit_ids).values_list("region_id", flat=True)
    return prefixes, unit_ids


def own_region_prefixes(user) -> list[str]:
    """The divisions of the user's own data scopes, without the places their unit assists.

    Seeing and answering for are different: an assisting unit sees the villages it assists (so
    they are in its scope) but does not run their party branches; the apps that separate the two
    (party.selectors.can_edit_org) ask for the user's own divisions here.
    """
    if user is None or not user.is_authenticated or user.is_administrator:
        return []
    return list(user.data_scopes.values_list("region_id", flat=True))
