import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache

from fupin.core.menu import menu_for
from fupin.core.scoping import scope_of
from fupin.core.shell_info import role_labels, scope_places


@login_required
def home(request):
    """The user's start page: who they are, what they can see, and where to go next."""
    user = request.user
    context = {
        "scope": scope_of(user),
        "scope_places": scope_places(user),
        "role_names": role_labels(user),
        "quick_links": [item for item in menu_for(request) if item["icon"] != "home"],
    }
    return render(request, "core/home.html", context)


def healthz(request):
    """Liveness for load balancers: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- the offline outbox (fupin/outbox.js) -------------------------------------------------------

# What the service worker keeps for a phone without signal: the shell's own files and the outbox
# page, nothing else (see docs/architecture.md, "Offline capture"). A form with scripts of its own
# that should load fast on a weak signal names them here.
SHELL_STATIC = (
    "fupin/app.css",
    "fupin/outbox.css",
    "fupin/favicon.svg",
    "fupin/vendor/htmx.min.js",
    "fupin/app.js",
    "fupin/outbox.js",
    "regions/picker.css",
    "regions/picker.js",
    "assistance/visit.js",
)


def outbox(request):
    """待发送: the forms this phone holds until it has a signal. The list is drawn in the browser from
    its own storage (IndexedDB); the page carries nothing of anyone, so it needs no sign-in and the
    service worker may keep a copy to show when there is no signal."""
    return render(request, "core/outbox.html")


@never_cache
def outbox_token(request):
    """What the outbox asks right before it sends: a fresh CSRF token and who is signed in (None when
    the session is over: the outbox keeps its forms and asks the user to sign in)."""
    user = request.user.pk if request.user.is_authenticated else None
    return JsonResponse({"csrf": get_token(request), "user": user})


def _static_file(name: str) -> bytes | None:
    path = finders.find(name)
    if path:
        return Path(path).read_bytes()
    if staticfiles_storage.exists(name):  # collected only (not in an app's static folder)
        with staticfiles_storage.open(name) as handle:
            return handle.read()
    return None


# The templates the kept outbox page is drawn from: a change to one is a change to what is kept.
SHELL_TEMPLATES = ("base.html", "core/_outbox.html", "core/outbox.html")


def _service_worker() -> str:
    """The worker's source: its settings (cache version, files, fallback page) before fupin/sw.js.
    The version is a digest of everything it keeps, so any change to those files makes a new worker,
    which drops the old copies."""
    source = _static_file("fupin/sw.js")
    digest = hashlib.sha256(source)
    shell = []
    for name in SHELL_STATIC:
        content = _static_file(name)
        if content is None:
            continue  # an app's script gone: one missing file would stop the worker installing at all
        digest.update(name.encode() + content)
        shell.append(static(name))
    for name in SHELL_TEMPLATES:
        digest.update(get_template(name).template.source.encode())
    config = {"version": digest.hexdigest()[:16], "shell": shell, "fallback": reverse("core:outbox")}
    return f"self.FUPIN_SW = {json.dumps(config)};\n" + source.decode()


_kept_service_worker = functools.cache(_service_worker)  # files change only with a deploy


def service_worker(request):
    """/sw.js, served from the root so that it may answer a page asked for without signal (with the
    kept outbox page); what it does is in fupin/sw.js. Never taken from the browser's HTTP cache, so
    a deploy reaches the phones at their next page. Worked out again on each request in DEBUG, where
    the files change under a running server."""
    source = _service_worker() if settings.DEBUG else _kept_service_worker()
    return HttpResponse(
        source,
        content_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )
