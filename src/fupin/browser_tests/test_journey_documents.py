"""Journey of issue 14, by clicking and typing only, from the login page: a village's 明白卡 printed.

The county officer of 兴海县 (on a desktop) and the village cadre of 民族村 (on a phone) open 明白卡打印
from the menu, choose 民族村 (the county officer through the division picker; the cadre's one village
is the answer, no picker), A5, and start; the job's page shows its progress and offers the PDF. The
PDF, read back with pdftotext, holds one card a page for each household of 民族村 — 扎西, and the
two made here — with their ID numbers masked, and nothing of 宁曲村's 王芳.
"""

import subprocess

import pytest

from fupin import testing
from fupin.browser_tests.test_journey_shell import open_menu_item
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"
DUOJIE_ID = testing.person_id(31)
ZHUOGA_ID = testing.person_id(32, male=False)


@pytest.fixture
def site(live_server, transactional_db):
    """扎西 of 民族村 (and 王芳 of 宁曲村, 李强 of 泾川县), with two more households of 民族村: 多杰 and
    卓嘎. Made before the browser starts."""
    made = testing.make_world(["households"])
    second = testing.make_household(head="多杰", head_id=DUOJIE_ID)
    third = testing.make_household(head="卓嘎", head_id=ZHUOGA_ID)
    return {
        "url": live_server.url,
        "minzu": [made["zhaxi"].number, second.number, third.number],
        "elsewhere": [made["wang"].number, made["li"].number],
    }


def _masked(number: str) -> str:
    return f"{number[:4]}{'*' * 10}{number[-4:]}"


def _pdf_pages(path) -> list[str]:
    """The PDF's text, a page at a time (pdftotext ends each page with a form feed)."""
    # poppler-utils' pdftotext (scripts/test installs it) on the file the test saved: no outside input.
    command = ["pdftotext", str(path), "-"]
    text = subprocess.run(command, capture_output=True, check=True, text=True).stdout  # noqa: S603, S607
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


@pytest.mark.parametrize(
    ("username", "phone"), [("county", False), ("cadre", True)], ids=["county-desktop", "cadre-phone"]
)
def test_a_villages_cards_are_printed_from_the_menu(site, browser, tmp_path, username, phone):  # noqa: F811
    url, label = site["url"], "phone" if phone else "desktop"
    page = new_page(browser, phone=phone)
    sign_in(page, url, username)
    open_menu_item(page, "明白卡打印", phone=phone)
    page.wait_for_url(f"{url}/documents/cards/village/")
    form = page.locator("form.edit-form")
    if username == "county":
        picker = form.locator(".region-picker")
        picker.locator('select[data-level="4"]').select_option(label="唐乃亥乡")
        village = picker.locator('select[data-level="5"]')
        village.locator(f'option[value="{testing.MINZU_VILLAGE}"]').wait_for(state="attached")
        village.select_option(label="民族村")
    else:
        assert form.locator(".region-picker").count() == 0  # the cadre's one village is the answer
    assert form.locator('input[name="village"]').input_value() == testing.MINZU_VILLAGE
    form.locator('select[name="size"]').select_option(label="A5(卡片)")
    assert page.evaluate(FITS)
    shot(page, f"journey-cards-1-choose-{label}")
    form.locator("button[type=submit]", has_text="打印本村明白卡").click()

    # The job's page: its progress bar full, the count of cards, the file to download.
    page.wait_for_url(f"{url}/jobs/**")
    assert "已开始生成本村明白卡" in page.inner_text(".messages")
    panel = page.locator("#job-panel")
    panel.locator(".tag", has_text="已完成").wait_for()
    assert panel.locator("progress").get_attribute("value") == "100"
    assert "民族村 A5" in page.locator("section.job").inner_text()
    assert page.evaluate(FITS)
    shot(page, f"journey-cards-2-job-{label}")
    with page.expect_download() as download:
        panel.locator("a", has_text="下载").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert "民族村" in download.value.suggested_filename
    pdf = tmp_path / "cards.pdf"
    download.value.save_as(pdf)

    pages = _pdf_pages(pdf)
    assert len(pages) == 3, pages
    for number in site["minzu"]:
        assert sum(number in text for text in pages) == 1, number  # one card each, on its own page
    for number in site["elsewhere"]:
        assert all(number not in text for text in pages), number
    text = " ".join(pages)
    for name in ("扎西", "卓玛", "多杰", "卓嘎"):
        assert name in text, name
    for number in (testing.HEAD_ID, testing.WIFE_ID, DUOJIE_ID, ZHUOGA_ID):
        assert number not in text and _masked(number) in text, number
