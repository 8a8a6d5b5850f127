"""Journeys by clicking and typing only, from the login page (issue 10):

- on a phone, the village cadre (also 民族村's first secretary) taps the 走访 tab, finds a household of
  the village by its household number — the number on its card, which the visit search once
  answered with "在您的数据范围内没有找到该农户" — records a visit and sees it on the visit list and
  on the household's timeline;
- on a desktop, the assisting unit's officer opens the village branch its own branch is paired with:
  it sees no edit, 新增党员 or 记录会议 button there (the branch, its township and county keep it), and
  records a joint activity on the pairing.
"""

import datetime

import pytest
from django.utils import timezone

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path):
    """The cast, 民族村's households, 兴海县's assistance and party worlds (made before the browser
    starts); the village cadre is the village's first secretary. Returns the URL and 扎西's number."""
    from fupin.assistance import services

    settings.MEDIA_ROOT = tmp_path / "media"
    objs = testing.make_world(["assistance", "party"])
    secretary = objs["assistance_cadre"]
    secretary.user = objs["cadre"]
    secretary.save()
    services.posting_create(
        by=None,
        cadre=secretary,
        kind="first_secretary",
        region=testing.MINZU_VILLAGE,
        start=datetime.date(2024, 1, 1),
    )
    return {"url": live_server.url, "number": objs["zhaxi"].number}


def test_a_first_secretary_finds_a_household_by_number_and_records_a_visit_on_a_phone(site, browser):  # noqa: F811
    url = site["url"]
    page = new_page(browser, phone=True)
    sign_in(page, url, "cadre")
    page.locator(".tabbar a", has_text="走访").click()
    page.wait_for_url(f"{url}/assistance/visits/")
    page.locator("#record-visit").click()
    page.fill("#visit-q", site["number"])
    page.locator("form[role=search] button[type=submit]").click()
    results = page.locator("#visit-search-results")
    results.wait_for()
    shot(page, "journey-visit-search-phone")
    assert "在您的数据范围内没有找到该农户" not in results.inner_text()
    results.locator("a", has_text="扎西").click()
    page.wait_for_selector("#visit-form")
    assert site["number"] in page.locator("#visit-form").inner_text()

    page.fill('input[name="people_met"]', "扎西")
    page.fill('textarea[name="notes"]', "了解牦牛养殖合作社分红到户情况")
    page.fill('textarea[name="issues"]', "冬季饲草储备不足")
    assert page.evaluate(FITS)
    shot(page, "journey-visit-form-phone")
    page.locator("#visit-form button[type=submit]").click()
    page.wait_for_selector("#visit")
    assert "牦牛养殖合作社" in page.locator("#visit").inner_text()

    page.locator(".tabbar a", has_text="走访").click()
    page.wait_for_url(f"{url}/assistance/visits/")
    assert "牦牛养殖合作社" in page.locator("#recent-visits").inner_text()
    page.locator("#recent-visits a", has_text="牦牛养殖合作社").click()
    page.locator("#visit a", has_text="查看农户时间线").click()
    page.wait_for_selector("#timeline")
    timeline = page.locator("#timeline").inner_text()
    assert "入户走访" in timeline and "牦牛养殖合作社" in timeline
    assert page.evaluate(FITS)
    shot(page, "journey-visit-timeline-phone")


def test_the_unit_officer_sees_no_edit_buttons_on_the_paired_branch_and_records_a_joint_activity(
    site,
    browser,  # noqa: F811
):
    url = site["url"]
    page = new_page(browser)
    sign_in(page, url, "unitofficer")
    page.locator(".sidebar a", has_text="党建").click()
    page.wait_for_url(f"{url}/party/")
    page.locator("#my-branches li", has_text="民族村党支部").locator("a.branch-name").click()
    page.wait_for_url(f"{url}/party/orgs/*/")
    shot(page, "journey-paired-branch-unit-desktop")
    for label in ("编辑", "新增党员", "记录会议", "新增村干部", "评分"):
        assert page.locator("main a.btn", has_text=label).count() == 0, label

    page.locator("#pairings a", has_text="大唐青海公司机关第一党支部").click()
    page.wait_for_selector("#activities")
    page.locator("#activities a", has_text="记录活动").click()
    page.select_option("select[name=kind]", "joint_event")
    page.fill("input[name=held_on]", timezone.localdate().isoformat())
    page.fill("input[name=title]", "联合开展主题党日")
    page.fill("textarea[name=description]", "重温入党誓词,共商产业帮扶")
    page.fill("input[name=participants]", "18")
    shot(page, "journey-joint-activity-form-desktop")
    page.locator("form.edit-form button[type=submit]").click()
    page.wait_for_selector("#activities")
    activities = page.locator("#activities").inner_text()
    assert "联合开展主题党日" in activities and "18" in activities
    shot(page, "journey-joint-activity-desktop")
