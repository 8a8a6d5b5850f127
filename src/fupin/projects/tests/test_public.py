"""公示 pages: open without login, approved and later projects only, and never a person's data.

The fixtures put real personal data in the registry (扎西's ID number, phone and serious illness)
and link his household to a public project; a cadre also typed a phone and an ID number into the
benefit-linking mechanism by mistake. The scan of every public page must find none of it.
"""

import pytest
from django.urls import reverse

from fupin import testing
from fupin.core.masking import ID_NUMBER_RE, MOBILE_RE
from fupin.projects import services, workflow
from fupin.projects.models import Status
from fupin.projects.tests.factories import TODAY, approve, make_project, make_source
from fupin.testing import HEAD_ID, PHONE, WIFE_ID

HEALTH_TERMS = ("残疾", "大病", "慢性病", "因病", "因残", "患有", "健康状况")
PEOPLE = ("扎西", "卓玛", "王芳")
HOTLINE = "0974-8512317"


def leaks(html: str) -> list[str]:
    """Everything on a page that looks like personal data: ID numbers, mobiles, health, names."""
    found = [m.group(0) for m in ID_NUMBER_RE.finditer(html)]
    found += [m.group(0) for m in MOBILE_RE.finditer(html)]
    found += [term for term in HEALTH_TERMS + PEOPLE if term in html]
    return found


def _projects(world: dict) -> dict:
    source = make_source()
    public = make_project(
        name="兴海县安全饮水工程",
        category="housing_water",
        place=testing.XINGHAI,
        benefit_mechanism=f"受益户统一管护,联系人电话{PHONE},身份证{HEAD_ID}",
    )
    services.beneficiary_add(by=None, project=public, household=world["zhaxi"], benefit="通自来水")
    services.beneficiary_add(by=None, project=public, household=world["wang"], benefit="通自来水")
    approve(public, source)
    workflow.project_transition(by=None, project=public, action="publicise", on=TODAY, publicity_days=7)
    services.publicity_save(by=None, county_code=testing.XINGHAI, hotline=HOTLINE, office="兴海县乡村振兴局")
    village = make_project(name="民族村牦牛养殖合作社", benefit_mechanism=f"分红到户,扎西电话{PHONE}")
    services.beneficiary_add(by=None, project=village, household=world["zhaxi"], benefit="分红")
    approve(village, source)
    draft = make_project(name="尚在草稿的项目")
    return {"public": public, "draft": draft}


WORLD_LAYERS = ("households", _projects)


def public_urls() -> list[str]:
    """Every public page of the app (views.public), for the county and the village of the fixtures."""
    from fupin.projects import urls
    from fupin.projects.views import public

    names = [p.name for p in urls.urlpatterns if p.callback.__module__ == public.__name__]
    assert names == ["public_place"], "a new public page must be scanned here too"
    return [
        reverse(f"projects:{n}", args=[code])
        for n in names
        for code in (testing.XINGHAI, testing.MINZU_VILLAGE)
    ]


def test_the_scanner_finds_personal_data_when_it_is_there():
    page = f"<td>扎西</td><td>{HEAD_ID}</td><td>{PHONE}</td><td>患有大病</td>"
    assert set(leaks(page)) >= {HEAD_ID, PHONE, "大病", "扎西"}


def test_public_pages_show_approved_projects_without_personal_data(client, world):
    for url in public_urls():
        answer = client.get(url)  # anonymous: no login needed
        assert answer.status_code == 200, url
        html = answer.content.decode()
        assert "民族村牦牛养殖合作社" in html
        assert "尚在草稿的项目" not in html
        assert leaks(html) == [], (url, leaks(html))
        assert WIFE_ID not in html
    county = client.get(public_urls()[0]).content.decode()
    assert "兴海县安全饮水工程" in county
    assert "受益户 2 户" in county, "beneficiary households as a count"


def test_public_pages_refuse_codes_that_are_not_a_county_or_village(client, world):
    assert client.get(reverse("projects:public_place", args=["632524203"])).status_code == 404
    assert client.get(reverse("projects:public_place", args=["abc"])).status_code == 404


def test_a_drafts_money_is_not_public(client, world):
    world["draft"].refresh_from_db()
    assert world["draft"].status == Status.DRAFT
    html = client.get(reverse("projects:public_place", args=[testing.XINGHAI])).content.decode()
    assert "共 2 个项目" in html


def test_a_publicity_page_carries_what_a_publicity_carries(client, world):
    """公示期, the county's 监督举报电话, and each project's sources, beneficiaries (counts) and schedule."""
    for code in (testing.XINGHAI, testing.MINZU_VILLAGE):
        html = client.get(reverse("projects:public_place", args=[code])).content.decode()
        assert HOTLINE in html and "兴海县乡村振兴局" in html, (
            "the county's hotline on its villages' pages too"
        )
        assert leaks(html) == [], leaks(html)
    html = client.get(reverse("projects:public_place", args=[testing.XINGHAI])).content.decode()
    assert "公示期" in html and "2024-05-06 至 2024-05-13" in html
    assert "中央衔接资金 · 2024年兴海县中央衔接资金" in html, "each project's sources"
    assert "受益户 2 户(计划 2 户),涉及 2 个村" in html
    assert "2024-06-01 至 2024-11-30" in html, "the schedule"
    assert "新建标准化牛棚2座" in html and "带动建档立卡户户均增收2000元" in html


def test_a_county_without_a_hotline_says_so(client, world):
    from fupin.projects.models import CountyPublicity

    CountyPublicity.objects.all().delete()
    html = client.get(reverse("projects:public_place", args=[testing.XINGHAI])).content.decode()
    assert "本县尚未设置监督举报电话" in html


@pytest.mark.parametrize("code", ["999999", "632524203", "abc", "6325242032079999"])
def test_an_unknown_code_is_a_chinese_404_even_with_debug_on(client, world, settings, code):
    settings.DEBUG = True
    answer = client.get(reverse("projects:public_place", args=[code]))
    assert answer.status_code == 404
    html = answer.content.decode()
    assert "公示页面不存在" in html and "Page not found" not in html and "Traceback" not in html


def test_the_public_page_sets_no_cookie_and_is_not_kept_by_shared_caches(client, world):
    """A page cached for everyone must not carry anyone's cookie: no CSRF token, no cookie at all;
    and since every request reads the session (Vary: Cookie), only the browser may keep it."""
    url = reverse("projects:public_place", args=[testing.MINZU_VILLAGE])
    for signed_in in (False, True):
        if signed_in:
            client.force_login(world["county"])
        answer = client.get(url)
        assert answer.status_code == 200
        cache = answer["Cache-Control"]
        assert "private" in cache and "public" not in cache and "max-age=300" in cache
        assert "csrftoken" not in answer.cookies
        assert "csrfmiddlewaretoken" not in answer.content.decode()
        if not signed_in:
            assert not answer.cookies, answer.cookies
    missing = client.get(reverse("projects:public_place", args=["999999"]))
    assert "csrftoken" not in missing.cookies


def test_the_county_sets_its_hotline_and_the_outsider_cannot(client, world):
    from fupin.projects.models import CountyPublicity

    url = reverse("projects:publicity_settings")
    client.force_login(world["county"])
    page = client.get(url).content.decode()
    assert HOTLINE in page, "the form shows the county's current number"
    bad = client.post(url, {"county": testing.XINGHAI, "hotline": "12345abc", "office": ""})
    assert bad.status_code == 200 and "请填写固定电话" in bad.content.decode()
    client.post(url, {"county": testing.XINGHAI, "hotline": "12317", "office": "兴海县纪委监委"})
    assert CountyPublicity.objects.get(county_id=testing.XINGHAI).hotline == "12317"

    client.force_login(world["outsider"])
    answer = client.post(url, {"county": testing.XINGHAI, "hotline": "0933-1234567"})
    assert "所选区划不在允许的范围内" in answer.content.decode()
    assert CountyPublicity.objects.get(county_id=testing.XINGHAI).hotline == "12317"
    client.force_login(world["cadre"])
    assert client.get(url).status_code == 403
