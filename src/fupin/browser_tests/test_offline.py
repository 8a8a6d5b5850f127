"""Offline capture on a phone (issue 12; docs/architecture.md "Offline capture"), by clicking and typing:

- the village cadre opens 扎西's visit form, loses the signal, records the visit with a photo: the
  page says it is kept on the phone, the 待发送 badge counts it; a reload without signal shows the
  kept outbox page with the entry; when the signal returns the visit is sent and saved, photo included;
- a visit the server refuses on replay (dated more than a year ago) stays in the outbox as 被退回 with
  the server's reason; the cadre opens it, corrects the date and sends it again;
- the session runs out while a visit waits: the entry is kept as 需登录后发送 and goes out once the
  cadre has signed in again.
"""

import concurrent.futures
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

# The smallest valid PNG (1×1), for a visit photo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def _in_database(query):
    """Run an ORM query off Playwright's thread (Django refuses the ORM inside its event loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(query).result()


def _visits(household_id: int) -> list[dict]:
    from fupin.assistance.models import Visit

    return _in_database(
        lambda: [
            {"notes": v.notes, "visited_on": v.visited_on, "photos": v.photos.count()}
            for v in Visit.objects.filter(household_id=household_id)
        ]
    )


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path):
    """The cast and 民族村's households (made before the browser starts); the URL and 扎西's visit form."""
    settings.MEDIA_ROOT = tmp_path / "media"
    objs = testing.make_world(["households"])
    household = objs["zhaxi"].pk
    return {
        "url": live_server.url,
        "household": household,
        "form": live_server.url + reverse("assistance:visit_record", args=[household]),
        "edit": live_server.url + reverse("registry:household_edit", args=[household]),
    }


def _open_visit_form(page, site):
    sign_in(page, site["url"], "cadre")
    page.goto(site["form"])
    page.wait_for_selector("#visit-form")
    # The service worker has kept the shell and the outbox page (what a reload without signal shows).
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def _fill_visit(page, notes: str, *, visited_on: datetime.date | None = None):
    if visited_on:
        page.fill('input[name="visited_on"]', visited_on.isoformat())
    page.fill('input[name="people_met"]', "扎西")
    page.fill('textarea[name="notes"]', notes)


def _count(page) -> str:
    return page.locator("#outbox-badge [data-outbox-count]").inner_text()


def test_a_visit_recorded_without_signal_is_kept_on_the_phone_and_sent_when_the_signal_returns(site, browser):  # noqa: F811
    page = new_page(browser, phone=True)
    _open_visit_form(page, site)
    assert page.locator("#outbox-badge").is_hidden()

    page.context.set_offline(True)
    _fill_visit(page, "无信号时记录:牦牛越冬饲草情况")
    page.set_input_files(
        'input[name="photos"]', files=[{"name": "visit.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.locator("#visit-form button[type=submit]").click()
    notice = page.locator(".outbox-notice")
    notice.wait_for()
    assert "已保存在手机上,有信号时自动提交" in notice.inner_text()
    assert page.locator("#outbox-badge").is_visible() and _count(page) == "1"
    assert page.locator('textarea[name="notes"]').input_value() == ""  # the outbox holds it now
    shot(page, "offline-visit-kept-phone")
    assert _visits(site["household"]) == []

    # A reload without signal: the service worker answers with the kept outbox page.
    page.reload()
    entry = page.locator("#outbox-list li").first
    entry.wait_for()
    assert page.locator("[data-outbox-nopage]").is_visible()
    text = entry.inner_text()
    assert "走访 扎西" in text and "待发送" in text and "1 个附件" in text
    shot(page, "offline-outbox-phone")

    page.context.set_offline(False)  # the signal returns: the online event sends the outbox
    page.locator('#outbox-list li[data-state="sent"]').wait_for()
    assert "已提交" in page.locator("#outbox-list li").first.inner_text()
    assert page.locator("#outbox-badge").is_hidden()
    assert "已提交 1 条待发送内容" in page.locator(".messages").inner_text()
    shot(page, "offline-outbox-sent-phone")
    assert _visits(site["household"]) == [
        {"notes": "无信号时记录:牦牛越冬饲草情况", "visited_on": timezone.localdate(), "photos": 1}
    ]


def test_a_visit_refused_on_replay_stays_with_the_reason_and_is_corrected_and_sent_again(site, browser):  # noqa: F811
    page = new_page(browser, phone=True)
    _open_visit_form(page, site)
    page.context.set_offline(True)
    too_old = timezone.localdate() - datetime.timedelta(days=400)
    _fill_visit(page, "补录:去年冬季走访", visited_on=too_old)
    page.locator("#visit-form button[type=submit]").click()
    page.locator(".outbox-notice").wait_for()

    page.context.set_offline(False)
    page.locator("#outbox-badge.outbox-badge-alert").wait_for()  # sent, and refused
    assert "被退回" in page.locator(".messages").inner_text()
    assert _visits(site["household"]) == []

    page.locator("#outbox-badge").click()
    entry = page.locator('#outbox-list li[data-state="refused"]')
    entry.wait_for()
    assert "被退回" in entry.inner_text() and "只能补录一年内的走访" in entry.inner_text()
    shot(page, "offline-outbox-refused-phone")

    entry.locator('[data-action="open"]').click()  # the same form, filled from the entry
    page.wait_for_selector("#visit-form")
    page.locator(".outbox-notice", has_text="只能补录一年内的走访").wait_for()
    assert page.locator('textarea[name="notes"]').input_value() == "补录:去年冬季走访"
    shot(page, "offline-visit-reopened-phone")
    page.fill('input[name="visited_on"]', timezone.localdate().isoformat())
    page.locator("#visit-form button[type=submit]").click()
    page.wait_for_selector("#visit")
    assert "走访记录已保存" in page.locator(".messages").inner_text()  # the server's own message
    assert page.locator("#outbox-badge").is_hidden()  # the corrected entry left the outbox
    assert _visits(site["household"]) == [
        {"notes": "补录:去年冬季走访", "visited_on": timezone.localdate(), "photos": 0}
    ]


def test_a_visit_waiting_when_the_session_ends_is_kept_until_the_cadre_signs_in_again(site, browser):  # noqa: F811
    page = new_page(browser, phone=True)
    _open_visit_form(page, site)
    page.context.set_offline(True)
    _fill_visit(page, "会话过期前记录")
    page.locator("#visit-form button[type=submit]").click()
    page.locator(".outbox-notice").wait_for()

    page.context.clear_cookies()  # the session is over while the phone has no signal
    page.context.set_offline(False)
    page.goto(f"{site['url']}/outbox/")
    entry = page.locator('#outbox-list li[data-state="login"]')
    entry.wait_for()
    assert "需登录后发送" in entry.inner_text()
    assert _visits(site["household"]) == []

    entry.locator('[data-action="login"]').click()
    page.fill('input[name="username"]', "cadre")
    page.fill('input[name="password"]', testing.PASSWORD)
    page.locator('form:has(input[name="password"]) button[type="submit"]').click()
    page.wait_for_url(f"{site['url']}/outbox/")
    page.locator('#outbox-list li[data-state="sent"]').wait_for()
    assert [v["notes"] for v in _visits(site["household"])] == ["会话过期前记录"]


def test_with_a_signal_a_refused_visit_comes_back_with_its_errors_and_its_photo(site, browser):  # noqa: F811
    """The form posted by the outbox's script with a signal behaves as a form always did: refused,
    it shows the server's errors in place (the photo chosen stays); saved, the visit's page says so."""
    page = new_page(browser, phone=True)
    _open_visit_form(page, site)
    _fill_visit(page, "有信号时记录", visited_on=timezone.localdate() - datetime.timedelta(days=400))
    page.set_input_files(
        'input[name="photos"]', files=[{"name": "visit.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.locator("#visit-form button[type=submit]").click()
    page.locator("#visit-form .errorlist", has_text="只能补录一年内的走访").wait_for()
    assert page.locator('textarea[name="notes"]').input_value() == "有信号时记录"
    assert page.evaluate("document.querySelector('#visit-form input[name=photos]').files.length") == 1
    assert page.locator("#outbox-badge").is_hidden()  # refused with a signal: nothing to keep
    assert _visits(site["household"]) == []

    page.fill('input[name="visited_on"]', timezone.localdate().isoformat())
    page.locator("#visit-form button[type=submit]").click()
    page.wait_for_selector("#visit")
    assert "走访记录已保存" in page.locator(".messages").inner_text()
    assert _visits(site["household"]) == [
        {"notes": "有信号时记录", "visited_on": timezone.localdate(), "photos": 1}
    ]


def test_a_form_kept_offline_is_refused_by_the_version_rule_when_someone_changed_the_record(site, browser):  # noqa: F811
    """Any form opts in with data-offline (here the household form, given the attribute the way a
    template would carry it): kept without signal, refused on replay because the record changed
    meanwhile (StaleVersion), kept as 被退回 with the reason; the other change stays."""
    from fupin.registry import services
    from fupin.registry.models import Household

    def household():
        return _in_database(lambda: Household.objects.get(pk=site["household"]))

    page = new_page(browser, phone=True)
    sign_in(page, site["url"], "cadre")
    page.goto(site["edit"])
    form = page.locator("form.edit-form")
    form.evaluate("f => f.setAttribute('data-offline', '编辑农户 扎西')")
    page.context.set_offline(True)
    page.fill('input[name="group_name"]', "三组")
    form.locator("button[type=submit]").click()
    page.locator(".outbox-notice", has_text="已保存在手机上").wait_for()

    # Meanwhile the township changes the household (its version moves on).
    current = household()
    _in_database(
        lambda: services.household_update(
            by=None, household=current, version=current.version, group_name="一组"
        )
    )
    page.context.set_offline(False)
    page.locator("#outbox-badge.outbox-badge-alert").wait_for()
    page.goto(f"{site['url']}/outbox/")
    entry = page.locator('#outbox-list li[data-state="refused"]')
    entry.wait_for()
    assert "编辑农户 扎西" in entry.inner_text()
    assert "该记录已被他人修改" in entry.inner_text()
    assert household().group_name == "一组"  # never overwritten silently
