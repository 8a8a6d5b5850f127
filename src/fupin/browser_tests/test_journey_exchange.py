"""Journey of issue 14, by clicking and typing only, from the login page: the county officer of 兴海县
reads the national system's return against the county's records.

国家系统交换 from the menu → 户籍及家庭成员(国家采集格式), .xlsx, 明文 with its purpose (a masked
file's ID numbers match no one) → 生成文件 → the job's page → 下载. The file stands in for the
national system's return: the test changes it as that system would (卓玛's 文化程度 given as 小学,
王芳 left out), then the officer goes back to 国家系统交换 → 导入国家系统回传 → chooses the file →
上传并比对 → the job's page → 查看比对差异: exactly those two differences, ID numbers masked. The
list's 类别 filter narrows it to 数据不一致; 回传比对记录 shows the run and its counts.

The world: 扎西 and 卓玛 of 民族村, 王芳 of 宁曲村 (兴海县), 李强 of 泾川县 (not in the county's file).
"""

import openpyxl
import pytest

from fupin import testing
from fupin.browser_tests.test_journey_shell import open_menu_item
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"
PURPOSE = "与国家防返贫监测信息系统回传数据比对"


@pytest.fixture
def site(live_server, transactional_db):
    testing.make_world(["households"])
    return live_server.url


def _masked(number: str) -> str:
    return f"{number[:4]}{'*' * 10}{number[-4:]}"


def _as_the_national_system_returns_it(path, out) -> None:
    """Our file as the national system sends it back: 卓玛's 文化程度 filled in, 王芳 missing."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    name, education = header.index("姓名") + 1, header.index("文化程度") + 1
    for row in range(sheet.max_row, 1, -1):
        if sheet.cell(row, name).value == "卓玛":
            sheet.cell(row, education).value = "小学"
        elif sheet.cell(row, name).value == "王芳":
            sheet.delete_rows(row)
    book.save(out)


def _table(page) -> list[dict[str, str]]:
    """The list's rows as {header: cell}."""
    table = page.locator("main table.table").first
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    rows = table.locator("tbody tr")
    return [
        dict(zip(headers, [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()], strict=False))
        for i in range(rows.count())
    ]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_county_officer_reads_a_return_against_the_county(site, browser, tmp_path, phone):  # noqa: F811
    label = "phone" if phone else "desktop"
    page = new_page(browser, phone=phone)
    sign_in(page, site, "county")

    # The county's file in the national layout, in clear (the return is matched by ID number).
    open_menu_item(page, "国家系统交换", phone=phone)
    page.wait_for_url(f"{site}/exchange/")
    form = page.locator("form.edit-form")
    assert form.locator('input[name="division"]').input_value() == testing.XINGHAI
    form.locator('select[name="what"]').select_option(label="户籍及家庭成员(国家采集格式)")
    form.locator('select[name="format"]').select_option(value="xlsx")
    form.get_by_label("明文导出(含完整证件号码等个人信息)").check()
    form.locator('input[name="purpose"]').fill(PURPOSE)
    shot(page, f"journey-exchange-1-export-{label}")
    form.locator("button[type=submit]", has_text="生成文件").click()
    page.wait_for_url(f"{site}/jobs/**")
    panel = page.locator("#job-panel")
    panel.locator(".tag", has_text="已完成").wait_for()
    with page.expect_download() as download:
        panel.locator("a", has_text="下载").click()
    assert download.value.suggested_filename.endswith("_明文.xlsx")
    ours = tmp_path / "ours.xlsx"
    download.value.save_as(ours)
    theirs = tmp_path / "国家系统回传.xlsx"
    _as_the_national_system_returns_it(ours, theirs)

    # The return, uploaded from 国家系统交换.
    open_menu_item(page, "国家系统交换", phone=phone)
    page.wait_for_url(f"{site}/exchange/")
    page.locator("main a.btn", has_text="导入国家系统回传").click()
    page.wait_for_url(f"{site}/exchange/returns/upload/")
    form = page.locator("form.edit-form")
    assert form.locator('input[name="county"]').input_value() == testing.XINGHAI
    form.locator('input[name="file"]').set_input_files(str(theirs))
    assert page.evaluate(FITS)
    shot(page, f"journey-exchange-2-upload-{label}")
    form.locator("button[type=submit]", has_text="上传并比对").click()
    page.wait_for_url(f"{site}/jobs/**")
    assert "已开始比对" in page.inner_text(".messages")
    panel = page.locator("#job-panel")
    panel.locator(".tag", has_text="已完成").wait_for()
    shot(page, f"journey-exchange-3-compared-{label}")
    panel.locator("a", has_text="查看比对差异").click()
    page.wait_for_url(f"{site}/exchange/differences/?run=*")

    found = sorted(_table(page), key=lambda r: r["类别"])
    assert [(r["类别"], r["姓名"], r["列"], r["本系统"], r["国家系统"]) for r in found] == [
        ("国家系统无此人", "王芳", "", "", ""),
        ("数据不一致", "卓玛", "文化程度", "", "小学"),
    ], found
    assert found[1]["证件号码"] == _masked(testing.WIFE_ID)
    assert testing.WIFE_ID not in page.locator("main").inner_text()
    assert page.evaluate(FITS)
    shot(page, f"journey-exchange-4-differences-{label}")

    # What the list offers next: its 类别 filter, and the record of the runs.
    query = page.locator("form.query-form")
    query.locator('select[name="kind"]').select_option(label="数据不一致")
    query.locator("button[type=submit]", has_text="查询").click()
    page.wait_for_url("**/exchange/differences/?*kind=changed*")
    assert [r["姓名"] for r in _table(page)] == ["卓玛"]
    open_menu_item(page, "国家系统交换", phone=phone)
    page.wait_for_url(f"{site}/exchange/")
    page.locator("main a.btn", has_text="回传比对记录").click()
    page.wait_for_url(f"{site}/exchange/returns/")
    (run,) = _table(page)
    assert run["文件名"] == theirs.name and run["县"] == "兴海县"
    assert (run["行数"], run["匹配人数"], run["不一致项"], run["国家系统无此人"], run["本县无此人"]) == (
        "2",
        "2",
        "1",
        "1",
        "0",
    )
    assert page.evaluate(FITS)
    shot(page, f"journey-exchange-5-runs-{label}")
