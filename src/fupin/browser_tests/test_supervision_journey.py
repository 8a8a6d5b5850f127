"""Journey of issue 15, by clicking and typing only, from the login page: an inspector's finding is
rectified by the village and closed by the county (闭环式跟踪问效).

1. On a phone, 兴海县's inspector opens 督查督办, taps 登记问题 and records a finding in 民族村 with a
   photo taken on the spot (取证照片), a requirement and a deadline; the finding is 待整改.
2. On a phone, the village cadre of 民族村 opens 督查督办, follows 待整改 to the list and the finding,
   records the plan (整改中), then submits what was done with photos before and after (待核验).
3. On a desktop, the county officer of 兴海县 follows 待核验 to the finding, sees the three photos and
   closes it (核验销号): 已销号, every step on its timeline.
4. Anyone, without signing in: 兴海县's public count shows it as 已整改, with no description, village
   or person.

The cast has no inspector: this module makes one (兴海县's 督查人员) in its own world. The finding's
kinds are supervision's data migration's; a browser test's database is flushed after each test, so
the fixture makes them again when missing.
"""

import datetime
import re

import pytest
from django.utils import timezone

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"
DESCRIPTION = "结对帮扶责任人两个月未入户走访,走访记录系补填"
PLAN = "帮扶责任人本周内入户走访,如实补记;村里建立每月走访登记"
RESULT = "已入户走访并如实记录,走访登记表已张贴在村委会"
CATEGORIES = ["干部作风", "政策落实", "资金项目", "帮扶工作", "基层党建", "档案资料", "其他"]


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path):
    """The cast, an inspector of 兴海县, the kinds of finding, and three photos on the phones (files).
    Made before the browser starts (see test_shell.site)."""
    from fupin.accounts.roles import Role
    from fupin.demo.supervision import photo
    from fupin.supervision.models import Category

    settings.MEDIA_ROOT = tmp_path / "media"
    testing.make_cast()
    testing.make_user("inspector", roles=[Role.INSPECTOR], scopes=[testing.XINGHAI], full_name="兴海县督查员")
    for order, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"order": order})
    files = {}
    for key, colours in (
        ("evidence", {"thing": (140, 90, 70)}),
        ("before", {"thing": (140, 90, 70), "ground": (110, 90, 60)}),
        ("after", {"thing": (200, 200, 190), "ground": (70, 140, 60)}),
    ):
        path = tmp_path / f"{key}.jpg"
        path.write_bytes(photo(path.name, **colours).read())
        files[key] = str(path)
    return {"url": live_server.url, **files}


def _open_supervision(page, url: str, *, phone: bool) -> None:
    if phone:
        page.locator(".menu-toggle").click()
    page.locator(".sidebar a", has_text="督查督办").click()
    page.wait_for_url(f"{url}/supervision/")


def _choose(picker, level: int, code: str) -> None:
    select = picker.locator(f'select[data-level="{level}"]')
    select.locator(f'option[value="{code}"]').wait_for(state="attached")
    select.select_option(code)


def _state(page) -> str:
    return page.locator("#finding-state").inner_text().strip()


def _record_on_a_phone(page, url: str, evidence: str) -> str:
    """The inspector's part; returns the finding's number."""
    _open_supervision(page, url, phone=True)
    page.locator("a", has_text="登记问题").click()
    page.wait_for_url(f"{url}/supervision/findings/new/")
    picker = page.locator(".region-picker").first
    _choose(picker, 4, "632524203")  # 唐乃亥乡: its villages load
    _choose(picker, 5, testing.MINZU_VILLAGE)
    page.select_option('select[name="category"]', label="帮扶工作")
    page.select_option('select[name="severity"]', label="较重")
    page.fill('textarea[name="description"]', DESCRIPTION)
    page.locator('input[name="photos"]').set_input_files(evidence)
    page.fill('textarea[name="notes"]', "随机入户,农户称两个月未见帮扶责任人")
    page.fill('input[name="location"]', "民族村二社")
    page.fill('textarea[name="requirement"]', "立即入户走访,如实记录")
    deadline = timezone.localdate() + datetime.timedelta(days=15)
    page.fill('input[name="deadline"]', deadline.isoformat())
    page.fill('input[name="responsible_person"]', "才让东智")
    assert page.evaluate(FITS)
    shot(page, "journey-supervision-1-record-phone")
    page.locator("form.edit-form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/supervision/findings/\d+/$"))
    assert _state(page) == "待整改"
    assert DESCRIPTION in page.locator("dl.fields").inner_text()
    assert page.locator(".photo-strip img").count() == 1
    assert page.evaluate(FITS)
    shot(page, "journey-supervision-2-recorded-phone")
    return page.locator("h1").first.inner_text().split()[0]


def _rectify_on_a_phone(page, url: str, number: str, before: str, after: str) -> None:
    """The village cadre's part: the plan, then the rectification with its photos."""
    _open_supervision(page, url, phone=True)
    page.locator("table a", has_text="待整改").click()
    page.wait_for_url(re.compile(r"/supervision/findings/\?state=open"))
    page.locator("table a", has_text=number).click()
    page.wait_for_url(re.compile(r"/supervision/findings/\d+/$"))
    assert _state(page) == "待整改"
    plan = page.locator("form[action$='/plan/']")
    plan.locator('textarea[name="plan"]').fill(PLAN)
    shot(page, "journey-supervision-3-plan-phone")
    plan.locator("button[type=submit]").click()
    page.wait_for_selector("form[action$='/submit/']")
    assert _state(page) == "整改中"
    assert PLAN in page.locator("dl.fields").inner_text()

    submit = page.locator("form[action$='/submit/']")
    submit.locator('textarea[name="result"]').fill(RESULT)
    submit.locator('input[name="before_photos"]').set_input_files(before)
    submit.locator('input[name="after_photos"]').set_input_files(after)
    assert page.evaluate(FITS)
    shot(page, "journey-supervision-4-submit-phone")
    submit.locator("button[type=submit]").click()
    page.wait_for_selector("form[action$='/submit/']", state="detached")
    assert _state(page) == "待核验"
    assert page.locator(".photo-strip img").count() == 3  # the evidence, before and after
    assert page.evaluate(FITS)
    shot(page, "journey-supervision-5-submitted-phone")


def test_an_inspectors_finding_is_rectified_by_the_village_and_closed_by_the_county(site, browser):  # noqa: F811
    url = site["url"]

    # 1. The inspector, on a phone.
    phone = new_page(browser, phone=True)
    sign_in(phone, url, "inspector")
    number = _record_on_a_phone(phone, url, site["evidence"])

    # 2. The village cadre, on a phone.
    phone = new_page(browser, phone=True)
    sign_in(phone, url, "cadre")
    _rectify_on_a_phone(phone, url, number, site["before"], site["after"])

    # 3. The county officer, on a desktop: 待核验 → the finding → 核验销号.
    page = new_page(browser)
    sign_in(page, url, "county")
    _open_supervision(page, url, phone=False)
    page.locator("table a", has_text="待核验").click()
    page.wait_for_url(re.compile(r"/supervision/findings/\?state=submitted"))
    page.locator("table a", has_text=number).click()
    page.wait_for_url(re.compile(r"/supervision/findings/\d+/$"))
    assert _state(page) == "待核验"
    assert RESULT in page.locator("dl.fields").inner_text()
    assert page.locator(".photo-strip img").count() == 3
    shot(page, "journey-supervision-6-verify")
    close = page.locator("form[action$='/close/']")
    close.locator('[name="note"]').fill("回访核实,已入户走访,记录属实")
    close.locator("button[type=submit]").click()
    page.wait_for_selector("form[action$='/close/']", state="detached")
    assert _state(page) == "已销号"
    timeline = page.locator(".timeline").inner_text()
    for step in ("登记问题", "制定整改措施", "提交整改核验", "核验销号"):
        assert step in timeline, step
    shot(page, "journey-supervision-7-closed")

    # 4. The public count, without signing in: 已整改, and nothing personal.
    public = new_page(browser, phone=True)
    public.goto(f"{url}/supervision/public/{testing.XINGHAI}/")
    counts = public.locator("#public-counts")
    total = counts.locator("tbody tr").first.locator("td").all_inner_texts()
    assert [t.strip() for t in total] == ["1", "0", "0"]  # 已整改, 正在整改, 未整改
    assert "唐乃亥乡" in counts.inner_text()
    text = public.locator("body").inner_text()
    assert DESCRIPTION not in text and "民族村" not in text and "才让东智" not in text
    assert public.evaluate(FITS)
    shot(public, "journey-supervision-8-public-phone")
