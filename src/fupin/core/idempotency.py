"""A form sent again with the same key gets the first answer again instead of a second write.

The phone's outbox (core/static/fupin/outbox.js) sends each kept form with a random
`X-Fupin-Idempotency-Key`. When the signal drops after the server saved but before the phone heard
the answer, the phone sends the form again: without this, a new visit or a new lead would be
written twice (a versioned edit is refused by the version rule anyway). The first accepted answer
(a redirect, which is how every form page answers a save) is kept per user and key for a week in
the cache (shared between workers in production: settings.CACHES), and a repeat gets that
redirect with `X-Fupin-Replayed: 1`. A refused answer is not kept: the corrected form may be sent
again with the same key. Two tries of one key at once: the second waits for nothing and is told
to try later (409), which the outbox treats as a refusal it can resend.
"""

import re

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

HEADER = "HTTP_X_FUPIN_IDEMPOTENCY_KEY"
KEY = re.compile(r"^[A-Za-z0-9-]{16,64}$")
KEEP_SECONDS = 7 * 24 * 3600
BUSY_SECONDS = 120


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.META.get(HEADER, "")
        user = getattr(request, "user", None)
        if request.method != "POST" or not key or not KEY.match(key) or not (user and user.is_authenticated):
            return self.get_response(request)
        done_key = f"idem:{user.pk}:{key}"
        kept = cache.get(done_key)
        if kept is not None:
            response = HttpResponseRedirect(kept)
            response["X-Fupin-Replayed"] = "1"
            return response
        busy_key = done_key + ":busy"
        if not cache.add(busy_key, 1, BUSY_SECONDS):
            return HttpResponse(
                _("该表单正在提交,请稍后再试。"), status=409, content_type="text/plain; charset=utf-8"
            )
        try:
            response = self.get_response(request)
            if response.status_code in (301, 302, 303) and response.get("X-Fupin-Refused") != "1":
                cache.set(done_key, response["Location"], KEEP_SECONDS)
            return response
        finally:
            cache.delete(busy_key)
