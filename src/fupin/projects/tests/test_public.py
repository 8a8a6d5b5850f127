"""公示 pages: open without login, approved and later projects only, and never a person's data.

The fixtures put real personal data in the registry (扎西's ID number, phone and serious illness)
and link his household to a public project; a cadre also typed a phone and an ID number into the
benefit-linking mechanism by mistake. The scan of every public page must find none of it.
"""

import re

import pytest
from django.urls import reverse

from fupin import testing
from fupin.core.masking import ID_NUMBER_RE, MOBILE_RE
from fupin.projects import services
from fupin.projects.models import Status
from fupin.projects.tests.factories import approve, make_project, make_source
from fupin.registry.tests.fixtures_screens import HEAD_ID, PHONE, WIFE_ID, make_households

HEALTH_TERMS = ("残疾", "大病", "慢性病", "因病", "因残", "患有", "健康状况")
PEOPLE = ("扎西", "卓玛", "王芳")


def leaks(html: str) -> list[str]:
    """Everything on a page that looks like personal data: ID numbers, mobiles, health, names."""
    found = [m.group(0) for m in ID_NUMBER_RE.finditer(html)]
    found += [m.group(0) for m in MOBILE_RE.finditer(html)]
    found += [term for term in HEALTH_TERMS + PEOPLE if term in html]
    return found


@pytest.fixture
def world(cast):
    households = make_households()
    source = make_source()
    public = make_project(
        name="兴海县安全饮水工程",
        category="housing_water",
        place=testing.XINGHAI,
        benefit_mechanism=f"受益户统一管护,联系人电话{PHONE},身份证{HEAD_ID}",
    )
    services.beneficiary_add(by=None, project=public, household=households["zhaxi"], benefit="通自来水")
    services.beneficiary_add(by=None, project=public, household=households["wang"], benefit="通自来水")
    approve(public, source)
    village = make_project(name="民族村牦牛养殖合作社", benefit_mechanism=f"分红到户,扎西电话{PHONE}")
    services.beneficiary_add(by=None, project=village, household=households["zhaxi"], benefit="分红")
    approve(village, source)
    draft = make_project(name="尚在草稿的项目")
    return {**households, "public": public, "draft": draft}


def public_urls() -> list[str]:
    """Every public page of the app (views_public), for the county and the village of the fixtures."""
    from fupin.projects import urls, views_public

    names = [p.name for p in urls.urlpatterns if p.callback.__module__ == views_public.__name__]
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
    assert re.search(r"<td class=\"num\">2</td>", county), "beneficiary households as a count"


def test_public_pages_refuse_codes_that_are_not_a_county_or_village(client, world):
    assert client.get(reverse("projects:public_place", args=["632524203"])).status_code == 404
    assert client.get(reverse("projects:public_place", args=["abc"])).status_code == 404


def test_a_drafts_money_is_not_public(client, world):
    world["draft"].refresh_from_db()
    assert world["draft"].status == Status.DRAFT
    html = client.get(reverse("projects:public_place", args=[testing.XINGHAI])).content.decode()
    assert "共 2 个项目" in html
