"""The Content-Security-Policy of every response (django-csp), with the two places that need more.

The pages load scripts and styles only from the app itself ('self'): no inline <script>, no style
attribute, no <style> element (core/tests/test_headers.py walks the templates for them), no CDN
(the machines are offline anyway). Two exceptions, each as narrow as it can be:

- the back office (django-unfold) runs Alpine.js, which evaluates its x-data expressions, and
  carries inline scripts and styles in its templates: under /admin/ scripts and styles may be
  inline and eval'd, still only from 'self' and never framed;
- the 500 page keeps its style inline on purpose (it renders without static files, maybe while the
  database is down): a server error's page may use inline styles, never scripts.
"""

import functools

from csp.constants import UNSAFE_EVAL, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.urls import NoReverseMatch, reverse


@functools.cache  # the URLconf is fixed for the process; reversing per response cost 4% of an API call
def admin_prefix() -> str | None:
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None or parts.replace is not None:
            return parts  # a view that chose its own policy keeps it
        prefix = admin_prefix()
        if prefix and request.path_info.startswith(prefix):
            parts.update = {
                "script-src": [UNSAFE_INLINE, UNSAFE_EVAL],
                "style-src": [UNSAFE_INLINE],
            }
        elif response.status_code >= 500:
            parts.update = {"style-src": [UNSAFE_INLINE]}
        return parts
