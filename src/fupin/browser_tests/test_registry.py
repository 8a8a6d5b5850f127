"""The registry in a real browser: search by last four, the household page, its chart and timeline."""

import pytest

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401
from fupin.testing import HEAD_ID, make_households

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    """The cast and the registry's households, made before Playwright starts (see test_shell.site)."""
    testing.make_cast()
    make_households()
    return live_server.url


def test_it_finds_a_household_by_last_four_and_shows_its_page(site, browser):  # noqa: F811
    """The county officer types the last four digits, opens the household, sees the chart and the timeline."""
    page = new_page(browser)
    sign_in(page, site)
    page.locator(".sidebar a", has_text="农户").click()
    page.wait_for_url(f"{site}/registry/")
    page.fill('input[name="q"]', HEAD_ID[-4:])
    page.locator("form.query-form button[type=submit]").click()
    page.wait_for_load_state()
    rows = page.locator("#household-table tbody tr")
    assert rows.count() == 1 and "扎西" in rows.first.inner_text()
    shot(page, "registry-list")

    rows.first.locator("a", has_text="查看").click()
    page.wait_for_selector("#income-chart[data-rendered] canvas")
    assert page.locator("#income-chart canvas").count() >= 1
    assert HEAD_ID not in page.content()
    assert "建档登记" in page.locator("#timeline").inner_text()
    shot(page, "registry-household")

    # 查看 swaps the masked phone for the full value (the county officer may reveal; it is audited).
    page.locator("#household-phone button[data-reveal]").click()
    page.locator("#household-phone .revealed").wait_for()
    assert page.locator("#household-phone .revealed").inner_text() == "13897654321"


def test_it_fits_the_household_list_on_a_phone(site, browser):  # noqa: F811
    page = new_page(browser, phone=True)
    sign_in(page, site, "cadre")
    page.locator(".tabbar a", has_text="农户").click()
    page.wait_for_url(f"{site}/registry/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "registry-list-phone")
