"""Who is signed in, where: the roles, unit and data-scope places the layout and home page show."""

from dataclasses import dataclass, field

from fupin.accounts.roles import Role
from fupin.core.menu import url_or_none
from fupin.core.scoping import scope_of
from fupin.regions.models import Region


@dataclass
class ScopePlace:
    """One division of the user's data scope, with the names of the divisions above it."""

    code: str
    name: str
    level_label: str
    path: list[str] = field(default_factory=list)  # 青海省, 海南藏族自治州, 兴海县


def role_labels(user) -> list[str]:
    """The display names of the user's roles, in the order the roles are declared."""
    codes = user.roles
    return [str(role.label) for role in Role if role in codes]


def scope_places(user) -> list[ScopePlace]:
    """The user's scope divisions with their full paths, walking `parent` one level per query."""
    regions = list(Region.objects.filter(code__in=scope_of(user).prefixes).order_by("code"))
    names: dict[str, str] = {}
    parents: dict[str, str | None] = {}
    frontier = regions
    while frontier:
        for region in frontier:
            names[region.code] = region.name
            parents[region.code] = region.parent_id
        missing = {p for p in parents.values() if p and p not in names}
        frontier = list(Region.objects.filter(code__in=missing)) if missing else []
    places = []
    for region in regions:
        path, code = [], region.code
        while code and code in names:
            path.append(names[code])
            code = parents[code]
        places.append(
            ScopePlace(
                code=region.code,
                name=region.name,
                level_label=str(region.get_level_display()),
                path=path[::-1],
            )
        )
    return places


@dataclass
class Shell:
    """The top bar's facts about the signed-in user."""

    role_names: list[str]
    unit: str
    area: str
    area_count: int  # how many places the data scope holds, `area` included ("右玉县 等 9 地")
    profile_url: str | None


def for_request(request) -> Shell | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    prefixes = scope_of(user).prefixes
    first = Region.objects.filter(code__in=prefixes).order_by("code").first() if prefixes else None
    return Shell(
        role_names=role_labels(user),
        unit=str(user.unit) if user.unit_id else "",
        area=first.name if first else "",
        area_count=len(prefixes),
        profile_url=url_or_none("accounts:profile"),
    )
