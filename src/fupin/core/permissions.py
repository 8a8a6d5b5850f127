"""The one permission check of pages, the API and services: a role permission, and where a record
is named, the record's place or unit among the user's.

    require(request, "assistance.view_pairing")                    # a page or an API list
    require(by, "projects.change_project", code=p.place_id, unit_id=p.unit_id)   # a service write

Services pass `by=None` for the system (the demo, commands): it may do everything. A page that
fails the check answers 403 (the audit trail records it), the API the same with its JSON body.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from fupin.accounts.selectors import own_region_prefixes
from fupin.core.scoping import scope_of


class _Anywhere:
    """No record named: the permission alone decides (code=None would name a record without a place)."""

    def __repr__(self) -> str:
        return "ANYWHERE"


ANYWHERE = _Anywhere()


def own_prefixes(user) -> tuple[str, ...]:
    """The divisions of the user's own data scopes, without the places their unit assists.

    Seeing is not answering for: an assisting unit sees the villages it assists but does not run
    them; the rules that separate the two (party's paired-unit rule) ask with `own=True`."""
    if user is None:
        return ()
    cached = getattr(user, "_fupin_own_prefixes", None)
    if cached is None:
        active = user.is_authenticated and user.is_active
        cached = tuple(own_region_prefixes(user)) if active else ()
        user._fupin_own_prefixes = cached
    return cached


def _several(value) -> tuple:
    if value is None:
        return ()
    if isinstance(value, str | int):
        return (value,)
    return tuple(v for v in value if v is not None)


def within(
    user,
    *,
    code: str | Iterable[str] | None = None,
    unit_id: int | Iterable[int] | None = None,
    own: bool = False,
) -> bool:
    """A record at `code` (or at one of several codes), or of the unit `unit_id` (or one of several),
    is the user's: the code lies in their scope or the unit is theirs. None is the system: yes.

    own: only the user's own data scopes count for the code, not the places their unit assists."""
    if user is None:
        return True
    scope = scope_of(user)
    prefixes = own_prefixes(user) if own else scope.prefixes
    if any(c and c.startswith(p) for c in _several(code) for p in prefixes):
        return True
    return any(u in scope.unit_ids for u in _several(unit_id))


def may(user, perm: str | None, *, code=ANYWHERE, unit_id=ANYWHERE, own: bool = False) -> bool:
    """`user` holds `perm` ("app.codename"; None: no role permission asked) and, when a record's
    `code` or `unit_id` is given (even None), the record is theirs (see `within`). None is the
    system: yes."""
    if user is None:
        return True
    if perm is not None and not user.has_perm(perm):
        return False
    if code is ANYWHERE and unit_id is ANYWHERE:
        return True
    return within(
        user,
        code=None if code is ANYWHERE else code,
        unit_id=None if unit_id is ANYWHERE else unit_id,
        own=own,
    )


def require(
    who,
    perm: str | None,
    *,
    code=ANYWHERE,
    unit_id=ANYWHERE,
    own: bool = False,
    reason: str = "",
) -> None:
    """PermissionDenied (403) unless `may`; `who` is a request (pages, the API) or a user (services).

    reason: the Chinese sentence the refusal shows, when a rule has a better one than 没有权限."""
    user = who.user if isinstance(who, HttpRequest) else who
    if not may(user, perm, code=code, unit_id=unit_id, own=own):
        on_record = code is not ANYWHERE or unit_id is not ANYWHERE
        raise PermissionDenied(reason or (_("没有权限操作该记录") if on_record else _("没有权限。")))
