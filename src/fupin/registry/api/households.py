"""Households: the list (the household list's one declaration, registry.lists.HOUSEHOLDS), one
household, adding a household with its head, and changing one."""

from functools import cache
from typing import Annotated, Literal

from django import forms
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import BankAccount, DbId, MobilePhone, PastYear, SearchText
from fupin.core import lists
from fupin.registry import selectors, services
from fupin.registry.api.common import (
    HouseholdOut,
    MemberFields,
    Name,
    Short,
    Version,
    household_out,
    visible_household,
)
from fupin.registry.choices import Attribute, Cause, HousingStructure, Status
from fupin.registry.forms import HouseholdQueryForm
from fupin.registry.lists import HOUSEHOLDS

router = Router()

Area = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,5}(\.[0-9])?$")]
VillageCode = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
CauseOrEmpty = Cause | Literal[""]


# --- the list -----------------------------------------------------------------------------------


class HouseholdApiQuery(HouseholdQueryForm):
    """The list page's query form, and the two income bounds the API has always taken."""

    income_min = forms.IntegerField(
        label=_("人均纯收入下限(元,最近年度)"), required=False, min_value=-(10**9), max_value=10**9
    )
    income_max = forms.IntegerField(
        label=_("人均纯收入上限(元,最近年度)"), required=False, min_value=-(10**9), max_value=10**9
    )


# The list reads its rows as values, not model instances: HouseholdOut's household columns, then
# what the rest of it is made from.
_DERIVED = {"village_code", "village_name", "status_display", "latest_year", "latest_per_capita"}
LIST_VALUES = (
    *(name for name in HouseholdOut.model_fields if name not in _DERIVED),
    "village_id",
    "village__name",
    "latest_year",
    "latest_per_capita",
)


# HouseholdOut's names of two of them.
LIST_NAMES = (("village_id", "village_code"), ("village__name", "village_name"))


@cache
def _status_labels(language: str) -> dict[str, str]:
    return {value: str(label) for value, label in Status.choices}


def _page(households, start: int, stop: int) -> list[dict]:
    """The page's items: its households chosen before their village names and incomes are joined,
    read as values (selectors.household_page_values) and named as HouseholdOut names them."""
    rows = selectors.household_page_values(households, start, stop, LIST_VALUES, LIST_NAMES)
    labels = _status_labels(get_language())
    for row in rows:
        row["status_display"] = labels.get(row["status"], row["status"])
    return rows


# The count is capped like the list page's 共 1000+ 条 (counting every match exactly took 854 ms
# for a national viewer at ten million members); the operation keeps its id from before the move.
lists.api_list(
    router,
    "/households",
    HOUSEHOLDS,
    HouseholdOut,
    summary="农户列表(按数据范围,可筛选和搜索)",
    page=_page,
    form=HouseholdApiQuery,
    answer_name="HouseholdPage",  # the component's name before the move
    aliases={"count_capped": "capped"},  # the answer's name for `capped` before the move
    operation_id="fupin_registry_api_list_households",
)


# --- one household ------------------------------------------------------------------------------


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


class HouseholdHeadIn(MemberFields):
    """The head registered with a new household (relation 户主)."""

    name: Name
    id_number: Short


class HouseholdIn(HouseholdFields):
    village_code: VillageCode
    head: HouseholdHeadIn | None = Field(
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


_BLANKABLE = {"group_name", "phone", "bank_name", "bank_account", "cause2", "cause3", "housing_structure"}


@router.post("/households", response={201: HouseholdOut, **WRITE_ERRORS}, summary="新增农户")
def create_household(request: HttpRequest, payload: HouseholdIn):
    try:
        household = services.household_create(by=request.user, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, household_out(visible_household(request, household.pk)))


@router.get("/households/{household_id}", response=HouseholdOut, summary="农户详情")
def get_household(request: HttpRequest, household_id: Path[DbId]):
    return household_out(visible_household(request, household_id))


@router.patch("/households/{household_id}", response={200: HouseholdOut, **WRITE_ERRORS}, summary="修改农户")
def update_household(request: HttpRequest, household_id: Path[DbId], payload: HouseholdPatch):
    household = visible_household(request, household_id)
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
    return Answer(200, household_out(visible_household(request, household_id)))
