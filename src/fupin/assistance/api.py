"""The assistance API, through the scoping choke point.

Reads go through assistance.selectors (out of scope is 404, like missing); writes through
assistance.services: a field error is a 422 with one entry per field, a stale `version` or a
refused workflow step a 409 with the reasons, in Chinese.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, DivisionCode, Limit, Offset, SearchText, Text
from fupin.assistance import selectors, services
from fupin.assistance.choices import (
    MeasureStatus,
    MeasureType,
    PostKind,
    TeamStatus,
    TrainingForm,
    TrainingKind,
    UnitLevel,
)
from fupin.assistance.models import Cadre, Measure, TrainingClass, WorkTeam
from fupin.core.scoping import get_visible_or_404
from fupin.registry.models import Household

router = Router(tags=["assistance"])

Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Year = Annotated[int, Field(ge=2000, le=2100)]
Line = Annotated[SearchText, StringConstraints(max_length=200)]
Reason = Annotated[Text, StringConstraints(max_length=500)]
Coordinate = Annotated[Decimal, Field(ge=-180, le=180, max_digits=9, decimal_places=6)]
# A date, bounded so a typo (year 20190) is a 422 rather than an overflow further down.
Day = Annotated[datetime.date, Field(ge=datetime.date(2000, 1, 1), le=datetime.date(2100, 12, 31))]


class Paging(Schema):
    limit: Limit = 50
    offset: Offset = 0


def _page(queryset, paging, out) -> dict:
    return {
        "count": queryset.count(),
        "items": [out(r) for r in queryset[paging.offset : paging.offset + paging.limit]],
    }


# --- pairings and cadres ------------------------------------------------------------------------


class CadreOut(Schema):
    id: int
    name: str
    unit: str
    level: str
    title: str
    region_code: str
    account: str
    version: int


class CadrePage(Schema):
    count: int
    items: list[CadreOut]


class CadreFilter(Paging):
    q: SearchText = ""
    division: DivisionCode | None = None


def _cadre_out(c: Cadre) -> dict:
    return {
        "id": c.id,
        "name": c.name,
        "unit": str(c.unit or ""),
        "level": c.level,
        "title": c.title,
        "region_code": c.region_id,
        "account": c.user.username if c.user_id else "",
        "version": c.version,
    }


def _changes(payload) -> dict:
    """The fields the client sent (a PATCH changes those only); `version` apart."""
    sent = payload.dict(exclude_unset=True)
    sent.pop("version", None)
    return sent


def _unit_or_422(request, unit_id, field: str):
    """A unit the user may see; anything else is a field error (like an invalid choice in a form)."""
    from django.core.exceptions import ValidationError

    from fupin.orgs.models import Unit

    unit = Unit.objects.visible_to(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError({field: _("所选单位不存在或不在您的数据范围内")})
    return unit


def _region_or_422(request, code: str, field: str):
    from django.core.exceptions import ValidationError

    from fupin.core.scoping import scope_of
    from fupin.regions.models import Region

    region = Region.objects.filter(code=code).first()
    if region is None or not scope_of(request.user).covers_code(code):
        raise ValidationError({field: _("所选区划不存在或不在您的数据范围内")})
    return region


def _account_or_422(username: str):
    from django.core.exceptions import ValidationError

    from fupin.accounts.models import User

    if not username:
        return None
    account = User.objects.filter(username=username, is_active=True).first()
    if account is None:
        raise ValidationError({"account": _("没有这个登录账号")})
    return account


@router.get("/cadres", response=CadrePage, summary="帮扶干部列表")
def list_cadres(request: HttpRequest, filters: Query[CadreFilter]):
    cadres = selectors.cadre_list(user=request.user, q=filters.q, division=filters.division or "")
    return _page(cadres, filters, _cadre_out)


class CadrePatch(Schema):
    """Only the fields sent change; unit_id null clears the unit, account "" unlinks the login."""

    version: Version
    name: Annotated[Text, StringConstraints(min_length=1, max_length=50)] | None = None
    level: UnitLevel | None = None
    unit_id: DbId | None = None
    title: Annotated[Text, StringConstraints(max_length=50)] | None = None
    region_code: DivisionCode | None = None
    account: Annotated[Text, StringConstraints(max_length=150)] | None = None


@router.patch("/cadres/{cadre_id}", response={200: CadreOut, **WRITE_ERRORS}, summary="修改帮扶干部")
def update_cadre(request: HttpRequest, cadre_id: Path[DbId], payload: CadrePatch):
    cadre = get_visible_or_404(Cadre.objects.select_related("unit", "user"), request.user, pk=cadre_id)
    sent = _changes(payload)
    try:
        values = {
            "name": cadre.name,
            "level": cadre.level,
            "unit": cadre.unit,
            "title": cadre.title,
            "region": cadre.region_id,
            "user": cadre.user,
        }
        for key in ("name", "level", "title"):
            if sent.get(key) is not None:
                values[key] = sent[key]
        if "unit_id" in sent:
            unit_id = sent["unit_id"]
            values["unit"] = _unit_or_422(request, unit_id, "unit") if unit_id else None
        if sent.get("region_code"):
            values["region"] = _region_or_422(request, sent["region_code"], "region")
        if sent.get("account") is not None:
            values["user"] = _account_or_422(sent["account"].strip())
        cadre = services.cadre_update(
            by=request.user, cadre=cadre, version=payload.version, request=request, **values
        )
    except REFUSALS as exc:
        return service_error(exc, {"unit": "unit_id", "region": "region_code"})
    return Answer(200, _cadre_out(Cadre.objects.select_related("unit", "user").get(pk=cadre.pk)))


class AssistancePairingOut(Schema):
    id: int
    cadre_id: int
    cadre_name: str
    unit: str
    level: str
    household_id: int
    household_number: str
    head_name: str
    village_code: str
    start: datetime.date
    end: datetime.date | None
    version: int


class PairingPage(Schema):
    count: int
    items: list[AssistancePairingOut]


class PairingFilter(Paging):
    q: SearchText = ""
    division: DivisionCode | None = None
    active: bool | None = None
    mine: bool = False


class AssistancePairingIn(Schema):
    cadre_id: DbId
    household_id: DbId
    start: Day


def _pairing_out(p) -> dict:
    return {
        "id": p.id,
        "cadre_id": p.cadre_id,
        "cadre_name": p.cadre.name,
        "unit": str(p.cadre.unit or ""),
        "level": p.cadre.level,
        "household_id": p.household_id,
        "household_number": p.household.number,
        "head_name": p.household.head_name,
        "village_code": p.household.village_id,
        "start": p.start,
        "end": p.end,
        "version": p.version,
    }


@router.get("/pairings", response=PairingPage, summary="结对帮扶列表(帮扶责任人与农户)")
def list_pairings(request: HttpRequest, filters: Query[PairingFilter]):
    pairings = selectors.pairing_list(
        user=request.user,
        q=filters.q,
        division=filters.division or "",
        active=filters.active,
        mine=filters.mine,
    )
    return _page(pairings, filters, _pairing_out)


@router.post("/pairings", response={201: AssistancePairingOut, **WRITE_ERRORS}, summary="新增结对")
def create_pairing(request: HttpRequest, payload: AssistancePairingIn):
    cadre = get_visible_or_404(Cadre.objects.select_related("unit"), request.user, pk=payload.cadre_id)
    household = get_visible_or_404(Household.objects.all(), request.user, pk=payload.household_id)
    try:
        pairing = services.pairing_create(
            by=request.user, cadre=cadre, household=household, start=payload.start, request=request
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, _pairing_out(pairing))


# --- visits and work logs -----------------------------------------------------------------------


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


class VisitPage(Schema):
    count: int
    items: list[VisitOut]


class VisitFilter(Paging):
    division: DivisionCode | None = None
    household_id: DbId | None = None
    mine: bool = False


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


@router.get("/visits", response=VisitPage, summary="入户走访记录")
def list_visits(request: HttpRequest, filters: Query[VisitFilter]):
    visits = selectors.visit_list(
        user=request.user,
        division=filters.division or "",
        mine=filters.mine,
        household_id=filters.household_id,
    )
    return _page(visits, filters, _visit_out)


@router.post("/visits", response={201: VisitOut, **WRITE_ERRORS}, summary="记录入户走访(照片请在页面上传)")
def create_visit(request: HttpRequest, payload: VisitIn):
    household = get_visible_or_404(Household.objects.all(), request.user, pk=payload.household_id)
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


class OverduePage(Schema):
    count: int
    interval_days: int
    items: list[OverdueOut]


class OverdueFilter(Paging):
    mine: bool = False


@router.get("/visits/overdue", response=OverduePage, summary="超期未走访的结对农户")
def list_overdue(request: HttpRequest, filters: Query[OverdueFilter]):
    pairings = selectors.overdue_pairings(user=request.user, mine=filters.mine)
    page = _page(
        pairings,
        filters,
        lambda p: {
            "pairing_id": p.id,
            "household_id": p.household_id,
            "household_number": p.household.number,
            "head_name": p.household.head_name,
            "village_code": p.household.village_id,
            "cadre_name": p.cadre.name,
            "last_visit": p.last_visit,
        },
    )
    return {**page, "interval_days": selectors.visit_interval_days()}


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
    from fupin.regions.models import Region

    region = get_visible_region(request, payload.region_code, Region)
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


def get_visible_region(request, code: str, region_model):
    """A division the user's scope covers (anything else is 404, like a missing code)."""
    from django.http import Http404

    from fupin.core.scoping import scope_of

    region = region_model.objects.filter(code=code).first()
    if region is None or not scope_of(request.user).covers_code(code):
        raise Http404
    return region


# --- dispatched cadres --------------------------------------------------------------------------


class PostingOut(Schema):
    id: int
    cadre_name: str
    unit: str
    kind: PostKind
    region_code: str
    team_id: int | None
    post_title: str
    start: datetime.date
    end: datetime.date | None


class PostingPage(Schema):
    count: int
    items: list[PostingOut]


class PostingFilter(Paging):
    division: DivisionCode | None = None
    kind: PostKind | None = None
    active: bool | None = None


@router.get("/postings", response=PostingPage, summary="选派干部(第一书记、工作队员、挂职干部)")
def list_postings(request: HttpRequest, filters: Query[PostingFilter]):
    postings = selectors.posting_list(
        user=request.user, division=filters.division or "", kind=filters.kind or "", active=filters.active
    )
    return _page(
        postings,
        filters,
        lambda p: {
            "id": p.id,
            "cadre_name": p.cadre.name,
            "unit": str(p.cadre.unit or ""),
            "kind": p.kind,
            "region_code": p.region_id,
            "team_id": p.team_id,
            "post_title": p.post_title,
            "start": p.start,
            "end": p.end,
        },
    )


class TeamOut(Schema):
    id: int
    name: str
    unit: str
    village_code: str
    status: TeamStatus
    members: int
    below_minimum: bool
    start: datetime.date
    end: datetime.date | None
    version: int


class TeamPage(Schema):
    count: int
    items: list[TeamOut]


class TeamFilter(Paging):
    division: DivisionCode | None = None
    status: TeamStatus | None = None


def _team_out(t) -> dict:
    members = getattr(t, "members", None)
    if members is None:
        members = services.team_size(t)
    return {
        "id": t.id,
        "name": t.name,
        "unit": str(t.unit),
        "village_code": t.village_id,
        "status": t.status,
        "members": members,
        "below_minimum": members < WorkTeam.MIN_MEMBERS and t.status != TeamStatus.ENDED,
        "start": t.start,
        "end": t.end,
        "version": t.version,
    }


@router.get("/teams", response=TeamPage, summary="驻村工作队(不足3人的标记 below_minimum)")
def list_teams(request: HttpRequest, filters: Query[TeamFilter]):
    teams = selectors.team_list(
        user=request.user, division=filters.division or "", status=filters.status or ""
    )
    return _page(teams, filters, _team_out)


class TeamStep(Schema):
    to: TeamStatus
    version: Version
    reason: Reason = ""


@router.post(
    "/teams/{team_id}/transitions", response={200: TeamOut, **WRITE_ERRORS}, summary="变更工作队状态"
)
def transition_team(request: HttpRequest, team_id: Path[DbId], payload: TeamStep):
    team = get_visible_or_404(WorkTeam.objects.select_related("unit"), request.user, pk=team_id)
    try:
        team = services.team_transition(
            by=request.user,
            team=team,
            to=payload.to,
            version=payload.version,
            reason=payload.reason,
            request=request,
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _team_out(team))


class TeamPatch(Schema):
    """Only the fields sent change; the status moves through /transitions."""

    version: Version
    name: Annotated[Text, StringConstraints(min_length=1, max_length=100)] | None = None
    unit_id: DbId | None = None
    village_code: DivisionCode | None = None
    start: Day | None = None


@router.patch("/teams/{team_id}", response={200: TeamOut, **WRITE_ERRORS}, summary="修改驻村工作队")
def update_team(request: HttpRequest, team_id: Path[DbId], payload: TeamPatch):
    team = get_visible_or_404(WorkTeam.objects.select_related("unit"), request.user, pk=team_id)
    sent = _changes(payload)
    try:
        values = {"name": sent.get("name") or team.name, "unit": team.unit, "village": team.village_id}
        values["start"] = sent.get("start") or team.start
        if sent.get("unit_id"):
            values["unit"] = _unit_or_422(request, sent["unit_id"], "unit")
        if sent.get("village_code"):
            values["village"] = _region_or_422(request, sent["village_code"], "village")
        team = services.team_update(
            by=request.user, team=team, version=payload.version, request=request, **values
        )
    except REFUSALS as exc:
        return service_error(exc, {"unit": "unit_id", "village": "village_code"})
    return Answer(200, _team_out(WorkTeam.objects.select_related("unit").get(pk=team.pk)))


class CoverageVillage(Schema):
    code: str
    name: str
    poor_households: int
    first_secretaries: list[str]
    covered: bool


class CoverageGroupOut(Schema):
    code: str
    name: str
    villages: int
    covered: int


class CoverageOut(Schema):
    villages: int
    covered: int
    counties: list[CoverageGroupOut]
    townships: list[CoverageGroupOut]
    rows: list[CoverageVillage]


class CoverageFilter(Schema):
    division: DivisionCode | None = None
    uncovered_only: bool = False


def _group(g) -> dict:
    return {"code": g.code, "name": g.name, "villages": g.villages, "covered": g.covered}


@router.get("/coverage", response=CoverageOut, summary="贫困村第一书记覆盖情况(按乡镇、县)")
def coverage(request: HttpRequest, filters: Query[CoverageFilter]):
    report = selectors.first_secretary_coverage(
        user=request.user, division=filters.division or "", uncovered_only=filters.uncovered_only
    )
    return {
        "villages": report.villages,
        "covered": report.covered,
        "counties": [_group(g) for g in report.counties],
        "townships": [_group(g) for g in report.townships],
        "rows": [
            {
                "code": r.code,
                "name": r.name,
                "poor_households": r.poor_households,
                "first_secretaries": r.secretaries,
                "covered": r.covered,
            }
            for r in report.rows
        ],
    }


# --- 一户一策 -------------------------------------------------------------------------------------


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


class MeasurePage(Schema):
    count: int
    items: list[MeasureOut]


class MeasureFilter(Paging):
    division: DivisionCode | None = None
    type: MeasureType | None = None
    status: MeasureStatus | None = None
    household_id: DbId | None = None


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


@router.get("/measures", response=MeasurePage, summary="一户一策帮扶措施")
def list_measures(request: HttpRequest, filters: Query[MeasureFilter]):
    measures = selectors.measure_list(
        user=request.user,
        division=filters.division or "",
        type=filters.type or "",
        status=filters.status or "",
        household_id=filters.household_id,
    )
    return _page(measures, filters, _measure_out)


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


# --- training -----------------------------------------------------------------------------------


class TrainingOut(Schema):
    id: int
    topic: str
    form: str
    kind: TrainingKind
    start: datetime.date
    end: datetime.date
    place: str
    organiser: str
    region_code: str
    hours: Decimal
    person_times: int
    version: int


class TrainingPage(Schema):
    count: int
    items: list[TrainingOut]


class TrainingFilter(Paging):
    division: DivisionCode | None = None
    kind: TrainingKind | None = None
    year: Year | None = None


@router.get("/trainings", response=TrainingPage, summary="培训班")
def list_trainings(request: HttpRequest, filters: Query[TrainingFilter]):
    classes = selectors.training_list(
        user=request.user, division=filters.division or "", kind=filters.kind or "", year=filters.year
    )
    return _page(
        classes,
        filters,
        lambda t: {
            "id": t.id,
            "topic": t.topic,
            "form": t.form,
            "kind": t.kind,
            "start": t.start,
            "end": t.end,
            "place": t.place,
            "organiser": str(t.organiser),
            "region_code": t.region_id,
            "hours": t.hours,
            "person_times": t.person_times or 0,
            "version": t.version,
        },
    )


class PersonTimesFilter(Schema):
    unit_id: DbId | None = None
    year: Year | None = None
    kind: TrainingKind | None = None
    region_prefix: DivisionCode | None = None


class PersonTimesOut(Schema):
    person_times: int


@router.get("/trainings/person-times", response=PersonTimesOut, summary="培训人次(按单位、年度、类别、地区)")
def person_times(request: HttpRequest, filters: Query[PersonTimesFilter]):
    return {
        "person_times": selectors.training_person_times(
            unit_id=filters.unit_id,
            year=filters.year,
            kind=filters.kind,
            region_prefix=filters.region_prefix,
            user=request.user,
        )
    }


# After /trainings/person-times: "{training_id}" would otherwise catch that path.
class AttendeeIn(Schema):
    """A named person (count 1) or, without a name, a group of `count` people."""

    kind: TrainingKind | None = None
    name: Annotated[Text, StringConstraints(max_length=50)] = ""
    unit_name: Annotated[Text, StringConstraints(max_length=100)] = ""
    count: Annotated[int, Field(ge=1, le=100000)] = 1


class TrainingPatch(Schema):
    """Only the fields sent change; `attendees`, when sent, replaces the class's attendees."""

    version: Version
    topic: Annotated[Text, StringConstraints(min_length=1, max_length=200)] | None = None
    form: TrainingForm | None = None
    kind: TrainingKind | None = None
    start: Day | None = None
    end: Day | None = None
    place: Annotated[Text, StringConstraints(min_length=1, max_length=100)] | None = None
    organiser_id: DbId | None = None
    region_code: DivisionCode | None = None
    hours: Annotated[Decimal, Field(ge=0, max_digits=6, decimal_places=1)] | None = None
    attendees: Annotated[list[AttendeeIn], Field(max_length=1000)] | None = None


def _training_out(t: TrainingClass) -> dict:
    return {
        "id": t.id,
        "topic": t.topic,
        "form": t.form,
        "kind": t.kind,
        "start": t.start,
        "end": t.end,
        "place": t.place,
        "organiser": str(t.organiser),
        "region_code": t.region_id,
        "hours": t.hours,
        "person_times": sum(a.count for a in t.attendees.all()),
        "version": t.version,
    }


@router.patch("/trainings/{training_id}", response={200: TrainingOut, **WRITE_ERRORS}, summary="修改培训班")
def update_training(request: HttpRequest, training_id: Path[DbId], payload: TrainingPatch):
    training = get_visible_or_404(
        TrainingClass.objects.select_related("organiser"), request.user, pk=training_id
    )
    sent = _changes(payload)
    try:
        values = {
            key: sent[key] if sent.get(key) is not None else getattr(training, key)
            for key in ("topic", "form", "kind", "start", "end", "place", "hours")
        }
        values["organiser"] = training.organiser
        values["region"] = training.region_id
        if sent.get("organiser_id"):
            values["organiser"] = _unit_or_422(request, sent["organiser_id"], "organiser")
        if sent.get("region_code"):
            values["region"] = _region_or_422(request, sent["region_code"], "region")
        attendees = sent.get("attendees")
        training = services.training_update(
            by=request.user,
            training=training,
            version=payload.version,
            attendees=attendees,
            request=request,
            **values,
        )
    except REFUSALS as exc:
        return service_error(exc, {"organiser": "organiser_id", "region": "region_code"})
    return Answer(200, _training_out(TrainingClass.objects.select_related("organiser").get(pk=training.pk)))
