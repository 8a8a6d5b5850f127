"""Visits to households (入户走访), the pairings overdue for one, and work logs."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, DivisionCode, SearchText, Text
from fupin.assistance import selectors, services
from fupin.assistance.api.common import Day
from fupin.assistance.lists import OVERDUE, VISITS
from fupin.core import lists
from fupin.core.scoping import scope_of
from fupin.regions.models import Region
from fupin.registry import selectors as registry

router = Router()

Line = Annotated[SearchText, StringConstraints(max_length=200)]
Coordinate = Annotated[Decimal, Field(ge=-180, le=180, max_digits=9, decimal_places=6)]


class VisitOut(Schema):
    id: int
    household_id: int
    household_number: str
    head_name: str
    village_code: str
    visited_on: datetime.date
    visitor: str
    people_met: str
    notes: str
    issues: str
    latitude: Decimal | None
    longitude: Decimal | None


class VisitIn(Schema):
    household_id: DbId
    visited_on: Day
    people_met: Annotated[Line, StringConstraints(min_length=1)]
    notes: Annotated[Text, StringConstraints(min_length=1)]
    issues: Text = ""
    latitude: Coordinate | None = None
    longitude: Coordinate | None = None


def _visit_out(v) -> dict:
    return {
        "id": v.id,
        "household_id": v.household_id,
        "household_number": v.household.number,
        "head_name": v.household.head_name,
        "village_code": v.household.village_id,
        "visited_on": v.visited_on,
        "visitor": str(v.cadre or v.visitor or ""),
        "people_met": v.people_met,
        "notes": v.notes,
        "issues": v.issues,
        "latitude": v.latitude,
        "longitude": v.longitude,
    }


lists.api_list(router, "/visits", VISITS, VisitOut, summary="入户走访记录", serialize=_visit_out)


@router.post("/visits", response={201: VisitOut, **WRITE_ERRORS}, summary="记录入户走访(照片请在页面上传)")
def create_visit(request: HttpRequest, payload: VisitIn):
    household = registry.household_or_404(request.user, payload.household_id)
    data = payload.model_dump(exclude={"household_id"})
    try:
        visit = services.visit_record(by=request.user, household=household, request=request, **data)
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, _visit_out(visit))


class OverdueOut(Schema):
    pairing_id: int
    household_id: int
    household_number: str
    head_name: str
    village_code: str
    cadre_name: str
    last_visit: datetime.date | None
    interval_days: int = Field(description="超过这么多天未走访即为超期")


def _overdue_out(p) -> dict:
    return {
        "pairing_id": p.id,
        "household_id": p.household_id,
        "household_number": p.household.number,
        "head_name": p.household.head_name,
        "village_code": p.household.village_id,
        "cadre_name": p.cadre.name,
        "last_visit": p.last_visit,
        "interval_days": selectors.visit_interval_days(),
    }


lists.api_list(
    router, "/visits/overdue", OVERDUE, OverdueOut, summary="超期未走访的结对农户", serialize=_overdue_out
)


class WorkLogIn(Schema):
    region_code: DivisionCode
    logged_on: Day
    content: Annotated[Text, StringConstraints(min_length=1)]


class WorkLogOut(Schema):
    id: int
    region_code: str
    logged_on: datetime.date
    content: str


@router.post("/worklogs", response={201: WorkLogOut, **WRITE_ERRORS}, summary="填写工作日志")
def create_worklog(request: HttpRequest, payload: WorkLogIn):
    region = _visible_region(request, payload.region_code)
    try:
        log = services.worklog_record(
            by=request.user,
            region=region,
            logged_on=payload.logged_on,
            content=payload.content,
            request=request,
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(
        201, {"id": log.id, "region_code": log.region_id, "logged_on": log.logged_on, "content": log.content}
    )


def _visible_region(request, code: str) -> Region:
    """A division the user's scope covers (anything else is 404, like a missing code)."""
    region = Region.objects.filter(code=code).first()
    if region is None or not scope_of(request.user).covers_code(code):
        raise Http404
    return region
