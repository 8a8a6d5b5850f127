"""Party work in a real browser: a village branch secretary, on a phone, records a 三会一课 meeting and
sees it on the branch calendar as done."""

import pytest
from django.utils import timezone

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    """The cast and 兴海县's party world, made before Playwright starts (see test_shell.site)."""
    testing.make_world(["party"])
    return live_server.url


def test_it_records_a_meeting_on_a_phone_and_shows_it_done(site, browser):  # noqa: F811
    page = new_page(browser, phone=True)
    sign_in(page, site, "cadre")
    page.locator("[data-menu-toggle]").first.click()
    page.locator(".sidebar a", has_text="党建").click()
    page.wait_for_url(f"{site}/party/")
    branch = page.locator("#my-branches li", has_text="民族村党支部")
    branch.locator("a", has_text="记录会议").click()
    page.wait_for_selector("#meeting-form")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "party-meeting-phone")

    page.select_option("select[name=kind]", "committee")
    page.fill("input[name=held_on]", timezone.localdate().isoformat())
    page.fill("input[name=topic]", "支委会:研究本月帮扶工作")
    page.locator("#meeting-form input[name=attendees]").first.check()
    page.fill("textarea[name=guests]", "乡镇包村干部")  # attendance is ticked and named, never typed
    page.fill("textarea[name=minutes]", "一、学习文件;二、研究走访安排。")
    page.locator("#meeting-form button[type=submit]").click()
    page.wait_for_url(f"{site}/party/orgs/*/calendar/")

    month = timezone.localdate().replace(day=1).isoformat()
    period = page.locator(f'.calendar-row[data-kind="committee"] li[data-start="{month}"]')
    assert period.get_attribute("data-state") == "done"
    assert "支委会:研究本月帮扶工作" in period.inner_text()
    assert "已记录会议" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "party-calendar-phone")
