"""The party API, through the scoping choke point (out of scope is 404, like missing).

Writes go through party.services: a field error is a 422 with one entry per field, a stale
`version` or a refused workflow step is a 409 with the reasons, in Chinese.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, DivisionCode, Limit, Offset, SearchText, Text
from fupin.core.scoping import get_visible_or_404
from fupin.party import selectors, services
from fupin.party.choices import MeetingKind, OrgKind, OrgLevel, Post, Stage, WeakStatus
from fupin.party.models import Meeting, Pairing, PartyMember, PartyOrg, WeakCase

router = Router(tags=["party"])

Year = Annotated[int, Field(ge=2000, le=2100)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Count = Annotated[int, Field(ge=0, le=10000)]
Name = Annotated[SearchText, StringConstraints(min_length=1)]
Topic = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]*$")]
Month = Annotated[str, StringConstraints(pattern=r"^(20\d\d)-(0[1-9]|1[0-2])$")]
Money = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,10}(\.[0-9]{1,2})?$")]


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("没有权限。"))


# --- organisations ------------------------------------------------------------------------------


class OrgOut(Schema):
    id: int
    name: str
    level: str
    kind: str
    parent_id: int | None
    region_code: str | None
    unit_id: int | None
    unit_name: str
    founded_on: datetime.date | None
    approved_by: str
    version: int


class OrgPage(Schema):
    count: int
    items: list[OrgOut]


class OrgFilter(Schema):
    q: SearchText = ""
    kind: OrgKind | None = None
    level: OrgLevel | None = None
    division: DivisionCode | None = None
    limit: Limit = 50
    offset: Offset = 0


def _org_out(org: PartyOrg) -> dict:
    return {
        "id": org.id,
        "name": org.name,
        "level": org.level,
        "kind": org.kind,
        "parent_id": org.parent_id,
        "region_code": org.region_id,
        "unit_id": org.unit_id,
        "unit_name": str(org.unit.name) if org.unit else "",
        "founded_on": org.founded_on,
        "approved_by": org.approved_by,
        "version": org.version,
    }


def _org(request, org_id: int) -> PartyOrg:
    return get_visible_or_404(PartyOrg.objects.select_related("unit"), request.user, pk=org_id)


@router.get("/orgs", response=OrgPage, summary="党组织列表(按数据范围)")
def list_orgs(request: HttpRequest, filters: Query[OrgFilter]):
    _require(request, "party.view_partyorg")
    orgs = selectors.org_list(
        user=request.user,
        q=filters.q,
        kind=filters.kind or "",
        level=filters.level or "",
        division=filters.division,
    )
    page = orgs[filters.offset : filters.offset + filters.limit]
    return {"count": orgs.count(), "items": [_org_out(o) for o in page]}


@router.get("/orgs/{org_id}", response=OrgOut, summary="党组织详情")
def get_org(request: HttpRequest, org_id: Path[DbId]):
    return _org_out(_org(request, org_id))


# --- members ------------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    org_id: int
    name: str
    post: str
    stage: str
    status: str
    applied_on: datetime.date | None
    activist_on: datetime.date | None
    candidate_on: datetime.date | None
    joined_on: datetime.date | None
    full_on: datetime.date | None
    version: int


def _member_out(m: PartyMember) -> dict:
    return {
        name: getattr(m, name)
        for name in (
            "id",
            "org_id",
            "name",
            "post",
            "stage",
            "status",
            "applied_on",
            "activist_on",
            "candidate_on",
            "joined_on",
            "full_on",
            "version",
        )
    }


@router.get("/orgs/{org_id}/members", response=list[MemberOut], summary="党组织的党员和发展对象")
def list_members(request: HttpRequest, org_id: Path[DbId]):
    org = _org(request, org_id)
    return [_member_out(m) for m in org.members.order_by("id")]


class MemberIn(Schema):
    name: Name
    post: Post = Post.MEMBER
    stage: Stage = Stage.FULL
    applied_on: datetime.date | None = None
    activist_on: datetime.date | None = None
    candidate_on: datetime.date | None = None
    joined_on: datetime.date | None = None
    full_on: datetime.date | None = None


@router.post(
    "/orgs/{org_id}/members", response={201: MemberOut, **WRITE_ERRORS}, summary="登记党员或入党申请人"
)
def add_member(request: HttpRequest, org_id: Path[DbId], payload: MemberIn):
    org = _org(request, org_id)
    _require(request, "party.add_partymember")
    try:
        member = services.member_add(by=request.user, org=org, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, _member_out(member))


class MemberPatch(Schema):
    version: Version
    name: Name | None = None
    post: Post | None = None


@router.patch("/members/{member_id}", response={200: MemberOut, **WRITE_ERRORS}, summary="修改党员信息")
def patch_member(request: HttpRequest, member_id: Path[DbId], payload: MemberPatch):
    member = get_visible_or_404(PartyMember.objects.select_related("org"), request.user, pk=member_id)
    _require(request, "party.change_partymember")
    fields = payload.model_dump(exclude_none=True)
    version = fields.pop("version")
    try:
        member = services.member_update(
            by=request.user, member=member, version=version, request=request, **fields
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _member_out(member))


class MemberStepIn(Schema):
    action: Literal["advance", "transferred", "left", "deceased"]
    on: datetime.date
    version: Version
    reason: Text = ""


@router.post(
    "/members/{member_id}/transitions",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="发展党员流程:进入下一阶段;组织关系转出、出党、去世",
)
def member_transition(request: HttpRequest, member_id: Path[DbId], payload: MemberStepIn):
    member = get_visible_or_404(PartyMember.objects.select_related("org"), request.user, pk=member_id)
    _require(request, "party.change_partymember")
    common = {
        "by": request.user,
        "member": member,
        "on": payload.on,
        "version": payload.version,
        "reason": payload.reason,
        "request": request,
    }
    try:
        if payload.action == "advance":
            member = services.member_advance(**common)
        else:
            member = services.member_set_status(status=payload.action, **common)
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _member_out(member))


# --- organisational life ------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    org_id: int
    org_name: str
    kind: str
    held_on: datetime.date
    topic: str
    attendee_count: int
    absent_count: int
    minutes: str
    photo_count: int
    version: int


class MeetingPage(Schema):
    count: int
    items: list[MeetingOut]


class MeetingFilter(Schema):
    kind: MeetingKind | None = None
    year: Year | None = None
    division: DivisionCode | None = None
    limit: Limit = 50
    offset: Offset = 0


def _meeting_out(m: Meeting) -> dict:
    return {
        "id": m.id,
        "org_id": m.org_id,
        "org_name": m.org.name,
        "kind": m.kind,
        "held_on": m.held_on,
        "topic": m.topic,
        "attendee_count": m.attendee_count,
        "absent_count": m.absent_count,
        "minutes": m.minutes,
        "photo_count": m.photos.count(),
        "version": m.version,
    }


@router.get("/meetings", response=MeetingPage, summary="组织生活记录(三会一课、主题党日)")
def list_meetings(request: HttpRequest, filters: Query[MeetingFilter]):
    _require(request, "party.view_meeting")
    meetings = selectors.meeting_list(
        user=request.user, kind=filters.kind or "", year=filters.year, division=filters.division
    )
    page = meetings[filters.offset : filters.offset + filters.limit]
    return {"count": meetings.count(), "items": [_meeting_out(m) for m in page]}


class MeetingIn(Schema):
    kind: MeetingKind
    held_on: datetime.date
    topic: Topic
    attendee_ids: list[DbId] = Field(default_factory=list, max_length=500)
    attendee_count: Count = 0
    absent_count: Count = 0
    minutes: Text = ""


@router.post("/orgs/{org_id}/meetings", response={201: MeetingOut, **WRITE_ERRORS}, summary="记录组织生活")
def add_meeting(request: HttpRequest, org_id: Path[DbId], payload: MeetingIn):
    org = _org(request, org_id)
    _require(request, "party.add_meeting")
    data = payload.model_dump()
    ids = data.pop("attendee_ids")
    attendees = list(PartyMember.objects.filter(pk__in=ids).select_related("org"))
    if len(attendees) != len(set(ids)):
        return service_error(ValidationError({"attendee_ids": _("参会党员不存在")}))
    try:
        meeting = services.meeting_record(
            by=request.user, org=org, attendees=attendees, request=request, **data
        )
    except REFUSALS as exc:
        return service_error(exc)
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
    org = _org(request, org_id)
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


class MissedOut(Schema):
    org_id: int
    org_name: str
    region_code: str | None
    kind: str
    label: str
    end: datetime.date


@router.get("/meetings/overdue", response=list[MissedOut], summary="缺会提醒:各党支部未按期召开的会议")
def overdue(request: HttpRequest, year: Year | None = None, division: DivisionCode | None = None):
    _require(request, "party.view_meeting")
    rows = selectors.missed_meetings(
        user=request.user, year=year or timezone.localdate().year, division=division
    )
    return [
        {
            "org_id": o.pk,
            "org_name": o.name,
            "region_code": o.region_id,
            "kind": p.kind,
            "label": p.label,
            "end": p.end,
        }
        for o, p in rows
    ]


# --- pairings -----------------------------------------------------------------------------------


class ActivityOut(Schema):
    id: int
    kind: str
    held_on: datetime.date
    title: str
    description: str
    participants: int
    donated_items: str
    donated_value: Decimal | None


class PairingOut(Schema):
    id: int
    helper_id: int
    helper_name: str
    helper_unit: str
    village_branch_id: int
    village_branch_name: str
    village_code: str | None
    started_on: datetime.date
    ended_on: datetime.date | None
    note: str


class PairingDetailOut(PairingOut):
    activities: list[ActivityOut]


def _pairing_out(p: Pairing) -> dict:
    return {
        "id": p.id,
        "helper_id": p.helper_id,
        "helper_name": p.helper.name,
        "helper_unit": p.helper.unit.name if p.helper.unit else "",
        "village_branch_id": p.village_branch_id,
        "village_branch_name": p.village_branch.name,
        "village_code": p.village_branch.region_id,
        "started_on": p.started_on,
        "ended_on": p.ended_on,
        "note": p.note,
    }


def _activity_out(a) -> dict:
    return {
        name: getattr(a, name)
        for name in (
            "id",
            "kind",
            "held_on",
            "title",
            "description",
            "participants",
            "donated_items",
            "donated_value",
        )
    }


@router.get("/pairings", response=list[PairingOut], summary="支部结对共建")
def list_pairings(request: HttpRequest, q: SearchText = "", division: DivisionCode | None = None):
    _require(request, "party.view_pairing")
    return [_pairing_out(p) for p in selectors.pairing_list(user=request.user, q=q, division=division)[:500]]


def _pairing(request, pairing_id: int) -> Pairing:
    return get_visible_or_404(
        Pairing.objects.select_related("helper__unit", "village_branch"), request.user, pk=pairing_id
    )


@router.get("/pairings/{pairing_id}", response=PairingDetailOut, summary="结对详情与共建活动")
def get_pairing(request: HttpRequest, pairing_id: Path[DbId]):
    pairing = _pairing(request, pairing_id)
    activities = selectors.activity_list(user=request.user, pairing=pairing)
    return {**_pairing_out(pairing), "activities": [_activity_out(a) for a in activities]}


class ActivityIn(Schema):
    kind: Literal["visit", "lecture", "donation", "joint_event", "training"]
    held_on: datetime.date
    title: Topic
    description: Text = ""
    participants: Count = 0
    donated_items: Annotated[str, StringConstraints(max_length=300, pattern=r"^[^\x00-\x1f]*$")] = ""
    donated_value: Money | None = None


@router.post(
    "/pairings/{pairing_id}/activities", response={201: ActivityOut, **WRITE_ERRORS}, summary="记录共建活动"
)
def add_activity(request: HttpRequest, pairing_id: Path[DbId], payload: ActivityIn):
    pairing = _pairing(request, pairing_id)
    _require(request, "party.add_pairingactivity")
    data = payload.model_dump()
    if data["donated_value"] is not None:
        data["donated_value"] = Decimal(data["donated_value"])
    try:
        activity = services.activity_add(by=request.user, pairing=pairing, request=request, **data)
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, _activity_out(activity))


# --- standardisation, weak branches, reserves, cadre scores -------------------------------------


class ScoreOut(Schema):
    rank: int
    org_id: int
    org_name: str
    region_code: str | None
    year: int
    total: Decimal
    star: int
    satisfaction: Decimal | None


@router.get("/scores", response=list[ScoreOut], summary="标准化评分排名(可限定乡镇或县)")
def score_ranking(request: HttpRequest, year: Year, division: DivisionCode | None = None):
    _require(request, "party.view_branchscore")
    return [
        {
            "rank": s.rank,
            "org_id": s.org_id,
            "org_name": s.org.name,
            "region_code": s.org.region_id,
            "year": s.year,
            "total": s.total,
            "star": s.star,
            "satisfaction": s.satisfaction,
        }
        for s in selectors.score_ranking(user=request.user, year=year, division=division)
    ]


class WeakCaseOut(Schema):
    id: int
    org_id: int
    org_name: str
    year: int
    criteria: list[str]
    description: str
    plan: str
    owner: str
    deadline: datetime.date | None
    status: str
    version: int


def _case_out(c: WeakCase) -> dict:
    return {
        "id": c.id,
        "org_id": c.org_id,
        "org_name": c.org.name,
        "year": c.year,
        "criteria": list(c.criteria),
        "description": c.description,
        "plan": c.plan,
        "owner": c.owner,
        "deadline": c.deadline,
        "status": c.status,
        "version": c.version,
    }


@router.get("/weak-cases", response=list[WeakCaseOut], summary="软弱涣散党组织整顿")
def list_weak_cases(request: HttpRequest, status: WeakStatus | None = None, year: Year | None = None):
    _require(request, "party.view_weakcase")
    return [
        _case_out(c)
        for c in selectors.weak_case_list(user=request.user, status=status or "", year=year)[:500]
    ]


class WeakStepIn(Schema):
    action: Literal["plan", "close", "revoke"]
    version: Version
    reason: Text = ""
    plan: Text = ""
    owner: Annotated[str, StringConstraints(max_length=50, pattern=r"^[^\x00-\x1f]*$")] = ""
    deadline: datetime.date | None = None


@router.post(
    "/weak-cases/{case_id}/transitions",
    response={200: WeakCaseOut, **WRITE_ERRORS},
    summary="整顿流程:制定整改方案、销号、撤销",
)
def weak_transition(request: HttpRequest, case_id: Path[DbId], payload: WeakStepIn):
    case = get_visible_or_404(WeakCase.objects.select_related("org"), request.user, pk=case_id)
    _require(request, "party.manage_weakcase")
    try:
        case = services.weak_step(by=request.user, case=case, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _case_out(case))


class ReserveOut(Schema):
    id: int
    org_id: int
    org_name: str
    name: str
    sex: str
    age: int
    education: str
    is_party_member: bool
    current_work: str
    status: str
    assessments: list[dict]


@router.get("/reserves", response=list[ReserveOut], summary="后备干部库")
def list_reserves(request: HttpRequest, q: SearchText = "", division: DivisionCode | None = None):
    _require(request, "party.view_reservecadre")
    this_year = timezone.localdate().year
    return [
        {
            "id": c.id,
            "org_id": c.org_id,
            "org_name": c.org.name,
            "name": c.name,
            "sex": c.sex,
            "age": this_year - c.birth_year,
            "education": c.education,
            "is_party_member": c.is_party_member,
            "current_work": c.current_work,
            "status": c.status,
            "assessments": [{"year": a.year, "result": a.result} for a in c.assessments.all()],
        }
        for c in selectors.reserve_list(user=request.user, q=q, division=division)[:500]
    ]


class CadreScoreOut(Schema):
    rank: int
    cadre_id: int
    name: str
    post: str
    org_name: str
    month: str
    total: Decimal
    points: dict[str, str]


@router.get("/cadre-scores", response=list[CadreScoreOut], summary="村干部绩效月考评排名")
def cadre_scores(request: HttpRequest, month: Month, division: DivisionCode | None = None):
    _require(request, "party.view_cadremonthscore")
    first = datetime.date(int(month[:4]), int(month[5:]), 1)
    return [
        {
            "rank": s.rank,
            "cadre_id": s.cadre_id,
            "name": s.cadre.name,
            "post": s.cadre.post,
            "org_name": s.cadre.org.name,
            "month": month,
            "total": s.total,
            "points": s.points,
        }
        for s in selectors.cadre_ranking(user=request.user, month=first, division=division)
    ]
