"""A household's status: identification, the exit review (proposed, checked, approved), return to
poverty — and the record of each change."""

import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja import Status as Answer

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, Text
from fupin.core.permissions import require
from fupin.registry.api.common import HouseholdOut, Year, household_out, visible_household
from fupin.registry.lifecycle import TRANSITION_PERMS, run_transition
from fupin.registry.models import HouseholdEvent

router = Router()


class RegistryTransitionIn(Schema):
    action: Literal["identify", "propose_exit", "check_exit", "approve_exit", "return"]
    approve: bool = True
    reason: Text = ""
    year: Year | None = Field(None, description="提出脱贫的年度,缺省为最近一个有收入记录的年度")


@router.post(
    "/households/{household_id}/transitions",
    response={200: HouseholdOut, **WRITE_ERRORS},
    summary="状态变更:识别、提出/审核/批准脱贫、返贫",
)
def transition(request: HttpRequest, household_id: Path[DbId], payload: RegistryTransitionIn):
    household = visible_household(request, household_id)
    require(request, TRANSITION_PERMS[payload.action], reason=_("没有权限执行该操作。"))
    try:
        run_transition(
            payload.action,
            by=request.user,
            household=household,
            approve=payload.approve,
            reason=payload.reason,
            year=payload.year,
            request=request,
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, household_out(visible_household(request, household_id)))


class RegistryEventOut(Schema):
    id: int
    at: datetime.datetime
    actor: str
    action: str
    action_display: str
    from_status: str
    to_status: str
    reason: str


@router.get("/households/{household_id}/events", response=list[RegistryEventOut], summary="状态记录")
def list_events(request: HttpRequest, household_id: Path[DbId]):
    household = visible_household(request, household_id)
    events = HouseholdEvent.objects.filter(household=household).select_related("actor").order_by("at", "id")
    return [
        {
            "id": e.id,
            "at": e.at,
            "actor": (e.actor.full_name or e.actor.username) if e.actor else "",
            "action": e.action,
            "action_display": e.get_action_display(),
            "from_status": e.from_status,
            "to_status": e.to_status,
            "reason": e.reason,
        }
        for e in events
    ]
