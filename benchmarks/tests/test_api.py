"""The API benchmark's limit is fair: on real rows, the bare app answers a county officer's
`GET /api/registry/households` exactly as fupin does (the same JSON, whole), and refuses a wrong key."""

import io
import json
import os
import sys

import psycopg
import pytest
from django.db import connection

from benchmarks import api as bench
from benchmarks.api_bare import make_application

WORLD_LAYERS = ("households",)


def _bare(app, key: str, path: str) -> tuple[str, dict]:
    answer = {}
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "HTTP_AUTHORIZATION": f"Bearer {key}",
        "wsgi.input": io.BytesIO(b""),
    }
    body = b"".join(app(environ, lambda status, headers: answer.setdefault("status", status)))
    return answer["status"], json.loads(body)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the bare app is psycopg's")
@pytest.mark.parametrize("limit", [1, 50])
def test_the_bare_app_answers_what_fupin_answers(cast, households, limit):
    key = bench.ensure_token("632524")
    path = f"{bench.PATH}?limit={limit}"
    queries, answer = bench.capture_sql(key, path)
    assert answer["items"] and (answer["next"] is not None) == (limit == 1)
    plan = bench.bare_plan(queries, key, limit, answer)
    # The test's own connection (its transaction holds the world), as the bare app's cursors.
    raw = connection.connection

    def cursor_of():
        return psycopg.ClientCursor(raw)

    app = make_application(plan, cursor_of)
    status, bare = _bare(app, key, path)
    assert status.startswith("200") and bench.differences(answer, bare) == []
    status, _refused = _bare(app, key[:-1] + ("x" if key[-1] != "x" else "y"), path)
    assert status.startswith("401")


def test_a_server_runs_in_a_session_of_its_own(tmp_path):
    """Autogroup scheduling shares the CPU between sessions: a server left in the harness's session
    would share one share with wrk and the harness (docs/benchmarks.md)."""
    port = bench.free_port()
    argv = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)]
    server = bench.start(argv, dict(os.environ), tmp_path / "server.log", port, timeout=60)
    try:
        assert os.getsid(server.pid) == server.pid != os.getsid(0)
    finally:
        bench.stop(server)
