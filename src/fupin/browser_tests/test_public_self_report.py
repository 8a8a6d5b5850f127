"""农户自主申报 in a real browser on a phone (390×844), signed in as nobody: open the page, type, choose
the village in the division picker level by level, submit, read the receipt number, open the progress
page. Then the same without JavaScript (a WeChat browser with scripts off): the picker's 选择下一级
button posts the form back one level at a time. No page scrolls sideways, none shows a person's data."""

import pytest

from fupin import testing
from fupin.browser_tests.test_shell import TIMEOUT_MS, browser, new_page, shot  # noqa: F401
from fupin.projects.tests.test_public import leaks
from fupin.testing import make_households

pytestmark = pytest.mark.browser

NAME = "格桑达娃"
ID_NUMBER = testing.person_id(61)
PHONE = "13912345678"
HARDSHIP = "丈夫患有大病住院,花费八万元"
PATH = ["63", "6325", "632524", "632524203", testing.MINZU_VILLAGE]


@pytest.fixture
def site(live_server, transactional_db):
    """The cast and the registry's households (扎西 with his ID number, phone and illness), made before
    Playwright starts."""
    testing.make_cast()
    make_households()
    return {"url": live_server.url}


def fits(page, width: int = 390) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def fill_person(page) -> None:
    page.locator('input[name="name"]').press_sequentially(NAME)
    page.locator('input[name="phone"]').press_sequentially(PHONE)
    page.locator('input[name="id_number"]').press_sequentially(ID_NUMBER)


def fill_need(page) -> None:
    page.locator("#id_risks label", has_text="因病").click()
    page.locator("#id_risks label", has_text="因意外事故").click()
    page.locator('textarea[name="hardship"]').press_sequentially(HARDSHIP)


def no_personal_data(html: str) -> list[str]:
    return leaks(html) + [s for s in (NAME, ID_NUMBER, PHONE, HARDSHIP, "民族村") if s in html]


def read_receipt_and_progress(page, url: str) -> None:
    page.wait_for_url(f"{url}/monitoring/report/done/**")
    number = page.locator("#receipt-number").inner_text().strip()
    assert number.startswith("JC") and len(number) == 16
    assert "唐乃亥乡" in page.locator(".public-report-done").inner_text()
    assert fits(page), "the receipt scrolls sideways on a phone"
    assert no_personal_data(page.content()) == [], no_personal_data(page.content())
    shot(page, "monitoring-self-report-receipt-phone")

    page.locator("#progress-link").click()
    page.wait_for_url(f"{url}/monitoring/report/progress/**")
    progress = page.locator("#progress").inner_text()
    assert number in progress and "待受理" in progress and "提交申报" in progress
    assert "受理时限" in progress
    assert fits(page), "the progress page scrolls sideways on a phone"
    assert no_personal_data(page.content()) == [], no_personal_data(page.content())
    shot(page, "monitoring-self-report-progress-phone")

    # Anyone may look a receipt up by typing it; a wrong one gets the neutral answer.
    page.locator('input[name="number"]').fill("JC20990101000000")
    page.locator(".public-report-query button[type=submit]").click()
    page.locator("#progress-missing").wait_for()
    assert "未找到" in page.locator("#progress-missing").inner_text()


def test_an_applicant_reports_on_a_phone_and_follows_the_receipt(site, browser):  # noqa: F811
    url = site["url"]
    page = new_page(browser, phone=True)
    page.goto(f"{url}/monitoring/report/")
    assert "农户自主申报" in page.locator("h1").inner_text()
    assert fits(page), "the form scrolls sideways on a phone"
    fill_person(page)

    # The picker: each level is filled from the public division names as the one above is chosen.
    picker = page.locator(".region-picker")
    for level, code in enumerate(PATH, start=1):
        select = picker.locator(f'select[data-level="{level}"]')
        select.locator(f'option[value="{code}"]').wait_for(state="attached")
        select.click()
        select.select_option(code)
    assert picker.locator('input[type="hidden"]').input_value() == testing.MINZU_VILLAGE
    assert picker.locator("noscript").count() == 1, "the no-script button is not drawn"
    fill_need(page)
    assert fits(page)
    shot(page, "monitoring-self-report-form-phone")

    page.locator(".public-report-submit").click()
    read_receipt_and_progress(page, url)


def test_the_page_works_without_javascript(site, browser):  # noqa: F811
    url = site["url"]
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        java_script_enabled=False,
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{url}/monitoring/report/")
    fill_person(page)
    fill_need(page)
    # Without a script each level is chosen, then 选择下一级 posts the form back with the next level.
    for level, code in enumerate(PATH, start=1):
        page.locator(f'select[data-level="{level}"]').select_option(code)
        if level < len(PATH):
            page.locator('button[name="pick"]').click()
            page.wait_for_load_state()
            assert page.locator('input[name="name"]').input_value() == NAME, "what was typed is kept"
    assert fits(page)
    shot(page, "monitoring-self-report-form-noscript")
    page.locator(".public-report-submit").click()
    read_receipt_and_progress(page, url)
