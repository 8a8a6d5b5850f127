"""`fupin check --deploy` refuses what a production server cannot run without: the production stance,
the field-encryption keys and the collected static files (each used to pass, then fail in front of
users: a missing key at the first household saved, missing static files as a 500 on every page)."""

import base64
import json

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

KEY_A = base64.b64encode(b"a" * 32).decode()
KEY_B = base64.b64encode(b"b" * 32).decode()
KEY_C = base64.b64encode(b"c" * 32).decode()
MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Django's own manifest storage: what production's WhiteNoise storage adds (compression)
    # changes nothing about the manifest, and hashing alone keeps the test quick.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


def deploy_ids() -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True)}


@pytest.fixture
def keys(monkeypatch):
    def set_keys(field: str | None, index: str | None) -> None:
        for name, value in (("FUPIN_FIELD_KEYS", field), ("FUPIN_BLIND_INDEX_KEY", index)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)

    return set_keys


@pytest.fixture
def production(settings):
    settings.PRODUCTION = True
    return settings


def test_missing_field_keys_fail_the_deploy_check(db, keys, production):
    keys(None, None)
    ids = deploy_ids()
    assert {"fupin.E011", "fupin.E013"} <= ids
    with pytest.raises(SystemCheckError, match="FUPIN_FIELD_KEYS is not set"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_valid_separate_keys_pass(db, keys, production):
    keys(f"{KEY_A}, {KEY_B}", KEY_C)
    assert not {"fupin.E011", "fupin.E012", "fupin.E013", "fupin.E014", "fupin.E015"} & deploy_ids()


@pytest.mark.parametrize(
    ("field", "index", "expected"),
    [
        ("not base64!", KEY_C, "fupin.E012"),
        (f"{KEY_A},{base64.b64encode(b'short').decode()}", KEY_C, "fupin.E012"),
        (KEY_A, base64.b64encode(b"x" * 16).decode(), "fupin.E014"),
        (f"{KEY_B},{KEY_A}", KEY_A, "fupin.E015"),
    ],
    ids=["not-base64", "rotated-key-too-short", "index-key-too-short", "index-key-reused"],
)
def test_malformed_or_shared_keys_fail(db, keys, production, field, index, expected):
    keys(field, index)
    assert expected in deploy_ids()


def test_the_demo_stance_fails_the_deploy_check(db, keys, settings):
    keys(KEY_A, KEY_C)
    settings.PRODUCTION = False
    assert "fupin.E010" in deploy_ids()
    settings.PRODUCTION = True
    assert "fupin.E010" not in deploy_ids()


def test_uncollected_static_files_fail_the_deploy_check(db, settings, tmp_path):
    settings.STORAGES = MANIFEST_STORAGE
    settings.STATIC_ROOT = tmp_path / "static"
    assert "fupin.E020" in deploy_ids()

    call_command("collectstatic", "--noinput", verbosity=0)
    ids = deploy_ids()
    assert not {"fupin.E020", "fupin.E021"} & ids

    # An upgrade brings a file the last collectstatic did not copy: the pages naming it would 500.
    manifest_path = tmp_path / "static" / "staticfiles.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["paths"].pop("fupin/app.css")
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(SystemCheckError, match="fupin/app.css"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_the_demo_storage_needs_no_collectstatic(db, settings):
    """Without the manifest storage (demo, tests) the apps serve their own files: nothing to collect."""
    assert "Manifest" not in settings.STORAGES["staticfiles"]["BACKEND"]
    assert not {"fupin.E020", "fupin.E021"} & deploy_ids()


def test_a_missing_pdf_renderer_fails_the_deploy_check(db, monkeypatch):
    """Without pango, WeasyPrint's import raises OSError: the check says so before anyone prints."""
    import builtins
    import sys

    assert "fupin.E030" not in deploy_ids()  # this machine has pango
    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    assert "fupin.E030" in deploy_ids()
