"""The screens' part of monitoring's scope matrix (src/fupin/tests/test_scope_matrix.py): the lists,
their exports and clear-export forms, the overview, and the back office.

For the monitoring matrix module (monitoring/tests/matrix.py) to merge: PAGES, ADMIN_OBJECTS and
`objects(objs)`, which makes these pages' records in 兴海县's world (a lead of 扎西 past its decision
limit, so the overdue list counts it; 扎西 a monitoring object with an elimination under way; a
data-quality finding; 兴海县's own monitoring line and 低保 standard).
"""

import datetime

from fupin.testing import HOUSEHOLD, MINZU_VILLAGE, Page, plain_url

TANGNAIHAI = "632524203"  # the overdue list's row: 民族村's township

_LISTS = {"lead": HOUSEHOLD, "object": HOUSEHOLD, "elimination": HOUSEHOLD, "quality": HOUSEHOLD}

PAGES: dict = {
    "monitoring:home": Page(plain_url("monitoring:home"), "list-no-marker", HOUSEHOLD),
    **{f"monitoring:{n}_list": Page(plain_url(f"monitoring:{n}_list"), "list", m) for n, m in _LISTS.items()},
    **{
        f"monitoring:{n}_export": Page(plain_url(f"monitoring:{n}_export"), "export", m)
        for n, m in _LISTS.items()
    },
    "monitoring:overdue_list": Page(plain_url("monitoring:overdue_list"), "list", TANGNAIHAI),
    "monitoring:overdue_export": Page(plain_url("monitoring:overdue_export"), "export", TANGNAIHAI),
    # The 明文导出 forms (their POST: monitoring/tests/test_lists_monitoring.py).
    **{
        f"monitoring:{n}_export_clear": Page(
            plain_url(f"monitoring:{n}_export_clear"), "list-no-marker", HOUSEHOLD
        )
        for n in ("lead", "object", "elimination")
    },
}

ADMIN_OBJECTS = {
    "monitoring.monitoringline": lambda o: o["monitoring_line"],
    "monitoring.dibaostandard": lambda o: o["dibao_standard"],
    "monitoring.lead": lambda o: o["monitoring_lead"],
    "monitoring.monitoringobject": lambda o: o["monitoring_object"],
    "monitoring.elimination": lambda o: o["monitoring_elimination"],
    # Reference data (a province's limits, the calendar, layers, rules): every role with access reads them.
    "monitoring.procedure": None,
    "monitoring.calendarday": None,
    "monitoring.layer": None,
    "monitoring.riskrule": None,
}


def objects(objs: dict) -> dict:
    from fupin.monitoring import services
    from fupin.monitoring.choices import Channel, EliminationKind, ObjectType, Stage
    from fupin.monitoring.models import (
        DibaoStandard,
        Elimination,
        MonitoringLine,
        MonitoringObject,
        QualityFinding,
    )
    from fupin.regions.models import Region

    zhaxi = objs["zhaxi"]
    D = datetime.date
    lead = services.open_lead(
        by=None,
        channel=Channel.CADRE,
        village=Region.objects.get(code=MINZU_VILLAGE),
        opened_on=D(2026, 1, 5),
        household=zhaxi,
        risks=["illness"],
    )
    obj = MonitoringObject.objects.create(
        household=zhaxi, type=ObjectType.UNSTABLE, identified_on=D(2025, 6, 1)
    )
    elimination = Elimination.objects.create(
        object=obj, kind=EliminationKind.ASSISTED, stage=Stage.ACCEPTED, opened_on=D(2026, 1, 10)
    )
    QualityFinding.objects.create(
        rule="no_measure",
        county_id="632524",
        household=zhaxi,
        object=obj,
        detail="识别一个月后无帮扶措施",
        found_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    return {
        "monitoring_lead": lead,
        "monitoring_object": obj,
        "monitoring_elimination": elimination,
        "monitoring_line": MonitoringLine.objects.create(year=2025, region_id="632524", amount="7400"),
        "dibao_standard": DibaoStandard.objects.create(year=2025, region_id="632524", amount="6100"),
    }
