import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone


class BuiltDemo:
    def __init__(self, started, output: str):
        self.started = (
            started  # when the build began: events dated later than this were stamped, not recorded
        )
        self.output = output  # what `fupin demo` printed


@pytest.fixture(scope="module")
def built_demo(django_db_setup, django_db_blocker):
    """The whole demo, built once for a module and rolled back after it.

    A full build takes about a minute of CPU; the tests that only read it share one. Each test still runs
    in its own savepoint (pytest-django's `db`), so what a test writes is undone before the next."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        with transaction.atomic():
            call_command("regions", "load", verbosity=0)
            started = timezone.now()
            out = io.StringIO()
            call_command("demo", stdout=out)
            yield BuiltDemo(started, out.getvalue())
            transaction.set_rollback(True)


@pytest.fixture
def demo(built_demo, db):
    return built_demo


@pytest.fixture
def shipped_regions(db):
    """The division tree shipped in the repository, for tests that build one part of the demo."""
    call_command("regions", "load", verbosity=0)
