"""Households of the cast's places for the registry screen and API tests (made through the services)."""

import datetime
from decimal import Decimal

import pytest

from fupin import testing
from fupin.registry import services
from fupin.registry.idnumbers import make_id_number

HEAD_ID = make_id_number(area_code="632524", birth_date=datetime.date(1970, 3, 5), sequence=12, male=True)
WIFE_ID = make_id_number(area_code="632524", birth_date=datetime.date(1972, 8, 9), sequence=40, male=False)
OTHER_ID = make_id_number(area_code="620821", birth_date=datetime.date(1980, 1, 2), sequence=7, male=True)
PHONE = "13897654321"


def make_households():
    """扎西 of 民族村 (two members, incomes 2018-2019, checks), 王芳 of 宁曲村, 李强 of 泾川县凤凰村."""
    zhaxi = services.household_create(
        by=None,
        village_code=testing.MINZU_VILLAGE,
        attribute="dibao",
        main_cause="illness",
        cause2="no_skills",
        phone=PHONE,
        housing_area=Decimal("80.5"),
        housing_structure="brick",
    )
    services.member_add(
        by=None, household=zhaxi, name="扎西", id_number=HEAD_ID, relation="head", health="serious"
    )
    services.member_add(by=None, household=zhaxi, name="卓玛", id_number=WIFE_ID, relation="spouse")
    services.income_record(by=None, household=zhaxi, year=2018, wages=4000, business=1000)
    services.income_record(by=None, household=zhaxi, year=2019, wages=9000, business=2000)
    services.check_record(
        by=None,
        household=zhaxi,
        year=2019,
        results={
            "food": True,
            "clothing": True,
            "education": True,
            "medical": True,
            "housing": False,
            "water": True,
        },
        reasons={"housing": "危房未改造"},
    )
    wang = services.household_create(
        by=None, village_code="632524101206", attribute="ordinary", main_cause="no_funds"
    )
    services.member_add(
        by=None,
        household=wang,
        name="王芳",
        id_number=make_id_number(
            area_code="632524", birth_date=datetime.date(1985, 5, 5), sequence=3, male=False
        ),
        relation="head",
    )
    li = services.household_create(
        by=None, village_code="620821100206", attribute="ordinary", main_cause="illness"
    )
    services.member_add(by=None, household=li, name="李强", id_number=OTHER_ID, relation="head")
    zhaxi.refresh_from_db()
    wang.refresh_from_db()
    li.refresh_from_db()
    return {"zhaxi": zhaxi, "wang": wang, "li": li}


@pytest.fixture
def households(cast):
    return make_households()


@pytest.fixture
def county_client(client, cast):
    client.force_login(cast["county"])
    return client
