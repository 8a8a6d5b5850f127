"""一户一策: the measures of a household's plan and their steps."""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Path, Router, Schema
from ninja import Status as Answer

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, Text
from fupin.assistance import services
from fupin.assistance.api.common import Reason, Version
from fupin.assistance.choices import MeasureStatus, MeasureType
from fupin.assistance.lists import MEASURES
from fupin.assistance.models import Measure
from fupin.core import lists
from fupin.core.scoping import get_visible_or_404

router = Router()


class MeasureOut(Schema):
    id: int
    household_id: int
    household_number: str
    head_name: str
    type: MeasureType
    content: str
    cadre_name: str
    due: datetime.date | None
    amount: Decimal | None
    status: MeasureStatus
    result: str
    version: int


def _measure_out(m) -> dict:
    household = m.plan.household
    return {
        "id": m.id,
        "household_id": household.id,
        "household_number": household.number,
        "head_name": household.head_name,
        "type": m.type,
        "content": m.content,
        "cadre_name": str(m.cadre or ""),
        "due": m.due,
        "amount": m.amount,
        "status": m.status,
        "result": m.result,
        "version": m.version,
    }


lists.api_list(router, "/measures", MEASURES, MeasureOut, summary="一户一策帮扶措施", serialize=_measure_out)


class MeasureStep(Schema):
    to: MeasureStatus
    version: Version
    reason: Reason = ""
    result: Text = ""


@router.post(
    "/measures/{measure_id}/transitions", response={200: MeasureOut, **WRITE_ERRORS}, summary="变更措施状态"
)
def transition_measure(request: HttpRequest, measure_id: Path[DbId], payload: MeasureStep):
    measure = get_visible_or_404(
        Measure.objects.select_related("plan__household", "cadre"), request.user, pk=measure_id
    )
    try:
        measure = services.measure_transition(
            by=request.user,
            measure=measure,
            to=payload.to,
            version=payload.version,
            reason=payload.reason,
            result=payload.result,
            request=request,
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(
        200, _measure_out(Measure.objects.select_related("plan__household", "cadre").get(pk=measure.pk))
    )
