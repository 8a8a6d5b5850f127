"""Monitoring objects (监测对象) in the API: the list, one object with its risks, 一户一策 measures
(with the national measure kinds) and 帮扶责任人, and the village's 提出风险消除."""

import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, Text
from fupin.core import lists
from fupin.core.scoping import get_visible_or_404
from fupin.monitoring import selectors, services
from fupin.monitoring.api.cases import MonitoringEliminationDetailOut, elimination_detail_out
from fupin.monitoring.choices import EliminationKind, ObjectStatus, ObjectType
from fupin.monitoring.lists import OBJECTS
from fupin.monitoring.models import MonitoringObject

router = Router()


class MonitoringObjectRiskOut(Schema):
    risk: str
    label: str
    disaster_kind: str


class MonitoringObjectOut(Schema):
    id: int
    household_id: int
    household_number: str
    head_name: str
    village_code: str
    type: ObjectType
    former_poor: bool
    identified_on: datetime.date
    status: ObjectStatus
    safety_net: bool
    layer: str
    eliminated_on: datetime.date | None
    elimination_kind: str
    lead_id: int | None
    risks: list[MonitoringObjectRiskOut]
    version: int


class MonitoringObjectMeasureOut(Schema):
    id: int
    kind: str = Field(description="国家帮扶措施类型(choices.MeasureKind)")
    kind_label: str
    type: str = Field(description="一户一策措施类型(assistance.MeasureType)")
    content: str
    status: str
    due: datetime.date | None


class MonitoringObjectHelperOut(Schema):
    cadre_id: int
    name: str
    unit: str
    level: str
    start: datetime.date


class MonitoringObjectEliminationOut(Schema):
    id: int
    kind: EliminationKind
    stage: str
    opened_on: datetime.date
    decided_on: datetime.date | None


class MonitoringObjectDetailOut(MonitoringObjectOut):
    measures: list[MonitoringObjectMeasureOut]
    helpers: list[MonitoringObjectHelperOut]
    eliminations: list[MonitoringObjectEliminationOut]


def _risks(obj) -> list[dict]:
    return [
        {"risk": r.risk, "label": str(r.get_risk_display()), "disaster_kind": r.disaster_kind}
        for r in obj.risks.all()
    ]


def object_out(obj: MonitoringObject) -> dict:
    household = obj.household
    return {
        "id": obj.id,
        "household_id": household.id,
        "household_number": household.number,
        "head_name": household.head_name,
        "village_code": household.village_id,
        "type": obj.type,
        "former_poor": obj.former_poor,
        "identified_on": obj.identified_on,
        "status": obj.status,
        "safety_net": obj.safety_net,
        "layer": obj.layer.code if obj.layer_id else "",
        "eliminated_on": obj.eliminated_on,
        "elimination_kind": obj.elimination_kind,
        "lead_id": obj.lead_id,
        "risks": _risks(obj),
        "version": obj.version,
    }


lists.api_list(router, "/objects", OBJECTS, MonitoringObjectOut, summary="监测对象列表", serialize=object_out)


def _visible_object(request, object_id: int) -> MonitoringObject:
    return get_visible_or_404(
        MonitoringObject.objects.select_related("household", "layer"), request.user, pk=object_id
    )


@router.get(
    "/objects/{object_id}", response=MonitoringObjectDetailOut, summary="监测对象详情(风险、措施、帮扶责任人)"
)
def get_object(request: HttpRequest, object_id: Path[DbId]):
    obj = _visible_object(request, object_id)
    detail = selectors.object_detail(obj, request.user)
    return {
        **object_out(obj),
        "measures": [
            {
                "id": m["measure"].id,
                "kind": m["kind"],
                "kind_label": str(m["kind_label"]),
                "type": m["measure"].type,
                "content": m["measure"].content,
                "status": m["measure"].status,
                "due": m["measure"].due,
            }
            for m in detail["measures"]
        ],
        "helpers": [
            {
                "cadre_id": p.cadre_id,
                "name": p.cadre.name,
                "unit": str(p.cadre.unit or ""),
                "level": p.cadre.level,
                "start": p.start,
            }
            for p in detail["pairings"]
        ],
        "eliminations": [
            {
                "id": e.id,
                "kind": e.kind,
                "stage": e.stage,
                "opened_on": e.opened_on,
                "decided_on": e.decided_on,
            }
            for e in detail["eliminations"]
        ],
    }


class MonitoringEliminationProposalIn(Schema):
    kind: EliminationKind
    note: Annotated[Text, StringConstraints(max_length=500)] = ""


@router.post(
    "/objects/{object_id}/eliminations",
    response={201: MonitoringEliminationDetailOut, **WRITE_ERRORS},
    summary="提出风险消除(村级)",
)
def propose_elimination(
    request: HttpRequest, object_id: Path[DbId], payload: MonitoringEliminationProposalIn
):
    obj = _visible_object(request, object_id)
    try:
        elimination = services.propose_elimination(
            by=request.user,
            object=obj,
            kind=str(payload.kind),
            basis={"note": payload.note} if payload.note else None,
            request=request,
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, elimination_detail_out(elimination))
