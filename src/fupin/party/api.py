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
from pydantic import ConfigDict, StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, DivisionCode, Limit, Offset, SearchText, Text
from fupin.core.errors import TransitionRefused
from fupin.core.scoping import get_visible_or_404
from fupin.party import selectors, services
from fupin.party.choices import (
    AssessmentResult,
    Education,
    MeetingKind,
    OrgKind,
    OrgLevel,
    Post,
    ReserveStatus,
    Stage,
    WeakStatus,
)
from fupin.party.models import (
    BranchScore,
    CadreMonthScore,
    Checklist,
    IndicatorSet,
    Meeting,
    Pairing,
    PartyMember,
    PartyOrg,
    ReserveAssessment,
    ReserveCadre,
    VillageCadre,
    WeakCase,
)

router = Router(tags=["party"])

Year = Annotated[int, Field(ge=2000, le=2100)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Count = Annotated[int, Field(ge=0, le=10000)]
Name = Annotated[SearchText, StringConstraints(min_length=1)]
Topic = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]*$")]
Month = Annotated[str, StringConstraints(pattern=r"^(20\d\d)-(0[1-9]|1[0-2])$")]
Money = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,10}(\.[0-9]{1,2})?$")]
Line100 = Annotated[str, StringConstraints(max_length=100, pattern=r"^[^\x00-\x1f]*$")]
OrgName = Annotated[Line100, StringConstraints(min_length=1)]
CadrePost = Annotated[str, StringConstraints(min_length=1, max_length=50, pattern=r"^[^\x00-\x1f]*$")]
BirthYear = Annotated[int, Field(ge=1900, le=2100)]
# Points keyed by the id of a checklist item or an indicator, as a decimal string (at most 2 places).
Points = Annotated[
    dict[Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,17}$")], Money], Field(max_length=200)
]


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


class OrgChildIn(Schema):
    name: OrgName
    level: OrgLevel
    kind: OrgKind
    # Where the new organisation sits; both omitted: the parent's division and unit.
    region_code: DivisionCode | None = None
    unit_id: DbId | None = None
    founded_on: datetime.date | None = None
    approved_by: Line100 = ""
    note: Text = ""


# The services name the organisation's links by model field; the API by id.
ORG_ALIASES = {"region": "region_code", "unit": "unit_id", "parent": "parent_id"}


def _place(request, region_code: str | None, unit_id: int | None, parent: PartyOrg) -> dict:
    from fupin.orgs.models import Unit
    from fupin.regions.models import Region

    if region_code is None and unit_id is None:
        return {"region_id": parent.region_id, "unit_id": parent.unit_id}
    errors: dict = {}
    if region_code is not None and not Region.objects.filter(pk=region_code).exists():
        errors["region_code"] = _("区划代码不存在")
    if unit_id is not None and not Unit.objects.visible_to(request.user).filter(pk=unit_id).exists():
        errors["unit_id"] = _("所属单位不存在或不在您的数据范围内")
    if errors:
        raise ValidationError(errors)
    return {"region_id": region_code, "unit_id": unit_id}


@router.post("/orgs/{org_id}/children", response={201: OrgOut, **WRITE_ERRORS}, summary="新增下级党组织")
def add_child_org(request: HttpRequest, org_id: Path[DbId], payload: OrgChildIn):
    parent = _org(request, org_id)
    _require(request, "party.add_partyorg")
    data = payload.model_dump()
    try:
        place = _place(request, data.pop("region_code"), data.pop("unit_id"), parent)
        org = services.org_create(by=request.user, request=request, parent=parent, **data, **place)
    except REFUSALS as exc:
        return service_error(exc, ORG_ALIASES)
    return Answer(201, _org_out(org))


class OrgPatch(Schema):
    version: Version
    name: OrgName | None = None
    level: OrgLevel | None = None
    kind: OrgKind | None = None
    parent_id: DbId | None = None
    founded_on: datetime.date | None = None
    approved_by: Line100 | None = None
    note: Text | None = None


@router.patch("/orgs/{org_id}", response={200: OrgOut, **WRITE_ERRORS}, summary="修改党组织信息")
def patch_org(request: HttpRequest, org_id: Path[DbId], payload: OrgPatch):
    org = _org(request, org_id)
    _require(request, "party.change_partyorg")
    fields = payload.model_dump(exclude_none=True)
    version = fields.pop("version")
    try:
        if "parent_id" in fields:
            parent = PartyOrg.objects.visible_to(request.user).filter(pk=fields.pop("parent_id")).first()
            if parent is None:
                raise ValidationError({"parent_id": _("上级组织不存在")})
            fields["parent"] = parent
        org = services.org_update(by=request.user, org=org, version=version, request=request, **fields)
    except REFUSALS as exc:
        return service_error(exc, ORG_ALIASES)
    return Answer(200, _org_out(org))


# --- members ------------------------------------------------------------------------------------


class PartyMemberOut(Schema):
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


@router.get("/orgs/{org_id}/members", response=list[PartyMemberOut], summary="党组织的党员和发展对象")
def list_members(request: HttpRequest, org_id: Path[DbId]):
    org = _org(request, org_id)
    return [_member_out(m) for m in org.members.order_by("id")]


class PartyMemberIn(Schema):
    name: Name
    post: Post = Post.MEMBER
    stage: Stage = Stage.FULL
    applied_on: datetime.date | None = None
    activist_on: datetime.date | None = None
    candidate_on: datetime.date | None = None
    joined_on: datetime.date | None = None
    full_on: datetime.date | None = None


@router.post(
    "/orgs/{org_id}/members", response={201: PartyMemberOut, **WRITE_ERRORS}, summary="登记党员或入党申请人"
)
def add_member(request: HttpRequest, org_id: Path[DbId], payload: PartyMemberIn):
    org = _org(request, org_id)
    _require(request, "party.add_partymember")
    try:
        member = services.member_add(by=request.user, org=org, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, _member_out(member))


class PartyMemberPatch(Schema):
    version: Version
    name: Name | None = None
    post: Post | None = None


@router.patch("/members/{member_id}", response={200: PartyMemberOut, **WRITE_ERRORS}, summary="修改党员信息")
def patch_member(request: HttpRequest, member_id: Path[DbId], payload: PartyMemberPatch):
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
    response={200: PartyMemberOut, **WRITE_ERRORS},
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
    attendee_ids: list[int]
    guests: list[str]
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
        "attendee_ids": sorted(a.pk for a in m.attendees.all()),
        "guests": list(m.guests or []),
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
    page = meetings.prefetch_related("attendees")[filters.offset : filters.offset + filters.limit]
    return {"count": meetings.count(), "items": [_meeting_out(m) for m in page]}


GuestName = Annotated[str, StringConstraints(min_length=1, max_length=50, pattern=r"^[^\x00-\x1f]*$")]


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
    org = _org(request, org_id)
    _require(request, "party.add_meeting")
    data = payload.model_dump()
    ids = data.pop("attendee_ids")
    attendees = list(PartyMember.objects.filter(pk__in=ids).select_related("org"))
    if len(attendees) != len(set(ids)):
        # The same answer as for a member of another organisation: an id reveals nothing.
        return service_error(ValidationError({"attendee_ids": _("参会党员须是本组织在册的党员")}))
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


class PartyPairingOut(Schema):
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
    version: int


class PairingDetailOut(PartyPairingOut):
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
        "version": p.version,
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


@router.get("/pairings", response=list[PartyPairingOut], summary="支部结对共建")
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


class PartyPairingIn(Schema):
    # The other side: a village branch when the organisation in the path assists, else the helper.
    partner_id: DbId
    started_on: datetime.date
    ended_on: datetime.date | None = None
    note: Text = ""


@router.post(
    "/orgs/{org_id}/pairings",
    response={201: PartyPairingOut, **WRITE_ERRORS},
    summary="新增支部结对(本组织与另一方结对)",
)
def add_pairing(request: HttpRequest, org_id: Path[DbId], payload: PartyPairingIn):
    org = _org(request, org_id)
    _require(request, "party.add_pairing")
    data = payload.model_dump()
    partner = PartyOrg.objects.visible_to(request.user).filter(pk=data.pop("partner_id")).first()
    village_side = org.kind == OrgKind.VILLAGE
    try:
        if partner is None:
            raise ValidationError({"partner_id": _("结对组织不存在")})
        helper, village_branch = (partner, org) if village_side else (org, partner)
        pairing = services.pairing_create(
            by=request.user, helper=helper, village_branch=village_branch, request=request, **data
        )
    except REFUSALS as exc:
        return service_error(exc, {"helper" if village_side else "village_branch": "partner_id"})
    return Answer(201, _pairing_out(pairing))


class PairingPatch(Schema):
    version: Version
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    note: Text | None = None


@router.patch(
    "/pairings/{pairing_id}",
    response={200: PartyPairingOut, **WRITE_ERRORS},
    summary="修改支部结对(含结束结对)",
)
def patch_pairing(request: HttpRequest, pairing_id: Path[DbId], payload: PairingPatch):
    pairing = _pairing(request, pairing_id)
    _require(request, "party.change_pairing")
    fields = payload.model_dump(exclude_none=True)
    version = fields.pop("version")
    try:
        pairing = services.pairing_update(
            by=request.user, pairing=pairing, version=version, request=request, **fields
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _pairing_out(pairing))


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


class BranchScoreOut(Schema):
    id: int
    org_id: int
    org_name: str
    year: int
    total: Decimal
    star: int
    satisfaction: Decimal | None
    points: dict[str, str]
    version: int


class ScoreIn(Schema):
    year: Year
    points: Points = Field(default_factory=dict)
    satisfaction: Money | None = None
    # The version read, when re-recording a year already scored (optimistic lock).
    version: Version | None = None


def _branch_score_out(score: BranchScore) -> dict:
    return {
        "id": score.id,
        "org_id": score.org_id,
        "org_name": score.org.name,
        "year": score.year,
        "total": score.total,
        "star": score.star,
        "satisfaction": score.satisfaction,
        "points": {str(i.item_id): str(i.points) for i in score.items.order_by("item_id")},
        "version": score.version,
    }


@router.post(
    "/orgs/{org_id}/scores",
    response={200: BranchScoreOut, 201: BranchScoreOut, **WRITE_ERRORS},
    summary="记录党组织年度标准化评分(已评则重新评分)",
)
def record_score(request: HttpRequest, org_id: Path[DbId], payload: ScoreIn):
    org = _org(request, org_id)
    _require(request, "party.add_branchscore")
    checklist = Checklist.objects.filter(active=True).order_by("pk").first()
    existed = BranchScore.objects.filter(org=org, year=payload.year).exists()
    try:
        if checklist is None:
            raise TransitionRefused([_("尚未设置标准化考评表")])
        score = services.score_record(
            by=request.user,
            org=org,
            checklist=checklist,
            year=payload.year,
            points=dict(payload.points),
            satisfaction=payload.satisfaction,
            version=payload.version,
            request=request,
        )
    except REFUSALS as exc:
        items = checklist.categories.values_list("items__id", flat=True) if checklist else []
        return service_error(exc, {f"item_{pk}": f"points.{pk}" for pk in items})
    return Answer(200 if existed else 201, _branch_score_out(score))


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


class AssessmentOut(Schema):
    id: int
    cadre_id: int
    year: int
    result: str
    note: str


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
    added_on: datetime.date
    status: str
    assessments: list[dict]
    version: int


def _reserve_out(c: ReserveCadre) -> dict:
    return {
        "id": c.id,
        "org_id": c.org_id,
        "org_name": c.org.name,
        "name": c.name,
        "sex": c.sex,
        "age": timezone.localdate().year - c.birth_year,
        "education": c.education,
        "is_party_member": c.is_party_member,
        "current_work": c.current_work,
        "added_on": c.added_on,
        "status": c.status,
        "assessments": [{"year": a.year, "result": a.result} for a in c.assessments.all()],
        "version": c.version,
    }


def _assessment_out(a: ReserveAssessment) -> dict:
    return {"id": a.id, "cadre_id": a.cadre_id, "year": a.year, "result": a.result, "note": a.note}


@router.get("/reserves", response=list[ReserveOut], summary="后备干部库")
def list_reserves(request: HttpRequest, q: SearchText = "", division: DivisionCode | None = None):
    _require(request, "party.view_reservecadre")
    return [_reserve_out(c) for c in selectors.reserve_list(user=request.user, q=q, division=division)[:500]]


class ReserveIn(Schema):
    name: Name
    sex: Literal["M", "F"]
    birth_year: BirthYear
    education: Education
    is_party_member: bool = False
    current_work: Line100 = ""
    added_on: datetime.date


@router.post(
    "/orgs/{org_id}/reserves", response={201: ReserveOut, **WRITE_ERRORS}, summary="村党组织新增后备干部"
)
def add_reserve(request: HttpRequest, org_id: Path[DbId], payload: ReserveIn):
    org = _org(request, org_id)
    _require(request, "party.add_reservecadre")
    try:
        cadre = services.reserve_add(by=request.user, org=org, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, _reserve_out(cadre))


class ReservePatch(Schema):
    version: Version
    name: Name | None = None
    sex: Literal["M", "F"] | None = None
    birth_year: BirthYear | None = None
    education: Education | None = None
    is_party_member: bool | None = None
    current_work: Line100 | None = None
    status: ReserveStatus | None = None


def _reserve(request, reserve_id: int) -> ReserveCadre:
    return get_visible_or_404(ReserveCadre.objects.select_related("org"), request.user, pk=reserve_id)


@router.patch(
    "/reserves/{reserve_id}", response={200: ReserveOut, **WRITE_ERRORS}, summary="修改后备干部信息和状态"
)
def patch_reserve(request: HttpRequest, reserve_id: Path[DbId], payload: ReservePatch):
    cadre = _reserve(request, reserve_id)
    _require(request, "party.change_reservecadre")
    fields = payload.model_dump(exclude_none=True)
    version = fields.pop("version")
    try:
        cadre = services.reserve_update(
            by=request.user, cadre=cadre, version=version, request=request, **fields
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _reserve_out(cadre))


class AssessmentIn(Schema):
    year: Year
    result: AssessmentResult
    note: Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00-\x1f]*$")] = ""


@router.post(
    "/reserves/{reserve_id}/assessments",
    response={200: AssessmentOut, 201: AssessmentOut, **WRITE_ERRORS},
    summary="记录后备干部年度考核(已有该年度则更新)",
)
def assess_reserve(request: HttpRequest, reserve_id: Path[DbId], payload: AssessmentIn):
    cadre = _reserve(request, reserve_id)
    _require(request, "party.change_reservecadre")
    existed = cadre.assessments.filter(year=payload.year).exists()
    try:
        assessment = services.reserve_assess(
            by=request.user, cadre=cadre, request=request, **payload.model_dump()
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200 if existed else 201, _assessment_out(assessment))


class VillageCadreOut(Schema):
    id: int
    org_id: int
    org_name: str
    name: str
    post: str
    active: bool


class VillageCadreIn(Schema):
    name: Name
    post: CadrePost


@router.post(
    "/orgs/{org_id}/cadres", response={201: VillageCadreOut, **WRITE_ERRORS}, summary="村党组织新增村干部"
)
def add_cadre(request: HttpRequest, org_id: Path[DbId], payload: VillageCadreIn):
    org = _org(request, org_id)
    _require(request, "party.add_villagecadre")
    try:
        cadre = services.cadre_add(by=request.user, org=org, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(
        201,
        {
            "id": cadre.id,
            "org_id": cadre.org_id,
            "org_name": org.name,
            "name": cadre.name,
            "post": cadre.post,
            "active": cadre.active,
        },
    )


class CadreMonthOut(Schema):
    id: int
    cadre_id: int
    name: str
    month: str
    total: Decimal
    points: dict[str, str]
    version: int


class CadreMonthIn(Schema):
    month: Month
    points: Points = Field(default_factory=dict)
    # The version read, when re-scoring a month already scored (optimistic lock).
    version: Version | None = None


@router.post(
    "/cadres/{cadre_id}/scores",
    response={200: CadreMonthOut, 201: CadreMonthOut, **WRITE_ERRORS},
    summary="记录村干部月度绩效考评(已评则重新评分)",
)
def score_cadre(request: HttpRequest, cadre_id: Path[DbId], payload: CadreMonthIn):
    cadre = get_visible_or_404(VillageCadre.objects.select_related("org"), request.user, pk=cadre_id)
    _require(request, "party.add_cadremonthscore")
    indicator_set = IndicatorSet.objects.filter(active=True).order_by("pk").first()
    first = datetime.date(int(payload.month[:4]), int(payload.month[5:]), 1)
    existed = CadreMonthScore.objects.filter(cadre=cadre, month=first).exists()
    try:
        if indicator_set is None:
            raise TransitionRefused([_("尚未设置绩效考评指标体系")])
        score = services.cadre_score(
            by=request.user,
            cadre=cadre,
            indicator_set=indicator_set,
            month=first,
            points=dict(payload.points),
            version=payload.version,
            request=request,
        )
    except REFUSALS as exc:
        ids = indicator_set.indicators.values_list("id", flat=True) if indicator_set else []
        return service_error(exc, {f"ind_{pk}": f"points.{pk}" for pk in ids})
    return Answer(
        200 if existed else 201,
        {
            "id": score.id,
            "cadre_id": cadre.id,
            "name": cadre.name,
            "month": payload.month,
            "total": score.total,
            "points": score.points,
            "version": score.version,
        },
    )


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
