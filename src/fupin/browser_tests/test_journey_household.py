"""Journeys through the household registry, by clicking and typing only, from the login page:

- the county officer adds a household with its head, choosing the township and village with the
  picker, and lands on the household page that shows the head;
- on a household with a 帮扶责任人 and a 一户一策 plan, the county officer (desktop) and the village
  cadre (phone) open it from the list, see the cadre with their unit and the measures, and click
  记录走访 to reach the visit form.
"""

import datetime

import pytest

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401
from fupin.registry.idnumbers import make_id_number

pytestmark = pytest.mark.browser

NEW_HEAD_ID = make_id_number(area_code="632524", birth_date=datetime.date(1966, 6, 6), sequence=21, male=True)
CADRE = "多杰才旦"  # the assistance matrix's cadre of 大唐青海, paired with 扎西


@pytest.fixture
def site(live_server, transactional_db):
    """The cast, the registry's households, and 兴海县's assistance (扎西 paired with 多杰才旦 of 大唐青海,
    with a 危房改造 measure), made before Playwright starts (see test_shell.site)."""
    testing.make_world(["assistance"])
    return live_server.url


def _choose(picker, level: int, code: str) -> None:
    """Choose `code` in the picker's select of `level`, once the options of that level have loaded."""
    select = picker.locator(f'select[data-level="{level}"]')
    select.locator(f'option[value="{code}"]').wait_for(state="attached")
    select.select_option(code)


def test_the_county_officer_adds_a_household_with_its_head(site, browser):  # noqa: F811
    page = new_page(browser)
    sign_in(page, site, "county")
    page.locator(".sidebar a", has_text="农户").click()
    page.wait_for_url(f"{site}/registry/")
    page.locator(".toolbar a", has_text="新增").first.click()
    page.wait_for_url(f"{site}/registry/new/")
    assert "编辑时留空表示不修改" not in page.content()

    picker = page.locator(".region-picker").first
    _choose(picker, 4, "632524203")  # 唐乃亥乡: its villages load
    _choose(picker, 5, testing.MINZU_VILLAGE)
    page.fill('input[name="head_name"]', "索南")
    page.fill('input[name="head_id_number"]', NEW_HEAD_ID)
    page.select_option('select[name="head_sex"]', "M")
    page.fill('input[name="group_name"]', "二社")
    page.fill('input[name="phone"]', "13912345678")
    page.select_option('select[name="attribute"]', "ordinary")
    page.select_option('select[name="main_cause"]', "illness")
    shot(page, "journey-household-new")
    page.locator("form.edit-form button[type=submit]").click()

    page.wait_for_selector("#members")
    assert "/registry/new/" not in page.url, page.locator(".field-error, .errorlist").all_inner_texts()
    assert "索南" in page.locator("h1").inner_text()
    members = page.locator("#members tbody").inner_text()
    assert "索南" in members and "户主" in members
    assert "民族村" in page.locator(".household-head").inner_text()
    assert NEW_HEAD_ID not in page.content()
    shot(page, "journey-household-created")


def _open_zhaxi_and_record_a_visit(page, site: str, name: str) -> None:
    page.wait_for_url(f"{site}/registry/")
    page.locator("#household-table tbody tr", has_text="扎西").locator("a", has_text="查看").click()
    page.wait_for_selector("#assistance")
    cadres = page.locator("#assistance-cadres").inner_text()
    assert CADRE in cadres and "大唐青海能源开发有限公司" in cadres
    assert "危房改造" in page.locator("#assistance-measures").inner_text()
    shot(page, f"journey-household-assistance-{name}")
    page.locator("#record-visit").click()
    page.wait_for_selector("#visit-form")
    assert "扎西" in page.content()
    shot(page, f"journey-household-visit-form-{name}")


def test_the_county_officer_sees_the_cadre_and_plan_and_records_a_visit(site, browser):  # noqa: F811
    page = new_page(browser)
    sign_in(page, site, "county")
    page.locator(".sidebar a", has_text="农户").click()
    _open_zhaxi_and_record_a_visit(page, site, "desktop")


def test_the_village_cadre_does_the_same_on_a_phone(site, browser):  # noqa: F811
    page = new_page(browser, phone=True)
    sign_in(page, site, "cadre")
    page.locator(".tabbar a", has_text="农户").click()
    _open_zhaxi_and_record_a_visit(page, site, "phone")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
