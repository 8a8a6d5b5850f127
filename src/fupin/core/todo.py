"""待办: what waits for a user, gathered from every app for the home page (驾驶舱) and the phone's
first screen.

Each app that owns work someone must do declares it in its own `todo.py` with
`register(provider)`: a provider takes the user and returns `Todo` items for what that user may
act on (a township officer's leads to check, a cadre's overdue visits, a branch's missed
meetings, a unit's rectifications), each a count with the link to the list of exactly those
records. Providers read through their app's selectors, so what a user sees follows the scoping
choke point; a provider returns nothing for a user without the permission to act.

Why a registry here and not a query in `reports`: the owning app knows what "waiting" means for
its records and which list shows them; `core` imports no app (docs/architecture.md, the app
boundary), so apps register themselves (`autodiscover_modules("todo")`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

# How urgent an item is: the colours of the deadlines (docs/architecture.md, "Monitoring").
DUE = "due"  # waiting, within its deadline
SOON = "soon"  # orange: the deadline is near (or a first escalation)
OVERDUE = "overdue"  # red


@dataclass(frozen=True)
class Todo:
    """One line of 待办: `count` records of one kind wait for this user (`label`, gettext text), the
    most urgent of them `level`; `url` lists exactly them. `app` orders and groups the lines."""

    app: str
    label: Any
    count: int
    url: str
    level: str = DUE


Provider = Callable[[Any], Iterable[Todo]]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (called at import of an app's `todo.py`); usable as a decorator."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


_ORDER = {OVERDUE: 0, SOON: 1, DUE: 2}


_discovered = False


def todos_for(user) -> list[Todo]:
    """Every item waiting for `user` (count > 0), the overdue first.

    Kept for FUPIN_TODO_CACHE_SECONDS (60) per user and language: the lines are live counts over
    the user's whole area (a county's 缺会 over its 700 branches, its 超期未走访 over its pairings:
    about 100 ms at 1 M people, most of a county officer's home page), and the home page is what a
    user reloads. The lists they open are read live. A user's own audited write forgets their lines
    at once (`forget`, called by the audit trail), so what they just did shows on their next page;
    others' work shows within the minute."""
    seconds = settings.FUPIN_TODO_CACHE_SECONDS
    key = _key(user.pk, get_language()) if seconds and user is not None and user.is_authenticated else ""
    if key:
        cached = cache.get(key)
        if cached is not None:
            return cached
    global _discovered
    if not _discovered:  # once per process, as core.indicators.catalogue
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("todo")
        _discovered = True
    items = [item for provider in PROVIDERS for item in provider(user) if item.count > 0]
    items = sorted(items, key=lambda item: (_ORDER.get(item.level, 3), item.app))
    if key:
        cache.set(key, items, seconds)
    return items


def _key(user_id, language) -> str:
    return f"fupin:todo:{user_id}:{language}"


def forget(user_id) -> None:
    """Drop `user_id`'s kept lines (after their write commits: a request between the write and
    the commit would otherwise keep the old counts for a minute)."""
    if user_id and settings.FUPIN_TODO_CACHE_SECONDS:
        keys = [_key(user_id, code) for code, _name in settings.LANGUAGES]
        transaction.on_commit(lambda: cache.delete_many(keys))
