"""Journey of issue 13, by clicking only, from the login page: the county officer of 兴海县 opens the
驾驶舱 and drills down 兴海县 → 唐乃亥乡 → 民族村 → the list behind a figure → a household, on a
desktop and on a phone; the numbers agree at every step:

- the figure of an area equals the sum of the rows shown one level down (the table under the map);
- the row of a division one level down equals that division's own figure on its page;
- the drill list's 共 N 条 equals the figure it was opened from.

The rollup is refreshed once the world is made (reports.services.refresh), as the demo does.
"""

import re
from decimal import Decimal

import pytest

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"
FIGURE = "registry.households"  # 登记户数: its drill lists households, each opening its page


@pytest.fixture
def site(live_server, transactional_db):
    """兴海县's world (households, pairings, visits, projects, monitoring) and a refreshed rollup."""
    from fupin.reports import services

    testing.make_world(["assistance", "projects", "monitoring"])
    services.refresh()
    return live_server.url


def _figure(page) -> Decimal:
    value = page.locator(f".figure[data-code='{FIGURE}']").get_attribute("data-value")
    return Decimal(value)


def _rows(page) -> dict[str, Decimal]:
    """The breakdown table (coloured by FIGURE, the first key figure): code → value."""
    assert page.locator("table.breakdown").get_attribute("data-figure") == FIGURE
    rows = page.locator("table.breakdown tbody tr")
    return {
        rows.nth(i).get_attribute("data-code"): Decimal(rows.nth(i).get_attribute("data-value") or "0")
        for i in range(rows.count())
    }


def _open_row(page, site: str, name: str, code: str) -> None:
    page.locator("table.breakdown tbody a", has_text=name).click()
    page.wait_for_url(f"{site}/?division={code}")
    page.locator(f".dash-crumbs [aria-current='page'][data-code='{code}']").wait_for()


def _journey(page, site: str, label: str) -> None:
    sign_in(page, site)
    assert "兴海县" in page.locator(".dash-head h1").inner_text()
    page.locator("#dash-map[data-rendered]").wait_for()
    county = _figure(page)
    assert county >= 2  # 扎西 and 王芳
    townships = _rows(page)
    assert sum(townships.values()) == county
    assert page.evaluate(FITS)
    shot(page, f"dashboard-1-county-{label}")

    # 唐乃亥乡, up again to 兴海县 by the breadcrumb, and down.
    _open_row(page, site, "唐乃亥乡", testing.TANGNAIHAI)
    page.locator(".dash-crumbs a", has_text="兴海县").click()
    page.wait_for_url(f"{site}/?division={testing.XINGHAI}")
    assert _figure(page) == county
    _open_row(page, site, "唐乃亥乡", testing.TANGNAIHAI)
    township = _figure(page)
    assert township == townships[testing.TANGNAIHAI]
    villages = _rows(page)
    assert sum(villages.values()) == township
    page.locator("#dash-map[data-rendered='ranked']").wait_for()  # below the county: no boundaries
    shot(page, f"dashboard-2-township-{label}")

    _open_row(page, site, "民族村", testing.MINZU_VILLAGE)
    village = _figure(page)
    assert village == villages[testing.MINZU_VILLAGE] >= 1
    assert page.evaluate(FITS)
    shot(page, f"dashboard-3-village-{label}")

    # The figure opens the list of exactly the households it counts.
    page.locator(f".figure[data-code='{FIGURE}']").click()
    page.wait_for_url(f"{site}/registry/?**")
    total = page.locator(".pagination-total").first.inner_text()
    assert re.fullmatch(r"共\s*(\d+)\s*条", total.strip()), total
    assert Decimal(re.search(r"\d+", total).group()) == village
    shot(page, f"dashboard-4-drill-{label}")
    page.locator("main tr", has_text="扎西").get_by_role("link", name="查看").click()
    page.wait_for_url(re.compile(r"/registry/\d+/$"))
    assert "扎西" in page.locator("main").inner_text()
    shot(page, f"dashboard-5-household-{label}")


def test_the_county_officer_drills_down_on_a_desktop(site, browser):  # noqa: F811
    page = new_page(browser)
    _journey(page, site, "desktop")


def test_the_county_officer_drills_down_on_a_phone(site, browser):  # noqa: F811
    """On a phone 待办 comes first, above the figures."""
    page = new_page(browser, phone=True)
    sign_in(page, site)
    todo, figures = page.locator("#todo").bounding_box(), page.locator("#figures").bounding_box()
    assert todo["y"] < figures["y"]
    page.context.clear_cookies()
    _journey(page, site, "phone")


def test_the_wall_screen(site, browser):  # noqa: F811
    """The 大屏 button opens the dark full-screen layout with the same figures."""
    page = new_page(browser)
    sign_in(page, site)
    county = _figure(page)
    page.locator("#wall-link").click()
    page.wait_for_url(f"{site}/?**screen=wall**")
    assert page.locator("body.wall").count() == 1
    assert page.locator(".sidebar").count() == 0
    assert _figure(page) == county
    page.locator("#dash-map[data-rendered]").wait_for()
    shot(page, "dashboard-wall", full_page=False)
