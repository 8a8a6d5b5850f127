"""/api/docs works offline and under a Content-Security-Policy without inline scripts: Swagger UI's
files come from django-ninja's own static folder, never from a CDN."""

import json
import re

from django.conf import settings
from django.contrib.staticfiles import finders


def test_the_docs_page_uses_only_local_static_files(client, db):
    page = client.get("/api/docs").content.decode()
    urls = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    for url in urls:
        assert url.startswith(settings.STATIC_URL), url  # not http://, not //cdn…
        assert finders.find(url.removeprefix(settings.STATIC_URL)), f"{url} is not shipped"


def test_the_docs_page_has_no_inline_script(client, db):
    page = client.get("/api/docs").content.decode()
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S):
        # Data for the init script is JSON (not run); everything that runs comes from a file.
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        assert "src=" not in attributes or not body.strip()
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers either


def test_the_document_has_no_duplicate_key(client, db):
    """Swagger UI (and strict JSON parsers) refuse a document with a key written twice."""

    def refuse_duplicates(pairs):
        keys = [k for k, _v in pairs]
        assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
        return dict(pairs)

    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=refuse_duplicates)


def test_the_docs_page_is_served_under_the_strict_policy(client, db):
    """No exception for /api/docs: its scripts run under script-src 'self' like every page."""
    policy = client.get("/api/docs").headers["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe" not in script_src
