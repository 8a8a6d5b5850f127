"""A household's members: listed, added, changed."""

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from ninja import Status as Answer

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, SearchText
from fupin.core.scoping import get_visible_or_404
from fupin.registry import services
from fupin.registry.api.common import MemberFields, Name, Short, Version, visible_household
from fupin.registry.choices import Education, Health, Labour, Relation, SchoolStatus, Sex, WorkStatus
from fupin.registry.models import Member

router = Router()


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


class RegistryMemberIn(MemberFields):
    name: Name
    id_number: Short
    relation: Relation


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
    household = visible_household(request, household_id)
    return [_member_out(m) for m in Member.objects.filter(household=household).order_by("id")]


@router.post(
    "/households/{household_id}/members",
    response={201: RegistryMemberOut, **WRITE_ERRORS},
    summary="新增家庭成员",
)
def add_member(request: HttpRequest, household_id: Path[DbId], payload: RegistryMemberIn):
    household = visible_household(request, household_id)
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
