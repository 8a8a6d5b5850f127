"""Journey of issue 12, by clicking and typing only, from the login page: a risk found on a visit
becomes a monitoring object.

1. On a phone, the village cadre of 民族村 taps 走访, records (补录) a visit to 扎西 made nine days ago,
   taps 发现风险 on the saved visit, ticks the risks, types the 困难情况 and the day it was found, and
   lands on the lead's page. There it does 入户核实 (承诺授权书 signed, its photo, what was found),
   信息比对 (医保 and 民政), 村级评议 (the votes, a 公示 from a week ago) and, the five 公示 days
   being over, 确认公示期满.
2. On a desktop, the township officer of 唐乃亥乡 opens 防返贫监测 from the menu, finds the lead in its
   待办 and approves it (乡镇审核).
3. The county officer of 兴海县 opens 防返贫监测, follows 待县级审定 to the lead list, opens the lead
   and includes the household (type, risks, layer).
4. From the lead the county officer clicks through to 扎西's household page: 监测对象 with its type
   and risks, its 一户一策 measures; and on to the monitoring object's page with the same measures.

Why the 公示 dates lie in the past: the page refuses a 公示 starting before the lead's 发现日期, and
the 公示 can end only after its days (5 by default) have passed. A lead opened today can therefore
not reach the township today; the cadre records a visit made on paper nine days ago (补录, which the
visit form allows for a year) and the risk found on it, so the chain's dates are those of the village.

The world has no income written in the years the risk rules read (2018 and 2019 only), so the
registry's hook (registry.hooks → rules.reevaluate_household) opens no lead of its own; the fixture
checks that no lead exists before the journey starts.
"""

import datetime

import pytest
from django.utils import timezone

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"
HARDSHIP = "户主扎西患肺结核住院治疗,自付医疗费用约2.3万元,妻子卓玛在家照顾无法外出务工"
MEASURE = "落实大病专项救治和医疗救助,申办慢性病卡"


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path):
    """The cast, 扎西's household with its 帮扶责任人 and a 一户一策 plan of two measures (危房改造 from
    the assistance world, 健康帮扶 added here), the township officer of 唐乃亥乡, and a photo of the
    signed 承诺授权书 on the phone (a file). Made before the browser starts."""
    from fupin.assistance import services as assistance
    from fupin.monitoring import selectors

    settings.MEDIA_ROOT = tmp_path / "media"
    objs = testing.make_world(["assistance"])
    testing.make_township_officer()
    assistance.measure_add(
        by=None,
        household=objs["zhaxi"],
        type="health",
        content=MEASURE,
        cadre=objs["assistance_cadre"],
        due=timezone.localdate() + datetime.timedelta(days=60),
    )
    # Nothing in the chain yet: the journey's lead is the only one (see the module's docstring).
    assert not selectors.leads_visible_to(objs["county"]).exists()
    photo = tmp_path / "承诺授权书.png"
    photo.write_bytes(bytes.fromhex(PNG))
    return {"url": live_server.url, "number": objs["zhaxi"].number, "photo": str(photo)}


def _day(days_ago: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat()


def _submit_step(page, step: str, then: str | None) -> None:
    """Submit the case page's step form; wait for the next step's form (or none)."""
    page.locator(f"#step[data-step='{step}'] button[type=submit]").click()
    if then:
        page.wait_for_selector(f"#step[data-step='{then}']")
    else:
        page.wait_for_selector("#step", state="detached")


def _flag_on_a_phone(page, url: str, number: str, photo: str) -> str:
    """The cadre's part; returns the lead's receipt number."""
    page.locator(".tabbar a", has_text="走访").click()
    page.wait_for_url(f"{url}/assistance/visits/")
    page.locator("#record-visit").click()
    page.fill("#visit-q", "扎西")
    page.locator("form[role=search] button[type=submit]").click()
    page.locator("#visit-search-results a", has_text="扎西").click()
    page.wait_for_selector("#visit-form")
    page.fill('input[name="visited_on"]', _day(9))
    page.fill('input[name="people_met"]', "扎西、卓玛")
    page.fill('textarea[name="notes"]', "户主住院治疗,家中仅妻子一人")
    page.fill('textarea[name="issues"]', "自付医疗费用高,家庭收入骤降")
    page.locator("#visit-form button[type=submit]").click()
    page.wait_for_selector("#visit")
    assert page.evaluate(FITS)
    shot(page, "journey-monitoring-1-visit-phone")

    page.locator("#visit #report-lead").click()
    page.wait_for_selector("form.edit-form input[name=risks]")
    assert number in page.locator("form.edit-form h1").inner_text()
    form = page.locator("form.edit-form")
    form.get_by_label("因病", exact=True).check()
    form.get_by_label("因务工就业不稳", exact=True).check()
    page.fill('textarea[name="hardship"]', HARDSHIP)
    page.fill('input[name="opened_on"]', _day(9))
    assert page.evaluate(FITS)
    shot(page, "journey-monitoring-2-report-phone")
    form.locator("button[type=submit]").click()

    page.wait_for_selector("#case[data-stage='accepted']")
    assert "已登记风险线索" in page.inner_text(".messages")
    case = page.locator("#case").inner_text()
    assert "扎西" in case and "因病" in case and "因务工就业不稳" in case and "肺结核" in case
    lead_number = page.locator("#case dl.fields dd").first.inner_text().strip()
    assert lead_number and lead_number in page.locator("h1").first.inner_text()
    assert page.evaluate(FITS)
    shot(page, "journey-monitoring-3-lead-phone")

    # 入户核实: the signed 承诺授权书 and its photo (from the phone's camera or files).
    step = page.locator("#step[data-step='verify']")
    step.locator("input[name='consent_signed']").check()
    step.locator("input[name='consent_photo']").set_input_files(photo)
    page.fill("#step input[name='verified_on']", _day(8))
    page.fill("#step textarea[name='verification']", "入户核实:户主住院属实,出院小结及费用清单已拍照留存")
    shot(page, "journey-monitoring-4-verify-phone")
    _submit_step(page, "verify", "compare")
    assert "已记录入户核实。" in page.inner_text(".messages")

    # 信息比对: what the departments answered.
    page.select_option("#step select[name='medical']", label="不一致")
    page.fill("#step input[name='medical_note']", "医保系统自付费用2.1万元")
    page.select_option("#step select[name='civil']", label="一致")
    assert page.evaluate(FITS)
    shot(page, "journey-monitoring-5-compare-phone")
    _submit_step(page, "compare", "review")
    assert "已记录信息比对结果。" in page.inner_text(".messages")

    # 村级评议 and the 公示, which started a week ago and is over.
    page.fill("#step input[name='votes_for']", "11")
    page.fill("#step input[name='votes_against']", "1")
    page.fill("#step input[name='votes_abstain']", "2")
    page.fill("#step input[name='publicity_from']", _day(7))
    assert page.evaluate(FITS)
    shot(page, "journey-monitoring-6-review-phone")
    _submit_step(page, "review", "end_publicity")
    assert "已记录村级评议" in page.inner_text(".messages")
    assert f"{_day(7)} ~ {_day(2)}" in page.locator("#case").inner_text()
    shot(page, "journey-monitoring-7-publicity-phone")
    _submit_step(page, "end_publicity", None)
    assert "公示期满,已转乡镇审核。" in page.inner_text(".messages")
    page.wait_for_selector("#case[data-stage='publicised']")
    assert "等待乡镇办理" in page.locator("#waiting").inner_text()
    done = page.locator(".case-stepper .step-done .step-label").all_inner_texts()
    assert done == ["入户核实", "信息比对", "村级评议", "村内公示"], done
    assert page.evaluate(FITS)
    shot(page, "journey-monitoring-8-to-township-phone")
    return lead_number


def _open_monitoring(page, url: str) -> None:
    page.locator(".sidebar a", has_text="防返贫监测").click()
    page.wait_for_url(f"{url}/monitoring/")


def test_a_risk_found_on_a_visit_becomes_a_monitoring_object(site, browser):  # noqa: F811
    url = site["url"]

    # 1. The village cadre, on a phone.
    phone = new_page(browser, phone=True)
    sign_in(phone, url, "cadre")
    lead = _flag_on_a_phone(phone, url, site["number"], site["photo"])

    # 2. The township officer, on a desktop: the lead waits in its 待办.
    page = new_page(browser)
    sign_in(page, url, "township")
    _open_monitoring(page, url)
    todo = page.locator("#monitoring-todo")
    assert "待乡镇审核" in todo.inner_text()
    shot(page, "journey-monitoring-9-township-todo")
    todo.locator("a", has_text=lead).click()
    page.wait_for_selector("#step[data-step='check']")
    case = page.locator("#case").inner_text()
    assert "同意 11 票,反对 1 票,弃权 2 票" in case and "医保" in case
    page.get_by_label("审核通过,报县级审定").check()
    page.fill("#step textarea[name='reasons']", "情况属实,同意报县级审定")
    shot(page, "journey-monitoring-10-township-check")
    _submit_step(page, "check", None)
    assert "已记录乡镇审核意见。" in page.inner_text(".messages")
    page.wait_for_selector("#case[data-stage='checked']")

    # 3. The county officer: 待县级审定 on the overview, the list, the lead; include it.
    page = new_page(browser)
    sign_in(page, url, "county")
    _open_monitoring(page, url)
    shot(page, "journey-monitoring-11-county-overview")
    overview = page.locator("#monitoring-overview")
    row = overview.locator("dt", has_text="待县级审定")
    assert row.count() == 1
    overview.locator("dt:has-text('待县级审定') + dd a").click()
    page.wait_for_url("**/monitoring/leads/?stage=checked*")
    table = page.locator("table").first
    assert lead in table.inner_text() and "扎西" in table.inner_text()
    shot(page, "journey-monitoring-12-county-list")
    table.locator("a", has_text=lead).click()
    page.wait_for_selector("#step[data-step='decide']")
    page.get_by_label("纳入监测对象").check()
    page.select_option("#step select[name='type']", label="突发严重困难户")
    step = page.locator("#step")
    assert step.get_by_label("因病", exact=True).is_checked()  # the lead's risks, as found
    assert step.get_by_label("因务工就业不稳", exact=True).is_checked()
    step.get_by_label("缺劳动力", exact=True).check()
    page.select_option("#step select[name='layer']", label="潜在风险")
    shot(page, "journey-monitoring-13-county-decide")
    _submit_step(page, "decide", None)
    assert "已记录县级审定意见。" in page.inner_text(".messages")
    page.wait_for_selector("#case[data-stage='decided']")
    assert "突发严重困难户" in page.locator("#object-link").inner_text()
    shot(page, "journey-monitoring-14-county-decided")

    # 4. Click through to the household: a monitoring object with its type, risks and measures.
    page.locator("#case dd a", has_text="扎西").click()
    page.wait_for_selector("#monitoring-object")
    monitoring = page.locator("#monitoring").inner_text()
    assert "风险未消除" in monitoring and "突发严重困难户" in monitoring
    for risk in ("因病", "因务工就业不稳", "缺劳动力"):
        assert risk in page.locator("#monitoring-object").inner_text(), risk
    assert "潜在风险" in monitoring
    measures = page.locator("#assistance-measures").inner_text()
    assert "健康帮扶" in measures and MEASURE in measures and "危房改造" in measures
    shot(page, "journey-monitoring-15-household")
    page.locator("#monitoring a", has_text="查看监测对象").click()
    page.wait_for_selector("#measures")
    measures = page.locator("#measures").inner_text()
    assert MEASURE in measures and "危房改造" in measures
    assert "多杰才旦" in page.locator("#helpers").inner_text()
    assert lead in page.locator("#object").inner_text()
    shot(page, "journey-monitoring-16-object")

    # The cadre's phone, from the lead's page: the same household now reads as a monitoring object,
    # and 发现风险 there leads to the object (where its risks are updated), not to a form refused later.
    phone.locator("#case dd a", has_text="扎西").click()
    phone.wait_for_selector("#monitoring-object")
    assert "突发严重困难户" in phone.locator("#monitoring-object").inner_text()
    assert phone.evaluate(FITS)
    shot(phone, "journey-monitoring-17-household-phone")
    phone.locator("#monitoring #report-lead").click()
    phone.wait_for_selector("#object[data-status='monitored']")
    assert "该户已是监测对象" in phone.inner_text(".messages")
    assert phone.evaluate(FITS)
    shot(phone, "journey-monitoring-18-object-phone", full_page=False)


# The smallest valid PNG (1×1): the photo of the signed 承诺授权书.
PNG = (
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
