import copy
import shutil

import pytest
from django.db import transaction
from django.test import override_settings

from fupin import testing

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.3 s per user; the cast has nine users."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_at_once():
    """A job runs inside the call that queues it (huey's immediate mode, its queue in memory), so a
    test sees it done; fupin/jobs/tests/test_worker.py starts a real consumer on a real queue."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture(autouse=True)
def _todo_counted_live(settings):
    """A test reads the 待办 after the writes it makes as any user: never from the minute's cache
    (core.todo; core/tests/test_todo_cache.py tests the cache itself)."""
    settings.FUPIN_TODO_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Uploaded photos and import files of a test go to its own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def world_layers(request):
    """What the module's shared world holds beyond the cast: the module's WORLD_LAYERS (see
    fupin.testing.make_world); None when the module declares none. An app's conftest may override this
    fixture for all its modules."""
    return testing.world_layers_of(request.module)


@pytest.fixture(scope="module", autouse=True)
def _module_world(request, world_layers, django_db_blocker, tmp_path_factory):
    """A module that declares WORLD_LAYERS has its world built once, in a transaction rolled back after
    its last test; each test still runs in its own savepoint (pytest-django's `db`), so what a test
    writes is undone before the next.

    Autouse, so that every database test of such a module sees the world whatever the order of its
    tests, and so that the world's transaction is open before any test's. The database is open only
    while building and rolling back: a test that does not ask for it still cannot reach it. A module
    that declares nothing gets a new cast in each test that asks for one; a module none of whose
    selected tests asks for the cast (or the world) gets nothing built."""
    uses_cast = any(
        getattr(item, "module", None) is request.module and "cast" in getattr(item, "fixturenames", ())
        for item in request.session.items
    )
    if world_layers is None or not uses_cast:
        yield None
        return
    request.getfixturevalue("django_db_setup")
    media = tmp_path_factory.mktemp("world") / "media"
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media):
                made = testing.make_world(world_layers)
        except BaseException as error:
            outer.__exit__(type(error), error, error.__traceback__)
            raise
    yield made, media
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def cast(_module_world, db, settings, _media_in_a_temporary_folder):
    """The fixed cast of fupin.testing (county officer, village cadre, outsider, unit officer,
    administrators) and the module's WORLD_LAYERS. From a module's shared world, as copies: what a test
    changes on an object stays in that test."""
    if _module_world is None:
        return testing.make_cast()
    made, media = _module_world
    if media.exists():
        # The world's photos, where this test's MEDIA_ROOT expects them.
        shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return copy.deepcopy(made)


@pytest.fixture
def world(cast):
    """The cast and the module's WORLD_LAYERS (the same objects as `cast` in one test)."""
    return cast


@pytest.fixture
def households(world):
    """扎西 and 王芳 of 兴海县, 李强 of 泾川县 (the module's WORLD_LAYERS must hold "households")."""
    assert "zhaxi" in world, 'declare WORLD_LAYERS = ("households", …) in the test module'
    return {key: world[key] for key in ("zhaxi", "wang", "li")}


@pytest.fixture
def county_client(client, cast):
    """A client signed in as the county officer of 兴海县."""
    client.force_login(cast["county"])
    return client
