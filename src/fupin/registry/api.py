"""The registry in the API: households, members, incomes, checks, transitions, reveal, incidence.

Every operation reads through the scoping choke point (out of scope is 404, like missing) and writes
through registry.services / registry.lifecycle. A service's ValidationError is a 422 with one entry
per field; a stale `version` or a refused transition is a 409 with the reasons, in Chinese.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Field, Path, Query, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, ErrorOut, service_error
from fupin.apitypes import (
    BankAccount,
    DbId,
    DivisionCode,
    Limit,
    MobilePhone,
    Offset,
    PastYear,
    SearchText,
    Text,
)
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404, scope_of
from fupin.registry import selectors
from fupin.registry.choices import (
    Attribute,
    Cause,
    Education,
    Health,
    HousingStructure,
    Labour,
    Relation,
    SchoolStatus,
    Sex,
    Status,
    WorkStatus,
)
from fupin.registry.models import Household, HouseholdEvent, LivingCheck, Member, YearlyIncome

router = Router(tags=["registry"])

Year = Annotated[int, Field(ge=2000, le=2100)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
# Money travels as a decimal string ("1234.50"), never a float: exact, and exactly what the schema says.
Money = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,10}(\.[0-9]{1,2})?$")]
SignedMoney = Annotated[str, StringConstraints(pattern=r"^-?[0-9]{1,10}(\.[0-9]{1,2})?$")]
Area = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,5}(\.[0-9])?$")]
Yuan = Annotated[int, Field(ge=-(10**9), le=10**9)]
Name = Annotated[SearchText, StringConstraints(min_length=1)]
Short = Annotated[SearchText, StringConstraints(max_length=30)]
VillageCode = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
CauseOrEmpty = Cause | Literal[""]
Band = Literal["below", "near", "above", "none"]
CheckItem = Literal["food", "clothing", "education", "medical", "housing", "water"]


# --- households ---------------------------------------------------------------------------------


class HouseholdOut(Schema):
    id: int
    number: str
    village_code: str
    village_name: str
    group_name: str
    head_name: str
    member_count: int
    attribute: str
    main_cause: str
    cause2: str
    cause3: str
    status: str
    status_display: str
    exit_review: str
    exit_year: int | None
    phone_masked: str
    bank_name: str
    bank_account_masked: str
    housing_area: Decimal | None
    housing_structure: str
    housing_year: int | None
    relocated: bool
    safe_water: bool
    electricity: bool
    version: int
    latest_year: int | None = None
    latest_per_capita: Decimal | None = None


class HouseholdPage(Schema):
    count: int = Field(description="符合条件的农户数,最多数到 1000(见 count_capped)")
    count_capped: bool = Field(
        False, description="为 true 时符合条件的农户多于 count(列表显示为“共 1000+ 条”),可继续按 offset 翻页"
    )
    items: list[HouseholdOut]


class HouseholdFilter(Schema):
    division: DivisionCode | None = None
    status: Status | None = None
    attribute: Attribute | None = None
    cause: Cause | None = Field(None, description="主要致贫原因(与列表的列和统计报表口径一致)")
    health: Health | None = None
    income_band: Band | None = None
    income_min: Yuan | None = Field(None, description="人均纯收入下限(元,最近年度)")
    income_max: Yuan | None = Field(None, description="人均纯收入上限(元,最近年度)")
    q: SearchText = Field("", description="姓名、拼音首字母、身份证号、身份证号后四位或户编号")
    limit: Limit = 50
    offset: Offset = 0


class HouseholdFields(Schema):
    group_name: Short = ""
    phone: MobilePhone = ""
    bank_name: SearchText = ""
    bank_account: BankAccount = ""
    attribute: Attribute
    main_cause: Cause
    cause2: CauseOrEmpty = ""
    cause3: CauseOrEmpty = ""
    housing_area: Area | None = None
    housing_structure: HousingStructure | Literal[""] = ""
    housing_year: PastYear | None = None
    relocated: bool = False
    safe_water: bool = True
    electricity: bool = True


class HouseholdIn(HouseholdFields):
    village_code: VillageCode
    head: "HouseholdHeadIn | None" = Field(
        None, description="户主(与农户一并登记,任一项有误则农户也不登记);错误字段名为 head.<字段>"
    )


class HouseholdPatch(Schema):
    version: Version
    group_name: Short | None = None
    phone: MobilePhone | None = None
    bank_name: SearchText | None = None
    bank_account: BankAccount | None = None
    attribute: Attribute | None = None
    main_cause: Cause | None = None
    cause2: CauseOrEmpty | None = None
    cause3: CauseOrEmpty | None = None
    housing_area: Area | None = None
    housing_structure: HousingStructure | Literal[""] | None = None
    housing_year: PastYear | None = None
    relocated: bool | None = None
    safe_water: bool | None = None
    electricity: bool | None = None


def _household_out(h: Household) -> dict:
    return {
        **{name: getattr(h, name) for name in HouseholdOut.model_fields if hasattr(h, name)},
        "village_code": h.village_id,
        "village_name": h.village.name,
        "status_display": h.get_status_display(),
        "latest_year": getattr(h, "latest_year", None),
        "latest_per_capita": getattr(h, "latest_per_capita", None),
    }


def _visible_household(request, household_id: int) -> Household:
    return get_visible_or_404(
        selectors.with_latest_income(Household.objects.select_related("village")),
        request.user,
        pk=household_id,
    )


# The list reads its rows as values, not model instances: the schema's household columns, then
# what the rest of HouseholdOut is made from.
_DERIVED = {"village_code", "village_name", "status_display", "latest_year", "latest_per_capita"}
_LIST_VALUES = (
    *(name for name in HouseholdOut.model_fields if name not in _DERIVED),
    "village_id",
    "village__name",
    "latest_year",
    "latest_per_capita",
)


def _list_item(row: dict, status_labels: dict[str, str]) -> dict:
    row["village_code"] = row.pop("village_id")
    row["village_name"] = row.pop("village__name")
    row["status_display"] = status_labels.get(row["status"], row["status"])
    return {name: row[name] for name in HouseholdOut.model_fields}


@router.get("/households", response=HouseholdPage, summary="农户列表(按数据范围,可筛选和搜索)")
def list_households(request: HttpRequest, filters: Query[HouseholdFilter]):
    """The page is answered as JSON built straight from the rows' values, in HouseholdOut's fields
    and order (the schema conformance tests check it): model instances, and validating every field
    of every row again on the way out (ninja's attribute getter), were most of the request's CPU.

    The count is capped like the list page's 共 1000+ 条: counting every match exactly took 854 ms
    for a national viewer at ten million members. The page's households are chosen before their
    village names are joined (selectors.household_page).
    """
    from fupin.api import api

    data = filters.model_dump()
    households = selectors.household_list(user=request.user, filters=data)
    count = selectors.count_up_to(households, selectors.COUNT_CAP)
    rows = selectors.household_page_values(
        households, filters.offset, filters.offset + filters.limit, _LIST_VALUES
    )
    labels = {value: str(label) for value, label in Status.choices}
    items = [_list_item(row, labels) for row in rows]
    answer = {
        "count": min(count, selectors.COUNT_CAP),
        "count_capped": count > selectors.COUNT_CAP,
        "items": items,
    }
    return api.create_response(request, answer, status=200)


@router.post("/households", response={201: HouseholdOut, **WRITE_ERRORS}, summary="新增农户")
def create_household(request: HttpRequest, payload: HouseholdIn):
    from fupin.registry import services

    try:
        household = services.household_create(by=request.user, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, _household_out(_visible_household(request, household.pk)))


@router.get("/households/{household_id}", response=HouseholdOut, summary="农户详情")
def get_household(request: HttpRequest, household_id: Path[DbId]):
    return _household_out(_visible_household(request, household_id))


@router.patch("/households/{household_id}", response={200: HouseholdOut, **WRITE_ERRORS}, summary="修改农户")
def update_household(request: HttpRequest, household_id: Path[DbId], payload: HouseholdPatch):
    from fupin.registry import services

    household = _visible_household(request, household_id)
    fields = payload.model_dump(exclude_unset=True)
    version = fields.pop("version")
    fields = {k: ("" if v is None and k in _BLANKABLE else v) for k, v in fields.items()}
    fields = {k: v for k, v in fields.items() if v is not None or k in ("housing_area", "housing_year")}
    try:
        services.household_update(
            by=request.user, household=household, version=version, request=request, **fields
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _household_out(_visible_household(request, household_id)))


_BLANKABLE = {"group_name", "phone", "bank_name", "bank_account", "cause2", "cause3", "housing_structure"}


# --- members ------------------------------------------------------------------------------------


class RegistryMemberOut(Schema):
    id: int
    household_id: int
    name: str
    sex: str
    birth_year: int  # the full date only with the number, through /reveal (see Member.birth_date_masked)
    id_number_masked: str
    relation: str
    ethnicity: str
    education: str
    school_status: str
    labour: str
    work_status: str
    months_worked: int
    dibao: bool
    medical_insurance: bool
    pension_insurance: bool
    version: int


class MemberFields(Schema):
    sex: Sex | None = None
    ethnicity: Short = "汉族"
    education: Education | Literal[""] = ""
    school_status: SchoolStatus = SchoolStatus.NONE
    health: Health = Health.HEALTHY
    disability: SearchText = ""
    labour: Labour | Literal[""] = ""
    work_status: WorkStatus = WorkStatus.NONE
    months_worked: Annotated[int, Field(ge=0, le=12)] = 0
    dibao: bool = False
    medical_insurance: bool = True
    pension_insurance: bool = False


class RegistryMemberIn(MemberFields):
    name: Name
    id_number: Short
    relation: Relation


class HouseholdHeadIn(MemberFields):
    """The head registered with a new household (relation 户主)."""

    name: Name
    id_number: Short


HouseholdIn.model_rebuild()


class RegistryMemberPatch(Schema):
    version: Version
    name: Name | None = None
    id_number: Short | None = None
    relation: Relation | None = None
    sex: Sex | None = None
    ethnicity: Short | None = None
    education: Education | Literal[""] | None = None
    school_status: SchoolStatus | None = None
    health: Health | None = None
    disability: SearchText | None = None
    labour: Labour | Literal[""] | None = None
    work_status: WorkStatus | None = None
    months_worked: Annotated[int, Field(ge=0, le=12)] | None = None
    dibao: bool | None = None
    medical_insurance: bool | None = None
    pension_insurance: bool | None = None


def _member_out(m: Member) -> dict:
    return {name: getattr(m, name) for name in RegistryMemberOut.model_fields}


@router.get("/households/{household_id}/members", response=list[RegistryMemberOut], summary="家庭成员")
def list_members(request: HttpRequest, household_id: Path[DbId]):
    household = _visible_household(request, household_id)
    return [_member_out(m) for m in Member.objects.filter(household=household).order_by("id")]


@router.post(
    "/households/{household_id}/members",
    response={201: RegistryMemberOut, **WRITE_ERRORS},
    summary="新增家庭成员",
)
def add_member(request: HttpRequest, household_id: Path[DbId], payload: RegistryMemberIn):
    from fupin.registry import services

    household = _visible_household(request, household_id)
    try:
        member = services.member_add(
            by=request.user, household=household, request=request, **payload.model_dump()
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, _member_out(member))


@router.patch(
    "/members/{member_id}", response={200: RegistryMemberOut, **WRITE_ERRORS}, summary="修改家庭成员"
)
def update_member(request: HttpRequest, member_id: Path[DbId], payload: RegistryMemberPatch):
    from fupin.registry import services

    member = get_visible_or_404(Member.objects.select_related("household"), request.user, pk=member_id)
    fields = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    version = fields.pop("version")
    try:
        member = services.member_update(
            by=request.user, member=member, version=version, request=request, **fields
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _member_out(member))


# --- incomes and checks -------------------------------------------------------------------------


class IncomeIn(Schema):
    wages: Money = "0"
    business: SignedMoney = "0"
    transfers: Money = "0"
    property: Money = "0"
    production_costs: Money = "0"


class IncomeOut(Schema):
    wages: Decimal
    business: Decimal
    transfers: Decimal
    property: Decimal
    production_costs: Decimal
    year: int
    people: int
    net_income: Decimal
    per_capita: Decimal
    poverty_line: Decimal | None


def _income_out(income: YearlyIncome) -> dict:
    lines = selectors.poverty_lines()
    return {
        **{name: getattr(income, name) for name in IncomeOut.model_fields if name != "poverty_line"},
        "poverty_line": lines.get(income.year),
    }


@router.get("/households/{household_id}/incomes/{year}", response=IncomeOut, summary="年度收入")
def get_income(request: HttpRequest, household_id: Path[DbId], year: Path[Year]):
    household = _visible_household(request, household_id)
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
    from fupin.registry import services

    household = _visible_household(request, household_id)
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
    household = _visible_household(request, household_id)
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
    from fupin.registry import services

    household = _visible_household(request, household_id)
    data = payload.model_dump()
    reasons = data.pop("reasons")
    try:
        check = services.check_record(
            by=request.user, household=household, year=year, results=data, reasons=reasons, request=request
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _check_out(check))


# --- workflow and history -----------------------------------------------------------------------


class RegistryTransitionIn(Schema):
    action: Literal["identify", "propose_exit", "check_exit", "approve_exit", "return"]
    approve: bool = True
    reason: Text = ""
    year: Year | None = Field(None, description="提出脱贫的年度,缺省为最近一个有收入记录的年度")


@router.post(
    "/households/{household_id}/transitions",
    response={200: HouseholdOut, **WRITE_ERRORS},
    summary="状态变更:识别、提出/审核/批准脱贫、返贫",
)
def transition(request: HttpRequest, household_id: Path[DbId], payload: RegistryTransitionIn):
    from fupin.registry.lifecycle import TRANSITION_PERMS, run_transition

    household = _visible_household(request, household_id)
    require(request, TRANSITION_PERMS[payload.action], reason=_("没有权限执行该操作。"))
    try:
        run_transition(
            payload.action,
            by=request.user,
            household=household,
            approve=payload.approve,
            reason=payload.reason,
            year=payload.year,
            request=request,
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _household_out(_visible_household(request, household_id)))


class RegistryEventOut(Schema):
    id: int
    at: datetime.datetime
    actor: str
    action: str
    action_display: str
    from_status: str
    to_status: str
    reason: str


@router.get("/households/{household_id}/events", response=list[RegistryEventOut], summary="状态记录")
def list_events(request: HttpRequest, household_id: Path[DbId]):
    household = _visible_household(request, household_id)
    events = HouseholdEvent.objects.filter(household=household).select_related("actor").order_by("at", "id")
    return [
        {
            "id": e.id,
            "at": e.at,
            "actor": (e.actor.full_name or e.actor.username) if e.actor else "",
            "action": e.action,
            "action_display": e.get_action_display(),
            "from_status": e.from_status,
            "to_status": e.to_status,
            "reason": e.reason,
        }
        for e in events
    ]


# --- reveal, incidence, eligibility -------------------------------------------------------------


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
    from fupin.registry.reveal import reveal as reveal_value

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
    from fupin.registry.incidence import incidence

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
    from fupin.registry.incidence import exit_eligibility

    _code_in_scope(request, params.code)
    result = exit_eligibility(code=params.code, year=params.year)
    return {"code": params.code, **vars(result)}
