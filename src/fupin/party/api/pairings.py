"""Branch pairings (支部结对共建) and their joint activities."""

import datetime
from decimal import Decimal
from functools import partial
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, patch_answer, service_error
from fupin.apitypes import DbId, Text
from fupin.core import lists
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.core.validators import NO_CONTROL_LINE
from fupin.party import lists as party_lists
from fupin.party import selectors, services
from fupin.party.api.common import Money, Topic, Version
from fupin.party.api.orgs import visible_org
from fupin.party.choices import OrgKind
from fupin.party.models import Pairing, PartyOrg

router = Router()

Count = Annotated[int, Field(ge=0, le=10000)]


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


lists.api_list(
    router, "/pairings", party_lists.PAIRINGS, PartyPairingOut, summary="支部结对共建", serialize=_pairing_out
)


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
    org = visible_org(request, org_id)
    require(request, "party.add_pairing")
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
    require(request, "party.change_pairing")
    return patch_answer(request, payload, partial(services.pairing_update, pairing=pairing), _pairing_out)


class ActivityIn(Schema):
    kind: Literal["visit", "lecture", "donation", "joint_event", "training"]
    held_on: datetime.date
    title: Topic
    description: Text = ""
    participants: Count = 0
    donated_items: Annotated[str, StringConstraints(max_length=300, pattern=NO_CONTROL_LINE)] = ""
    donated_value: Money | None = None


@router.post(
    "/pairings/{pairing_id}/activities", response={201: ActivityOut, **WRITE_ERRORS}, summary="记录共建活动"
)
def add_activity(request: HttpRequest, pairing_id: Path[DbId], payload: ActivityIn):
    pairing = _pairing(request, pairing_id)
    require(request, "party.add_pairingactivity")
    data = payload.model_dump()
    if data["donated_value"] is not None:
        data["donated_value"] = Decimal(data["donated_value"])
    try:
        activity = services.activity_add(by=request.user, pairing=pairing, request=request, **data)
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, _activity_out(activity))
