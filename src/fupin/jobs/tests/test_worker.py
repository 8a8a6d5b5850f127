"""A real consumer: `fupin worker` as a process, a SQLite queue file and a database file (or the
PostgreSQL test database), jobs queued by other processes and followed from yet another, as in
production where the web processes, the consumer and `fupin jobs --wait` are all different."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from django.db import connection

from fupin import testing
from fupin.jobs.models import Job
from fupin.tests.test_serve import database_url_for_a_subprocess

TIMEOUT = 180  # a busy CI machine: several Django processes start here


def fupin(*args) -> list[str]:
    return [sys.executable, "-m", "fupin.cli", *args]


# Queues a web import for the county officer (what the upload page does), in its own process.
START_AN_IMPORT = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.contrib.auth import get_user_model
    from fupin.registry.importing.jobs import start_job
    from fupin.registry.tests._import_data import sample_rows, to_csv
    county = get_user_model().objects.get(username="county")
    upload = SimpleUploadedFile("户.csv", to_csv(sample_rows()), content_type="text/csv")
    print(start_job(user=county, upload=upload, dry_run=False).pk)
    """
)


def _job_and_households(database_url: str, job_id: str) -> tuple[str, str, int]:
    """(state, result JSON, households) as the other processes left them in their database."""
    if connection.vendor != "sqlite":  # the test database itself
        job = Job.objects.get(pk=job_id)
        with connection.cursor() as cursor:
            cursor.execute("select count(*) from registry_household")
            return job.state, json.dumps(job.result), cursor.fetchone()[0]
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:  # the file copy
        state, result = db.execute(
            "select state, result from jobs_job where id = ?", [job_id.replace("-", "")]
        ).fetchone()
        return state, result, db.execute("select count(*) from registry_household").fetchone()[0]


REDIS = "redis://127.0.0.1:6379/15"  # a database of its own, emptied before and after


def _redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 (production's queue)")
    return client


@pytest.fixture(params=["SqliteHuey", "RedisHuey"])
def queue(request, tmp_path):
    """The embedded default (a SQLite file) and production's storage (Redis), each with a real consumer."""
    if request.param == "SqliteHuey":
        yield request.param, f"sqlite:///{tmp_path / 'queue.sqlite3'}"
        return
    client = _redis_or_skip()
    client.flushdb()
    yield request.param, REDIS
    client.flushdb()


def test_a_real_consumer_runs_the_queued_jobs(transactional_db, tmp_path, queue):
    """Committed, so the other processes see it (on SQLite a file copy of the in-memory test
    database; on PostgreSQL the test database, emptied after the test)."""
    storage, queue_url = queue
    testing.make_cast()
    database_url = database_url_for_a_subprocess(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUPIN_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="fupin.settings",
        FUPIN_QUEUE=queue_url,
        FUPIN_DATA_DIR=str(tmp_path / "data"),
    )

    def run(*command, timeout=TIMEOUT):
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)  # noqa: S603

    # Queued while no consumer runs: it waits, and is taken once one starts.
    check = subprocess.Popen(  # noqa: S603  (our own command line)
        fupin("jobs", "--check", "--timeout", str(TIMEOUT)),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(fupin("worker"), env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        out, _ = check.communicate(timeout=TIMEOUT)
        assert check.returncode == 0, out + log_path.read_text()
        assert "排队中" in out and "100% 已完成" in out and "任务队列正常" in out

        # The web import: queued by the upload (here a process of its own), run by the consumer,
        # followed from a third process.
        started = run(sys.executable, "-c", START_AN_IMPORT)
        assert started.returncode == 0, started.stderr
        job_id = started.stdout.split()[-1]
        followed = run(*fupin("jobs", "--wait", job_id))
        assert followed.returncode == 0, followed.stdout + followed.stderr + log_path.read_text()
        assert "导入贫困户信息 · 户.csv" in followed.stdout and "100% 已完成 共 6 行。" in followed.stdout
        state, result, households = _job_and_households(database_url, job_id)
        assert state == "done" and '"written": true' in result and households == 2
        imports = tmp_path / "data" / "media" / "imports" / job_id
        assert imports.is_dir() and not (imports / "upload.csv").exists()  # the upload is gone
    finally:
        worker.send_signal(signal.SIGINT)  # a graceful stop: running jobs finish
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    log = log_path.read_text()
    assert worker.returncode == 0, log
    assert f"任务队列工作进程启动:{storage}" in log
    assert "fupin.registry.importing.jobs.import_households" in log  # every app's tasks are known
    assert "Traceback" not in log
