"""Journeys through the shell in a real browser, by clicking only (from the login page on).

- A county officer filters the 党组织 list by township, then village, with the division picker — on a
  page other than /regions/, where the picker's script used to run before the picker existed.
"""

import pytest

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

MINZU_BRANCH = "民族村党支部"
NINGQU_BRANCH = "宁曲村党支部"


@pytest.fixture
def site(live_server, transactional_db):
    """The cast with one village branch in each of 兴海县's two townships (made before Playwright starts)."""
    from fupin.party import services

    testing.make_cast()
    for name, village in [(MINZU_BRANCH, "632524203207"), (NINGQU_BRANCH, "632524101206")]:
        services.org_create(by=None, name=name, level="branch", kind="village", region_id=village)
    return live_server.url


def open_menu_item(page, label: str, *, phone: bool) -> None:
    if phone:
        page.locator("[data-menu-toggle]").first.click()
    page.locator(".sidebar a", has_text=label).click()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_county_officer_filters_a_list_by_township_then_village(site, browser, phone):  # noqa: F811
    page = new_page(browser, phone=phone)
    sign_in(page, site, "county")
    open_menu_item(page, "党建", phone=phone)
    page.wait_for_url(f"{site}/party/")
    page.locator(".party-nav a", has_text="党组织").click()
    page.wait_for_url(f"{site}/party/orgs/")
    table = page.locator("table.table tbody")
    assert MINZU_BRANCH in table.inner_text() and NINGQU_BRANCH in table.inner_text()

    picker = page.locator("form.query-form .region-picker")
    picker.locator('select[data-level="4"]').select_option(label="唐乃亥乡")
    village = picker.locator('select[data-level="5"]')
    village.locator('option[value="632524203207"]').wait_for(state="attached")
    village.select_option(label="民族村")
    assert picker.locator('input[type="hidden"]').input_value() == "632524203207"
    shot(page, f"journey-shell-picker-{'phone' if phone else 'desktop'}")
    page.locator("form.query-form button[type=submit]", has_text="查询").click()
    page.wait_for_url("**/party/orgs/?*division=632524203207*")

    rows = page.locator("table.table tbody").inner_text()
    assert MINZU_BRANCH in rows and NINGQU_BRANCH not in rows
    # After the query the picker shows the choice it was given.
    assert picker.locator('select[data-level="5"]').input_value() == "632524203207"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, f"journey-shell-filtered-{'phone' if phone else 'desktop'}")
