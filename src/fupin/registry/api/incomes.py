"""A household's yearly incomes and its 两不愁三保障 checks, one per year each."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, Text
from fupin.registry import selectors, services
from fupin.registry.api.common import Year, visible_household
from fupin.registry.models import LivingCheck, YearlyIncome

router = Router()

# Money travels as a decimal string ("1234.50"), never a float: exact, and exactly what the schema says.
Money = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,10}(\.[0-9]{1,2})?$")]
SignedMoney = Annotated[str, StringConstraints(pattern=r"^-?[0-9]{1,10}(\.[0-9]{1,2})?$")]
CheckItem = Literal["food", "clothing", "education", "medical", "housing", "water"]


class IncomeIn(Schema):
    wages: Money = "0"
    business: SignedMoney = "0"
    transfers: Money = "0"
    property: Money = "0"
    production_costs: Money = "0"
    # 合规自付支出 and insurance payouts (monitoring judges income less what the household paid itself).
    medical_costs: Money = "0"
    schooling_costs: Money = "0"
    disaster_costs: Money = "0"
    insurance_payouts: Money = "0"


class IncomeOut(Schema):
    wages: Decimal
    business: Decimal
    transfers: Decimal
    property: Decimal
    production_costs: Decimal
    medical_costs: Decimal
    schooling_costs: Decimal
    disaster_costs: Decimal
    insurance_payouts: Decimal
    year: int
    people: int
    net_income: Decimal
    per_capita: Decimal
    compliant_costs: Decimal
    per_capita_after_costs: Decimal
    poverty_line: Decimal | None


def _income_out(income: YearlyIncome) -> dict:
    lines = selectors.poverty_lines()
    return {
        **{name: getattr(income, name) for name in IncomeOut.model_fields if name != "poverty_line"},
        "poverty_line": lines.get(income.year),
    }


@router.get("/households/{household_id}/incomes/{year}", response=IncomeOut, summary="年度收入")
def get_income(request: HttpRequest, household_id: Path[DbId], year: Path[Year]):
    household = visible_household(request, household_id)
    income = YearlyIncome.objects.filter(household=household, year=year).first()
    if income is None:
        raise Http404
    return _income_out(income)


@router.put(
    "/households/{household_id}/incomes/{year}",
    response={200: IncomeOut, **WRITE_ERRORS},
    summary="录入年度收入",
)
def put_income(request: HttpRequest, household_id: Path[DbId], year: Path[Year], payload: IncomeIn):
    household = visible_household(request, household_id)
    try:
        income = services.income_record(
            by=request.user, household=household, year=year, request=request, **payload.model_dump()
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _income_out(income))


class CheckIn(Schema):
    food: bool = True
    clothing: bool = True
    education: bool = True
    medical: bool = True
    housing: bool = True
    water: bool = True
    reasons: dict[CheckItem, Text] = {}


class CheckOut(CheckIn):
    year: int
    passed: bool
    checked_at: datetime.date | None


def _check_out(check: LivingCheck) -> dict:
    return {
        **{item: getattr(check, item) for item in LivingCheck.ITEMS},
        "reasons": check.reasons or {},
        "year": check.year,
        "passed": check.passed,
        "checked_at": check.checked_at,
    }


@router.get("/households/{household_id}/checks/{year}", response=CheckOut, summary="两不愁三保障核查")
def get_check(request: HttpRequest, household_id: Path[DbId], year: Path[Year]):
    household = visible_household(request, household_id)
    check = LivingCheck.objects.filter(household=household, year=year).first()
    if check is None:
        raise Http404
    return _check_out(check)


@router.put(
    "/households/{household_id}/checks/{year}",
    response={200: CheckOut, **WRITE_ERRORS},
    summary="录入两不愁三保障核查",
)
def put_check(request: HttpRequest, household_id: Path[DbId], year: Path[Year], payload: CheckIn):
    household = visible_household(request, household_id)
    data = payload.model_dump()
    reasons = data.pop("reasons")
    try:
        check = services.check_record(
            by=request.user, household=household, year=year, results=data, reasons=reasons, request=request
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _check_out(check))
