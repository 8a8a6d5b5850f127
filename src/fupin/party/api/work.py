"""Standardisation scores, weak branches, the reserve pool, village cadres and their monthly scores."""

import datetime
from decimal import Decimal
from functools import partial
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, patch_answer, service_error
from fupin.apitypes import DbId, Text
from fupin.core import lists
from fupin.core.errors import TransitionRefused
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.core.validators import NO_CONTROL_LINE
from fupin.party import lists as party_lists
from fupin.party import services
from fupin.party.api.common import Line100, Money, Name, Version, Year
from fupin.party.api.orgs import visible_org
from fupin.party.choices import AssessmentResult, Education, ReserveStatus
from fupin.party.models import (
    BranchScore,
    CadreMonthScore,
    Checklist,
    IndicatorSet,
    ReserveAssessment,
    ReserveCadre,
    VillageCadre,
    WeakCase,
)

router = Router()

Month = Annotated[str, StringConstraints(pattern=r"^(20\d\d)-(0[1-9]|1[0-2])$")]
CadrePost = Annotated[str, StringConstraints(min_length=1, max_length=50, pattern=NO_CONTROL_LINE)]
BirthYear = Annotated[int, Field(ge=1900, le=2100)]
# Points keyed by the id of a checklist item or an indicator, as a decimal string (at most 2 places).
Points = Annotated[
    dict[Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,17}$")], Money], Field(max_length=200)
]


class ScoreOut(Schema):
    rank: int
    org_id: int
    org_name: str
    region_code: str | None
    year: int
    total: Decimal
    star: int
    satisfaction: Decimal | None


lists.api_list(
    router,
    "/scores",
    party_lists.SCORES,
    ScoreOut,
    summary="标准化评分排名(可限定乡镇或县;年度缺省为上一年)",
    serialize=lambda s: {name: s[name] for name in ScoreOut.model_fields},
)


class BranchScoreOut(Schema):
    id: int
    org_id: int
    org_name: str
    year: int
    total: Decimal
    star: int
    satisfaction: Decimal | None
    points: dict[str, str]
    version: int


class ScoreIn(Schema):
    year: Year
    points: Points = Field(default_factory=dict)
    satisfaction: Money | None = None
    # The version read, when re-recording a year already scored (optimistic lock).
    version: Version | None = None


def _branch_score_out(score: BranchScore) -> dict:
    return {
        "id": score.id,
        "org_id": score.org_id,
        "org_name": score.org.name,
        "year": score.year,
        "total": score.total,
        "star": score.star,
        "satisfaction": score.satisfaction,
        "points": {str(i.item_id): str(i.points) for i in score.items.order_by("item_id")},
        "version": score.version,
    }


@router.post(
    "/orgs/{org_id}/scores",
    response={200: BranchScoreOut, 201: BranchScoreOut, **WRITE_ERRORS},
    summary="记录党组织年度标准化评分(已评则重新评分)",
)
def record_score(request: HttpRequest, org_id: Path[DbId], payload: ScoreIn):
    org = visible_org(request, org_id)
    require(request, "party.add_branchscore")
    checklist = Checklist.objects.filter(active=True).order_by("pk").first()
    existed = BranchScore.objects.filter(org=org, year=payload.year).exists()
    try:
        if checklist is None:
            raise TransitionRefused([_("尚未设置标准化考评表")])
        score = services.score_record(
            by=request.user,
            org=org,
            checklist=checklist,
            year=payload.year,
            points=dict(payload.points),
            satisfaction=payload.satisfaction,
            version=payload.version,
            request=request,
        )
    except REFUSALS as exc:
        items = checklist.categories.values_list("items__id", flat=True) if checklist else []
        return service_error(exc, {f"item_{pk}": f"points.{pk}" for pk in items})
    return Answer(200 if existed else 201, _branch_score_out(score))


class WeakCaseOut(Schema):
    id: int
    org_id: int
    org_name: str
    year: int
    criteria: list[str]
    description: str
    plan: str
    owner: str
    deadline: datetime.date | None
    status: str
    version: int


def _case_out(c: WeakCase) -> dict:
    return {
        "id": c.id,
        "org_id": c.org_id,
        "org_name": c.org.name,
        "year": c.year,
        "criteria": list(c.criteria),
        "description": c.description,
        "plan": c.plan,
        "owner": c.owner,
        "deadline": c.deadline,
        "status": c.status,
        "version": c.version,
    }


lists.api_list(
    router,
    "/weak-cases",
    party_lists.WEAK_CASES,
    WeakCaseOut,
    summary="软弱涣散党组织整顿",
    serialize=_case_out,
)


class WeakStepIn(Schema):
    action: Literal["plan", "close", "revoke"]
    version: Version
    reason: Text = ""
    plan: Text = ""
    owner: Annotated[str, StringConstraints(max_length=50, pattern=NO_CONTROL_LINE)] = ""
    deadline: datetime.date | None = None


@router.post(
    "/weak-cases/{case_id}/transitions",
    response={200: WeakCaseOut, **WRITE_ERRORS},
    summary="整顿流程:制定整改方案、销号、撤销",
)
def weak_transition(request: HttpRequest, case_id: Path[DbId], payload: WeakStepIn):
    case = get_visible_or_404(WeakCase.objects.select_related("org"), request.user, pk=case_id)
    require(request, "party.manage_weakcase")
    try:
        case = services.weak_step(by=request.user, case=case, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200, _case_out(case))


class AssessmentOut(Schema):
    id: int
    cadre_id: int
    year: int
    result: str
    note: str


class ReserveOut(Schema):
    id: int
    org_id: int
    org_name: str
    name: str
    sex: str
    age: int
    education: str
    is_party_member: bool
    current_work: str
    added_on: datetime.date
    status: str
    assessments: list[dict]
    version: int


def _reserve_out(c: ReserveCadre) -> dict:
    return {
        "id": c.id,
        "org_id": c.org_id,
        "org_name": c.org.name,
        "name": c.name,
        "sex": c.sex,
        "age": timezone.localdate().year - c.birth_year,
        "education": c.education,
        "is_party_member": c.is_party_member,
        "current_work": c.current_work,
        "added_on": c.added_on,
        "status": c.status,
        "assessments": [{"year": a.year, "result": a.result} for a in c.assessments.all()],
        "version": c.version,
    }


def _assessment_out(a: ReserveAssessment) -> dict:
    return {"id": a.id, "cadre_id": a.cadre_id, "year": a.year, "result": a.result, "note": a.note}


lists.api_list(
    router, "/reserves", party_lists.RESERVES, ReserveOut, summary="后备干部库", serialize=_reserve_out
)


class ReserveIn(Schema):
    name: Name
    sex: Literal["M", "F"]
    birth_year: BirthYear
    education: Education
    is_party_member: bool = False
    current_work: Line100 = ""
    added_on: datetime.date


@router.post(
    "/orgs/{org_id}/reserves", response={201: ReserveOut, **WRITE_ERRORS}, summary="村党组织新增后备干部"
)
def add_reserve(request: HttpRequest, org_id: Path[DbId], payload: ReserveIn):
    org = visible_org(request, org_id)
    require(request, "party.add_reservecadre")
    try:
        cadre = services.reserve_add(by=request.user, org=org, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, _reserve_out(cadre))


class ReservePatch(Schema):
    version: Version
    name: Name | None = None
    sex: Literal["M", "F"] | None = None
    birth_year: BirthYear | None = None
    education: Education | None = None
    is_party_member: bool | None = None
    current_work: Line100 | None = None
    status: ReserveStatus | None = None


def _reserve(request, reserve_id: int) -> ReserveCadre:
    return get_visible_or_404(ReserveCadre.objects.select_related("org"), request.user, pk=reserve_id)


@router.patch(
    "/reserves/{reserve_id}", response={200: ReserveOut, **WRITE_ERRORS}, summary="修改后备干部信息和状态"
)
def patch_reserve(request: HttpRequest, reserve_id: Path[DbId], payload: ReservePatch):
    cadre = _reserve(request, reserve_id)
    require(request, "party.change_reservecadre")
    return patch_answer(request, payload, partial(services.reserve_update, cadre=cadre), _reserve_out)


class AssessmentIn(Schema):
    year: Year
    result: AssessmentResult
    note: Annotated[str, StringConstraints(max_length=200, pattern=NO_CONTROL_LINE)] = ""


@router.post(
    "/reserves/{reserve_id}/assessments",
    response={200: AssessmentOut, 201: AssessmentOut, **WRITE_ERRORS},
    summary="记录后备干部年度考核(已有该年度则更新)",
)
def assess_reserve(request: HttpRequest, reserve_id: Path[DbId], payload: AssessmentIn):
    cadre = _reserve(request, reserve_id)
    require(request, "party.change_reservecadre")
    existed = cadre.assessments.filter(year=payload.year).exists()
    try:
        assessment = services.reserve_assess(
            by=request.user, cadre=cadre, request=request, **payload.model_dump()
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(200 if existed else 201, _assessment_out(assessment))


class VillageCadreOut(Schema):
    id: int
    org_id: int
    org_name: str
    name: str
    post: str
    active: bool


class VillageCadreIn(Schema):
    name: Name
    post: CadrePost


@router.post(
    "/orgs/{org_id}/cadres", response={201: VillageCadreOut, **WRITE_ERRORS}, summary="村党组织新增村干部"
)
def add_cadre(request: HttpRequest, org_id: Path[DbId], payload: VillageCadreIn):
    org = visible_org(request, org_id)
    require(request, "party.add_villagecadre")
    try:
        cadre = services.cadre_add(by=request.user, org=org, request=request, **payload.model_dump())
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(
        201,
        {
            "id": cadre.id,
            "org_id": cadre.org_id,
            "org_name": org.name,
            "name": cadre.name,
            "post": cadre.post,
            "active": cadre.active,
        },
    )


class CadreMonthOut(Schema):
    id: int
    cadre_id: int
    name: str
    month: str
    total: Decimal
    points: dict[str, str]
    version: int


class CadreMonthIn(Schema):
    month: Month
    points: Points = Field(default_factory=dict)
    # The version read, when re-scoring a month already scored (optimistic lock).
    version: Version | None = None


@router.post(
    "/cadres/{cadre_id}/scores",
    response={200: CadreMonthOut, 201: CadreMonthOut, **WRITE_ERRORS},
    summary="记录村干部月度绩效考评(已评则重新评分)",
)
def score_cadre(request: HttpRequest, cadre_id: Path[DbId], payload: CadreMonthIn):
    cadre = get_visible_or_404(VillageCadre.objects.select_related("org"), request.user, pk=cadre_id)
    require(request, "party.add_cadremonthscore")
    indicator_set = IndicatorSet.objects.filter(active=True).order_by("pk").first()
    first = datetime.date(int(payload.month[:4]), int(payload.month[5:]), 1)
    existed = CadreMonthScore.objects.filter(cadre=cadre, month=first).exists()
    try:
        if indicator_set is None:
            raise TransitionRefused([_("尚未设置绩效考评指标体系")])
        score = services.cadre_score(
            by=request.user,
            cadre=cadre,
            indicator_set=indicator_set,
            month=first,
            points=dict(payload.points),
            version=payload.version,
            request=request,
        )
    except REFUSALS as exc:
        ids = indicator_set.indicators.values_list("id", flat=True) if indicator_set else []
        return service_error(exc, {f"ind_{pk}": f"points.{pk}" for pk in ids})
    return Answer(
        200 if existed else 201,
        {
            "id": score.id,
            "cadre_id": cadre.id,
            "name": cadre.name,
            "month": payload.month,
            "total": score.total,
            "points": score.points,
            "version": score.version,
        },
    )


class CadreScoreOut(Schema):
    rank: int
    cadre_id: int
    name: str
    post: str
    org_name: str
    month: str
    total: Decimal
    points: dict[str, str]


def _cadre_score_out(s: dict) -> dict:
    return {**{name: s[name] for name in CadreScoreOut.model_fields}, "month": s["month"].strftime("%Y-%m")}


lists.api_list(
    router,
    "/cadre-scores",
    party_lists.CADRE_SCORES,
    CadreScoreOut,
    summary="村干部绩效月考评排名(月份缺省为最近评分的月份)",
    serialize=_cadre_score_out,
)
