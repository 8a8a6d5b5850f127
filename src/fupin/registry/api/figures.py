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
from fupin.registry.incidence import POOR_STATUSES, Incidence, exit_eligibility, from_counts, incidence
from fupin.registry.models import Household, Member
from fupin.registry.reveal import reveal as reveal_value
from fupin.reports import selectors as reports

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


def _incidence_now(user, code: str) -> Incidence | None:
    """Today's incidence from the rollup's 登记人数 (registry.people: the members of registered
    households, by the household's status), the live count's own definition, read from the
    division's few total rows instead of its households (0.1 s for a province at a million people,
    growing with them). None while the rollup has never been counted (a new installation)."""
    if reports.last_refresh() is None:
        return None
    registered = reports.figure(user, "registry.people", division=code) or 0
    by_status = {
        key: value for key, _label, value in reports.by_category(user, "registry.people", division=code)
    }
    poor = sum((by_status.get(status) or 0 for status in POOR_STATUSES), 0)
    return from_counts(int(poor), int(registered))


@router.get("/incidence", response=IncidenceOut, summary="贫困发生率(区划须在数据范围内)")
def get_incidence(request: HttpRequest, params: Query[IncidenceQuery]):
    """Without a year, today's figure from the rollup (up to a minute old); a past year's is
    counted live (the rollup keeps no statuses by year)."""
    _code_in_scope(request, params.code)
    figures = None if params.year is not None else _incidence_now(request.user, params.code)
    if figures is None:
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
