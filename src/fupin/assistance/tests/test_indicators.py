"""Assistance's indicators (assistance.indicators): each figure recounted from the records at the
county, township and village of 兴海县 (and 泾川县) equals a count by hand, and its drill, opened by the
county officer, lists exactly the records counted.

The world (its own, not the matrix's): 扎西 (民族村), 王芳 (宁曲村) and 李强 (泾川县) are 未脱贫, so
民族村, 宁曲村 and 凤凰村 are poor villages; 多杰 (民族村) is 已脱贫. A first secretary serves in 宁曲村;
民族村's left at the end of 2024 and its serving team member is no first secretary. Pairings in force:
扎西 (two cadres), 多杰, 李强; 王芳's ended in 2025. Visits: 扎西 2025-01-20, 2025-01-25 and three
days ago; 多杰 2025-01-15; 王芳 2025-03-10 — so 多杰 (and 李强, never visited) are overdue. Training:
民族村 2025 (基层干部 10, 技术人员 5), 兴海县 2026 (基层干部 20), 泾川县 2025 (技术人员 7). Work teams:
one 在岗 in 宁曲村 and one 已期满 in 民族村.
"""

import datetime
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from fupin.assistance.choices import PostKind, TeamStatus, TrainingKind
from fupin.assistance.models import (
    Cadre,
    Pairing,
    Posting,
    TrainingAttendee,
    TrainingClass,
    Visit,
    WorkTeam,
)
from fupin.core.indicators import catalogue, recount
from fupin.registry.choices import Status
from fupin.registry.models import Household
from fupin.testing import (
    JINGCHUAN,
    JINGCHUAN_VILLAGE,
    MINZU_VILLAGE,
    NINGQU_VILLAGE,
    TANGNAIHAI,
    XINGHAI,
    make_household,
    person_id,
)

D = datetime.date
TODAY = datetime.date.today()
RECENT = TODAY - datetime.timedelta(days=3)
THIS_MONTH = f"{RECENT:%Y-%m}"
NINGQU_TOWNSHIP = NINGQU_VILLAGE[:9]


def build(made: dict) -> dict:
    datang, zhaxi, wang, li = made["datang"], made["zhaxi"], made["wang"], made["li"]
    duojie = make_household(village=MINZU_VILLAGE, head="多杰", head_id=person_id(501))
    Household.objects.filter(pk__in=[zhaxi.pk, wang.pk, li.pk]).update(status=Status.POOR)
    Household.objects.filter(pk=duojie.pk).update(status=Status.EXITED, exit_year=2020)

    def cadre(name, region):
        return Cadre.objects.create(name=name, level="province", region_id=region, unit=datang)

    c1, c2 = cadre("甲", MINZU_VILLAGE), cadre("乙", MINZU_VILLAGE)
    c3 = cadre("丙", JINGCHUAN_VILLAGE)
    posts = {
        "ningqu_fs": (c1, PostKind.FIRST_SECRETARY, NINGQU_VILLAGE, D(2023, 6, 1), None),
        "minzu_fs_left": (c2, PostKind.FIRST_SECRETARY, MINZU_VILLAGE, D(2022, 1, 1), D(2024, 12, 31)),
        "minzu_member": (c2, PostKind.TEAM_MEMBER, MINZU_VILLAGE, D(2025, 1, 1), None),
    }
    for cadre_, kind, region, start, end in posts.values():
        Posting.objects.create(cadre=cadre_, kind=kind, region_id=region, start=start, end=end)
    pairings = {
        "p_zhaxi_1": Pairing.objects.create(cadre=c1, household=zhaxi, start=D(2024, 1, 1)),
        "p_zhaxi_2": Pairing.objects.create(cadre=c2, household=zhaxi, start=D(2024, 3, 1)),
        "p_duojie": Pairing.objects.create(cadre=c1, household=duojie, start=D(2024, 1, 1)),
        "p_wang": Pairing.objects.create(cadre=c1, household=wang, start=D(2024, 1, 1), end=D(2025, 6, 30)),
        "p_li": Pairing.objects.create(cadre=c3, household=li, start=D(2024, 1, 1)),
    }

    def visit(household, on):
        return Visit.objects.create(
            household=household, cadre=c1, visited_on=on, people_met="户主", notes="走访"
        )

    visits = {
        "v_zhaxi_1": visit(zhaxi, D(2025, 1, 20)),
        "v_zhaxi_2": visit(zhaxi, D(2025, 1, 25)),
        "v_zhaxi_recent": visit(zhaxi, RECENT),
        "v_duojie": visit(duojie, D(2025, 1, 15)),
        "v_wang": visit(wang, D(2025, 3, 10)),
    }

    def training(region, start, attendees):
        made_class = TrainingClass.objects.create(
            topic="培训",
            form="special_class",
            kind=TrainingKind.GRASSROOTS_CADRE,
            start=start,
            end=start,
            place="县城",
            organiser=datang,
            region_id=region,
        )
        for kind, count in attendees:
            TrainingAttendee.objects.create(training=made_class, kind=kind, count=count)
        return made_class

    for village, status, end in (
        (NINGQU_VILLAGE, TeamStatus.ACTIVE, None),
        (MINZU_VILLAGE, TeamStatus.ENDED, D(2024, 12, 31)),
    ):
        WorkTeam.objects.create(
            name="工作队", unit=datang, village_id=village, start=D(2023, 1, 1), end=end, status=status
        )
    G, T = TrainingKind.GRASSROOTS_CADRE, TrainingKind.TECHNICIAN
    training(MINZU_VILLAGE, D(2025, 5, 1), [(G, 10), (T, 5)])
    training(XINGHAI, D(2026, 3, 1), [(G, 20)])
    training(JINGCHUAN, D(2025, 6, 1), [(T, 7)])
    return {"duojie": duojie, **pairings, **visits}


WORLD_LAYERS = ("households", build)


def ind(code: str):
    return catalogue()[code]


def page_rows(client, url: str, name: str) -> list:
    """The rows the drill's page lists, opened by the signed-in user."""
    path, query = urlsplit(url).path, dict(parse_qsl(urlsplit(url).query))
    assert path == reverse(name)
    response = client.get(path, {**query, "size": 100})
    assert response.status_code == 200
    assert not response.context["form"].errors
    return list(response.context["page"].rows)


G, T = TrainingKind.GRASSROOTS_CADRE, TrainingKind.TECHNICIAN
HAND = [
    ("assistance.poor_villages", XINGHAI, "", "", 2),
    ("assistance.poor_villages", TANGNAIHAI, "", "", 1),
    ("assistance.poor_villages", NINGQU_VILLAGE, "", "", 1),
    ("assistance.poor_villages", JINGCHUAN, "", "", 1),
    ("assistance.covered_villages", XINGHAI, "", "", 1),
    ("assistance.covered_villages", TANGNAIHAI, "", "", 0),
    ("assistance.covered_villages", NINGQU_VILLAGE, "", "", 1),
    ("assistance.covered_villages", JINGCHUAN, "", "", 0),
    ("assistance.paired_households", XINGHAI, "", "", 2),  # 扎西 once, though paired twice
    ("assistance.paired_households", MINZU_VILLAGE, "", "", 2),
    ("assistance.paired_households", NINGQU_TOWNSHIP, "", "", 0),
    ("assistance.paired_households", JINGCHUAN, "", "", 1),
    ("assistance.visits", XINGHAI, "2025", "", 4),
    ("assistance.visits", XINGHAI, "2025-01", "", 3),
    ("assistance.visits", TANGNAIHAI, "2025-03", "", 0),
    ("assistance.visits", NINGQU_VILLAGE, "2025-03", "", 1),
    ("assistance.visits", MINZU_VILLAGE, THIS_MONTH, "", 1),
    ("assistance.visits", JINGCHUAN, "2025", "", 0),
    ("assistance.overdue_visits", XINGHAI, "", "", 1),
    ("assistance.overdue_visits", MINZU_VILLAGE, "", "", 1),
    ("assistance.overdue_visits", NINGQU_TOWNSHIP, "", "", 0),
    ("assistance.overdue_visits", JINGCHUAN, "", "", 1),
    ("assistance.training", XINGHAI, "2025", "", 15),
    ("assistance.training", XINGHAI, "2025", G, 10),
    ("assistance.training", XINGHAI, "2026", G, 20),
    ("assistance.training", MINZU_VILLAGE, "2025", T, 5),
    ("assistance.training", TANGNAIHAI, "2026", "", 0),  # the county's class counts at the county
    ("assistance.training", JINGCHUAN, "2025", T, 7),
    ("assistance.postings", XINGHAI, "", "", 2),  # 民族村's first secretary left in 2024
    ("assistance.postings", XINGHAI, "", PostKind.FIRST_SECRETARY, 1),
    ("assistance.postings", MINZU_VILLAGE, "", PostKind.TEAM_MEMBER, 1),
    ("assistance.postings", JINGCHUAN, "", "", 0),
    ("assistance.teams", XINGHAI, "", "", 2),
    ("assistance.teams", XINGHAI, "", TeamStatus.ACTIVE, 1),
    ("assistance.teams", MINZU_VILLAGE, "", TeamStatus.ENDED, 1),
    ("assistance.teams", JINGCHUAN, "", "", 0),
]


@pytest.mark.parametrize(("code", "prefix", "period", "category", "expected"), HAND)
def test_recount_equals_the_hand_count(world, code, prefix, period, category, expected):
    assert recount(ind(code), prefix=prefix, period=period, category=category) == expected


def test_the_ratios_are_their_parts(world):
    coverage = ind("assistance.secretary_coverage")
    assert recount(coverage, prefix=XINGHAI) == Decimal(50)
    assert recount(coverage, prefix=TANGNAIHAI) == Decimal(0)
    assert recount(coverage, prefix=NINGQU_VILLAGE) == Decimal(100)
    per_household = ind("assistance.visits_per_household")
    assert recount(per_household, prefix=XINGHAI, period="2025-01") == Decimal("1.5")
    assert recount(per_household, prefix=NINGQU_VILLAGE, period="2025") is None  # nobody paired


def test_coverage_drills_list_the_poor_and_the_covered_villages(world, county_client):
    for code, division, codes in (
        ("assistance.poor_villages", XINGHAI, {MINZU_VILLAGE, NINGQU_VILLAGE}),
        ("assistance.covered_villages", XINGHAI, {NINGQU_VILLAGE}),
        ("assistance.covered_villages", TANGNAIHAI, set()),
        ("assistance.secretary_coverage", XINGHAI, {MINZU_VILLAGE, NINGQU_VILLAGE}),
    ):
        rows = page_rows(county_client, ind(code).drill(division, "", ""), "assistance:coverage_list")
        assert {village.code for village in rows} == codes, code


@pytest.mark.parametrize(
    ("code", "division", "name", "pairings"),
    [
        (
            "assistance.paired_households",
            XINGHAI,
            "assistance:pairing_list",
            ("p_zhaxi_1", "p_zhaxi_2", "p_duojie"),
        ),
        ("assistance.paired_households", NINGQU_VILLAGE, "assistance:pairing_list", ()),
        ("assistance.overdue_visits", XINGHAI, "assistance:overdue_list", ("p_duojie",)),
        ("assistance.overdue_visits", TANGNAIHAI, "assistance:overdue_list", ("p_duojie",)),
    ],
)
def test_household_drills_list_the_pairings_of_the_households_counted(
    world, county_client, code, division, name, pairings
):
    rows = page_rows(county_client, ind(code).drill(division, "", ""), name)
    assert {row.pk for row in rows} == {world[p].pk for p in pairings}
    assert recount(ind(code), prefix=division) == len({row.household_id for row in rows})


@pytest.mark.parametrize(
    ("division", "period", "visits"),
    [
        (XINGHAI, "2025", ("v_zhaxi_1", "v_zhaxi_2", "v_duojie", "v_wang")),
        (XINGHAI, "2025-01", ("v_zhaxi_1", "v_zhaxi_2", "v_duojie")),
        (NINGQU_VILLAGE, "2025-03", ("v_wang",)),
        (MINZU_VILLAGE, THIS_MONTH, ("v_zhaxi_recent",)),
    ],
)
def test_the_visit_drill_lists_the_visits_of_the_period(world, county_client, division, period, visits):
    for code in ("assistance.visits", "assistance.visits_per_household"):
        rows = page_rows(county_client, ind(code).drill(division, period, ""), "assistance:visitrecord_list")
        assert {row.pk for row in rows} == {world[v].pk for v in visits}
    assert recount(ind("assistance.visits"), prefix=division, period=period) == len(visits)


@pytest.mark.parametrize(
    ("division", "period", "kind", "groups"),
    [
        (XINGHAI, "2025", "", {(MINZU_VILLAGE, G, 10), (MINZU_VILLAGE, T, 5)}),
        (XINGHAI, "2026", G, {(XINGHAI, G, 20)}),
        (MINZU_VILLAGE, "2025", T, {(MINZU_VILLAGE, T, 5)}),
        (TANGNAIHAI, "2026", "", set()),
    ],
)
def test_the_training_drill_lists_the_person_times_counted(
    world, county_client, division, period, kind, groups
):
    url = ind("assistance.training").drill(division, period, kind)
    rows = page_rows(county_client, url, "assistance:training_summary_list")
    assert {(r["region_code"], r["kind"], r["person_times"]) for r in rows} == groups
    assert recount(ind("assistance.training"), prefix=division, period=period, category=kind) == sum(
        r["person_times"] for r in rows
    )


def test_the_covered_filter_and_the_visit_period_are_checked(world, county_client):
    response = county_client.get(reverse("assistance:visitrecord_list"), {"visited_in": "2025-1"})
    assert response.context["form"].errors["visited_in"]
    assert list(response.context["page"].rows) == []


def test_the_outsider_drills_into_nothing_of_xinghai(world, client):
    client.force_login(world["outsider"])
    for code in ("assistance.paired_households", "assistance.visits", "assistance.covered_villages"):
        url = ind(code).drill(XINGHAI, "2025", "")
        path, query = urlsplit(url).path, dict(parse_qsl(urlsplit(url).query))
        response = client.get(path, query)
        assert response.status_code in (200, 403)
        if response.status_code == 200:
            assert list(response.context["page"].rows) == []


@pytest.mark.parametrize(
    ("code", "division", "category", "name"),
    [
        ("assistance.postings", XINGHAI, "", "assistance:posting_list"),
        ("assistance.postings", XINGHAI, PostKind.FIRST_SECRETARY, "assistance:posting_list"),
        ("assistance.postings", TANGNAIHAI, "", "assistance:posting_list"),
        ("assistance.teams", XINGHAI, "", "assistance:team_list"),
        ("assistance.teams", XINGHAI, TeamStatus.ENDED, "assistance:team_list"),
        ("assistance.teams", NINGQU_VILLAGE, TeamStatus.ENDED, "assistance:team_list"),
    ],
)
def test_the_posting_and_team_drills_list_the_records_counted(
    world, county_client, code, division, category, name
):
    rows = page_rows(county_client, ind(code).drill(division, "", category), name)
    assert recount(ind(code), prefix=division, category=category) == len(rows)
    if category:
        assert {row.kind if code == "assistance.postings" else row.status for row in rows} <= {category}


@pytest.mark.parametrize("sort", ["poor_households", "-poor_households", "-code"])
def test_the_coverage_list_sorts_its_villages_by_their_poor_households(world, county_client, sort):
    """The list's rows are grouped from the households: a sort keeps one row per village, ties in
    code order, and each row's count is the village's poor households counted by hand."""
    second = make_household(village=NINGQU_VILLAGE, head="卓玛", head_id=person_id(777))
    Household.objects.filter(pk=second.pk).update(status=Status.POOR)
    poor = Household.objects.filter(status=Status.POOR, village__code__startswith=XINGHAI)
    counts = {
        code: poor.filter(village_id=code).count() for code in set(poor.values_list("village_id", flat=True))
    }
    assert len(counts) == 2 and len(set(counts.values())) == 2  # two villages, told apart by the sort
    response = county_client.get(reverse("assistance:coverage_list"), {"sort": sort, "size": 100})
    rows = [(v.code, v.poor_households) for v in response.context["page"].rows]
    key = {
        "poor_households": lambda c: (counts[c], c),
        "-poor_households": lambda c: (-counts[c], c),
        "-code": lambda c: tuple(-ord(ch) for ch in c),
    }[sort]
    assert rows == [(code, counts[code]) for code in sorted(counts, key=key)]
