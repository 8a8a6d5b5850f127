"""Organisational life: 三会一课 and 主题党日 meetings, the calendar, the branches that missed them."""

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja import Status as Answer
from ninja.pagination import paginate
from pydantic import ConfigDict, StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, Text
from fupin.core import lists
from fupin.core.permissions import require
from fupin.core.validators import NO_CONTROL_LINE
from fupin.party import lists as party_lists
from fupin.party import selectors, services
from fupin.party.api.common import Topic, Year
from fupin.party.api.orgs import visible_org
from fupin.party.choices import MeetingKind
from fupin.party.models import Meeting, PartyMember, PartyOrg

router = Router()


class MeetingOut(Schema):
    id: int
    org_id: int
    org_name: str
    kind: str
    held_on: datetime.date
    topic: str
    attendee_ids: list[int]
    guests: list[str]
    attendee_count: int
    absent_count: int
    minutes: str
    photo_count: int
    version: int


def _meeting_out(m: Meeting) -> dict:
    return {
        "id": m.id,
        "org_id": m.org_id,
        "org_name": m.org.name,
        "kind": m.kind,
        "held_on": m.held_on,
        "topic": m.topic,
        "attendee_ids": sorted(a.pk for a in m.attendees.all()),
        "guests": list(m.guests or []),
        "attendee_count": m.attendee_count,
        "absent_count": m.absent_count,
        "minutes": m.minutes,
        "photo_count": m.photos.count(),
        "version": m.version,
    }


MeetingFilter = lists.filter_schema(party_lists.MEETINGS)


@router.get("/meetings", response=list[MeetingOut], summary="组织生活记录(三会一课、主题党日)")
@paginate(lists.CappedPagination, cap=party_lists.MEETINGS.count_cap, serialize=_meeting_out)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilter]):
    # The page's list as lists.api_list gives it, with each item's attendees and photos fetched
    # once per page rather than once per meeting.
    return lists.api_rows(request, party_lists.MEETINGS).prefetch_related("attendees", "photos")


GuestName = Annotated[str, StringConstraints(min_length=1, max_length=50, pattern=NO_CONTROL_LINE)]


class MeetingIn(Schema):
    """Attendance is the members present (ids of the organisation's members) and the guests by
    name; 实到/缺席 are derived from them, so a typed count is refused as an unknown field."""

    model_config = ConfigDict(extra="forbid")

    kind: MeetingKind
    held_on: datetime.date
    topic: Topic
    attendee_ids: list[DbId] = Field(default_factory=list, max_length=500)
    guests: list[GuestName] = Field(default_factory=list, max_length=200)
    minutes: Text = ""


@router.post("/orgs/{org_id}/meetings", response={201: MeetingOut, **WRITE_ERRORS}, summary="记录组织生活")
def add_meeting(request: HttpRequest, org_id: Path[DbId], payload: MeetingIn):
    org = visible_org(request, org_id)
    require(request, "party.add_meeting")
    data = payload.model_dump()
    # Only the organisation's roster is read. Any other id (a member of another organisation, one
    # out of scope, or no member at all) becomes the same unsaved stand-in, which the service refuses
    # like any non-member, with the payload's other errors: the answer never tells them apart.
    roster = {m.pk: m for m in services.meeting_roster(org)}
    attendees = [roster.get(pk) or PartyMember(pk=pk) for pk in data.pop("attendee_ids")]
    try:
        meeting = services.meeting_record(
            by=request.user, org=org, attendees=attendees, request=request, **data
        )
    except REFUSALS as exc:
        return service_error(exc, {"attendees": "attendee_ids"})
    return Answer(201, _meeting_out(meeting))


class PeriodOut(Schema):
    kind: str
    label: str
    start: datetime.date
    end: datetime.date
    state: Literal["done", "due", "missed", "upcoming"]
    meeting_ids: list[int]


@router.get(
    "/orgs/{org_id}/calendar", response=list[PeriodOut], summary="组织生活日历:各时段已开、待开、未开"
)
def org_calendar(request: HttpRequest, org_id: Path[DbId], year: Year | None = None):
    org = visible_org(request, org_id)
    calendar = selectors.meeting_calendar(org, year or timezone.localdate().year)
    return [
        {
            "kind": p.kind,
            "label": p.label,
            "start": p.start,
            "end": p.end,
            "state": p.state,
            "meeting_ids": [m.pk for m in p.meetings],
        }
        for periods in calendar.values()
        for p in periods
    ]


class PartyOverdueOut(Schema):
    """A branch that missed organisational life in the year: the periods missed, per kind and in
    all (each period: GET /orgs/{org_id}/calendar)."""

    org_id: int
    org_name: str
    region_code: str | None
    missed_members: int
    missed_committee: int
    missed_group: int
    missed_lesson: int
    missed_theme_day: int
    missed: int


def _overdue_out(org: PartyOrg) -> dict:
    kinds = {f"missed_{kind}": getattr(org, f"missed_{kind}") for kind in MeetingKind.values}
    return {
        "org_id": org.pk,
        "org_name": org.name,
        "region_code": org.region_id,
        "missed": org.missed,
        **kinds,
    }


lists.api_list(
    router,
    "/meetings/overdue",
    party_lists.OVERDUE,
    PartyOverdueOut,
    summary="缺会提醒:各党支部未按期召开会议的次数",
    serialize=_overdue_out,
)
