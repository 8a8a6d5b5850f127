"""Monitoring's indicators (monitoring.indicators): each figure recounted from the records at the
county, township and village of 兴海县 (and 泾川县) equals a count by hand, and its drill, opened by the
county officer, lists exactly the records counted.

A frozen day (FROZEN). The objects: 扎西 (民族村, 2 people) 脱贫不稳定户 with 因病 and 因残, 重点救助,
identified 2025-12-01, monitored; 王芳 (宁曲村, 1) 边缘易致贫户 因病, 潜在风险, identified 2025-06-10,
eliminated 2026-02-20; 多杰 (民族村, 2) first 突发严重困难户 因自然灾害, 低保救助, identified 2025-01-05
and eliminated 2025-08-01, then again 边缘易致贫户 缺劳动力 without a layer, identified 2026-03-02;
李强 (泾川县) 脱贫不稳定户 因病, 重点救助, identified 2026-01-10. The leads: 民族村 cadre on time
(2026-03), 宁曲村 department past its step (orange, 2026-02), 民族村 self-report past the decision
limit (red, 2025-12), 民族村 cadre decided (closed, 2025-11); 泾川县 cadre orange (2026-03).
"""

import datetime
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from fupin.core.indicators import catalogue, recount
from fupin.monitoring import selectors_lists
from fupin.monitoring.choices import Channel, ObjectStatus, ObjectType, Risk, Stage, Urgency
from fupin.monitoring.models import Layer, Lead, MonitoringObject, ObjectRisk
from fupin.monitoring.services import open_lead
from fupin.regions.models import Region
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

FROZEN = datetime.date(2026, 3, 16)
D = datetime.date
NINGQU_TOWNSHIP = NINGQU_VILLAGE[:9]


def _object(household, type_, risks, layer, identified, eliminated=None):
    obj = MonitoringObject.objects.create(
        household=household,
        type=type_,
        identified_on=identified,
        layer=Layer.objects.get(code=layer) if layer else None,
        status=ObjectStatus.ELIMINATED if eliminated else ObjectStatus.MONITORED,
        eliminated_on=eliminated,
        elimination_kind="natural" if eliminated else "",
    )
    for order, risk in enumerate(risks):
        ObjectRisk.objects.create(object=obj, risk=risk, order=order)
    return obj


def _lead(village, channel, opened, stage, step_due, decision_due, household=None):
    lead = open_lead(
        by=None,
        channel=channel,
        village=Region.objects.get(code=village),
        opened_on=opened,
        household=household,
        risks=["illness"],
    )
    Lead.objects.filter(pk=lead.pk).update(stage=stage, step_due=step_due, decision_due=decision_due)
    return lead


def build(made: dict) -> dict:
    zhaxi, wang, li = made["zhaxi"], made["wang"], made["li"]
    duojie = make_household(
        village=MINZU_VILLAGE, head="多杰", head_id=person_id(401), spouse_id=person_id(402)
    )
    return {
        "duojie": duojie,
        "o_zhaxi": _object(
            zhaxi, ObjectType.UNSTABLE, [Risk.ILLNESS, Risk.DISABILITY], "key_relief", D(2025, 12, 1)
        ),
        "o_wang": _object(
            wang,
            ObjectType.MARGINAL,
            [Risk.ILLNESS],
            "latent_risk",
            D(2025, 6, 10),
            eliminated=D(2026, 2, 20),
        ),
        "o_duojie_old": _object(
            duojie,
            ObjectType.SUDDEN,
            [Risk.DISASTER],
            "dibao_relief",
            D(2025, 1, 5),
            eliminated=D(2025, 8, 1),
        ),
        "o_duojie": _object(duojie, ObjectType.MARGINAL, [Risk.NO_LABOUR], None, D(2026, 3, 2)),
        "o_li": _object(li, ObjectType.UNSTABLE, [Risk.ILLNESS], "key_relief", D(2026, 1, 10)),
        "l_on_time": _lead(
            MINZU_VILLAGE,
            Channel.CADRE,
            D(2026, 3, 10),
            Stage.ACCEPTED,
            D(2026, 3, 20),
            D(2026, 4, 30),
            zhaxi,
        ),
        "l_orange": _lead(
            NINGQU_VILLAGE,
            Channel.DEPARTMENT,
            D(2026, 2, 1),
            Stage.VERIFIED,
            D(2026, 3, 1),
            D(2026, 4, 1),
            wang,
        ),
        "l_red": _lead(
            MINZU_VILLAGE, Channel.SELF_REPORT, D(2025, 12, 1), Stage.PUBLICISED, D(2026, 1, 1), D(2026, 2, 1)
        ),
        "l_closed": _lead(
            MINZU_VILLAGE, Channel.CADRE, D(2025, 11, 1), Stage.DECIDED, D(2025, 11, 5), D(2025, 12, 1), zhaxi
        ),
        "l_jingchuan": _lead(
            JINGCHUAN_VILLAGE, Channel.CADRE, D(2026, 3, 1), Stage.ACCEPTED, D(2026, 3, 5), D(2026, 4, 15), li
        ),
    }


WORLD_LAYERS = ("households", build)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch):
    monkeypatch.setattr(selectors_lists, "today", lambda: FROZEN)


def ind(code: str):
    return catalogue()[code]


def drilled(client, url: str, name: str) -> set[int]:
    """The records the drill's page lists (its rows), opened by the signed-in user."""
    path, query = urlsplit(url).path, dict(parse_qsl(urlsplit(url).query))
    assert path == reverse(name)
    response = client.get(path, {**query, "size": 100})
    assert response.status_code == 200
    assert not response.context["form"].errors
    return {row.pk for row in response.context["page"].rows}


def pks(world, *names) -> set[int]:
    return {world[name].pk for name in names}


M, U, S = ObjectStatus.MONITORED, ObjectType.UNSTABLE, ObjectType.SUDDEN
HAND = [
    # 监测对象: each household once, by its current object (多杰's 2025 object is history).
    ("monitoring.objects_by_type", XINGHAI, "", "", 3),
    ("monitoring.objects_by_type", TANGNAIHAI, "", "", 2),
    ("monitoring.objects_by_type", MINZU_VILLAGE, "", "", 2),
    ("monitoring.objects_by_type", NINGQU_TOWNSHIP, "", "", 1),
    ("monitoring.objects_by_type", XINGHAI, "", ObjectType.MARGINAL, 2),
    ("monitoring.objects_by_type", XINGHAI, "", S, 0),
    ("monitoring.objects_by_type", JINGCHUAN, "", "", 1),
    ("monitoring.object_people_by_type", XINGHAI, "", "", 5),
    ("monitoring.object_people_by_type", XINGHAI, "", ObjectType.MARGINAL, 3),
    ("monitoring.object_people_by_type", MINZU_VILLAGE, "", U, 2),
    ("monitoring.objects_by_risk", XINGHAI, "", "", 3),  # 扎西's two risks: once in the total
    ("monitoring.objects_by_risk", XINGHAI, "", Risk.ILLNESS, 2),
    ("monitoring.objects_by_risk", XINGHAI, "", Risk.DISABILITY, 1),
    ("monitoring.objects_by_risk", TANGNAIHAI, "", Risk.NO_LABOUR, 1),
    ("monitoring.objects_by_risk", XINGHAI, "", Risk.DISASTER, 0),
    ("monitoring.objects_by_risk", JINGCHUAN, "", Risk.ILLNESS, 1),
    ("monitoring.object_people_by_risk", XINGHAI, "", "", 5),
    ("monitoring.object_people_by_risk", XINGHAI, "", Risk.ILLNESS, 3),
    ("monitoring.objects_by_layer", XINGHAI, "", "", 3),  # 多杰's current object has no layer
    ("monitoring.objects_by_layer", XINGHAI, "", "key_relief", 1),
    ("monitoring.objects_by_layer", NINGQU_VILLAGE, "", "latent_risk", 1),
    ("monitoring.objects_by_layer", XINGHAI, "", "dibao_relief", 0),
    ("monitoring.object_people_by_layer", MINZU_VILLAGE, "", "key_relief", 2),
    ("monitoring.objects_by_status", XINGHAI, "", M, 2),
    ("monitoring.objects_by_status", XINGHAI, "", ObjectStatus.ELIMINATED, 1),
    ("monitoring.objects_by_status", MINZU_VILLAGE, "", ObjectStatus.ELIMINATED, 0),
    ("monitoring.object_people_by_status", XINGHAI, "", M, 4),
    ("monitoring.object_people_by_status", JINGCHUAN, "", M, 1),
    # 新识别 by month and year (a year sums its months), 风险消除 by month.
    ("monitoring.identified", XINGHAI, "2025", "", 3),
    ("monitoring.identified", XINGHAI, "2026", "", 1),
    ("monitoring.identified", XINGHAI, "2025-12", "", 1),
    ("monitoring.identified", MINZU_VILLAGE, "2026-03", ObjectType.MARGINAL, 1),
    ("monitoring.identified", TANGNAIHAI, "2025", S, 1),
    ("monitoring.identified", NINGQU_TOWNSHIP, "2026", "", 0),
    ("monitoring.identified", JINGCHUAN, "2026-01", "", 1),
    ("monitoring.eliminated", XINGHAI, "2025", "", 1),
    ("monitoring.eliminated", XINGHAI, "2026-02", "", 1),
    ("monitoring.eliminated", MINZU_VILLAGE, "2025-08", "", 1),
    ("monitoring.eliminated", NINGQU_TOWNSHIP, "2025", "", 0),
    ("monitoring.eliminated", JINGCHUAN, "2026", "", 0),
    # … and their people: 扎西 2, 王芳 1, 多杰 2 (his 2025 object and his 2026 one), 李强 1.
    ("monitoring.identified_people", XINGHAI, "2025", "", 5),
    ("monitoring.identified_people", MINZU_VILLAGE, "2026-03", ObjectType.MARGINAL, 2),
    ("monitoring.identified_people", XINGHAI, "2026-03", ObjectType.UNSTABLE, 0),
    ("monitoring.identified_people", JINGCHUAN, "2026-01", "", 1),
    ("monitoring.eliminated_people", XINGHAI, "2025", "", 2),
    ("monitoring.eliminated_people", NINGQU_VILLAGE, "2026-02", "", 1),
    # 逾期线索 on FROZEN: orange (past its step) and red (past the decision limit).
    ("monitoring.overdue_leads", XINGHAI, "", "", 2),
    ("monitoring.overdue_leads", XINGHAI, "", Urgency.ORANGE, 1),
    ("monitoring.overdue_leads", XINGHAI, "", Urgency.RED, 1),
    ("monitoring.overdue_leads", MINZU_VILLAGE, "", "", 1),
    ("monitoring.overdue_leads", TANGNAIHAI, "", Urgency.ORANGE, 0),
    ("monitoring.overdue_leads", NINGQU_TOWNSHIP, "", Urgency.ORANGE, 1),
    ("monitoring.overdue_leads", JINGCHUAN, "", Urgency.ORANGE, 1),
    # 风险线索 by the month it was opened, by channel.
    ("monitoring.leads", XINGHAI, "2026", "", 2),
    ("monitoring.leads", XINGHAI, "2025", "", 2),
    ("monitoring.leads", XINGHAI, "2025", Channel.CADRE, 1),
    ("monitoring.leads", XINGHAI, "2026-02", Channel.DEPARTMENT, 1),
    ("monitoring.leads", MINZU_VILLAGE, "2025-12", Channel.SELF_REPORT, 1),
    ("monitoring.leads", TANGNAIHAI, "2026", "", 1),
    ("monitoring.leads", JINGCHUAN, "2026-03", Channel.CADRE, 1),
]


@pytest.mark.parametrize(("code", "prefix", "period", "category", "expected"), HAND)
def test_recount_equals_the_hand_count(world, code, prefix, period, category, expected):
    assert recount(ind(code), prefix=prefix, period=period, category=category) == expected


OBJECTS, LEADS = "monitoring:object_list", "monitoring:lead_list"
DRILLS = [
    ("monitoring.objects_by_type", XINGHAI, "", "", OBJECTS, ("o_zhaxi", "o_wang", "o_duojie")),
    ("monitoring.objects_by_type", XINGHAI, "", ObjectType.MARGINAL, OBJECTS, ("o_wang", "o_duojie")),
    ("monitoring.object_people_by_type", MINZU_VILLAGE, "", "", OBJECTS, ("o_zhaxi", "o_duojie")),
    ("monitoring.objects_by_risk", XINGHAI, "", Risk.ILLNESS, OBJECTS, ("o_zhaxi", "o_wang")),
    ("monitoring.objects_by_risk", XINGHAI, "", Risk.DISASTER, OBJECTS, ()),
    ("monitoring.objects_by_layer", XINGHAI, "", "key_relief", OBJECTS, ("o_zhaxi",)),
    ("monitoring.objects_by_status", TANGNAIHAI, "", M, OBJECTS, ("o_zhaxi", "o_duojie")),
    ("monitoring.objects_by_status", XINGHAI, "", ObjectStatus.ELIMINATED, OBJECTS, ("o_wang",)),
    ("monitoring.identified", XINGHAI, "2025", "", OBJECTS, ("o_zhaxi", "o_wang", "o_duojie_old")),
    ("monitoring.identified", XINGHAI, "2025", S, OBJECTS, ("o_duojie_old",)),
    ("monitoring.identified", MINZU_VILLAGE, "2026-03", "", OBJECTS, ("o_duojie",)),
    ("monitoring.eliminated", XINGHAI, "2025-08", "", OBJECTS, ("o_duojie_old",)),
    ("monitoring.eliminated", XINGHAI, "2026", "", OBJECTS, ("o_wang",)),
    ("monitoring.overdue_leads", XINGHAI, "", "", LEADS, ("l_orange", "l_red")),
    ("monitoring.overdue_leads", XINGHAI, "", Urgency.RED, LEADS, ("l_red",)),
    ("monitoring.overdue_leads", NINGQU_VILLAGE, "", Urgency.ORANGE, LEADS, ("l_orange",)),
    ("monitoring.leads", XINGHAI, "2025", "", LEADS, ("l_red", "l_closed")),
    ("monitoring.leads", XINGHAI, "2026-03", Channel.CADRE, LEADS, ("l_on_time",)),
    ("monitoring.leads", MINZU_VILLAGE, "2026", "", LEADS, ("l_on_time",)),
]


@pytest.mark.parametrize(("code", "division", "period", "category", "name", "records"), DRILLS)
def test_the_drill_lists_exactly_the_records_counted(
    world, county_client, code, division, period, category, name, records
):
    declared = ind(code)
    listed = drilled(county_client, declared.drill(division, period, category), name)
    assert listed == pks(world, *records)
    value = recount(declared, prefix=division, period=period, category=category)
    if "people" in code:
        objects = MonitoringObject.objects.filter(pk__in=listed).select_related("household")
        assert value == sum(o.household.member_count for o in objects)
    else:
        assert value == len(listed)


def test_a_period_filter_that_is_no_year_or_month_is_refused(world, county_client):
    response = county_client.get(reverse(OBJECTS), {"identified_in": "2026-13"})
    assert response.context["form"].errors["identified_in"]
    assert list(response.context["page"].rows) == []


def test_the_outsider_drills_into_nothing_of_xinghai(world, client):
    client.force_login(world["outsider"])
    for code, name in (("monitoring.objects_by_type", OBJECTS), ("monitoring.overdue_leads", LEADS)):
        url = ind(code).drill(XINGHAI, "", "")
        path, query = urlsplit(url).path, dict(parse_qsl(urlsplit(url).query))
        assert path == reverse(name)
        response = client.get(path, query)
        assert response.status_code == 200
        assert list(response.context["page"].rows) == []
