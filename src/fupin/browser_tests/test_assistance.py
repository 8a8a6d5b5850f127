"""Assistance in a real browser: a first secretary records a visit on a phone (a lost draft comes
back) and finds it on the household's timeline; the county officer reads the coverage report."""

import datetime

import pytest

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path):
    """The cast, the households and 兴海县's assistance records; the village cadre of 民族村 is also
    its first secretary (a cadre record linked to the account, with a serving term)."""
    from fupin.assistance import services

    settings.MEDIA_ROOT = tmp_path / "media"
    objs = testing.make_world(["assistance"])
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
    return live_server.url


def test_it_records_a_visit_on_a_phone_and_shows_it_on_the_timeline(site, browser):  # noqa: F811
    page = new_page(browser, phone=True)
    sign_in(page, site, "cadre")
    page.locator(".tabbar a", has_text="走访").click()
    page.wait_for_url(f"{site}/assistance/visits/")
    assert "扎西" in page.locator("#my-households").inner_text()
    shot(page, "assistance-visits-phone")

    page.locator("#record-visit").click()
    page.fill("#visit-q", "扎西")
    page.locator("form[role=search] button[type=submit]").click()
    page.locator("#visit-search-results a", has_text="扎西").click()
    page.wait_for_selector("#visit-form")

    # The signal drops before saving: what was typed survives a reload from the local draft.
    page.fill('input[name="people_met"]', "扎西、卓玛")
    page.fill('textarea[name="notes"]', "危房改造已开工,建材基本到位")
    page.reload()
    assert page.locator('textarea[name="notes"]').input_value() == "危房改造已开工,建材基本到位"
    assert page.locator("[data-draft-note]").is_visible()
    page.fill('textarea[name="issues"]', "缺少砂石")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "assistance-visit-form-phone")
    page.locator("#visit-form button[type=submit]").click()
    page.wait_for_selector("#visit")
    assert "危房改造已开工" in page.locator("#visit").inner_text()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('fupin-visit-')).length") == 0

    page.locator("#visit a", has_text="查看农户时间线").click()
    page.wait_for_selector("#timeline")
    timeline = page.locator("#timeline").inner_text()
    assert "入户走访" in timeline and "危房改造已开工" in timeline
    shot(page, "assistance-timeline-phone")


def test_it_shows_the_county_officer_the_first_secretary_coverage(site, browser):  # noqa: F811
    page = new_page(browser)
    sign_in(page, site, "county")
    page.locator('.sidebar a[href="/assistance/"]').click()
    page.wait_for_url(f"{site}/assistance/")
    page.locator(".assistance-nav a", has_text="第一书记覆盖").click()
    page.wait_for_selector("#coverage-villages")
    villages = page.locator("#coverage-villages").inner_text()
    assert "宁曲村" in villages and "多杰才旦" in villages
    assert "兴海县" in page.locator("#coverage-counties").inner_text()
    shot(page, "assistance-coverage")
    with page.expect_download() as download:
        page.locator("#coverage-summary a", has_text="导出").click()
    assert download.value.suggested_filename.endswith(".xlsx")
