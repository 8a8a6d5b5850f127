"""The project procedure in a real browser: the village cadre proposes, the township reviews, the
county funds and approves it, and the public 公示 page shows it with no personal data."""

import pytest

from fupin import testing
from fupin.accounts.roles import Role
from fupin.browser_tests.test_shell import browser, new_page, shot, sign_in  # noqa: F401
from fupin.projects.tests.factories import make_source
from fupin.projects.tests.test_public import leaks
from fupin.testing import make_households

pytestmark = pytest.mark.browser

NAME = "民族村牦牛养殖合作社扩建"


@pytest.fixture
def site(live_server, transactional_db):
    """The cast, 民族村's households (扎西 with his ID number, phone and illness in the registry), a
    township officer of 唐乃亥乡 and a county source with money, made before Playwright starts."""
    testing.make_cast()
    make_households()
    testing.make_user("township", roles=[Role.TOWNSHIP_OFFICER], scopes=["632524203"], full_name="乡镇干部")
    source = make_source(name="2024年兴海县中央衔接资金", budget="2000000.00")
    return {"url": live_server.url, "source": source.pk}


def test_a_project_goes_from_the_village_to_the_public_page(site, browser):  # noqa: F811
    url = site["url"]

    # 1. The village cadre drafts the project, names a beneficiary household and proposes it.
    page = new_page(browser)
    sign_in(page, url, "cadre")
    page.locator(".sidebar a", has_text="项目资金").click()
    page.wait_for_url(f"{url}/projects/")
    page.locator(".toolbar a", has_text="新增").click()
    page.fill('input[name="name"]', NAME)
    page.select_option('select[name="category"]', "industry")
    page.fill('input[name="year"]', "2024")
    page.fill('input[name="start_date"]', "2024-06-01")
    page.fill('input[name="end_date"]', "2024-11-30")
    page.fill('input[name="budget"]', "300000")
    page.fill('textarea[name="tasks"]', "新建标准化牛棚2座")
    page.fill('input[name="target_households"]', "1")
    page.fill('textarea[name="performance_targets"]', "带动受益户户均增收2000元")
    page.fill('textarea[name="benefit_mechanism"]', "合作社收益的40%按股分红给受益户")
    page.locator("form.edit-form button[type=submit]").click()
    page.wait_for_url(f"{url}/projects/*/")
    detail = page.url
    page.locator("#beneficiaries a", has_text="添加").click()
    zhaxi = page.locator('select[name="household"] option', has_text="扎西").get_attribute("value")
    page.select_option('select[name="household"]', zhaxi)
    page.fill('input[name="benefit"]', "入股分红")
    page.locator("form.edit-form button[type=submit]").click()
    page.wait_for_url(detail)
    page.locator('form[data-action="propose"] input[name="reason"]').fill("村民代表大会通过")
    page.locator('form[data-action="propose"] button').click()
    page.locator(".message-success").wait_for()
    assert "村级已申报" in page.locator("h1").inner_text()
    shot(page, "projects-proposed")

    # 2. The township officer reviews it.
    page = new_page(browser)
    sign_in(page, url, "township")
    page.goto(detail)
    page.locator('form[data-action="review"] input[name="reason"]').fill("符合乡村振兴规划")
    page.locator('form[data-action="review"] button').click()
    page.locator(".message-success").wait_for()
    assert "乡镇已审核" in page.locator("h1").inner_text()

    # 3. The county officer: approval is refused until the money is in place, then granted.
    page = new_page(browser)
    sign_in(page, url, "county")
    page.goto(detail)
    approve = page.locator('form[data-action="approve"]')
    approve.locator('input[name="expert_names"]').fill("县农牧局张工、县财政局李工")
    approve.locator('input[name="expert_review_date"]').fill("2024-05-20")
    approve.locator('input[name="expert_opinion"]').fill("方案可行,同意立项")
    approve.locator("button").click()
    page.locator(".message-error", has_text="资金来源未落实").wait_for()
    allocate = page.locator("#allocate-form")
    allocate.locator('select[name="source"]').select_option(str(site["source"]))
    allocate.locator('input[name="amount"]').fill("300000")
    allocate.locator('input[name="date"]').fill("2024-05-21")
    allocate.locator("button[type=submit]").click()
    page.locator(".message-success").wait_for()
    approve = page.locator('form[data-action="approve"]')
    approve.locator('input[name="expert_names"]').fill("县农牧局张工、县财政局李工")
    approve.locator('input[name="expert_review_date"]').fill("2024-05-20")
    approve.locator('input[name="expert_opinion"]').fill("方案可行,同意立项")
    approve.locator("button").click()
    page.locator(".message-success").wait_for()
    assert "县级已批准" in page.locator("h1").inner_text()
    assert "300,000.00" in page.locator("#money").inner_text()
    shot(page, "projects-approved")

    # 4. Anyone, signed in or not, sees it on the village's 公示 page: a count, never a person.
    public = new_page(browser)
    public.goto(f"{url}/projects/public/{testing.MINZU_VILLAGE}/")
    table = public.locator("#public-projects")
    assert NAME in table.inner_text()
    html = public.content()
    assert leaks(html) == [], leaks(html)
    assert "受益户 1 户" in public.locator(".public-project", has_text=NAME).inner_text()
    shot(public, "projects-public")
