"""Headers and limits: a Content-Security-Policy on every response, templates the policy does not
break, and each request size limit answered with a Chinese refusal (413/400), never a 500."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR)


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_every_page_carries_a_strict_policy(client, cast, sign_in):
    """Scripts and styles only from the app itself, no plug-ins, never framed."""
    responses = [
        client.get(reverse("accounts:login")),
        client.get("/no-such-page/"),
        sign_in(cast["county"]).get(reverse("core:home")),
        client.get("/api/regions/"),
    ]
    for response in responses:
        policy = csp(response)
        assert policy["script-src"] == ["'self'"], response
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]


def test_the_back_office_gets_what_its_theme_needs_and_no_more(cast, sign_in):
    """unfold's Alpine.js evaluates expressions: only /admin/ may run inline and eval'd scripts."""
    policy = csp(sign_in(cast["sysadmin"]).get(reverse("admin:index")))
    assert "'unsafe-eval'" in policy["script-src"] and "'self'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"<style", re.I), "<style> element"),
    (re.compile(r"\son[a-z]+=", re.I), "on… handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


# Templates drawn into PDFs by WeasyPrint (documents.cards), never served to a browser: the policy is a
# browser's, and WeasyPrint reads the document's own <style> (it fetches nothing: url_fetcher refuses).
PDF_ONLY = {
    "documents/templates/documents/card.html",
    "documents/templates/documents/household_file.html",
}


def test_no_template_has_what_the_policy_refuses():
    """No inline script, style or handler in any template (the 500 page's own style is allowed)."""
    found = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        if template.relative_to(TEMPLATES).as_posix() in {"templates/500.html", *PDF_ONLY}:
            continue
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{template.relative_to(TEMPLATES)}: {what}")
    assert found == []


def test_the_500_page_may_style_itself_but_not_script():
    from django.http import HttpResponseServerError
    from django.test import RequestFactory

    from fupin.core.csp import ContentSecurityPolicyMiddleware

    request = RequestFactory().get("/x/")
    middleware = ContentSecurityPolicyMiddleware(lambda r: HttpResponseServerError("x"))
    middleware.process_request(request)
    response = middleware.process_response(request, HttpResponseServerError("x"))
    policy = csp(response)
    assert "'unsafe-inline'" in policy["style-src"] and policy["script-src"] == ["'self'"]


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_a_form_body_over_the_limit_is_refused_in_chinese(client):
    """FUPIN_UPLOAD_MAX_BYTES covers bodies that are not files: 413 with the limit, before reading."""
    body = "username=" + "x" * 4096 + "&password=y"
    response = client.post(reverse("accounts:login"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    html = response.content.decode()
    assert "请求内容过大" in html and '<html lang="zh-hans">' in html


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_an_api_body_over_the_limit_is_refused_with_a_reason(client, cast, sign_in):
    response = sign_in(cast["county"]).post(
        "/api/registry/households", json.dumps({"note": "x" * 4096}), content_type="application/json"
    )
    assert response.status_code == 413
    assert "请求内容过大" in response.json()["detail"]


@pytest.mark.django_db
@override_settings(FUPIN_IMPORT_MAX_BYTES=1024)
def test_a_file_upload_over_the_import_ceiling_is_refused_before_it_is_read(client, cast, sign_in):
    """Files are not covered by FUPIN_UPLOAD_MAX_BYTES: their ceiling is FUPIN_IMPORT_MAX_BYTES (+1 MB)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.xlsx", b"x" * (2 * 1024 * 1024 + 10))
    response = sign_in(cast["county"]).post(reverse("registry:import_upload"), {"file": big})
    assert response.status_code == 413
    assert "请求内容过大" in response.content.decode()


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_upload_fields_over_the_body_limit_are_a_chinese_400_not_a_500(client, cast, sign_in):
    """Inside an upload the non-file fields still count against FUPIN_UPLOAD_MAX_BYTES (Django: 400)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    small = SimpleUploadedFile("a.xlsx", b"x" * 10)
    response = sign_in(cast["county"]).post(
        reverse("registry:import_upload"), {"file": small, "note": "x" * 4096}
    )
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
