"""Reads about users: their scope parts, their roles, the accounts a user may name."""

from django.db.models import Q

from fupin.accounts.models import User
from fupin.accounts.roles import ADMIN_ROLES
from fupin.core.scoping import scope_of
from fupin.orgs import selectors as orgs


def user_scope_parts(user) -> tuple[list[str], list[int]]:
    """Division prefixes and unit ids a user may see (see core.scoping for how they are used).

    Administrators of the three-admin model see no domain data, whatever else is attached.
    """
    if user.is_administrator:
        return [], []
    prefixes = list(user.data_scopes.values_list("region_id", flat=True))
    unit_ids: list[int] = []
    if user.unit_id:
        unit_ids = orgs.unit_and_descendants(user.unit_id)
        prefixes += orgs.assisted_region_codes(unit_ids)
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


def accounts_visible_to(user):
    """The active business accounts a user may name (to link a cadre, say): those of a unit the
    user may see, or whose data scope lies within the user's divisions. Administrators are never
    named: they hold no business role."""
    scope = scope_of(user)
    if scope.is_empty:
        return User.objects.none()
    within = scope.region_q("data_scopes__region__code")
    visible = User.objects.filter(within | Q(unit__in=orgs.units_visible_to(user)))
    return User.objects.filter(pk__in=visible.values("pk"), is_active=True).exclude(
        role_grants__role__in=sorted(ADMIN_ROLES)
    )


def account_for(user, username: str):
    """The active account `username` if the user may name it, else None. Out of scope answers
    exactly like missing, so the look-up never tells whether a username exists elsewhere.

    `user=None` is the system (commands): any active account.
    """
    if not username:
        return None
    accounts = User.objects.filter(is_active=True) if user is None else accounts_visible_to(user)
    return accounts.filter(username=username).first()
