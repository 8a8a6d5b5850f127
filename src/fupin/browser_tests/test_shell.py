"""The shell in a real browser: sign in, home page, division picker, language switch, sign out.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against pytest-django's live
server. Screenshots land in artifacts/screenshots/ at the repository root (git-ignored, kept by CI);
FUPIN_SCREENSHOT_DIR moves them.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from fupin import testing

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def screenshot_dir() -> Path:
    folder = Path(
        os.environ.get("FUPIN_SCREENSHOT_DIR") or settings.PROJECT_DIR / "artifacts" / "screenshots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shot(page, name: str, *, full_page: bool = True) -> None:
    page.screenshot(path=str(screenshot_dir() / f"{name}.png"), full_page=full_page)


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the cast in its database (made before the browser starts: Playwright's
    event loop makes Django refuse ORM calls in this thread afterwards)."""
    testing.make_cast()
    return live_server.url


@pytest.fixture
def browser(site):
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing, and CI=true requires the browser tests to run")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, *, phone: bool = False):
    if phone:
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
        )
    else:
        # A county office's browser asks for Chinese (headless Chromium would otherwise ask for en-US).
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def sign_in(page, site: str, username: str = "county") -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', testing.PASSWORD)
    page.locator('form:has(input[name="password"]) button[type="submit"]').click()
    page.wait_for_url(f"{site}/")


def test_it_signs_in_switches_language_and_signs_out(site, browser):
    """The county officer signs in, sees 兴海县, turns the pages English, and signs out."""
    page = new_page(browser)
    page.goto(f"{site}/accounts/login/")
    shot(page, "login")
    sign_in(page, site)

    assert page.locator(".topbar .where-area").inner_text() == "兴海县"
    scope = page.locator(".scope-list li[data-code='632524']")
    assert "青海省" in scope.inner_text() and "兴海县" in scope.inner_text()
    assert page.locator(".sidebar a.active").inner_text().strip() == "首页"
    shot(page, "home")

    page.locator('.topbar .lang-switch button[value="en"]').click()
    page.wait_for_load_state()
    page.locator("text=My data scope").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".sidebar a.active").inner_text().strip() == "Home"
    shot(page, "home-en")

    page.locator(".user-menu summary").click()
    page.locator(".user-menu-panel button.logout").click()
    page.wait_for_url(f"{site}/accounts/login/**")
    assert page.locator('input[name="password"]').is_visible()


def test_it_picks_a_division_with_the_cascading_picker(site, browser):
    """On /regions/ the five-level picker fills each level from /api/regions/ as the one above is chosen."""
    page = new_page(browser)
    sign_in(page, site)
    page.goto(f"{site}/regions/")
    if page.locator(".region-picker").count() == 0:
        pytest.fail(
            '/regions/ has no <div class="region-picker"> with <select data-level="1"> … <select data-level="5">'
        )
    picker = page.locator(".region-picker").first
    for level, code in enumerate(["63", "6325", "632524", "632524203", "632524203207"], start=1):
        select = picker.locator(f'select[data-level="{level}"]')
        select.locator(f'option[value="{code}"]').wait_for(state="attached")
        if select.input_value() != code:
            select.select_option(code)
            page.wait_for_load_state()  # the browse form may submit itself on a choice
    assert picker.locator('select[data-level="3"] option:checked').inner_text().strip().startswith("兴海")
    assert picker.locator('select[data-level="5"]').input_value() == "632524203207"
    shot(page, "regions-picker")


def test_it_fits_the_home_page_on_a_phone(site, browser):
    """At 390×844 the sidebar hides behind the menu button and the bottom tab bar appears."""
    page = new_page(browser, phone=True)
    sign_in(page, site)
    assert page.locator(".tabbar").is_visible()
    assert page.locator(".menu-toggle").is_visible()
    assert not page.locator(".sidebar").is_visible() or page.locator(".sidebar").bounding_box()["x"] < 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    for tab in page.locator(".tabbar > *").all():
        assert tab.bounding_box()["height"] >= 44, "touch targets are at least 44px high"
    shot(page, "home-phone", full_page=False)  # what the screen shows, with the tab bar at the bottom

    page.locator(".menu-toggle").click()
    page.wait_for_timeout(300)  # the slide-in transition
    assert page.locator(".sidebar").bounding_box()["x"] >= 0
    shot(page, "home-phone-menu", full_page=False)
