"""Journeys of issue 10 through the projects pages, by clicking and typing only (Debian Chromium).

(a) The county officer adds a fund source for their own county, the picker left at 兴海县.
(b) The township officer opens a project waiting for township review from the list, approves it,
    and the stepper's current step moves on (desk and phone).
(c) The public opens a village's 公示 page on a phone by its address: 公示期, 监督举报电话 and each
    project's detail, within 390px and without a person's data.
"""

import re

import pytest

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401
from fupin.projects import services, workflow
from fupin.projects.tests.factories import TODAY, approve, make_project, make_source
from fupin.projects.tests.test_public import leaks
from fupin.testing import make_households

pytestmark = pytest.mark.browser

WAITING = "民族村牦牛养殖合作社扩建"
PUBLIC = "民族村安全饮水巩固提升工程"
HOTLINE = "0974-8512317"
SOURCE = "2024年兴海县县级衔接资金"


@pytest.fixture
def site(live_server, transactional_db):
    """The cast and 唐乃亥乡's officer; 民族村's households; a project waiting for the township's
    review; a project approved and publicised on 2024-05-06 for seven days, with 扎西's household
    among its beneficiaries; 兴海县's 监督举报电话. Made before Playwright starts."""
    testing.make_cast()
    testing.make_township_officer()
    households = make_households()
    source = make_source(name="2024年兴海县中央衔接资金", budget="2000000.00")
    waiting = make_project(name=WAITING)
    workflow.project_transition(by=None, project=waiting, action="propose", on=TODAY)
    public = make_project(name=PUBLIC, category="housing_water", budget="600000.00")
    services.beneficiary_add(by=None, project=public, household=households["zhaxi"], benefit="入户自来水")
    approve(public, source)
    workflow.project_transition(by=None, project=public, action="publicise", on=TODAY, publicity_days=7)
    services.publicity_save(by=None, county_code=testing.XINGHAI, hotline=HOTLINE, office="兴海县乡村振兴局")
    return {"url": live_server.url}


def open_menu(page, label: str, *, phone: bool) -> None:
    """Click a main menu entry; on a phone the menu sits behind the menu button."""
    if phone:
        page.locator(".menu-toggle").click()
    page.locator(".sidebar a", has_text=label).click()


def fits(page, width: int = 390) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_county_officer_adds_a_fund_source_for_their_county(site, browser, phone):  # noqa: F811
    url = site["url"]
    page = new_page(browser, phone=phone)
    sign_in(page, url, "county")
    open_menu(page, "项目资金", phone=phone)
    page.locator(".project-tabs a", has_text="资金来源").click()
    page.wait_for_url(f"{url}/projects/funds/")
    page.locator(".toolbar a", has_text="新增").click()
    # The picker is left where it starts: at the officer's county.
    picker = page.locator(".region-picker")
    assert "兴海" in picker.inner_text()
    name = f"{SOURCE}{'(手机)' if phone else ''}"
    page.fill('input[name="name"]', name)
    page.select_option('select[name="kind"]', "county")
    page.fill('input[name="year"]', "2024")
    page.fill('input[name="note"]', "县本级财政安排")
    shot(page, f"journey-projects-source-form-{'phone' if phone else 'desktop'}")
    page.locator("form.edit-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/projects/funds/\d+/$"))  # the new source's page, not the form again
    assert name in page.locator("h1").inner_text()
    assert "兴海县" in page.locator("dl.fields").inner_text()
    page.locator(".breadcrumb a", has_text="资金来源").click()
    row = page.locator("#source-table tbody tr", has_text=name)
    assert "兴海县" in row.inner_text() and "县级衔接资金" in row.inner_text()
    if phone:
        assert fits(page), "the source list scrolls sideways on a phone"
    shot(page, f"journey-projects-source-listed-{'phone' if phone else 'desktop'}")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_township_reviews_a_project_and_the_stepper_moves_on(site, browser, phone):  # noqa: F811
    url = site["url"]
    page = new_page(browser, phone=phone)
    sign_in(page, url, "township")
    open_menu(page, "项目资金", phone=phone)
    page.wait_for_url(f"{url}/projects/")
    page.locator("#project-table tbody tr", has_text=WAITING).locator("a", has_text="查看").click()
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    stepper = page.locator("#progress")
    assert stepper.locator(".step").count() == 9
    assert stepper.locator('[aria-current="step"]').inner_text().strip().endswith("村级已申报")
    assert "待乡镇审核" in page.locator("#next-step").inner_text()
    assert "计划开工日期 2024-06-01" in page.locator("#next-step").inner_text()
    if phone:
        assert fits(page), "the project page scrolls sideways on a phone"
    shot(page, f"journey-projects-review-before-{'phone' if phone else 'desktop'}")

    review = page.locator('form[data-action="review"]')
    review.locator('input[name="reason"]').fill("符合乡村振兴规划,同意上报")
    review.locator("button").click()
    page.locator(".message-success").wait_for()
    current = page.locator('#progress [aria-current="step"]')
    assert current.inner_text().strip().endswith("乡镇已审核")
    assert page.locator("#progress .step-done").count() == 2
    assert "待县级批准" in page.locator("#next-step").inner_text()
    if phone:
        assert fits(page), "the project page scrolls sideways on a phone"
    shot(page, f"journey-projects-review-after-{'phone' if phone else 'desktop'}")


def test_the_public_reads_a_publicity_page_on_a_phone(site, browser):  # noqa: F811
    page = new_page(browser, phone=True)
    # A citizen opens the address printed on the village notice board: no sign-in.
    page.goto(f"{site['url']}/projects/public/{testing.MINZU_VILLAGE}/")
    assert "民族村" in page.locator("h1").inner_text()
    hotline = page.locator("#public-hotline")
    assert "监督举报电话" in hotline.inner_text() and HOTLINE in hotline.inner_text()
    card = page.locator(".public-project", has_text=PUBLIC)
    text = card.inner_text()
    assert "公示期" in text and "2024-05-06 至 2024-05-13" in text
    assert "中央衔接资金 · 2024年兴海县中央衔接资金" in text, "the project's sources"
    assert "受益户 1 户" in text, "beneficiaries as a count"
    assert "2024-06-01 至 2024-11-30" in text, "the schedule"
    for label in ("项目类别", "资金规模", "利益联结机制"):
        box = card.locator("dt", has_text=label).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, label
    assert fits(page), "the 公示 page scrolls sideways on a phone"
    assert leaks(page.content()) == [], leaks(page.content())
    shot(page, "journey-projects-public-phone")
