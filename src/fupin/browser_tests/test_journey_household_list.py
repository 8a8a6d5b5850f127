"""Journey: the county officer filters the household list by township then village, and exports it.

Starts at the login page and only clicks and types: 农户, the 区划 picker (唐乃亥乡, then 民族村),
查询, 导出. The downloaded .xlsx must hold exactly 民族村's households, masked (issue 10, items 1
and 4). The same list fits a phone (390×844), and the filter works there too.
"""

import io
from pathlib import Path

import openpyxl
import pytest

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401
from fupin.testing import HEAD_ID, PHONE, WIFE_ID, make_households

pytestmark = pytest.mark.browser

TOWNSHIP = "632524203"  # 唐乃亥乡
NINGQU = "632524101206"  # 宁曲村, in another township of 兴海县
WORLD: dict[str, set[str]] = {}


def _more_households():
    """One more household in 民族村 and one more in 宁曲村, besides the screen fixtures'."""
    import datetime

    from fupin.registry import services
    from fupin.registry.idnumbers import make_id_number

    made = {}
    for key, village, name, seq in (
        ("cairang", testing.MINZU_VILLAGE, "才让", 60),
        ("lamu", NINGQU, "拉姆", 62),
    ):
        household = services.household_create(
            by=None, village_code=village, attribute="ordinary", main_cause="no_skills"
        )
        born = datetime.date(1968, 6, 1)
        id_number = make_id_number(area_code="632524", birth_date=born, sequence=seq, male=True)
        services.member_add(by=None, household=household, name=name, id_number=id_number, relation="head")
        made[key] = household
    return made


@pytest.fixture
def site(live_server, transactional_db):
    """The cast and households in two villages of 兴海县 (and one of 泾川县), made before Playwright starts."""
    testing.make_cast()
    households = {**make_households(), **_more_households()}
    WORLD["minzu"] = {h.number for h in households.values() if h.village_id == testing.MINZU_VILLAGE}
    WORLD["all"] = {h.number for h in households.values()}
    assert len(WORLD["minzu"]) == 2 and len(WORLD["all"]) == 5
    return live_server.url


def _filter_by_minzu(page) -> None:
    """In the query form's 区划 picker: the township, then its village (loaded on the choice), 查询."""
    picker = page.locator("form.query-form .region-picker")
    township = picker.locator('select[data-level="4"]')
    township.locator(f'option[value="{TOWNSHIP}"]').wait_for(state="attached")
    township.select_option(label="唐乃亥乡")
    village = picker.locator('select[data-level="5"]')
    village.locator(f'option[value="{testing.MINZU_VILLAGE}"]').wait_for(state="attached")
    village.select_option(value=testing.MINZU_VILLAGE)
    page.locator("form.query-form button[type=submit]", has_text="查询").click()
    page.wait_for_url(f"**division={testing.MINZU_VILLAGE}**")


def _listed_numbers(page) -> set[str]:
    return {
        code.inner_text().strip()
        for code in page.locator("#household-table tbody tr td:first-child code").all()
    }


def test_the_county_officer_filters_by_village_and_exports_exactly_that(site, browser):  # noqa: F811
    page = new_page(browser)
    sign_in(page, site)
    page.locator(".sidebar a", has_text="农户").click()
    page.wait_for_url(f"{site}/registry/")
    assert _listed_numbers(page) == WORLD["all"] - _jingchuan()
    _filter_by_minzu(page)
    assert _listed_numbers(page) == WORLD["minzu"]
    assert "宁曲村" not in page.locator("#household-table").inner_text()
    shot(page, "journey-household-list-minzu")

    with page.expect_download() as download:
        page.get_by_role("link", name="导出", exact=True).click()
    assert download.value.suggested_filename.endswith(".xlsx")
    content = Path(download.value.path()).read_bytes()  # a temporary name without .xlsx: read the bytes
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = [
        [("" if v is None else str(v)) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)
    ]
    header, body = rows[0], rows[1:]
    records = [dict(zip(header, row, strict=True)) for row in body]
    assert {r["户编号"] for r in records} == WORLD["minzu"]
    assert {r["姓名"] for r in records} == {"扎西", "卓玛", "才让"}
    text = repr(rows)
    for clear in (HEAD_ID, WIFE_ID, PHONE):
        assert clear not in text, "the export must be masked"
    assert all("*" in r["身份证号"] for r in records)


def test_the_list_and_its_filter_fit_a_phone(site, browser):  # noqa: F811
    page = new_page(browser, phone=True)
    sign_in(page, site)
    page.locator(".tabbar a", has_text="农户").click()
    page.wait_for_url(f"{site}/registry/")
    _filter_by_minzu(page)
    assert _listed_numbers(page) == WORLD["minzu"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    assert page.get_by_role("link", name="导出", exact=True).is_visible()
    shot(page, "journey-household-list-phone")


def _jingchuan() -> set[str]:
    return {number for number in WORLD["all"] if number.startswith(testing.JINGCHUAN)}
