"""The home page of assistance and the coverage report read their figures from the rollup: after a
refresh, each equals a count by hand over the world of test_indicators (its docstring tells the
records), each links to the list of what it counts, and nobody sees another county's figures."""

import datetime
import re

import pytest
from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.assistance.models import Cadre, Visit
from fupin.assistance.tests.test_indicators import build
from fupin.reports import selectors as reports
from fupin.reports import services as rollup
from fupin.testing import (
    JINGCHUAN,
    MINZU_VILLAGE,
    NINGQU_VILLAGE,
    TANGNAIHAI,
    XINGHAI,
    make_user,
)

WORLD_LAYERS = ("households", build)
TODAY = datetime.date.today()
# 兴海县's visits in the world: four in 2025 and one three days ago.
XINGHAI_VISITS = [datetime.date(2025, 1, 20), datetime.date(2025, 1, 25), datetime.date(2025, 1, 15)]
XINGHAI_VISITS += [datetime.date(2025, 3, 10), TODAY - datetime.timedelta(days=3)]


@pytest.fixture
def refreshed(world):
    rollup.refresh()
    return world


def figures(client) -> dict[str, tuple[str, str]]:
    """{label: (figure, its link)} of the home page's fields."""
    response = client.get(reverse("assistance:home"))
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="assistance-figures"') :]
    found = {}
    for label, link, value in re.findall(
        r"<dt>([^<]+?)(?: <small[^>]*>[^<]*</small>)?</dt><dd[^>]*><a href=\"([^\"]+)\">(?:<span[^>]*>)?(\d+)",
        section,
    ):
        found[label.strip()] = (int(value), link.replace("&amp;", "&"))
    return found


def test_it_shows_the_county_its_figures_counted_by_hand(refreshed, county_client):
    found = figures(county_client)
    this_year = sum(1 for day in XINGHAI_VISITS if day.year == TODAY.year)
    assert {label: value for label, (value, _link) in found.items()} == {
        "结对帮扶户数": 2,  # 扎西 (two cadres) and 多杰; 王芳's pairing ended
        "逾期未走访户数": 1,  # 多杰, last visited in January 2025
        "本年走访次数": this_year,
        "在任选派干部": 2,  # 宁曲村's first secretary and 民族村's team member
        "驻村工作队": 2,
        "贫困村第一书记覆盖": 1,  # 宁曲村 of 民族村 and 宁曲村
        "累计培训人次": 35,  # 民族村 10 + 5, 兴海县 20
    }
    assert found["结对帮扶户数"][1] == reports.drill_url("assistance.paired_households", division=None)
    assert found["本年走访次数"][1] == reports.drill_url(
        "assistance.visits", division=None, period=str(TODAY.year)
    )
    html = county_client.get(reverse("assistance:home")).content.decode()
    assert "2 个村" in html and "数据更新于" in html


def test_each_figure_opens_the_list_of_what_it_counts(refreshed, county_client):
    for label, (value, link) in figures(county_client).items():
        page = county_client.get(f"{link}&size=100").context["page"]
        listed = page.paginator.count
        if label in ("结对帮扶户数", "逾期未走访户数"):
            continue  # households counted, their pairings listed (test_indicators checks those)
        if label == "贫困村第一书记覆盖":
            assert listed == 1, label  # the covered villages; 共 2 条 for the poor ones
            continue
        if label == "累计培训人次":
            assert sum(row["person_times"] for row in page.rows) == value
            continue
        assert listed == value, label


def test_it_shows_the_outsider_only_its_own_county(refreshed, client, world):
    client.force_login(world["outsider"])
    found = {label: value for label, (value, _link) in figures(client).items()}
    # 泾川县: 李强 paired and never visited, 凤凰村 poor and uncovered, a class of 7 technicians.
    assert found == {
        "结对帮扶户数": 1,
        "逾期未走访户数": 1,
        "本年走访次数": 0,
        "在任选派干部": 0,
        "驻村工作队": 0,
        "贫困村第一书记覆盖": 0,
        "累计培训人次": 7,
    }
    assert "1 个村" in client.get(reverse("assistance:home")).content.decode()


def test_it_counts_a_cadres_own_overdue_households_live(refreshed, client, world):
    """The rollup waits for the drain; the 帮扶责任人's own list does not."""
    cadre = Cadre.objects.get(name="甲")  # 扎西's, 多杰's (overdue) and 王芳's (ended)
    cadre.user = world["cadre"]
    cadre.save()
    client.force_login(world["cadre"])
    body = client.get(reverse("assistance:home")).content.decode()
    assert 'id="mine-overdue"><a href="/assistance/overdue/?mine=1"><span class="tag tag-red">1<' in body
    Visit.objects.create(
        household=world["duojie"], cadre=cadre, visited_on=TODAY, people_met="户主", notes="走访"
    )
    body = client.get(reverse("assistance:home")).content.decode()
    assert 'id="mine-overdue"><a href="/assistance/overdue/?mine=1">0<' in body


def test_the_coverage_report_sums_the_county_and_its_townships(refreshed, county_client):
    report = county_client.get(reverse("assistance:coverage_list")).context["report"]
    assert [(g["code"], g["villages"], g["covered"]) for g in report["groups"]] == [(XINGHAI, 2, 1)]
    assert sorted((g["code"], g["villages"], g["covered"]) for g in report["townships"]) == [
        (NINGQU_VILLAGE[:9], 1, 1),
        (TANGNAIHAI, 1, 0),
    ]
    township = county_client.get(reverse("assistance:coverage_list"), {"division": TANGNAIHAI})
    assert [(g["code"], g["villages"], g["covered"]) for g in township.context["report"]["groups"]] == [
        (TANGNAIHAI, 1, 0)
    ]
    assert [v.code for v in township.context["page"].rows] == [MINZU_VILLAGE]


def test_the_coverage_report_of_several_provinces_lists_each(refreshed, client):
    viewer = make_user("viewer", roles=[Role.VIEWER], scopes=["63", "62"])
    client.force_login(viewer)
    response = client.get(reverse("assistance:coverage_list"))
    report = response.context["report"]
    assert [(g["code"], g["villages"], g["covered"]) for g in report["groups"]] == [
        ("62", 1, 0),
        ("63", 2, 1),
    ]
    assert report["villages"] == 3 == response.context["page"].paginator.count
    assert 'href="?division=63"' in response.content.decode()


def test_the_coverage_report_shows_the_outsider_nothing_of_xinghai(refreshed, client, world):
    client.force_login(world["outsider"])
    response = client.get(reverse("assistance:coverage_list"))
    assert [(g["code"], g["villages"]) for g in response.context["report"]["groups"]] == [(JINGCHUAN, 1)]
    assert XINGHAI not in response.content.decode()
    refused = client.get(reverse("assistance:coverage_list"), {"division": XINGHAI})
    assert refused.context["report"] is None
