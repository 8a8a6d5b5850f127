"""On a 390 px phone: the village cadre opens a lead, does 入户核实 with the 承诺授权书 photo, and the
case page, its step forms and the object page fit the screen (no sideways scrolling)."""

import datetime

import pytest

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401
from fupin.monitoring.tests import workflow_kit as kit

pytestmark = pytest.mark.browser

FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path):
    from fupin.monitoring import services
    from fupin.monitoring.choices import Stage
    from fupin.monitoring.models import Lead

    settings.MEDIA_ROOT = tmp_path / "media"
    objs = testing.make_world(["assistance"])
    objs.update(kit.build(objs))
    # Outside a test transaction the registry's writes run the monitoring rules (registry.hooks): the
    # kit's data must give them nothing to flag, or their lead would stand in this journey's way.
    assert not Lead.objects.exists()
    lead = services.report_lead(
        by=objs["cadre"], household=objs["zhaxi"], risks=["illness"], hardship="户主住院"
    )
    decided = services.report_lead(by=None, household=objs["wang"], risks=["disaster"], disaster_kind="flood")
    walker = {**objs, "cadre": None, "township": None, "county": None}  # the system walks 宁曲村's lead
    kit.walk(walker, decided, Stage.DECIDED, on=datetime.date.today() - datetime.timedelta(days=6))
    photo = tmp_path / "consent.png"
    photo.write_bytes(kit.PNG)
    return {"url": live_server.url, "lead": lead.pk, "object": decided.object.pk, "photo": str(photo)}


def test_a_cadre_verifies_a_lead_on_a_phone(site, browser):  # noqa: F811
    url = site["url"]
    page = new_page(browser, phone=True)
    sign_in(page, url, "cadre")
    page.goto(f"{url}/monitoring/leads/{site['lead']}/")
    page.wait_for_selector("#step[data-step='verify']")
    assert page.evaluate(FITS)
    shot(page, "monitoring-case-verify-phone")
    page.check("input[name='consent_signed']")
    page.set_input_files("input[name='consent_photo']", site["photo"])
    page.fill("textarea[name='verification']", "入户核实:户主住院,自付医疗费用较高")
    page.locator("#step button[type=submit]").click()
    page.wait_for_selector("#step[data-step='compare']")
    assert "已记录入户核实。" in page.inner_text(".messages")
    assert page.evaluate(FITS)
    shot(page, "monitoring-case-compare-phone")

    page = new_page(browser, phone=True)
    sign_in(page, url, "county")
    page.goto(f"{url}/monitoring/objects/{site['object']}/")
    page.wait_for_selector("#measures")
    assert page.evaluate(FITS)
    shot(page, "monitoring-object-phone")
