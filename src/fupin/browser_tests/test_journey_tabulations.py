"""Journey of issue 14, by clicking and typing only, from the login page: the county officer of 兴海县
defines an upward form (统计报表) of its own, without code, and generates it for the county.

统计报表 from the menu → 新增 → the name, rows by 下一级区划 (the county's townships), 年报, three columns
picked from the indicator catalogue (登记户数 and 登记人数 under one group header 登记农户, and
资金分配到项目 in 万元) → 保存 → on the form's page: 兴海县 (the picker starts at the county), 2024 →
预览 → 下载 .xlsx. The file's numbers (openpyxl) equal the preview's cells and the rollup's figures
(reports.selectors, read in the fixture before the browser starts), township by township and 合计.

The world: 扎西 of 民族村 (唐乃亥乡, 2 people), 王芳 of 宁曲村 (河卡镇, 1), and 民族村's project with
300,000 元 allocated in 2024 (projects' matrix); the rollup is refreshed once it is made.
"""

from decimal import Decimal

import openpyxl
import pytest

from fupin import testing
from fupin.browser_tests.test_journey_shell import open_menu_item
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"
NAME = "农户与项目资金年报"
YEAR = "2024"
# (indicator, header typed, group typed, 万元)
COLUMNS = [
    ("registry.households", "户数", "登记农户", False),
    ("registry.people", "人数", "登记农户", False),
    ("projects.funds_allocated", "", "", True),
]
HEADERS = ["户数", "人数", "资金分配到项目(万元)"]


@pytest.fixture
def site(live_server, transactional_db):
    """The world, the rollup refreshed, and what the rollup says for each column: {code: [values]}
    for 兴海县 ('合计') and each of its townships. Read before Playwright starts."""
    from fupin.regions.models import Region
    from fupin.reports import selectors, services

    made = testing.make_world(["households", "projects"])
    services.refresh()
    county = made["county"]
    expected: dict[str, list[Decimal]] = {}
    townships = Region.objects.filter(parent_id=testing.XINGHAI).values_list("code", flat=True)
    for code, _header, _group, wan in COLUMNS:
        period = "" if code.startswith("registry.") else YEAR
        scale = Decimal(10000) if wan else Decimal(1)
        total = selectors.figure(county, code, division=testing.XINGHAI, period=period) or Decimal(0)
        expected.setdefault("合计", []).append(total / scale)
        parts = {
            p.code: p.value
            for p in selectors.breakdown(county, code, division=testing.XINGHAI, period=period)
        }
        for township in townships:
            expected.setdefault(township, []).append((parts.get(township) or Decimal(0)) / scale)
    # The world holds what the form is to show: both townships' households, 唐乃亥乡's 30 万元.
    assert expected["合计"] == [2, 3, 30], expected["合计"]
    assert expected[testing.TANGNAIHAI] == [1, 2, 30]
    return {"url": live_server.url, "expected": expected}


def _define(page, phone: bool) -> None:
    """From the menu to the saved form."""
    open_menu_item(page, "统计报表", phone=phone)
    page.wait_for_url("**/reports/tabulations/")
    page.locator("main a.btn", has_text="新增").click()
    page.wait_for_url("**/reports/tabulations/new/")
    # Filed under 统计报表 (not under the app's first menu entry, 驾驶舱大屏).
    assert page.locator(".breadcrumb").inner_text().split() == ["首页", "›", "统计报表", "›", "新建报表"]
    form = page.locator("form.edit-form")
    form.locator('input[name="name"]').fill(NAME)
    form.locator('select[name="rows"]').select_option(label="下一级区划")
    form.locator('select[name="period"]').select_option(label="年报")
    form.locator('input[name="unit_line"]').fill("单位:户、人、万元")
    for i, (code, header, group, wan) in enumerate(COLUMNS):
        form.locator(f'select[name="col-{i}-item"]').select_option(value=code)
        form.locator(f'input[name="col-{i}-header"]').fill(header)
        form.locator(f'input[name="col-{i}-group"]').fill(group)
        if wan:
            form.locator(f'input[name="col-{i}-wan"]').check()
        form.locator(f'input[name="col-{i}-ORDER"]').fill(str(i + 1))
    if phone:
        # Each column a card: the chosen indicator reads in full, not cut to a few characters.
        item = form.locator('select[name="col-2-item"]')
        assert item.bounding_box()["width"] > 300
        assert page.evaluate(FITS)
    shot(page, f"journey-tabulation-1-define-{'phone' if phone else 'desktop'}")
    form.locator("button[type=submit]", has_text="保存").click()
    page.wait_for_url("**/reports/tabulations/*/")
    assert "报表已保存。" in page.inner_text(".messages")


def _preview(page) -> dict[str, list[str]]:
    """The preview table's cells: {区划代码 or '合计': [cells]}."""
    found = {}
    rows = page.locator("#tabulation-table tbody tr")
    for i in range(rows.count()):
        cells = [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        found[cells[0] or cells[1]] = cells[2:]
    return found


def _sheet(path) -> dict[str, list]:
    """The .xlsx's data rows: {区划代码 or '合计': [numbers]}, and its header texts under 'headers'."""
    sheet = openpyxl.load_workbook(path, data_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    found = {"headers": [str(v) for r in rows[2:4] for v in r if v]}
    for row in rows:
        key = str(row[0] or "").strip() or str(row[1] or "").strip()
        if key.isdigit() or key == "合计":
            found[key] = row[2 : 2 + len(COLUMNS)]
    return found


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_county_officer_defines_a_form_and_downloads_it(site, browser, tmp_path, phone):  # noqa: F811
    url, label, expected = site["url"], "phone" if phone else "desktop", site["expected"]
    page = new_page(browser, phone=phone)
    sign_in(page, url, "county")
    _define(page, phone)

    # The form's page: the county (the picker starts there), the year typed, 预览.
    query = page.locator("form.query-form")
    assert NAME in query.locator("h1").inner_text()
    assert query.locator('input[name="area"]').input_value() == testing.XINGHAI
    query.locator('input[name="period"]').fill(YEAR)
    query.locator("button[type=submit]", has_text="预览").click()
    page.wait_for_url(f"**/reports/tabulations/*/?*period={YEAR}*")
    assert f"兴海县{YEAR}年{NAME}" in page.locator("#tabulation-title").inner_text()
    head = page.locator("#tabulation-table thead").inner_text()
    for text in ("登记农户", *HEADERS):
        assert text in head, text
    shown = _preview(page)
    assert set(shown) == set(expected), shown
    for key, values in expected.items():
        assert [Decimal(c.replace(",", "") or "0") for c in shown[key]] == values, key
    assert page.evaluate(FITS)
    shot(page, f"journey-tabulation-2-preview-{label}")

    with page.expect_download() as download:
        query.locator("#tabulation-download").click()
    assert download.value.suggested_filename == f"兴海县{YEAR}年{NAME}.xlsx"
    path = tmp_path / "form.xlsx"
    download.value.save_as(path)
    sheet = _sheet(path)
    for text in ("登记农户", *HEADERS):
        assert text in sheet["headers"], text
    for key, values in expected.items():
        assert [Decimal(str(v or 0)) for v in sheet[key]] == values, key

    # The breadcrumb leads back to 统计报表, where the form is listed as the county's own.
    page.locator(".breadcrumb a", has_text="统计报表").click()
    page.wait_for_url("**/reports/tabulations/")
    row = page.locator("main table.table tbody tr", has_text=NAME)
    assert f"{testing.XINGHAI} 自定义" in row.inner_text()
