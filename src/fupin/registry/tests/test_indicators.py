"""The registry's indicators (registry.indicators): each figure recounted from the records at the
county, township and village of 兴海县 (and 泾川县) equals a count by hand, and its drill, opened by the
county officer, lists exactly the households counted. Also the 农村户籍人口 service.

The world: the test world's households (扎西 民族村 2 people, 王芳 宁曲村 1, 李强 泾川县凤凰村 1) plus
this module's: 多杰 (民族村, 2 people, 返贫), 次仁 (民族村, 1, 已脱贫 2018), 卓玛 (宁曲村, 1, 已登记).
扎西 is 未脱贫, 王芳 已脱贫 in 2020, 李强 未脱贫. Populations: 民族村 2019 20 and 2020 19, 宁曲村 2019
10, 凤凰村 2019 8.
"""

from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fupin.audit.models import AuditEvent
from fupin.core.indicators import catalogue, recount
from fupin.registry import services
from fupin.registry.choices import Status
from fupin.registry.models import Household, VillagePopulation, YearlyIncome
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

NINGQU_TOWNSHIP = NINGQU_VILLAGE[:9]


def _set(household, status, exit_year=None):
    Household.objects.filter(pk=household.pk).update(status=status, exit_year=exit_year)


def build(made: dict) -> dict:
    duojie = make_household(
        village=MINZU_VILLAGE, head="多杰", head_id=person_id(301), spouse_id=person_id(302)
    )
    ciren = make_household(village=MINZU_VILLAGE, head="次仁", head_id=person_id(303))
    zhuoma = make_household(village=NINGQU_VILLAGE, head="卓玛", head_id=person_id(304, male=False))
    _set(made["zhaxi"], Status.POOR)
    _set(made["wang"], Status.EXITED, 2020)
    _set(made["li"], Status.POOR)
    _set(duojie, Status.RETURNED, 2017)
    _set(ciren, Status.EXITED, 2018)
    for village, year, population in (
        (MINZU_VILLAGE, 2019, 20),
        (MINZU_VILLAGE, 2020, 19),
        (NINGQU_VILLAGE, 2019, 10),
        (JINGCHUAN_VILLAGE, 2019, 8),
    ):
        services.village_population_set(by=None, village_code=village, year=year, population=population)
    # Incomes of 2020 (net = wages + business + property + transfers − production costs).
    for household, people, wages, transfers, costs in (
        (made["zhaxi"], 2, Decimal(9000), Decimal(0), Decimal(1000)),
        (duojie, 2, Decimal(6000), Decimal(0), Decimal(0)),
        (made["wang"], 1, Decimal(0), Decimal(5000), Decimal(0)),
        (made["li"], 1, Decimal(3000), Decimal(0), Decimal(0)),
    ):
        income = YearlyIncome(
            household=household,
            year=2020,
            people=people,
            wages=wages,
            transfers=transfers,
            production_costs=costs,
        )
        income.compute_totals()
        income.save()
    return {"duojie": duojie, "ciren": ciren, "zhuoma": zhuoma}


WORLD_LAYERS = ("households", build)


def ind(code: str):
    return catalogue()[code]


def drilled(client, url: str) -> set[int]:
    """The households the drill's page lists (its rows), opened by the signed-in user."""
    path, query = urlsplit(url).path, dict(parse_qsl(urlsplit(url).query))
    assert path == reverse("registry:household_list")
    response = client.get(path, {**query, "size": 100})
    assert response.status_code == 200
    assert not response.context["form"].errors
    page = response.context["page"]
    return {row.pk for row in page.rows}


def ids(world, *names) -> set[int]:
    return {world[name].pk for name in names}


# (indicator, prefix, period, category) -> the count by hand
HAND = [
    ("registry.households", XINGHAI, "", "", 5),
    ("registry.households", TANGNAIHAI, "", "", 3),
    ("registry.households", MINZU_VILLAGE, "", "", 3),
    ("registry.households", NINGQU_TOWNSHIP, "", "", 2),
    ("registry.households", JINGCHUAN, "", "", 1),
    ("registry.households", XINGHAI, "", Status.POOR, 1),
    ("registry.households", XINGHAI, "", Status.EXITED, 2),
    ("registry.households", XINGHAI, "", Status.RETURNED, 1),
    ("registry.households", XINGHAI, "", Status.REGISTERED, 1),
    ("registry.households", MINZU_VILLAGE, "", Status.EXITED, 1),
    ("registry.households", JINGCHUAN, "", Status.EXITED, 0),
    ("registry.people", XINGHAI, "", "", 7),
    ("registry.people", TANGNAIHAI, "", "", 5),
    ("registry.people", MINZU_VILLAGE, "", "", 5),
    ("registry.people", XINGHAI, "", Status.RETURNED, 2),
    ("registry.people", MINZU_VILLAGE, "", Status.POOR, 2),
    ("registry.people", JINGCHUAN, "", "", 1),
    ("registry.rural_population", XINGHAI, "2019", "", 30),
    ("registry.rural_population", TANGNAIHAI, "2019", "", 20),
    ("registry.rural_population", MINZU_VILLAGE, "2020", "", 19),
    ("registry.rural_population", NINGQU_VILLAGE, "2020", "", 0),
    ("registry.rural_population", XINGHAI, "2018", "", 0),
    ("registry.rural_population", JINGCHUAN, "2019", "", 8),
    # 2019: 民族村 扎西 2 + 多杰 2 (次仁 exited in 2018); 宁曲村 王芳 1 (exited in 2020).
    ("registry.poor_people", XINGHAI, "2019", "", 5),
    ("registry.poor_people", TANGNAIHAI, "2019", "", 4),
    ("registry.poor_people", MINZU_VILLAGE, "2019", "", 4),
    ("registry.poor_people", NINGQU_VILLAGE, "2019", "", 1),
    # 2020: 宁曲村 has no population recorded for 2020, so it counts nothing.
    ("registry.poor_people", XINGHAI, "2020", "", 4),
    ("registry.poor_people", NINGQU_TOWNSHIP, "2020", "", 0),
    ("registry.poor_people", XINGHAI, "2018", "", 0),
    ("registry.poor_people", JINGCHUAN, "2019", "", 1),
    ("registry.poor_people", JINGCHUAN, "2020", "", 0),
    # 2020 incomes: 扎西 8,000 (2 people), 多杰 6,000 (2), 王芳 5,000 (1); 李强 3,000 (1) in 泾川县.
    ("registry.net_income", XINGHAI, "2020", "", 19000),
    ("registry.net_income", MINZU_VILLAGE, "2020", "", 14000),
    ("registry.net_income", NINGQU_TOWNSHIP, "2020", "", 5000),
    ("registry.net_income", XINGHAI, "2010", "", 0),
    ("registry.net_income", JINGCHUAN, "2020", "", 3000),
    ("registry.income_people", XINGHAI, "2020", "", 5),
    ("registry.income_people", TANGNAIHAI, "2020", "", 4),
]


def test_income_per_capita_is_net_income_over_people(world):
    per_capita = ind("registry.income_per_capita")
    assert recount(per_capita, prefix=XINGHAI, period="2020") == Decimal(19000) / 5
    assert recount(per_capita, prefix=MINZU_VILLAGE, period="2020") == Decimal(3500)
    assert recount(per_capita, prefix=XINGHAI, period="2010") is None  # no income recorded


@pytest.mark.parametrize(("code", "prefix", "period", "category", "expected"), HAND)
def test_recount_equals_the_hand_count(world, code, prefix, period, category, expected):
    assert recount(ind(code), prefix=prefix, period=period, category=category) == expected


def test_incidence_is_poor_people_over_rural_population(world):
    incidence = ind("registry.incidence")
    assert recount(incidence, prefix=XINGHAI, period="2019") == Decimal(5) * 100 / Decimal(30)
    assert recount(incidence, prefix=MINZU_VILLAGE, period="2019") == Decimal(20)
    assert recount(incidence, prefix=XINGHAI, period="2020") == Decimal(4) * 100 / Decimal(19)
    assert recount(incidence, prefix=NINGQU_VILLAGE, period="2020") is None  # no denominator
    assert recount(incidence, prefix=JINGCHUAN, period="2019") == Decimal(1) * 100 / Decimal(8)


DRILLS = [
    ("registry.households", XINGHAI, "", "", ("zhaxi", "wang", "duojie", "ciren", "zhuoma")),
    ("registry.households", MINZU_VILLAGE, "", "", ("zhaxi", "duojie", "ciren")),
    ("registry.households", XINGHAI, "", Status.EXITED, ("wang", "ciren")),
    ("registry.households", TANGNAIHAI, "", Status.RETURNED, ("duojie",)),
    ("registry.people", XINGHAI, "", Status.POOR, ("zhaxi",)),
    ("registry.poor_people", XINGHAI, "2019", "", ("zhaxi", "duojie", "wang")),
    ("registry.poor_people", TANGNAIHAI, "2019", "", ("zhaxi", "duojie")),
    ("registry.poor_people", XINGHAI, "2020", "", ("zhaxi", "duojie")),
    ("registry.poor_people", NINGQU_VILLAGE, "2020", "", ()),
    ("registry.incidence", XINGHAI, "2019", "", ("zhaxi", "duojie", "wang")),
    ("registry.net_income", XINGHAI, "2020", "", ("zhaxi", "duojie", "wang")),
    ("registry.income_per_capita", MINZU_VILLAGE, "2020", "", ("zhaxi", "duojie")),
]


@pytest.mark.parametrize(("code", "division", "period", "category", "names"), DRILLS)
def test_the_drill_lists_exactly_the_households_counted(
    world, county_client, code, division, period, category, names
):
    declared = ind(code)
    listed = drilled(county_client, declared.drill(division, period, category))
    assert listed == ids(world, *names)
    counted = declared.parts[0] if declared.parts else code
    value = recount(ind(counted), prefix=division, period=period, category=category)
    households = Household.objects.filter(pk__in=listed)
    if counted == "registry.households":
        assert value == len(listed)
    elif counted == "registry.net_income":  # the listed households' incomes of that year
        assert value == sum(
            i.net_income for i in YearlyIncome.objects.filter(household__in=households, year=period)
        )
    else:  # people: the members of the households listed
        assert value == sum(h.member_count for h in households)


def test_the_poor_year_filter_is_refused_when_not_a_year(world, county_client):
    response = county_client.get(reverse("registry:household_list"), {"poor_year": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["poor_year"]
    assert list(response.context["page"].rows) == []


def test_the_outsider_drills_into_nothing_of_xinghai(world, client):
    client.force_login(world["outsider"])
    url = ind("registry.poor_people").drill(XINGHAI, "2019", "")
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["page"].rows) == []


# --- the population service ---------------------------------------------------------------------


def test_population_set_replaces_the_year_and_is_audited(world):
    county = world["county"]
    row = services.village_population_set(
        by=county, village_code=MINZU_VILLAGE, year=2019, population=21, source="县公安局"
    )
    assert VillagePopulation.objects.get(village_id=MINZU_VILLAGE, year=2019) == row
    assert (row.population, row.source) == (21, "县公安局")
    assert VillagePopulation.objects.filter(village_id=MINZU_VILLAGE).count() == 2
    assert AuditEvent.objects.filter(object_type="registry.villagepopulation", object_id=str(row.pk)).exists()
    assert recount(ind("registry.rural_population"), prefix=XINGHAI, period="2019") == 31


def test_population_set_needs_the_county_of_the_village(world):
    with pytest.raises(PermissionDenied):
        services.village_population_set(
            by=world["cadre"], village_code=MINZU_VILLAGE, year=2019, population=1
        )
    with pytest.raises(PermissionDenied):
        services.village_population_set(
            by=world["county"], village_code=JINGCHUAN_VILLAGE, year=2019, population=1
        )


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"village_code": TANGNAIHAI}, {"village"}),
        ({"year": 1999}, {"year"}),
        ({"population": -3}, {"population"}),
        ({"population": "很多"}, {"population"}),
        ({"source": "x" * 101}, {"source"}),
    ],
)
def test_population_set_refuses_bad_input_field_by_field(world, fields, errors):
    values = {"village_code": MINZU_VILLAGE, "year": 2019, "population": 20, "source": "", **fields}
    with pytest.raises(ValidationError) as refused:
        services.village_population_set(by=None, **values)
    assert set(refused.value.message_dict) == errors


def test_the_api_list_takes_the_same_poor_year_filter(world, county_client):
    answer = county_client.get("/api/registry/households", {"division": XINGHAI, "poor_year": 2019})
    assert answer.status_code == 200
    assert {item["id"] for item in answer.json()["items"]} == ids(world, "zhaxi", "duojie", "wang")
    refused = county_client.get("/api/registry/households", {"poor_year": "x"})
    assert refused.status_code == 422
