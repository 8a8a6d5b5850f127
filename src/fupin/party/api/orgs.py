"""The party organisations: the tree, a child organisation, corrections."""

import datetime
from functools import partial
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, patch_answer, service_error
from fupin.apitypes import DbId, DivisionCode, Text
from fupin.core import lists
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.orgs.selectors import unit_for
from fupin.party import lists as party_lists
from fupin.party import services
from fupin.party.api.common import Line100, Version
from fupin.party.choices import OrgKind, OrgLevel
from fupin.party.models import PartyOrg
from fupin.regions.models import Region

router = Router()

OrgName = Annotated[Line100, StringConstraints(min_length=1)]


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


def visible_org(request, org_id: int) -> PartyOrg:
    """The organisation of /orgs/{org_id}/…, through the choke point (out of scope is 404)."""
    return get_visible_or_404(PartyOrg.objects.select_related("unit"), request.user, pk=org_id)


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


lists.api_list(
    router, "/orgs", party_lists.ORGS, OrgOut, summary="党组织列表(按数据范围)", serialize=_org_out
)


@router.get("/orgs/{org_id}", response=OrgOut, summary="党组织详情")
def get_org(request: HttpRequest, org_id: Path[DbId]):
    return _org_out(visible_org(request, org_id))


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
    if region_code is None and unit_id is None:
        return {"region_id": parent.region_id, "unit_id": parent.unit_id}
    errors: dict = {}
    if region_code is not None and not Region.objects.filter(pk=region_code).exists():
        errors["region_code"] = _("区划代码不存在")
    if unit_id is not None and unit_for(request.user, unit_id) is None:
        errors["unit_id"] = _("所属单位不存在或不在您的数据范围内")
    if errors:
        raise ValidationError(errors)
    return {"region_id": region_code, "unit_id": unit_id}


@router.post("/orgs/{org_id}/children", response={201: OrgOut, **WRITE_ERRORS}, summary="新增下级党组织")
def add_child_org(request: HttpRequest, org_id: Path[DbId], payload: OrgChildIn):
    parent = visible_org(request, org_id)
    require(request, "party.add_partyorg")
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
    org = visible_org(request, org_id)
    require(request, "party.change_partyorg")
    return patch_answer(request, payload, partial(_org_update, org), _org_out, aliases=ORG_ALIASES)


def _org_update(org: PartyOrg, *, by, parent_id: int | None = None, **fields) -> PartyOrg:
    """org_update with the new parent, when one is sent, found in the writer's scope."""
    if parent_id is not None:
        fields["parent"] = PartyOrg.objects.visible_to(by).filter(pk=parent_id).first()
        if fields["parent"] is None:
            raise ValidationError({"parent_id": _("上级组织不存在")})
    return services.org_update(by=by, org=org, **fields)
