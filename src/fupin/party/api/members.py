"""Party members and recruitment: the roster, a new member, the stages of 发展党员."""

import datetime
from functools import partial
from typing import Literal

from django.http import HttpRequest
from ninja import Path, Router, Schema
from ninja import Status as Answer

from fupin.apierrors import REFUSALS, WRITE_ERRORS, patch_answer, service_error
from fupin.apitypes import DbId, Text
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.party import services
from fupin.party.api.common import Name, Version
from fupin.party.api.orgs import visible_org
from fupin.party.choices import Post, Stage
from fupin.party.models import PartyMember

router = Router()


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
    org = visible_org(request, org_id)
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
    org = visible_org(request, org_id)
    require(request, "party.add_partymember")
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
    require(request, "party.change_partymember")
    return patch_answer(request, payload, partial(services.member_update, member=member), _member_out)


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
    require(request, "party.change_partymember")
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
