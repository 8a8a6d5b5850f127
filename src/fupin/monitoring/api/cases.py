"""The review chain in the API: leads (风险线索) and eliminations (风险消除), their lists and pages, a
cadre's 发现风险, and one POST per step.

A step answers 200 with the case as it is now; a refused step or a stale `version` 409 with every
reason, a field error 422 with one entry per field (apierrors). The step follows the case's stage
and the caller's permission at its village (services.py). 入户核实 carries the signed 承诺授权书's
photo, so it is a multipart form; every other step is JSON.
"""

import datetime
import inspect
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Router, Schema
from ninja import Status as Answer
from ninja.files import UploadedFile
from pydantic import StringConstraints

from fupin.apierrors import REFUSALS, WRITE_ERRORS, service_error
from fupin.apitypes import DbId, Text
from fupin.core import lists
from fupin.core.scoping import get_visible_or_404
from fupin.monitoring import selectors, services
from fupin.monitoring.choices import (
    DisasterKind,
    EliminationKind,
    ObjectType,
    Risk,
    Source,
    Stage,
    Urgency,
)
from fupin.monitoring.lists import ELIMINATIONS, LEADS
from fupin.monitoring.models import Elimination, Lead
from fupin.registry import selectors as registry

router = Router()

Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Reason = Annotated[Text, StringConstraints(max_length=500)]
# A date, bounded so a typo (year 20190) is a 422 rather than an overflow further down.
Day = Annotated[datetime.date, Field(ge=datetime.date(2000, 1, 1), le=datetime.date(2100, 12, 31))]
Votes = Annotated[int, Field(ge=0, le=32767)]


class MonitoringEventOut(Schema):
    at: datetime.datetime
    actor: str
    from_status: str
    to_status: str
    reason: str


class CaseChainOut(Schema):
    """What a lead and an elimination share: the chain's fields."""

    stage: Stage
    opened_on: datetime.date
    step_due: datetime.date | None
    decision_due: datetime.date | None
    urgency: Urgency
    consent_signed: bool
    verified_on: datetime.date | None
    verification: str
    comparison: dict
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    publicity_from: datetime.date | None
    publicity_to: datetime.date | None
    decided_on: datetime.date | None
    closing_reasons: list[str]
    version: int


class MonitoringLeadOut(CaseChainOut):
    id: int
    number: str
    channel: str = Field(description="线索来源(choices.Channel)")
    village_code: str
    household_id: int | None
    household_number: str
    head_name: str
    applicant_name: str
    risks: list[str]
    disaster_kind: str
    hardship: str
    proposed_type: str


class MonitoringLeadDetailOut(MonitoringLeadOut):
    object_id: int | None
    events: list[MonitoringEventOut]


class MonitoringEliminationOut(CaseChainOut):
    id: int
    object_id: int
    household_id: int
    household_number: str
    head_name: str
    village_code: str
    kind: EliminationKind
    basis: dict


class MonitoringEliminationDetailOut(MonitoringEliminationOut):
    events: list[MonitoringEventOut]


def _chain(case, today) -> dict:
    return {
        "stage": case.stage,
        "opened_on": case.opened_on,
        "step_due": case.step_due,
        "decision_due": case.decision_due,
        "urgency": selectors.case_urgency(case, today),
        "consent_signed": case.consent_signed,
        "verified_on": case.verified_on,
        "verification": case.verification,
        "comparison": case.comparison or {},
        "votes_for": case.votes_for,
        "votes_against": case.votes_against,
        "votes_abstain": case.votes_abstain,
        "publicity_from": case.publicity_from,
        "publicity_to": case.publicity_to,
        "decided_on": case.decided_on,
        "closing_reasons": [str(r) for r in case.closing_reasons or []],
        "version": case.version,
    }


def _events(case) -> list[dict]:
    return [
        {
            "at": e.at,
            "actor": (e.actor.full_name or e.actor.get_username()) if e.actor_id else "",
            "from_status": e.from_status,
            "to_status": e.to_status,
            "reason": e.reason,
        }
        for e in case.events.select_related("actor")
    ]


def lead_out(lead: Lead, today=None) -> dict:
    household = lead.household
    return {
        **_chain(lead, today or timezone.localdate()),
        "id": lead.id,
        "number": lead.number,
        "channel": lead.channel,
        "village_code": lead.village_id,
        "household_id": lead.household_id,
        "household_number": household.number if household else "",
        "head_name": household.head_name if household else "",
        "applicant_name": lead.applicant_name,
        "risks": list(lead.risks or []),
        "disaster_kind": lead.disaster_kind,
        "hardship": lead.hardship,
        "proposed_type": lead.proposed_type,
    }


def lead_detail_out(lead: Lead) -> dict:
    lead = Lead.objects.select_related("household").get(pk=lead.pk)
    made = getattr(lead, "object", None) if lead.stage == Stage.DECIDED else None
    return {**lead_out(lead), "object_id": made.pk if made else None, "events": _events(lead)}


def elimination_out(elimination: Elimination, today=None) -> dict:
    household = elimination.object.household
    return {
        **_chain(elimination, today or timezone.localdate()),
        "id": elimination.id,
        "object_id": elimination.object_id,
        "household_id": household.id,
        "household_number": household.number,
        "head_name": household.head_name,
        "village_code": household.village_id,
        "kind": elimination.kind,
        "basis": elimination.basis or {},
    }


def elimination_detail_out(elimination: Elimination) -> dict:
    elimination = Elimination.objects.select_related("object__household").get(pk=elimination.pk)
    return {**elimination_out(elimination), "events": _events(elimination)}


def _visible_lead(request, lead_id: int) -> Lead:
    return get_visible_or_404(Lead.objects.select_related("household", "village"), request.user, pk=lead_id)


def _visible_elimination(request, elimination_id: int) -> Elimination:
    return get_visible_or_404(
        Elimination.objects.select_related("object__household"), request.user, pk=elimination_id
    )


# --- leads ----------------------------------------------------------------------------------------

lists.api_list(router, "/leads", LEADS, MonitoringLeadOut, summary="风险线索列表", serialize=lead_out)


class MonitoringLeadReportIn(Schema):
    household_id: DbId
    risks: list[Risk] = Field(min_length=1, max_length=5)
    disaster_kind: DisasterKind | None = None
    hardship: Annotated[Text, StringConstraints(max_length=2000)] = ""
    opened_on: Day | None = None


@router.post(
    "/leads",
    response={201: MonitoringLeadDetailOut, **WRITE_ERRORS},
    summary="发现风险(干部排查登记风险线索)",
)
def report_lead(request: HttpRequest, payload: MonitoringLeadReportIn):
    household = registry.household_or_404(request.user, payload.household_id)
    try:
        lead = services.report_lead(
            by=request.user,
            household=household,
            risks=[str(r) for r in payload.risks],
            disaster_kind=str(payload.disaster_kind or ""),
            hardship=payload.hardship,
            opened_on=payload.opened_on,
            request=request,
        )
    except REFUSALS as exc:
        return service_error(exc)
    return Answer(201, lead_detail_out(lead))


@router.get("/leads/{lead_id}", response=MonitoringLeadDetailOut, summary="风险线索详情(含办理记录)")
def get_lead(request: HttpRequest, lead_id: Path[DbId]):
    return lead_detail_out(_visible_lead(request, lead_id))


# --- the steps, one POST each -------------------------------------------------------------------


class CaseStepIn(Schema):
    version: Version


class LeadAcceptIn(CaseStepIn):
    reason: Reason = ""


class LeadRejectIn(CaseStepIn):
    reasons: list[Reason] = Field(min_length=1, max_length=20)


class CaseVerifyIn(Schema):
    """A multipart form with the photo. Every field is optional here so that the case is looked up
    (404 outside the scope) before the form is judged; what is missing is a 422 per field."""

    version: Version | None = None
    consent_signed: bool = False
    verified_on: Day | None = None
    verification: Annotated[Text, StringConstraints(max_length=2000)] = ""
    household_id: DbId | None = Field(None, description="自主申报尚未关联农户时:本村已登记的农户")


class CaseCompareAnswer(Schema):
    ok: bool = Field(description="比对一致")
    note: Annotated[Text, StringConstraints(max_length=200)] = ""


class CaseCompareIn(CaseStepIn):
    comparison: dict[Source, CaseCompareAnswer] = Field(description="各部门比对结果(至少一个部门)")


class CaseReviewIn(CaseStepIn):
    votes_for: Votes
    votes_against: Votes
    votes_abstain: Votes = 0
    publicity_from: Day


class TownshipCheckIn(CaseStepIn):
    approve: bool
    reasons: list[Reason] = Field(default_factory=list, max_length=20)


class LeadDecideIn(CaseStepIn):
    include: bool
    type: ObjectType | None = Field(None, description="纳入时:监测对象类型(默认为线索的拟纳入类型)")
    risks: list[Risk] | None = Field(None, max_length=5, description="纳入时:风险类型(默认为线索的风险类型)")
    disaster_kind: DisasterKind | None = None
    layer: Annotated[str, StringConstraints(max_length=30, pattern=r"^[-a-zA-Z0-9_]*$")] | None = None
    safety_net: bool = False
    reasons: list[Reason] = Field(default_factory=list, max_length=20)


class EliminationDecideIn(CaseStepIn):
    include: bool = Field(description="为真:同意风险消除;为假:不予消除(须写理由)")
    reasons: list[Reason] = Field(default_factory=list, max_length=20)


def _run(write, out, case):
    """Run the step; answer the case as it is now (read again), or the refusal."""
    try:
        write()
    except REFUSALS as exc:
        return service_error(exc, {"household": "household_id"})
    return Answer(200, out(case))


def _verify(request, case, payload: CaseVerifyIn, photo):
    if payload.version is None:
        return service_error(ValidationError({"version": _("此项为必填项")}))
    household = None
    if payload.household_id is not None:
        household = registry.household_for(request.user, pk=payload.household_id)
        if household is None:
            return service_error(ValidationError({"household_id": _("所选农户不存在或不在您的数据范围内")}))
    return _run(
        lambda: services.verify(
            by=request.user,
            case=case,
            version=payload.version,
            consent_signed=payload.consent_signed,
            consent_photo=photo,
            verified_on=payload.verified_on,
            verification=payload.verification,
            household=household,
            request=request,
        ),
        lead_detail_out if isinstance(case, Lead) else elimination_detail_out,
        case,
    )


def _signed(handler, id_name: str, *params: inspect.Parameter):
    """Give a generated handler the signature ninja reads: request, the case's id in the path under
    its own name (lead_id, elimination_id), then `params`; the handler gets the id as `case_id`."""

    def view(request, **values):
        values["case_id"] = values.pop(id_name)
        return handler(request, **values)

    view.__signature__ = inspect.Signature(
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest),
            inspect.Parameter(id_name, inspect.Parameter.KEYWORD_ONLY, annotation=Path[DbId]),
            *params,
        ]
    )
    return view


def _payload(schema) -> inspect.Parameter:
    return inspect.Parameter("payload", inspect.Parameter.KEYWORD_ONLY, annotation=schema)


def _steps(prefix: str, name: str, fetch, out, decide_schema):
    """The chain's POSTs for one kind of case (`/leads/{lead_id}/…`, `/eliminations/{elimination_id}/…`);
    the handler names carry the kind (operation ids are unique within the app)."""
    label = "风险线索" if name == "lead" else "风险消除"  # OpenAPI summaries: plain text, as elsewhere
    id_name = f"{name}_id"
    out_schema = MonitoringLeadDetailOut if name == "lead" else MonitoringEliminationDetailOut

    def post(step: str, summary: str, view) -> None:
        view.__name__ = f"{name}_{step.replace('-', '_')}"
        router.post(
            f"{prefix}/{{{id_name}}}/{step}",
            response={200: out_schema, **WRITE_ERRORS},
            summary=f"{label}:{summary}",
        )(view)

    def register(step: str, schema, summary: str, call):
        def handler(request, *, case_id, payload):
            case = fetch(request, case_id)
            return _run(lambda: call(request, case, payload), out, case)

        post(step, summary, _signed(handler, id_name, _payload(schema)))

    def verify(request, *, case_id, payload, consent_photo=None):
        return _verify(request, fetch(request, case_id), payload, consent_photo)

    photo = inspect.Parameter(
        "consent_photo", inspect.Parameter.KEYWORD_ONLY, annotation=File[UploadedFile], default=None
    )
    post(
        "verify",
        "入户核实(上传承诺授权书照片,multipart)",
        _signed(verify, id_name, _payload(Form[CaseVerifyIn]), photo),
    )
    register(
        "compare",
        CaseCompareIn,
        "信息比对",
        lambda r, c, p: services.compare(
            by=r.user,
            case=c,
            version=p.version,
            comparison={str(s): a.model_dump() for s, a in p.comparison.items()},
            request=r,
        ),
    )
    register(
        "village-review",
        CaseReviewIn,
        "村级评议并开始公示",
        lambda r, c, p: services.village_review(
            by=r.user,
            case=c,
            version=p.version,
            votes_for=p.votes_for,
            votes_against=p.votes_against,
            votes_abstain=p.votes_abstain,
            publicity_from=p.publicity_from,
            request=r,
        ),
    )
    register(
        "end-publicity",
        CaseStepIn,
        "公示期满",
        lambda r, c, p: services.end_publicity(by=r.user, case=c, version=p.version, request=r),
    )
    register(
        "township-check",
        TownshipCheckIn,
        "乡镇审核",
        lambda r, c, p: services.township_check(
            by=r.user, case=c, version=p.version, approve=p.approve, reasons=p.reasons, request=r
        ),
    )
    register("county-decide", decide_schema, "县级审定", _decide)


def _decide(request, case, payload):
    extra = {}
    if isinstance(payload, LeadDecideIn):
        extra = {
            "type": str(payload.type or ""),
            "risks": None if payload.risks is None else [str(r) for r in payload.risks],
            "disaster_kind": None if payload.disaster_kind is None else str(payload.disaster_kind),
            "layer": payload.layer or None,
            "safety_net": payload.safety_net,
        }
    services.county_decide(
        by=request.user,
        case=case,
        version=payload.version,
        include=payload.include,
        reasons=payload.reasons,
        request=request,
        **extra,
    )


@router.post(
    "/leads/{lead_id}/accept",
    response={200: MonitoringLeadDetailOut, **WRITE_ERRORS},
    summary="风险线索:乡镇受理",
)
def lead_accept(request: HttpRequest, lead_id: Path[DbId], payload: LeadAcceptIn):
    lead = _visible_lead(request, lead_id)
    return _run(
        lambda: services.accept(
            by=request.user, lead=lead, version=payload.version, reason=payload.reason, request=request
        ),
        lead_detail_out,
        lead,
    )


@router.post(
    "/leads/{lead_id}/reject",
    response={200: MonitoringLeadDetailOut, **WRITE_ERRORS},
    summary="风险线索:不予受理",
)
def lead_reject(request: HttpRequest, lead_id: Path[DbId], payload: LeadRejectIn):
    lead = _visible_lead(request, lead_id)
    return _run(
        lambda: services.reject(
            by=request.user, lead=lead, version=payload.version, reasons=payload.reasons, request=request
        ),
        lead_detail_out,
        lead,
    )


_steps("/leads", "lead", _visible_lead, lead_detail_out, LeadDecideIn)


# --- eliminations -------------------------------------------------------------------------------

lists.api_list(
    router,
    "/eliminations",
    ELIMINATIONS,
    MonitoringEliminationOut,
    summary="风险消除列表",
    serialize=elimination_out,
)


@router.get(
    "/eliminations/{elimination_id}",
    response=MonitoringEliminationDetailOut,
    summary="风险消除详情(含办理记录)",
)
def get_elimination(request: HttpRequest, elimination_id: Path[DbId]):
    return elimination_detail_out(_visible_elimination(request, elimination_id))


_steps("/eliminations", "elimination", _visible_elimination, elimination_detail_out, EliminationDecideIn)
