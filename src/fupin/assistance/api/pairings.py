"""Assistance cadres and their pairings with households (结对帮扶)."""

import datetime
from functools import partial
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.accounts.selectors import account_for
from fupin.apierrors import REFUSALS, WRITE_ERRORS, patch_answer, service_error
from fupin.apitypes import DbId, DivisionCode, MobilePhone, Text
from fupin.assistance import services
from fupin.assistance.api.common import Day, Version, region_or_422, unit_or_422
from fupin.assistance.choices import UnitLevel
from fupin.assistance.lists import CADRES, PAIRINGS
from fupin.assistance.models import Cadre
from fupin.core import lists
from fupin.core.scoping import get_visible_or_404
from fupin.registry import selectors as registry

router = Router()


class CadreOut(Schema):
    id: int
    name: str
    unit: str
    level: str
    title: str
    phone: str  # masked, as on the screens
    region_code: str
    account: str
    version: int


def _cadre_out(c: Cadre) -> dict:
    return {
        "id": c.id,
        "name": c.name,
        "unit": str(c.unit or ""),
        "level": c.level,
        "title": c.title,
        "phone": c.phone_masked,
        "region_code": c.region_id,
        "account": c.user.username if c.user_id else "",
        "version": c.version,
    }


def _account_or_422(user, username: str):
    """An account the user may name; out of scope answers exactly like missing."""
    if not username:
        return None
    account = account_for(user, username)
    if account is None:
        raise ValidationError({"account": _("没有这个登录账号(或不在您的数据范围内)")})
    return account


lists.api_list(router, "/cadres", CADRES, CadreOut, summary="帮扶干部列表", serialize=_cadre_out)


class CadrePatch(Schema):
    """Only the fields sent change; unit_id null clears the unit, account "" unlinks the login."""

    version: Version
    name: Annotated[Text, StringConstraints(min_length=1, max_length=50)] | None = None
    level: UnitLevel | None = None
    unit_id: DbId | None = None
    title: Annotated[Text, StringConstraints(max_length=50)] | None = None
    phone: MobilePhone | None = None  # "" clears it
    region_code: DivisionCode | None = None
    account: Annotated[Text, StringConstraints(max_length=150)] | None = None


@router.patch("/cadres/{cadre_id}", response={200: CadreOut, **WRITE_ERRORS}, summary="修改帮扶干部")
def update_cadre(request: HttpRequest, cadre_id: Path[DbId], payload: CadrePatch):
    cadre = get_visible_or_404(Cadre.objects.select_related("unit", "user"), request.user, pk=cadre_id)
    return patch_answer(
        request,
        payload,
        partial(_cadre_update, cadre),
        lambda c: _cadre_out(Cadre.objects.select_related("unit", "user").get(pk=c.pk)),
        aliases={"unit": "unit_id", "region": "region_code"},
        clearable=["unit_id"],
    )


def _cadre_update(cadre: Cadre, *, by, version: int, request, **sent) -> Cadre:
    """cadre_update takes every value: the cadre's own, with those sent (the unit, division and
    login looked up in the writer's scope, so one outside it is a field error)."""
    values = {
        "name": cadre.name,
        "level": cadre.level,
        "unit": cadre.unit,
        "title": cadre.title,
        "region": cadre.region_id,
        "user": cadre.user,
    }
    values.update({key: sent[key] for key in ("name", "level", "title", "phone") if key in sent})
    if "unit_id" in sent:
        unit_id = sent["unit_id"]
        values["unit"] = unit_or_422(by, unit_id, "unit") if unit_id else None
    if sent.get("region_code"):
        values["region"] = region_or_422(by, sent["region_code"], "region")
    if "account" in sent:
        values["user"] = _account_or_422(by, sent["account"].strip())
    return services.cadre_update(by=by, cadre=cadre, version=version, request=request, **values)


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


lists.api_list(
    router,
    "/pairings",
    PAIRINGS,
    AssistancePairingOut,
    summary="结对帮扶列表(帮扶责任人与农户)",
    serialize=_pairing_out,
)


@router.post("/pairings", response={201: AssistancePairingOut, **WRITE_ERRORS}, summary="新增结对")
def create_pairing(request: HttpRequest, payload: AssistancePairingIn):
    cadre = get_visible_or_404(Cadre.objects.select_related("unit"), request.user, pk=payload.cadre_id)
    household = registry.household_or_404(request.user, payload.household_id)
    try:
        pairing = services.pairing_create(
            by=request.user, cadre=cadre, household=household, start=payload.start, request=request
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, _pairing_out(pairing))
