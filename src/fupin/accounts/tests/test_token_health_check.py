"""An API call's token look-up is the request's health check of a kept-open database connection:
no `SELECT 1` before it, and a connection the database dropped is replaced, not a failed call."""

import psycopg
import pytest
from django.db import connection

from fupin.accounts import tokens
from fupin.accounts.models import User
from fupin.accounts.tokens import authenticate_token, token_issue

# The look-up runs outside a transaction, as in a request (the check is skipped inside one).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def key():
    user = User.objects.create(username="program")
    return token_issue(user=user, name="t")[1]


@pytest.fixture
def checking(monkeypatch):
    """A request's state with CONN_HEALTH_CHECKS (production keeps connections open): not checked yet."""
    connection.ensure_connection()
    monkeypatch.setattr(connection, "health_check_enabled", True)
    monkeypatch.setattr(connection, "health_check_done", False)
    checks = []
    real = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or real())
    return checks


def test_the_look_up_is_the_check(key, checking):
    assert authenticate_token(key).username == "program"
    assert connection.health_check_done and checking == []  # no separate SELECT 1


def test_a_failure_on_a_live_connection_is_not_retried(key, checking, monkeypatch):
    def broken(lookup, key_hash):
        raise tokens.OperationalError("not a dropped connection")

    monkeypatch.setattr(tokens, "_fetch", broken)
    with pytest.raises(tokens.OperationalError):
        authenticate_token(key)
    assert checking == [1]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="drops a PostgreSQL backend")
def test_a_connection_the_database_dropped_is_replaced(key, checking):
    backend = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(
        **{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend])
    assert authenticate_token(key).username == "program"
    assert connection.connection.info.backend_pid != backend
