"""FUPIN_QUEUE: a SQLite file by default, Redis by URL, immediate for debugging, nothing else."""

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from fupin.jobs.queue import huey_settings


def test_the_default_is_a_sqlite_file_beside_the_database(tmp_path):
    config = huey_settings("", tmp_path / "data", workers=2)
    assert config["huey_class"] == "huey.SqliteHuey"
    assert config["filename"] == str(tmp_path / "data" / "queue.sqlite3")
    assert (tmp_path / "data").is_dir()  # huey opens the file when the app starts
    assert config["immediate"] is False  # even with DEBUG on (djhuey's own default)
    assert config["consumer"] == {"workers": 2, "worker_type": "thread"}


def test_a_sqlite_url_names_another_file(tmp_path):
    config = huey_settings(f"sqlite:///{tmp_path}/q/queue.db", tmp_path, workers=1)
    assert config["filename"] == f"{tmp_path}/q/queue.db"


def test_a_redis_url_is_redis(tmp_path):
    config = huey_settings("redis://:secret@queue.internal:6379/2", tmp_path, workers=4)
    assert (
        config["huey_class"] == "huey.RedisHuey" and config["url"] == "redis://:secret@queue.internal:6379/2"
    )
    assert "filename" not in config


def test_immediate_runs_jobs_in_the_request(tmp_path):
    config = huey_settings("immediate", tmp_path / "none", workers=1)
    assert config["immediate"] is True and not (tmp_path / "none").exists()


@pytest.mark.parametrize("value", ["postgres://db/fupin", "sqlite:/x", "yes"])
def test_anything_else_is_refused_at_start(value, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="FUPIN_QUEUE"):
        huey_settings(value, tmp_path, workers=1)


def test_the_settings_build_the_queue_from_the_environment(tmp_path):
    code = (
        "import django; django.setup(); from huey.contrib.djhuey import HUEY; "
        "print(type(HUEY).__name__, HUEY.immediate, HUEY.storage.filename)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "fupin.settings", "FUPIN_DATA_DIR": str(tmp_path), "PATH": ""}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["SqliteHuey", "False", str(tmp_path / "queue.sqlite3")]
