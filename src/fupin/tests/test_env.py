from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from fupin.env import env_bool, env_int, env_list, env_minutes, env_str


def test_it_reads_booleans_and_refuses_typos(monkeypatch):
    """FUPIN_DEBUG=flase must stop the start-up, not silently mean False."""
    monkeypatch.setenv("X_BOOL", "yes")
    assert env_bool("X_BOOL") is True
    monkeypatch.setenv("X_BOOL", "flase")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env_bool("X_BOOL")


def test_it_refuses_integers_that_are_not_or_are_too_small(monkeypatch):
    monkeypatch.setenv("X_INT", "12x")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "0")
    with pytest.raises(ImproperlyConfigured, match="minimum"):
        env_int("X_INT", 5, minimum=1)


def test_it_uses_defaults_and_requires_what_has_none(monkeypatch):
    monkeypatch.delenv("X_MISSING", raising=False)
    assert env_minutes("X_MISSING", 30) == timedelta(minutes=30)
    assert env_list("X_MISSING", ["a"]) == ["a"]
    with pytest.raises(ImproperlyConfigured, match="required"):
        env_str("X_MISSING")


def test_it_splits_lists(monkeypatch):
    monkeypatch.setenv("X_LIST", " a.example, b.example ,,")
    assert env_list("X_LIST") == ["a.example", "b.example"]
