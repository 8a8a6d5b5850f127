"""The workflow's part of the scope matrix (src/fupin/tests/test_scope_matrix.py), for monitoring's
tests/matrix.py to merge: its pages and API operations, and the records they need in 兴海县's world.

    from fupin.monitoring.tests import workflow_matrix
    PAGES = {..., **workflow_matrix.PAGES}
    API = {..., **workflow_matrix.API}
    def objects(objs): return {..., **workflow_matrix.objects(objs)}

The county officer of 兴海县 sees each record (a step he may not take answers 403, never 404); the
outsider of 泾川县 gets 404 everywhere.
"""

import datetime

from django.urls import reverse

from fupin.testing import HOUSEHOLD, Page

D = datetime.date


def _obj(name: str, key: str):
    return lambda o: reverse(name, args=[o[key].pk])


def objects(objs: dict) -> dict:
    """扎西's lead at 待信息比对 (verified: it has a 承诺授权书 photo), 王芳 a monitoring object with a
    风险消除 at 待入户核实 (with a photo), 青海's and 兴海县's monitoring lines and 兴海县's 低保 standard
    of 2025."""
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fupin.assistance.tests.matrix import PNG
    from fupin.monitoring import services
    from fupin.monitoring.choices import Stage
    from fupin.monitoring.models import (
        DibaoStandard,
        Elimination,
        MonitoringLine,
        MonitoringObject,
        ObjectRisk,
    )

    MonitoringLine.objects.create(year=2025, region_id="63", amount="8700", note="青海省")
    MonitoringLine.objects.create(year=2025, region_id="632524", amount="9000", note="兴海县")
    DibaoStandard.objects.create(year=2025, region_id="632524", amount="6000", note="兴海县")
    today = datetime.date.today()
    lead = services.report_lead(by=None, household=objs["zhaxi"], risks=["illness"], hardship="户主住院")
    services.verify(
        by=None,
        case=lead,
        version=lead.version,
        consent_signed=True,
        consent_photo=SimpleUploadedFile("consent.png", PNG, content_type="image/png"),
        verified_on=today,
        verification="入户核实属实",
    )
    lead.refresh_from_db()
    monitored = MonitoringObject.objects.create(
        household=objs["wang"], type="marginal", identified_on=D(2025, 1, 10)
    )
    ObjectRisk.objects.create(object=monitored, risk="disaster", disaster_kind="flood")
    elimination = Elimination.objects.create(
        object=monitored, kind="natural", stage=Stage.ACCEPTED, opened_on=today, step_due=today
    )
    # Its 入户核实 photo (written directly: the proposal's own rules are tested elsewhere).
    elimination.consent_photo.save("matrix.png", ContentFile(PNG), save=True)
    return {"monitoring_lead": lead, "monitoring_object": monitored, "monitoring_elimination": elimination}


PAGES = {
    "monitoring:lead_detail": Page(_obj("monitoring:lead_detail", "monitoring_lead"), "detail"),
    "monitoring:lead_photo": Page(_obj("monitoring:lead_photo", "monitoring_lead"), "detail"),
    "monitoring:lead_step": Page(
        _obj("monitoring:lead_step", "monitoring_lead"),
        "post",
        data=lambda o: {"version": o["monitoring_lead"].version, "medical": "ok"},
    ),
    "monitoring:elimination_detail": Page(
        _obj("monitoring:elimination_detail", "monitoring_elimination"), "detail"
    ),
    "monitoring:elimination_photo": Page(
        _obj("monitoring:elimination_photo", "monitoring_elimination"), "detail"
    ),
    "monitoring:elimination_step": Page(
        _obj("monitoring:elimination_step", "monitoring_elimination"),
        "post",
        data=lambda o: {"version": o["monitoring_elimination"].version},
    ),
    "monitoring:object_detail": Page(_obj("monitoring:object_detail", "monitoring_object"), "detail"),
    # The village proposes and reports; the county officer is refused (403), the outsider gets 404.
    "monitoring:propose_elimination": Page(
        _obj("monitoring:propose_elimination", "monitoring_object"),
        "post",
        data=lambda o: {"kind": "natural"},
    ),
    "monitoring:report_lead": Page(
        _obj("monitoring:report_lead", "zhaxi"),
        "post",
        data=lambda o: {"risks": ["illness"], "hardship": "住院", "opened_on": "2025-01-01"},
    ),
}


def _lead(o) -> str:
    return f"/api/monitoring/leads/{o['monitoring_lead'].pk}"


def _elimination(o) -> str:
    return f"/api/monitoring/eliminations/{o['monitoring_elimination'].pk}"


def _step(base, step: str, body):
    return (lambda o: f"{base(o)}/{step}", ("POST", body))


# A valid body for each step (the outsider must reach the scope check, not a 422 on the body).
STEP_BODIES = {
    "verify": lambda v: {"version": v},  # multipart in earnest; every field optional (see api.cases)
    "compare": lambda v: {"version": v, "comparison": {"medical": {"ok": True}}},
    "village-review": lambda v: {
        "version": v,
        "votes_for": 5,
        "votes_against": 0,
        "publicity_from": datetime.date.today().isoformat(),
    },
    "end-publicity": lambda v: {"version": v},
    "township-check": lambda v: {"version": v, "approve": True},
    "county-decide": lambda v: {"version": v, "include": False, "reasons": ["不符合条件"]},
}


def _body(key: str, step: str):
    return lambda o: STEP_BODIES[step](o[key].version)


def _put(path: str):
    return (lambda o: path, ("PUT", lambda o: {"amount": "9100", "note": "矩阵"}))


API = {
    "/api/monitoring/leads": (lambda o: "/api/monitoring/leads", "list", HOUSEHOLD),
    "/api/monitoring/leads/{lead_id}": (_lead, "detail"),
    "/api/monitoring/leads/{lead_id}/accept": _step(
        _lead, "accept", lambda o: {"version": o["monitoring_lead"].version}
    ),
    "/api/monitoring/leads/{lead_id}/reject": _step(
        _lead, "reject", lambda o: {"version": o["monitoring_lead"].version, "reasons": ["重复"]}
    ),
    **{
        f"/api/monitoring/leads/{{lead_id}}/{step}": _step(_lead, step, _body("monitoring_lead", step))
        for step in STEP_BODIES
    },
    "/api/monitoring/eliminations": (lambda o: "/api/monitoring/eliminations", "list", "王芳"),
    "/api/monitoring/eliminations/{elimination_id}": (_elimination, "detail"),
    **{
        f"/api/monitoring/eliminations/{{elimination_id}}/{step}": _step(
            _elimination, step, _body("monitoring_elimination", step)
        )
        for step in STEP_BODIES
    },
    "/api/monitoring/objects": (lambda o: "/api/monitoring/objects", "list", "王芳"),
    "/api/monitoring/objects/{object_id}": (
        lambda o: f"/api/monitoring/objects/{o['monitoring_object'].pk}",
        "detail",
    ),
    "/api/monitoring/objects/{object_id}/eliminations": (
        lambda o: f"/api/monitoring/objects/{o['monitoring_object'].pk}/eliminations",
        ("POST", lambda o: {"kind": "natural"}),
    ),
    "/api/monitoring/standards/monitoring-lines": (
        lambda o: "/api/monitoring/standards/monitoring-lines",
        "list",
        "兴海县",
    ),
    "/api/monitoring/standards/monitoring-lines/{region_code}/{year}": _put(
        "/api/monitoring/standards/monitoring-lines/632524/2025"
    ),
    "/api/monitoring/standards/dibao": (lambda o: "/api/monitoring/standards/dibao", "list", "兴海县"),
    "/api/monitoring/standards/dibao/{region_code}/{year}": _put(
        "/api/monitoring/standards/dibao/632524/2025"
    ),
    "/api/monitoring/standards/applicable": (
        lambda o: "/api/monitoring/standards/applicable?code=632524203207&year=2025",
        "detail",
    ),
}
