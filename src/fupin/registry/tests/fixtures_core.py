"""Fixtures of the registry core's tests: a few households in 民族村 (兴海县) built through the services.

Import the fixtures into a test module (`from fupin.registry.tests.fixtures_core import minzu  # noqa`).
"""

import datetime

import pytest

from fupin.registry import services
from fupin.registry.idnumbers import make_id_number
from fupin.testing import MINZU_VILLAGE

XINGHAI_AREA = "632524"
JINGCHUAN_VILLAGE = "620821100206"


def person_id(n: int, *, male: bool = True, area: str = XINGHAI_AREA, year: int = 1975) -> str:
    """A valid ID number, different for every n."""
    return make_id_number(
        area_code=area, birth_date=datetime.date(year, 3, 1 + n % 28), sequence=n, male=male
    )


def make_household(*, village=MINZU_VILLAGE, head="才让东智", head_id=None, spouse_id=None, by=None):
    household = services.household_create(
        by=by, village_code=village, attribute="ordinary", main_cause="illness", phone="13800138000"
    )
    services.member_add(
        by=by, household=household, name=head, id_number=head_id or person_id(1), relation="head"
    )
    if spouse_id:
        services.member_add(by=by, household=household, name="拉毛措", id_number=spouse_id, relation="spouse")
    household.refresh_from_db()
    return household


@pytest.fixture
def minzu(cast):
    """Two households in 民族村: one of two people, one of one."""
    return [
        make_household(head_id=person_id(1), spouse_id=person_id(2, male=False)),
        make_household(head="多杰", head_id=person_id(3)),
    ]
