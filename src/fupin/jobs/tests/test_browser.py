"""The job page in a real browser, on a phone: the progress bar moves by htmx polling, then the
import's result and its report link appear and the polling stops."""

import threading

import pytest

from fupin import testing
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401
from fupin.jobs.models import Job
from fupin.jobs.services import finish, progress

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    """The cast and an import job of the county officer's, running at 40 % (made before the browser
    starts: Playwright's event loop makes Django refuse ORM calls in this thread afterwards)."""
    county = testing.make_cast()["county"]
    job = Job.objects.create(
        kind="registry.import", owner=county, label="民族村.xlsx", state=Job.State.RUNNING, total=100
    )
    progress(job.pk, 40, 100, "已处理 40 行 …", force=True)
    return {"url": live_server.url, "job": str(job.pk)}


def _in_another_thread(work) -> None:
    """The ORM from a thread of its own (this one runs Playwright's event loop)."""
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def test_the_job_page_follows_an_import_to_its_end_on_a_phone(site, browser):  # noqa: F811
    page = new_page(browser, phone=True)
    sign_in(page, site["url"])
    page.goto(f"{site['url']}/jobs/{site['job']}/")
    panel = page.locator("#job-panel")
    assert "40%" in panel.inner_text() and "已处理 40 行" in panel.inner_text()
    assert page.locator("progress").get_attribute("value") == "40"
    assert "导入贫困户信息" in page.locator("h2").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "job-running-phone")

    result = {
        "filename": "民族村.xlsx",
        "dry_run": True,
        "rows": 120,
        "summary": "户:新增 40,更新 0,未变 0;成员:新增 120,更新 0,未变 0",
        "error_count": 1,
        "errors": [[7, "身份证号", "6325**********1234", "身份证号校验位不正确"]],
        "report": True,
        "written": False,
    }
    _in_another_thread(lambda: finish(site["job"], result))
    page.locator("#job-panel", has_text="发现 1 处错误").wait_for(timeout=10_000)  # polled, not reloaded
    assert (
        page.locator("a", has_text="下载错误报告").get_attribute("href").endswith(f"/{site['job']}/report/")
    )
    assert "身份证号校验位不正确" in page.locator("#job-panel").inner_text()
    assert page.locator("#job-panel[hx-get]").count() == 0  # the polling stopped
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "job-done-phone")
