import pytest

from fupin import testing


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.3 s per user; the cast has nine users per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db):
    """The fixed cast of fupin.testing: county officer, village cadre, outsider, unit officer, admins."""
    return testing.make_cast()


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Uploaded photos and import files of a test go to its own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
