"""The 待办 kept for a minute per user (core.todo.todos_for): counted once, read from the cache
after, forgotten when the user's own audited write commits; another user's write shows only when the
minute is over; kept apart per language."""

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.module_loading import autodiscover_modules

from fupin.audit.services import audit_record
from fupin.core import todo
from fupin.core.audit_actions import AuditAction
from fupin.core.todo import OVERDUE, Todo

pytestmark = pytest.mark.django_db

CALLS: list[int] = []
WAITING = {"n": 1}


def _provider(user):
    CALLS.append(user.pk)
    return [Todo("test", "测试待办", WAITING["n"], "/", OVERDUE)]


@pytest.fixture
def counted(settings, django_user_model):
    settings.FUPIN_TODO_CACHE_SECONDS = 60
    cache.clear()
    autodiscover_modules("todo")  # the apps' providers first, so that ours is the one under test
    todo._discovered = True
    saved = todo.PROVIDERS[:]
    todo.PROVIDERS[:] = [_provider]
    CALLS.clear()
    WAITING["n"] = 1
    yield django_user_model.objects.create_user(username="todo_cache", password="x")
    todo.PROVIDERS[:] = saved
    cache.clear()


def _count(user) -> int:
    return sum(item.count for item in todo.todos_for(user))


def test_counted_once_then_kept(counted):
    assert _count(counted) == 1
    WAITING["n"] = 5  # someone else's work: shown when the minute is over
    assert _count(counted) == 1
    assert CALLS == [counted.pk]


def test_own_write_forgets(counted, django_capture_on_commit_callbacks):
    assert _count(counted) == 1
    WAITING["n"] = 0
    with django_capture_on_commit_callbacks(execute=True) as committed:
        audit_record(actor=counted, action=AuditAction.UPDATE, obj=counted, changes={"note": ["", "x"]})
        assert _count(counted) == 1  # not before the write commits
    assert committed
    assert todo.todos_for(counted) == []
    assert len(CALLS) == 2


def test_kept_per_language(counted):
    with translation.override("zh-hans"):
        _count(counted)
    with translation.override("en"):
        _count(counted)
    assert len(CALLS) == 2


def test_not_kept_when_off(counted, settings):
    settings.FUPIN_TODO_CACHE_SECONDS = 0
    _count(counted)
    _count(counted)
    assert len(CALLS) == 2
