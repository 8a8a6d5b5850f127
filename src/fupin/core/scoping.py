"""The one scoping choke point: who may see which records.

A user's scope is a set of division-code prefixes (their own data scopes plus the places their
unit assists) and a set of units (their own unit and the units under it). Every page, API
endpoint, export, report and admin screen gets its rows through `Model.objects.visible_to(user)`;
nothing else filters by place. Default deny: a user with no scope sees nothing.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404


@dataclass(frozen=True)
class Scope:
    """What a user may see: division-code prefixes and unit ids."""

    prefixes: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()
    # The prefixes name every province: a row is in scope when it has a division at all. One
    # `IS NOT NULL` instead of 31 `LIKE`s, which the planner cannot use as an index range and which
    # it tests on every row (the coverage report's poor villages at 10 M people: see region_q).
    whole_country: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.prefixes and not self.unit_ids

    def covers_code(self, code: str | None) -> bool:
        return bool(code) and any(code.startswith(p) for p in self.prefixes)

    def region_q(self, field: str) -> Q:
        """`field` holds a division code (a CharField or a FK to Region by code)."""
        if self.whole_country:
            return Q(**{f"{field}__isnull": False})
        q = Q(pk__in=[])
        for prefix in self.prefixes:
            q |= Q(**{f"{field}__startswith": prefix})
        return q


def _minimal_prefixes(prefixes) -> tuple[str, ...]:
    """Drop prefixes covered by a shorter one (63 covers 632524) so the filter stays small."""
    kept: list[str] = []
    for p in sorted(set(prefixes), key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(sorted(kept))


def _scope(prefixes, unit_ids) -> Scope:
    # Here, not at the top, as in scope_of: the models modules import this one for ScopedManager.
    from fupin.regions.selectors import covers_every_province

    kept = _minimal_prefixes(prefixes)
    return Scope(
        prefixes=kept, unit_ids=tuple(sorted(set(unit_ids))), whole_country=covers_every_province(kept)
    )


def scope_of(user) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_fupin_scope", None)
    if cached is not None:
        return cached
    # Here, not at the top: accounts.selectors imports this module (scope_of), and every models
    # module imports it for ScopedManager, so accounts is loaded only once a scope is asked for.
    from fupin.accounts.selectors import user_scope_parts

    scope = _scope(*user_scope_parts(user))
    user._fupin_scope = scope
    return scope


def preset_scope(user, *, prefixes, unit_ids=()) -> Scope:
    """Set the user's scope for this request from parts already read with the user (API token
    authentication reads the data scopes in the token's query); scope_of then returns it."""
    scope = _scope(prefixes, unit_ids)
    user._fupin_scope = scope
    return scope


class ScopedQuerySet(models.QuerySet):
    """QuerySet for records that belong to a place and/or a unit.

    The model names the paths: `scope_region_field` (a path ending at a division code, e.g.
    "village__code" or "household__village__code"; Django drops the join for a FK's own target) and optionally `scope_unit_field` (e.g. "unit_id"). A row is
    visible when its code starts with one of the user's prefixes, or its unit is one of theirs.
    """

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.is_empty:
            return self.none()
        region_fields = getattr(self.model, "scope_region_field", None) or ()
        if isinstance(region_fields, str):
            region_fields = (region_fields,)
        unit_field = getattr(self.model, "scope_unit_field", None)
        q = Q(pk__in=[])
        for field in region_fields:
            q |= scope.region_q(field)
        if unit_field and scope.unit_ids:
            q |= Q(**{f"{unit_field}__in": scope.unit_ids})
        if any(_crosses_to_many(self.model, path) for path in (*region_fields, unit_field or "")):
            # A path across a to-many relation would repeat rows; filter by primary key instead.
            return self.filter(pk__in=self.model._base_manager.filter(q).values("pk"))
        # Forward foreign keys only: plain joins. The planner then starts from the division's
        # index (a county's households) and reaches the rows by their foreign-key index; under
        # `pk IN (subquery)` it hash-joined the whole table (every pairing in the country for a
        # county's 超期未走访: 270 ms at 1 M people).
        return self.filter(q)


def _crosses_to_many(model, path: str) -> bool:
    """Whether `path` (a lookup such as "household__village__code") walks a reverse foreign key
    or a many-to-many relation, where a join can repeat the rows it starts from."""
    for name in filter(None, path.split("__")):
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def get_visible_or_404(queryset, user, **lookup):
    """Fetch one object through the choke point; out of scope looks exactly like missing."""
    return get_object_or_404(queryset.visible_to(user), **lookup)
