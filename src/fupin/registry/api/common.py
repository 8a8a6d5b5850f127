"""What the registry API's areas share: field types, the household as every area answers it, and the
one way to reach a household (through the scoping choke point: out of scope is 404, like missing)."""

from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BaseModel, StringConstraints

from fupin.apitypes import SearchText
from fupin.core.scoping import get_visible_or_404
from fupin.registry import selectors
from fupin.registry.choices import Education, Health, Labour, SchoolStatus, Sex, WorkStatus
from fupin.registry.models import Household

Year = Annotated[int, Field(ge=2000, le=2100)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Name = Annotated[SearchText, StringConstraints(min_length=1)]
Short = Annotated[SearchText, StringConstraints(max_length=30)]


class HouseholdOut(BaseModel):
    """A household as the API answers it. A plain pydantic model, not a ninja Schema: the list's
    items arrive as dicts, and pydantic validates and writes a page of them in compiled code
    (core.lists.WrittenPagination), where ninja's attribute getter took ten times as long."""

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


def household_out(h: Household) -> dict:
    return {
        **{name: getattr(h, name) for name in HouseholdOut.model_fields if hasattr(h, name)},
        "village_code": h.village_id,
        "village_name": h.village.name,
        "status_display": h.get_status_display(),
        "latest_year": getattr(h, "latest_year", None),
        "latest_per_capita": getattr(h, "latest_per_capita", None),
    }


def visible_household(request, household_id: int) -> Household:
    return get_visible_or_404(
        selectors.with_latest_income(Household.objects.select_related("village")),
        request.user,
        pk=household_id,
    )


class MemberFields(Schema):
    """A member's fields, on a member added to a household and on the head registered with one."""

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
