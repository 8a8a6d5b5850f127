"""The WSGI application: Django's handler, and beside it a short one for a program's API call.

A call with `Authorization: Bearer …` under /api/ and no session cookie is a program's: nothing in
it is a browser session. It goes through settings.API_TOKEN_MIDDLEWARE, which keeps every
middleware that shapes or guards its answer — HTTPS redirect and HSTS, the Content-Security-Policy,
the language, slash redirects, the body size limit, X-Frame-Options — and leaves out those that only
serve a signed-in browser: static files, CSRF (a cookie-less call has no session to ride on; ninja
still checks CSRF itself for session-authenticated API calls), OTP, the session's time limits, the
second-factor redirect, messages and axes' lockout page (axes counts failed sign-ins, never tokens).
Without a session cookie the session and authentication middleware could only ever find an
anonymous user with an empty session: accounts.middleware.AnonymousCallerMiddleware sets that
user (the API's session authentication, tried after a wrong token, reads `request.user`), and no
session is built.

Any request with the session cookie, a browser calling /api/ with its session, takes the full stack
(settings.MIDDLEWARE) with CSRF, session limits and two-factor. Measured on the household list
(docs/benchmarks.md): the middleware left out were 0.1–0.2 ms of CPU a call, the policy header
built for each answer another 0.2 ms (TokenAPIPolicyMiddleware builds it once per status).
core/tests/test_api_handler.py checks that both stacks answer a token call with the same headers.
"""

import django
from csp.constants import HEADER, HEADER_REPORT_ONLY
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse
from django.urls import get_resolver, set_urlconf
from django.utils.module_loading import import_string

from fupin.core.csp import ContentSecurityPolicyMiddleware

API_PREFIX = "/api/"
# The interactive document is a page (HTML, Swagger UI) and stays on the full stack.
FULL_STACK_PREFIXES = ("/api/docs",)


def is_token_api_call(environ) -> bool:
    path = environ.get("PATH_INFO", "")
    if not path.startswith(API_PREFIX) or path.startswith(FULL_STACK_PREFIXES):
        return False
    if environ.get("HTTP_AUTHORIZATION", "")[:7].lower() != "bearer ":
        return False
    # Any cookie naming the session (even one that merely ends so) sends the call to the full stack.
    return f"{settings.SESSION_COOKIE_NAME}=" not in environ.get("HTTP_COOKIE", "")


# What a view sets on its response to have a policy of its own (django-csp's decorators).
_OWN_POLICY = frozenset(
    f"_csp_{what}{ro}" for what in ("config", "update", "replace", "exempt") for ro in ("", "_ro")
)


class TokenAPIPolicyMiddleware(ContentSecurityPolicyMiddleware):
    """core.csp's middleware with each header built once. Under /api/ (never the back office) and
    with no nonce (no page), core.csp's policy depends on nothing but the answer's status (a server
    error may style itself; DEBUG leaves 404 and 500 without one): the headers are built once per
    status and set as the full stack sets them. A view with a policy of its own is built as usual.
    Building them for each answer was 0.2 ms, a tenth of the household list's CPU in-process."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self._headers: dict[int, tuple] = {}

    def process_response(self, request, response):
        if not _OWN_POLICY.isdisjoint(vars(response)) or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        headers = self._headers.get(response.status_code)
        if headers is None:
            probe = super().process_response(request, HttpResponse(status=response.status_code))
            headers = tuple((name, probe[name]) for name in (HEADER, HEADER_REPORT_ONLY) if name in probe)
            self._headers[response.status_code] = headers
        for name, value in headers:
            if name not in response:
                response[name] = value
        return response


# Routes whose match TokenAPIHandler keeps: more than the API's paths without parameters.
_ROUTES_KEPT = 512


class TokenAPIHandler(WSGIHandler):
    """Django's WSGI handler over settings.API_TOKEN_MIDDLEWARE instead of settings.MIDDLEWARE (the
    chain is built as BaseHandler.load_middleware builds it, for synchronous middleware)."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(settings.API_TOKEN_MIDDLEWARE):
            try:
                middleware = import_string(path)(handler)
            except MiddlewareNotUsed:
                continue
            if hasattr(middleware, "process_view"):
                self._view_middleware.insert(0, middleware.process_view)
            if hasattr(middleware, "process_template_response"):
                self._template_response_middleware.append(middleware.process_template_response)
            if hasattr(middleware, "process_exception"):
                self._exception_middleware.append(middleware.process_exception)
            handler = convert_exception_to_response(middleware)
        self._middleware_chain = handler
        self._routes = {}

    def resolve_request(self, request):
        """Django's resolve_request, the match of a path without parameters kept for the process.

        Resolving walks the URLconf's patterns in Python (some thirty for an API path, 26 µs of CPU
        per call of the household list); what a fixed path resolves to only changes with the
        URLconf, which is part of the key. Paths with parameters (ids, codes) are resolved each time
        and never kept, so the memo holds at most one entry per route and no caller's data."""
        urlconf = getattr(request, "urlconf", None)
        if urlconf is not None:
            set_urlconf(urlconf)
        resolver = get_resolver(urlconf)
        key = (resolver, request.path_info)
        match = self._routes.get(key)
        if match is None:
            match = resolver.resolve(request.path_info)
            if not match.args and not match.kwargs and len(self._routes) < _ROUTES_KEPT:
                self._routes[key] = match
        request.resolver_match = match
        return match


class Application:
    """fupin's WSGI application: a program's API call takes TokenAPIHandler, the rest Django's."""

    def __init__(self):
        self.full = WSGIHandler()
        self.token_api = TokenAPIHandler()

    def __call__(self, environ, start_response):
        handler = self.token_api if is_token_api_call(environ) else self.full
        return handler(environ, start_response)


def get_application() -> Application:
    django.setup(set_prefix=False)
    # Load the URLconf (and with it every view, form and API schema) now, as the worker starts:
    # Django loads it at the first request, which then took 1–3 s of CPU in each new worker —
    # the first caller after a deploy or restart waited for it.
    get_resolver().url_patterns  # noqa: B018 - the cached property loads it
    return Application()
