"""fupin's WSGI application: a program's API call (a bearer token, no session cookie) takes the short
middleware stack (core.api_handler) and is answered exactly as the full stack answers it; a browser
calling the API with its session keeps the full stack, CSRF included."""

import io
import json
import sys

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import get_resolver

from fupin.accounts.tokens import token_issue
from fupin.core.api_handler import is_token_api_call
from fupin.wsgi import application

WORLD_LAYERS = ("households",)


def _environ(path: str, method: str = "GET", **headers) -> dict:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    return environ


def _call(handler, environ) -> tuple[str, dict, bytes]:
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    body = handler(environ, start_response)
    try:
        content = b"".join(body)
    finally:
        body.close()
    return answer["status"], answer["headers"], content


@pytest.fixture
def handlers(db):
    # The real handler closes "old" connections around each request; inside the test's transaction
    # that would close the test database's connection (as in tests/test_api_schema.py).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_which_calls_take_the_short_stack(settings):
    bearer = {"HTTP_AUTHORIZATION": "Bearer fp_x"}
    assert is_token_api_call({"PATH_INFO": "/api/registry/households", **bearer})
    assert is_token_api_call({"PATH_INFO": "/api/orgs/units", "HTTP_AUTHORIZATION": "bearer fp_x"})
    cookie = f"lang=en; {settings.SESSION_COOKIE_NAME}=abc"
    assert not is_token_api_call({"PATH_INFO": "/api/registry/households", "HTTP_COOKIE": cookie, **bearer})
    assert not is_token_api_call({"PATH_INFO": "/api/registry/households"})  # the browser's session
    assert not is_token_api_call({"PATH_INFO": "/api/docs", **bearer})  # a page
    assert not is_token_api_call({"PATH_INFO": "/registry/", **bearer})


@pytest.mark.parametrize(
    ("path", "good_key"),
    [
        ("/api/registry/households", True),
        ("/api/registry/households?status=nope", True),  # 422
        ("/api/registry/households/999999999", True),  # 404
        ("/api/registry/households", False),  # 401
        ("/api/regions/", True),
    ],
)
def test_both_stacks_answer_a_token_call_alike(cast, handlers, path, good_key):
    """Same status, same body, same headers (the policy, HSTS-free http here, X-Frame-Options,
    nosniff, language, Vary) whichever stack serves it."""
    key = token_issue(user=cast["county"], name="t")[1] if good_key else "fp_wrong"
    environ = _environ(path, AUTHORIZATION=f"Bearer {key}")
    assert is_token_api_call(environ)
    short = _call(handlers.token_api, dict(environ, **{"wsgi.input": io.BytesIO(b"")}))
    full = _call(handlers.full, dict(environ, **{"wsgi.input": io.BytesIO(b"")}))
    assert short[0] == full[0]
    assert json.loads(short[2]) == json.loads(full[2])
    assert short[1] == full[1]
    assert "Content-Security-Policy" in short[1] and short[1]["X-Frame-Options"] == "DENY"


def test_a_browser_session_keeps_csrf_on_the_api(cast, handlers, client):
    """With the session cookie a call takes the full stack: a write without the CSRF token is refused
    even when it also carries a bearer header."""
    client.force_login(cast["county"])
    cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    environ = _environ(
        "/api/registry/households",
        method="POST",
        COOKIE=cookie,
        AUTHORIZATION="Bearer fp_wrong",  # a wrong token: ninja falls back to the session
    )
    environ.update(CONTENT_TYPE="application/json", CONTENT_LENGTH="2", **{"wsgi.input": io.BytesIO(b"{}")})
    assert not is_token_api_call(environ)
    status, _headers, body = _call(handlers, environ)
    assert status.startswith("403") and b"CSRF" in body, (status, body)


def test_the_short_stack_keeps_only_routes_without_parameters(cast, handlers):
    """TokenAPIHandler keeps what a fixed path resolves to, as the URLconf resolves it; a path with
    parameters (an id) is resolved for each call and never kept."""
    key = token_issue(user=cast["county"], name="t")[1]
    handlers.token_api._routes.clear()
    for path in (
        "/api/registry/households",
        "/api/registry/households",
        "/api/registry/households/999999999",
    ):
        status, _headers, _body = _call(handlers.token_api, _environ(path, AUTHORIZATION=f"Bearer {key}"))
        assert status[:3] in ("200", "404")
    kept = {path: match for (_resolver, path), match in handlers.token_api._routes.items()}
    assert list(kept) == ["/api/registry/households"]
    expected = get_resolver().resolve("/api/registry/households")
    assert (kept["/api/registry/households"].func, kept["/api/registry/households"].route) == (
        expected.func,
        expected.route,
    )
