"""`fupin serve` runs fupin in production: deploy checks, collectstatic when needed, gunicorn.

The end-to-end test starts it as a real subprocess with production settings on a copy of the test
database, fetches the login page and a static file through it, and stops it."""

import base64
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from fupin.core.management.commands.serve import ACCESS_LOG_FORMAT, default_workers

KEY_A = base64.b64encode(b"a" * 32).decode()
KEY_C = base64.b64encode(b"c" * 32).decode()
ID_NUMBER = "632524199001011234"  # in a query string: must never reach the access log
START_TIMEOUT = 240  # migrations are done; collectstatic and two workers booting, on a busy CI machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url_for_a_subprocess(tmp_path) -> str:
    """A migrated database another process can open: on SQLite a file copy of the (in-memory) test
    database, on PostgreSQL the test database itself (the server only reads)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "fupin.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(path)])
        return f"sqlite:///{path}"
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


def production_env(tmp_path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUPIN_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="fupin.settings",
        FUPIN_PRODUCTION="1",
        FUPIN_SECRET_KEY="x" * 10 + "-a-long-random-production-secret-key-for-this-test-only-" + "y" * 10,
        FUPIN_FIELD_KEYS=KEY_A,
        FUPIN_BLIND_INDEX_KEY=KEY_C,
        FUPIN_DATA_DIR=str(tmp_path / "data"),
        FUPIN_STATIC_ROOT=str(tmp_path / "static"),
    )
    return env


def fetch(url: str, *, https: bool = True):
    """(status, headers, body); behind a TLS proxy, as in production (X-Forwarded-Proto)."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"} if https else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_until_listening(process, port: int, log_path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"fupin serve exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"fupin serve did not listen within {START_TIMEOUT} s:\n{log_path.read_text()}")


def test_fupin_serve_serves_the_login_page_and_static_files(django_db_setup, django_db_blocker, tmp_path):
    with django_db_blocker.unblock():
        database_url = database_url_for_a_subprocess(tmp_path)
    port = free_port()
    log_path = tmp_path / "serve.log"
    command = [sys.executable, "-m", "fupin.cli", "serve", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--threads", "2", "--graceful-timeout", "10"]
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603  (our own command line)
            command, env=production_env(tmp_path, database_url), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_until_listening(process, port, log_path)
        base = f"http://127.0.0.1:{port}"

        status, _, body = fetch(f"{base}/accounts/login/?next=/registry/%3Fq%3D{ID_NUMBER}")
        page = body.decode()
        assert status == 200, page
        assert 'lang="zh-hans"' in page and "登录" in page

        # The static files were collected (hashed names from the manifest) and are served with a
        # far-future cache lifetime.
        stylesheet = re.search(r"/static/fupin/app\.[0-9a-f]{12}\.css", page)
        assert stylesheet, page
        status, headers, css = fetch(base + stylesheet.group(0))
        assert status == 200 and css
        assert "immutable" in headers["Cache-Control"]

        # Production stance: plain HTTP is sent to HTTPS.
        status, headers, _ = fetch(f"{base}/accounts/login/", https=False)
        assert status == 301 and headers["Location"].startswith("https://")
    finally:
        process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log = log_path.read_text()
    assert process.returncode == 0, log
    assert '"GET /accounts/login/ HTTP/1.1" 200' in log  # the access log
    assert ID_NUMBER not in log  # without query strings
    assert "gthread" in log and log.count("Booting worker") >= 2
    # The job queue's consumer ran beside the workers and stopped with them.
    assert "任务队列工作进程启动" in log and "job queue consumer stopped" in log


def test_serve_refuses_to_start_without_the_field_keys(db, settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.delenv("FUPIN_FIELD_KEYS", raising=False)
    monkeypatch.delenv("FUPIN_BLIND_INDEX_KEY", raising=False)
    with pytest.raises(SystemCheckError, match="FUPIN_FIELD_KEYS"):
        call_command("serve", "--dry-run")


def test_serve_collects_missing_static_files_then_prints_gunicorn(
    db, settings, monkeypatch, tmp_path, capsys
):
    settings.PRODUCTION = True
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    monkeypatch.setenv("FUPIN_FIELD_KEYS", KEY_A)
    monkeypatch.setenv("FUPIN_BLIND_INDEX_KEY", KEY_C)
    call_command("serve", "--dry-run", "--bind", "0.0.0.0:9000", "--workers", "3")
    out = capsys.readouterr().out
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert "--workers 3" in out and "--bind 0.0.0.0:9000" in out and "--worker-class gthread" in out
    assert ACCESS_LOG_FORMAT in out.replace("'", "")
    assert "--config python:fupin.jobs.gunicorn" in out  # the job queue's consumer beside gunicorn


def test_serve_can_leave_the_job_queue_consumer_to_another_process(db, settings, monkeypatch, capsys):
    settings.PRODUCTION = True
    monkeypatch.setenv("FUPIN_FIELD_KEYS", KEY_A)
    monkeypatch.setenv("FUPIN_BLIND_INDEX_KEY", KEY_C)
    monkeypatch.setattr("fupin.core.management.commands.serve.static_files_problem", lambda: None)
    call_command("serve", "--dry-run", "--no-worker")
    out = capsys.readouterr().out
    assert "fupin.jobs.gunicorn" not in out and "fupin worker" not in out


def test_the_default_number_of_workers_follows_the_cores():
    assert default_workers() == 2 * len(os.sched_getaffinity(0)) + 1


def test_production_keeps_database_connections_open_and_shares_the_cache(tmp_path):
    """Every request opening a new PostgreSQL connection halved the API's throughput."""
    env = production_env(tmp_path, "postgres://postgres@127.0.0.1:5432/unused")
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], s.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    # Several workers share one cache (a web import's progress is polled from any of them).
    assert result.stdout.split() == ["600", "True", "django.core.cache.backends.filebased.FileBasedCache"]
