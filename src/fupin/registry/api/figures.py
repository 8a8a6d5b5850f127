"""Reveal (a personal value in clear, audited), and the figures of a division: poverty incidence and
whether a village or county meets the exit conditions."""

from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from ninja import Body, Field, Query, Router, Schema
from ninja import Status as Answer

from fupin.apierrors import ErrorOut
from fupin.apitypes import DbId, DivisionCode
from fupin.core.scoping import get_visible_or_404, scope_of
from fupin.registry.api.common import Year
from fupin.registry.incidence import exit_eligibility, incidence
from fupin.registry.models import Household, Member
from fupin.registry.reveal import reveal as reveal_value

router = Router()


class HouseholdReveal(Schema):
    type: Literal["household"]
    id: DbId
    field: Literal["phone", "bank_account"]


class MemberReveal(Schema):
    type: Literal["member"]
    id: DbId
    field: Literal["id_number", "health", "disability"]


RevealIn = Annotated[HouseholdReveal | MemberReveal, Field(discriminator="type")]


class RevealOut(Schema):
    value: str


@router.post("/reveal", response={200: RevealOut, 400: ErrorOut}, summary="查看完整的个人敏感信息(留痕)")
def reveal(request: HttpRequest, payload: Body[RevealIn]):
    target = payload
    model = Household if target.type == "household" else Member
    obj = get_visible_or_404(model.objects.all(), request.user, pk=target.id)
    # The service checks registry.reveal_household and audits a refusal (403) as well as each reveal.
    return Answer(200, {"value": reveal_value(by=request.user, request=request, obj=obj, field=target.field)})


def _code_in_scope(request, code: str) -> None:
    if not scope_of(request.user).covers_code(code):
        raise Http404


class IncidenceOut(Schema):
    code: str
    year: int | None
    poor_people: int
    registered_people: int
    rate: Decimal


class IncidenceQuery(Schema):
    code: DivisionCode
    year: Year | None = None


@router.get("/incidence", response=IncidenceOut, summary="贫困发生率(区划须在数据范围内)")
def get_incidence(request: HttpRequest, params: Query[IncidenceQuery]):
    _code_in_scope(request, params.code)
    figures = incidence(code_prefix=params.code, year=params.year)
    return {"code": params.code, "year": params.year, **vars(figures)}


class EligibilityOut(Schema):
    code: str
    eligible: bool
    rate: Decimal
    threshold: Decimal
    reasons: list[str]


class EligibilityQuery(Schema):
    code: DivisionCode
    year: Year | None = None


@router.get("/eligibility", response=EligibilityOut, summary="村、县退出条件判断")
def get_eligibility(request: HttpRequest, params: Query[EligibilityQuery]):
    _code_in_scope(request, params.code)
    result = exit_eligibility(code=params.code, year=params.year)
    return {"code": params.code, **vars(result)}
