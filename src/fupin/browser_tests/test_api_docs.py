"""A developer signs in and opens /api/docs with no Internet: Swagger UI lists the operations."""

import pytest

from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in, site  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_api_docs_work_offline(site, browser):  # noqa: F811
    page = new_page(browser)
    page.set_default_timeout(60_000)  # Swagger UI lays out ~150 operations: slow on a busy CI machine
    outside = []

    def offline(route):
        # Everything not served by fupin itself fails, as in a county office without Internet.
        if route.request.url.startswith(site):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.context.route("**/*", offline)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, site)
    page.goto(f"{site}/api/docs")  # a developer types it; the menu does not link it
    add_member = page.locator(".opblock-summary", has_text="新增家庭成员")
    try:
        add_member.wait_for()
    finally:
        shot(page, "api-docs", full_page=False)
    assert page.locator(".opblock").count() > 50
    # The household member's own fields, not a party member's (the component names are unique).
    add_member.click()
    body = page.locator(".opblock.is-open .opblock-section-request-body")
    body.get_by_text("id_number").first.wait_for()
    assert "org_id" not in body.inner_text()
    shot(page, "api-docs-add-member", full_page=False)
    assert errors == []
    assert outside == []
