"""Monitoring's figures of the county consolidation standards (monitoring.indicators): 有帮扶措施的监测对象
and 收入低于监测标准, each recounted at the county, township and village of 兴海县 (and 泾川县) equal to a
count by hand; the monitoring line is the one the risk rules and the review chain resolve; the drill
(the closest list) lists every record counted.

The objects and measures: 扎西 (民族村) monitored since 2025-12-01, an industry measure in progress →
counted; 多杰 (民族村) monitored since 2026-03-02, his only measure done in 2025 (before) and one
cancelled → not counted; 王芳 (宁曲村) eliminated, a measure in progress → not counted (not monitored);
次仁 (宁曲村) monitored since 2026-01-05, a measure done on 2026-02-01 → counted; 李强 (泾川县) monitored,
no measure → not counted.

The lines: 青海 6,900 (2024) and 7,200 (2025); 海南州 7,000 (2024); 兴海县 7,500 (2025); 甘肃 7,100
(2025); none for 2023. The incomes (per person after 合规自付支出): 扎西 2024 6,950 (below 海南州's 7,000,
above 青海's), 2025 7,300 (below 兴海县's 7,500, above 青海's); 王芳 2024 6,950, 2025 7,600; 多杰 2023 100
(no line); 李强 2025 7,300 before and 6,800 after a medical bill (below 甘肃's 7,100 after costs only).
"""

import datetime
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db.models import F
from django.urls import reverse

from fupin.assistance.models import Measure, Plan
from fupin.core.indicators import catalogue, recount
from fupin.monitoring.choices import ObjectStatus, ObjectType
from fupin.monitoring.indicators import LineOf, incomes_below_line
from fupin.monitoring.models import MonitoringLine, MonitoringObject
from fupin.monitoring.selectors import monitoring_line
from fupin.registry.models import YearlyIncome
from fupin.testing import (
    JINGCHUAN,
    MINZU_VILLAGE,
    NINGQU_VILLAGE,
    TANGNAIHAI,
    XINGHAI,
    make_household,
    person_id,
)

D = datetime.date
NINGQU_TOWNSHIP = NINGQU_VILLAGE[:9]


def _object(household, identified, eliminated=None):
    return MonitoringObject.objects.create(
        household=household,
        type=ObjectType.MARGINAL,
        identified_on=identified,
        status=ObjectStatus.ELIMINATED if eliminated else ObjectStatus.MONITORED,
        eliminated_on=eliminated,
        elimination_kind="natural" if eliminated else "",
    )


def _measure(household, status, created):
    plan, _made = Plan.objects.get_or_create(household=household)
    measure = Measure.objects.create(plan=plan, type="industry", content="养殖", status=status)
    Measure.objects.filter(pk=measure.pk).update(
        created_at=datetime.datetime.combine(created, datetime.time(10), tzinfo=datetime.UTC)
    )


def _income(household, year, people, wages, medical=0):
    income = YearlyIncome(
        household=household, year=year, people=people, wages=Decimal(wages), medical_costs=Decimal(medical)
    )
    income.compute_totals()
    income.save()


def build(made: dict) -> dict:
    zhaxi, wang, li = made["zhaxi"], made["wang"], made["li"]
    duojie = make_household(village=MINZU_VILLAGE, head="多杰", head_id=person_id(501))
    ciren = make_household(village=NINGQU_VILLAGE, head="次仁", head_id=person_id(502))
    objects = {
        "o_zhaxi": _object(zhaxi, D(2025, 12, 1)),
        "o_duojie": _object(duojie, D(2026, 3, 2)),
        "o_wang": _object(wang, D(2025, 6, 10), eliminated=D(2026, 2, 20)),
        "o_ciren": _object(ciren, D(2026, 1, 5)),
        "o_li": _object(li, D(2026, 1, 10)),
    }
    _measure(zhaxi, "active", D(2025, 12, 20))
    _measure(duojie, "done", D(2025, 5, 1))
    _measure(duojie, "cancelled", D(2026, 3, 5))
    _measure(wang, "active", D(2025, 7, 1))
    _measure(ciren, "done", D(2026, 2, 1))
    for region, year, amount in (
        ("63", 2024, 6900),
        ("63", 2025, 7200),
        ("6325", 2024, 7000),
        (XINGHAI, 2025, 7500),
        ("62", 2025, 7100),
    ):
        MonitoringLine.objects.create(region_id=region, year=year, amount=Decimal(amount))
    _income(zhaxi, 2024, 2, 13900)
    _income(zhaxi, 2025, 2, 14600)
    _income(wang, 2024, 1, 6950)
    _income(wang, 2025, 1, 7600)
    _income(duojie, 2023, 1, 100)
    _income(li, 2025, 1, 7300, medical=500)
    return {"duojie": duojie, "ciren": ciren, **objects}


WORLD_LAYERS = ("households", build)


def ind(code: str):
    return catalogue()[code]


HAND = [
    ("monitoring.objects_with_measures", XINGHAI, "", 2),  # 扎西, 次仁
    ("monitoring.objects_with_measures", TANGNAIHAI, "", 1),
    ("monitoring.objects_with_measures", MINZU_VILLAGE, "", 1),
    ("monitoring.objects_with_measures", NINGQU_TOWNSHIP, "", 1),
    ("monitoring.objects_with_measures", JINGCHUAN, "", 0),
    ("monitoring.below_line", XINGHAI, "2025", 1),  # 扎西 under 兴海县's own line
    ("monitoring.below_line", XINGHAI, "2024", 2),  # 扎西, 王芳 under 海南州's
    ("monitoring.below_line", MINZU_VILLAGE, "2024", 1),
    ("monitoring.below_line", NINGQU_TOWNSHIP, "2024", 1),
    ("monitoring.below_line", NINGQU_VILLAGE, "2025", 0),
    ("monitoring.below_line", XINGHAI, "2023", 0),  # no line for 2023
    ("monitoring.below_line", JINGCHUAN, "2025", 1),  # after 合规自付支出
    ("monitoring.below_line", "", "2025", 2),
]


@pytest.mark.parametrize(("code", "prefix", "period", "expected"), HAND)
def test_recount_equals_the_hand_count(world, code, prefix, period, expected):
    assert recount(ind(code), prefix=prefix, period=period) == expected


def test_the_coverage_rate_reads_over_the_objects_still_monitored(world):
    monitored = recount(ind("monitoring.objects_by_status"), prefix=XINGHAI, category=ObjectStatus.MONITORED)
    assert monitored == 3  # 扎西, 多杰, 次仁
    assert recount(ind("monitoring.objects_with_measures"), prefix=XINGHAI) * 100 / monitored < 100


def test_the_line_is_the_one_the_review_chain_resolves(world):
    """LineOf (the rules' SQL) and selectors.monitoring_line agree on every income's line."""
    incomes = YearlyIncome.objects.annotate(
        line=LineOf(F("year"), F("household__village_id")), village=F("household__village_id")
    )
    seen = set()
    for row in incomes.values("village", "year", "line"):
        found = monitoring_line(row["village"], row["year"])
        assert row["line"] == (found.amount if found else None), row
        seen.add(row["line"])
    assert {Decimal(7000), Decimal(7500), Decimal(7100), None} <= seen


def test_the_rows_are_the_incomes_below_their_line(world):
    rows = {(r["household_id"], r["year"]) for r in incomes_below_line()}
    assert rows == {
        (world["zhaxi"].pk, 2024),
        (world["zhaxi"].pk, 2025),
        (world["wang"].pk, 2024),
        (world["li"].pk, 2025),
    }


def _listed(client, url):
    path, query = urlsplit(url).path, dict(parse_qsl(urlsplit(url).query))
    response = client.get(path, {**query, "size": 100})
    assert response.status_code == 200
    assert not response.context["form"].errors
    return path, {row.pk for row in response.context["page"].rows}


def test_the_measure_drill_lists_the_objects_monitored_those_counted_among_them(world, county_client):
    path, listed = _listed(county_client, ind("monitoring.objects_with_measures").drill(XINGHAI, "", ""))
    assert path == reverse("monitoring:object_list")
    assert listed == {world[n].pk for n in ("o_zhaxi", "o_duojie", "o_ciren")}
    counted = set(
        MonitoringObject.objects.filter(pk__in=listed)
        .filter(pk__in=[o.pk for o in catalogue()["monitoring.objects_with_measures"].rows()])
        .values_list("pk", flat=True)
    )
    assert counted == {world["o_zhaxi"].pk, world["o_ciren"].pk}


def test_the_income_drill_lists_the_households_of_that_years_income(world, county_client):
    path, listed = _listed(county_client, ind("monitoring.below_line").drill(XINGHAI, "2024", ""))
    assert path == reverse("registry:household_list")
    assert listed == {world["zhaxi"].pk, world["wang"].pk}  # both below the line in 2024
    path, listed = _listed(county_client, ind("monitoring.below_line").drill(XINGHAI, "2025", ""))
    assert listed == {world["zhaxi"].pk, world["wang"].pk}  # 王芳 above it in 2025: the closest list
