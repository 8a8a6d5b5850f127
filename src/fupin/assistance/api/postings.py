"""Dispatched cadres: postings, village work teams, first-secretary coverage."""

import datetime
from functools import partial
from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, patch_answer, service_error
from fupin.apitypes import DbId, DivisionCode, Text
from fupin.assistance import selectors, services
from fupin.assistance.api.common import Day, Reason, Version, region_or_422, unit_or_422
from fupin.assistance.choices import PostKind, TeamStatus
from fupin.assistance.lists import COVERAGE, POSTINGS, TEAMS
from fupin.assistance.models import WorkTeam
from fupin.core import lists
from fupin.core.scoping import get_visible_or_404

router = Router()


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


def _posting_out(p) -> dict:
    return {
        "id": p.id,
        "cadre_name": p.cadre.name,
        "unit": str(p.cadre.unit or ""),
        "kind": p.kind,
        "region_code": p.region_id,
        "team_id": p.team_id,
        "post_title": p.post_title,
        "start": p.start,
        "end": p.end,
    }


lists.api_list(
    router,
    "/postings",
    POSTINGS,
    PostingOut,
    summary="选派干部(第一书记、工作队员、挂职干部)",
    serialize=_posting_out,
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


lists.api_list(
    router, "/teams", TEAMS, TeamOut, summary="驻村工作队(不足3人的标记 below_minimum)", serialize=_team_out
)


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
    return patch_answer(
        request,
        payload,
        partial(_team_update, team),
        lambda t: _team_out(WorkTeam.objects.select_related("unit").get(pk=t.pk)),
        aliases={"unit": "unit_id", "village": "village_code"},
    )


def _team_update(team: WorkTeam, *, by, version: int, request, **sent) -> WorkTeam:
    """team_update takes every value: the team's own, with those sent (the unit and village looked
    up in the writer's scope, so one outside it is a field error)."""
    values = {"name": sent.get("name") or team.name, "unit": team.unit, "village": team.village_id}
    values["start"] = sent.get("start") or team.start
    if sent.get("unit_id"):
        values["unit"] = unit_or_422(by, sent["unit_id"], "unit")
    if sent.get("village_code"):
        values["village"] = region_or_422(by, sent["village_code"], "village")
    return services.team_update(by=by, team=team, version=version, request=request, **values)


class CoverageVillage(Schema):
    code: str
    name: str
    township: str
    county: str
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


class CoverageFilter(Schema):
    division: DivisionCode | None = None


def _group(g) -> dict:
    return {"code": g.code, "name": g.name, "villages": g.villages, "covered": g.covered}


@router.get("/coverage", response=CoverageOut, summary="贫困村第一书记覆盖情况(按乡镇、县汇总)")
def coverage(request: HttpRequest, filters: Query[CoverageFilter]):
    lists.require_list(request.user, COVERAGE)
    report = selectors.first_secretary_coverage(user=request.user, division=filters.division or "")
    return {
        "villages": report.villages,
        "covered": report.covered,
        "counties": [_group(g) for g in report.counties],
        "townships": [_group(g) for g in report.townships],
    }


def _village_out(v) -> dict:
    township = v.parent
    return {
        "code": v.code,
        "name": str(v),
        "township": str(township or ""),
        "county": str(township.parent if township and township.parent else ""),
        "poor_households": v.poor_households,
        "first_secretaries": v.secretaries,
        "covered": bool(v.secretaries),
    }


lists.api_list(
    router,
    "/coverage/villages",
    COVERAGE,
    CoverageVillage,
    summary="贫困村及其在任驻村第一书记(分页)",
    serialize=_village_out,
)
