# ruff: noqa: F811 - pytest fixtures imported from fupin.testing are "redefined" as arguments
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fupin.accounts.tokens import token_issue
from fupin.regions.models import Region
from fupin.registry.incidence import exit_eligibility, incidence, incidence_by
from fupin.registry.models import ExitThreshold, Household
from fupin.reports import services as rollup
from fupin.testing import MINZU_VILLAGE


def _households(village: str, *, poor: int, exited: int, size: int = 4, start: int = 0) -> None:
    """Households straight into the table: incidence reads only status and member_count."""
    Household.objects.bulk_create(
        Household(
            number=f"{village}{start + i:05d}",
            village_id=village,
            attribute="ordinary",
            main_cause="illness",
            status="poor" if i < poor else "exited",
            exit_year=None if i < poor else 2018,
            member_count=size,
        )
        for i in range(poor + exited)
    )


def test_it_computes_incidence_per_village_township_and_county(cast):
    """Poor people over registered people, one GROUP BY per level on the village-code prefix."""
    _households(MINZU_VILLAGE, poor=1, exited=49)
    _households("632524101206", poor=3, exited=47)
    figures = incidence(code_prefix="632524")
    assert (figures.poor_people, figures.registered_people, figures.rate) == (16, 400, Decimal("0.0400"))
    with CaptureQueriesContext(connection) as queries:
        villages = incidence_by(code_prefix="632524", length=12)
    assert len(queries) == 1
    assert villages[MINZU_VILLAGE].rate == Decimal("0.0200")
    assert incidence_by(code_prefix="632524", length=9)["632524203"].poor_people == 4
    assert incidence(code_prefix="632524", year=2017).poor_people == 400


def test_it_applies_three_percent_in_the_west_and_two_elsewhere(cast):
    """2.5% is eligible in 青海 (west: 3%) and not in a province with the default 2%."""
    assert ExitThreshold.objects.get(province_code="63").threshold == Decimal("0.03")
    assert not ExitThreshold.objects.filter(province_code="41").exists()
    _households(MINZU_VILLAGE, poor=1, exited=39)
    west = exit_eligibility(code=MINZU_VILLAGE)
    assert (west.eligible, west.rate, west.threshold) == (True, Decimal("0.0250"), Decimal("0.03"))
    Region.objects.create(code="41", name="河南省", short_name="河南省", level=1, initials="hns")
    Region.objects.create(
        code="4117", name="驻马店市", short_name="驻马店市", level=2, parent_id="41", initials="zmds"
    )
    Region.objects.create(
        code="411729", name="新蔡县", short_name="新蔡县", level=3, parent_id="4117", initials="xcx"
    )
    Region.objects.create(
        code="411729100", name="镇", short_name="镇", level=4, parent_id="411729", initials="z"
    )
    Region.objects.create(
        code="411729100201", name="村", short_name="村", level=5, parent_id="411729100", initials="c"
    )
    _households("411729100201", poor=1, exited=39)
    east = exit_eligibility(code="411729")
    assert (east.eligible, east.threshold) == (False, Decimal("0.02"))
    assert east.reasons == ["贫困发生率2.50%,未低于退出标准2%(贫困人口4人,登记人口160人)"]


def test_it_says_why_when_there_is_no_data(cast):
    """A county with no households is not eligible, with a reason; a township code is not judged."""
    result = exit_eligibility(code="620821")
    assert not result.eligible and "没有登记人口数据" in result.reasons[0]
    assert not exit_eligibility(code="632524203").eligible


def test_the_api_shows_todays_incidence_from_the_rollup_and_judges_exits_live(cast, client):
    """Today's figure is the rollup's 登记人数 by status (the same definition): a household added
    since the refresh shows after the next one, while a past year and an exit decision count the
    records as they are. The outsider gets nothing of 兴海县."""
    _households(MINZU_VILLAGE, poor=1, exited=49)
    _households("632524101206", poor=3, exited=47)
    rollup.refresh()
    _token, key = token_issue(user=cast["county"], name="t")

    def answer(**params):
        found = client.get("/api/registry/incidence", params, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert found.status_code == 200
        body = found.json()
        return body["poor_people"], body["registered_people"], Decimal(str(body["rate"]))

    assert answer(code="632524") == (16, 400, Decimal("0.0400"))
    assert answer(code=MINZU_VILLAGE) == (4, 200, Decimal("0.0200"))
    _households(MINZU_VILLAGE, poor=5, exited=0, start=50)  # 20 more poor people, not yet counted
    assert answer(code="632524") == (16, 400, Decimal("0.0400"))
    assert answer(code="632524", year=2017) == (420, 420, Decimal("1.0000"))
    assert exit_eligibility(code=MINZU_VILLAGE).rate == Decimal("0.1091")  # 24 of 220, live
    rollup.refresh()
    assert answer(code="632524") == (36, 420, Decimal("0.0857"))
    _outsider_token, outsider_key = token_issue(user=cast["outsider"], name="t")
    refused = client.get(
        "/api/registry/incidence", {"code": "632524"}, HTTP_AUTHORIZATION=f"Bearer {outsider_key}"
    )
    assert refused.status_code == 404
