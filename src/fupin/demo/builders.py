"""Builds the demo data. Idempotent: every record is found by its natural key before it is made.

Later apps add a `build_<app>(out)` step here, in dependency order, from their own demo module.
"""

from django.db import transaction

from fupin.accounts.models import DataScope, User, UserRole
from fupin.demo.assistance import build_assistance
from fupin.demo.monitoring import build_monitoring
from fupin.demo.outcomes import build_outcomes
from fupin.demo.party import build_party
from fupin.demo.projects import build_projects
from fupin.demo.registry import build_registry
from fupin.demo.supervision import build_supervision
from fupin.demo.units import UNITS
from fupin.demo.users import DEMO_PASSWORD, USERS
from fupin.orgs.models import AssistedPlace, Unit
from fupin.regions.models import Region
from fupin.reports import services as reports_services


class MissingRegions(Exception):
    """The division tree lacks codes the demo needs (run `fupin regions load` first)."""


def _require_regions(codes: set[str]) -> None:
    found = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    if codes - found:
        raise MissingRegions(", ".join(sorted(codes - found)))


def build_units() -> int:
    needed = {u[4] for u in UNITS} | {c for u in UNITS for c in u[5]}
    _require_regions(needed)
    made = 0
    for name, short, kind, parent, based, places in UNITS:
        unit, created = Unit.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": kind,
                "region_id": based,
                "parent": Unit.objects.get(name=parent) if parent else None,
            },
        )
        made += created
        for code in places:
            AssistedPlace.objects.get_or_create(unit=unit, region_id=code)
    return made


def build_users() -> int:
    _require_regions({c for u in USERS for c in u[3]})
    made = 0
    for username, full_name, role, scopes, unit_name, title in USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            title=title,
            unit=Unit.objects.get(name=unit_name) if unit_name else None,
        )
        UserRole.objects.create(user=user, role=role)
        for code in scopes:
            DataScope.objects.create(user=user, region_id=code)
        made += 1
    return made


@transaction.atomic
def build_all() -> dict[str, int]:
    made = {
        "units": build_units(),
        "users": build_users(),
        "households": build_registry(),
        "party": build_party(),
        "assistance": build_assistance(),
        "projects": build_projects(),
        "outcomes": build_outcomes(),
        # After the registry and assistance: its objects stand on their households and pairings.
        "monitoring": build_monitoring(),
        # Last: its findings link households, projects, party branches, cadres and work teams.
        "supervision": build_supervision(),
    }
    # After every record: the rollup the 驾驶舱 reads. It makes no record, so it adds nothing to what
    # the demo reports as made (a second run still says nothing changed).
    reports_services.refresh()
    return made
