"""Writes of monitoring records: leads from every channel, the review chain, objects, eliminations.

Every step is atomic and writes an event; a refusal raises TransitionRefused with every reason (in
Chinese), a stale `version` StaleVersion, a field problem ValidationError keyed by field, before
anything is written. `by` is the acting user (None: the system — the demo, a job); each step checks
its permission with core.permissions.require at the case's village code, counting only the user's
own data scopes (an assisting unit sees the villages it helps but does not run their reviews).

The review chain (choices.Stage), for a lead (风险线索) and for an elimination (风险消除) alike:

    SUBMITTED --accept (乡镇)--> ACCEPTED            a self-report; --reject--> REJECTED
    ACCEPTED  --verify (村, 入户核实)--> VERIFIED     承诺授权书 signed, with its photo
    VERIFIED  --compare (村, 信息比对)--> COMPARED    each department's answer
    COMPARED  --village_review (村级评议)--> PUBLICISING   for > against; 公示 from … for N days
    PUBLICISING --end_publicity--> PUBLICISED        once the days are over (a step, or a job)
    PUBLICISED --township_check (乡镇审核)--> CHECKED  or refused: NOT_INCLUDED with the reasons
    CHECKED   --county_decide (县级审定)--> DECIDED   a monitoring object made (or the risk
                                                     eliminated); or NOT_INCLUDED with the reasons

Each step recomputes the step deadline for the new stage (deadlines.step_due); the decision limit
is set once, when the case opens.
"""

import datetime
import json
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.audit.services import audit_diff, audit_record, audit_snapshot
from fupin.core import validators
from fupin.core.audit_actions import AuditAction
from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.core.permissions import require
from fupin.core.photos import check_photo
from fupin.core.versioning import update_if_current
from fupin.monitoring import deadlines, numbers
from fupin.monitoring.choices import (
    MAX_RISKS,
    Channel,
    DisasterKind,
    EliminationKind,
    ObjectStatus,
    ObjectType,
    Risk,
    Source,
    Stage,
)
from fupin.monitoring.models import (
    DibaoStandard,
    Elimination,
    EliminationEvent,
    Layer,
    Lead,
    LeadEvent,
    MonitoringLine,
    MonitoringObject,
    ObjectRisk,
)
from fupin.monitoring.selectors import (
    case_code,
    elimination_refusals,
    no_labour_capacity,
    open_lead_for,
    open_object_for,
)
from fupin.regions.models import Region
from fupin.registry import selectors as registry
from fupin.registry.choices import HouseholdStatus

CREATE = AuditAction.CREATE
UPDATE = AuditAction.UPDATE

REPORT = "monitoring.report_lead"  # the village: report, 入户核实, 信息比对, 村级评议, propose elimination
CHECK = "monitoring.check_lead"  # the township: accept self-reports, 乡镇审核
DECIDE = "monitoring.decide_lead"  # the county: 县级审定

MAX_REASON = 500
# A 公示 announced further ahead than this is a typo (and a far year would overflow the date).
PUBLICITY_AHEAD_DAYS = 30


def first_stage(channel: str) -> str:
    """A person's own report waits for the township to accept it; every other lead is accepted."""
    return Stage.SUBMITTED if channel == Channel.SELF_REPORT else Stage.ACCEPTED


@transaction.atomic
def open_lead(
    *,
    by,
    channel: str,
    village,
    opened_on: datetime.date | None = None,
    reason: str = "",
    id_number: str = "",
    phone: str = "",
    **fields,
) -> Lead:
    """Write a new lead with its receipt number, its deadlines and its first event.

    The primitive every channel uses (the self-report page, a cadre's 发现风险, a department list, a
    rule run writing one lead); callers check permission and validate fields first. `id_number` must
    be normalised and validated by the registry's rule (registry.idnumbers)."""
    opened_on = opened_on or timezone.localdate()
    stage = first_stage(channel)
    limits = deadlines.limits_for(village.code)
    lead = Lead(
        channel=channel,
        village=village,
        stage=stage,
        opened_on=opened_on,
        step_due=deadlines.step_due(limits, opened_on, stage),
        decision_due=deadlines.decision_due(limits, opened_on),
        reported_by=by,
        **fields,
    )
    if id_number:
        lead.set_id_number(id_number)
    if phone:
        lead.set_phone(phone)
    for _attempt in range(5):  # a random receipt colliding with another is rare; try a new one
        lead.number = numbers.receipt(opened_on)
        try:
            with transaction.atomic():
                lead.save()
            break
        except IntegrityError:
            if Lead._base_manager.filter(number=lead.number).exists():
                lead.pk = None
                continue
            raise
    LeadEvent.objects.create(lead=lead, actor=by, from_status="", to_status=stage, reason=reason)
    return lead


# --- what every step shares ---------------------------------------------------------------------


def _what(case) -> str:
    return _("线索") if isinstance(case, Lead) else _("风险消除")


def _snapshot(instance) -> dict:
    """audit_snapshot with a file as its stored name (a FieldFile is no JSON value)."""
    return {
        k: ((v.name or "") if isinstance(v, FieldFile) else v) for k, v in audit_snapshot(instance).items()
    }


def _region_of(instance) -> str:
    if isinstance(instance, Lead):
        return instance.village_id
    if isinstance(instance, Elimination):
        return instance.object.household.village_id
    if isinstance(instance, MonitoringObject):
        return instance.household.village_id
    return getattr(instance, "region_id", "") or ""


def _audit(by, request, instance, action: str, before: dict | None = None) -> None:
    """One audit row per write, as audit_model_change writes it (the consent photo by its name)."""
    sensitive = frozenset(getattr(type(instance), "audit_sensitive_fields", ()))
    old = {} if action == CREATE else (before or {})
    audit_record(
        action=action,
        actor=by,
        request=request,
        obj=instance,
        region_code=_region_of(instance),
        changes=audit_diff(old, _snapshot(instance), sensitive=sensitive),
    )


def _begin(by, case, version, perm: str, sources, step: str):
    """Check the permission at the case's village, lock its row, compare the version and the stage.

    version None: the system's own step (a job ending a 公示) takes the row as it is."""
    require(by, perm, code=case_code(case), own=True)
    row = type(case)._base_manager.select_for_update().get(pk=case.pk)
    if version is not None and row.version != version:
        raise StaleVersion()
    if row.stage not in sources:
        raise TransitionRefused(
            [
                _("该%(what)s当前环节为“%(stage)s”,不能%(step)s")
                % {"what": _what(row), "stage": row.get_stage_display(), "step": step}
            ]
        )
    return row


def _event(case, by, from_status: str, to_status: str, reason: str) -> None:
    if isinstance(case, Lead):
        LeadEvent.objects.create(
            lead=case, actor=by, from_status=from_status, to_status=to_status, reason=reason
        )
    else:
        EliminationEvent.objects.create(
            elimination=case, actor=by, from_status=from_status, to_status=to_status, reason=reason
        )


def _advance(by, row, to: str, values: dict | None = None, reason: str = "", request=None):
    """Move the locked `row` to `to` with `values`, its step deadline recomputed; event and audit."""
    before = _snapshot(row)
    old = row.stage
    limits = deadlines.limits_for(case_code(row))
    changes = {**(values or {}), "stage": to, "step_due": deadlines.step_due(limits, row.opened_on, to)}
    update_if_current(row, row.version, changes)
    row.refresh_from_db()
    _event(row, by, old, to, reason)
    _audit(by, request, row, UPDATE, before)
    return row


def _reasons(errors: dict, value, field: str = "reasons") -> list[str]:
    """Every reason given (a list, or text with one reason a line), each on one line; at least one."""
    if isinstance(value, str):
        value = value.splitlines()
    reasons = []
    for item in value or ():
        text = " ".join(str(item or "").split())
        if not text:
            continue
        if len(text) > MAX_REASON:
            errors[field] = _("每条理由最多%(n)d个字") % {"n": MAX_REASON}
        elif validators.has_control(text):
            errors[field] = _("含有不允许的控制字符")
        reasons.append(text)
    if not reasons and field not in errors:
        errors[field] = _("请填写理由(每条一行)")
    return reasons


def _date(errors: dict, field: str, value, *, earliest: datetime.date | None = None):
    if value in (None, ""):
        errors[field] = _("此项为必填项")
        return None
    try:
        day = validators.past_date(value)
    except ValidationError as exc:
        errors[field] = exc.messages[0]
        return None
    if earliest and day < earliest:
        errors[field] = _("日期不能早于%(date)s") % {"date": earliest.isoformat()}
    return day


def _risks(errors: dict, risks, disaster_kind: str) -> tuple[list[str], str]:
    """Up to five distinct national risk codes; 因自然灾害 needs its kind of disaster."""
    risks = [str(r) for r in (risks or ())]
    if not risks:
        errors["risks"] = _("请至少选择一项风险类型")
    elif len(risks) > MAX_RISKS:
        errors["risks"] = _("风险类型最多选择%(n)d项") % {"n": MAX_RISKS}
    elif any(r not in Risk.values for r in risks):
        errors["risks"] = _("无效的风险类型:%(risk)s") % {
            "risk": next(r for r in risks if r not in Risk.values)
        }
    elif len(set(risks)) != len(risks):
        errors["risks"] = _("风险类型不能重复")
    disaster_kind = disaster_kind or ""
    if Risk.DISASTER in risks:
        if disaster_kind not in DisasterKind.values:
            errors["disaster_kind"] = _("因自然灾害须选择灾害类型")
    else:
        disaster_kind = ""  # a kind of disaster belongs to 因自然灾害 only
    return risks, disaster_kind


def _vote(errors: dict, field: str, value) -> int | None:
    if value in (None, ""):
        errors[field] = _("此项为必填项")
        return None
    if isinstance(value, bool):
        errors[field] = _("应为整数")
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = _("应为整数")
        return None
    if number != value and str(number) != str(value).strip():
        errors[field] = _("应为整数")
    elif number < 0:
        errors[field] = _("票数不能为负数")
    elif number > 32767:
        errors[field] = _("票数过大")
    return number


def _refuse(reasons: list) -> None:
    if reasons:
        raise TransitionRefused(reasons)


def _today(on) -> datetime.date:
    return on or timezone.localdate()


# --- a cadre's 发现风险 -------------------------------------------------------------------------


@transaction.atomic
def report_lead(
    *,
    by,
    household,
    risks,
    hardship: str = "",
    disaster_kind: str = "",
    opened_on: datetime.date | None = None,
    request=None,
) -> Lead:
    """干部排查: a cadre flags a risk on a registered household (from a visit or a sweep): a lead of
    channel CADRE, accepted at once (it waits for 入户核实). Refused while the household has a lead in
    the chain or is a monitoring object whose risk is not eliminated."""
    require(by, REPORT, code=household.village_id, own=True)
    reasons = []
    lead = open_lead_for(household)
    if lead is not None:
        reasons.append(_("该户已有正在办理的风险线索(%(number)s)") % {"number": lead.number})
    if open_object_for(household) is not None:
        reasons.append(_("该户已是监测对象(风险未消除),请在监测对象页面更新风险"))
    _refuse(reasons)
    errors: dict = {}
    risks, disaster_kind = _risks(errors, risks, disaster_kind)
    hardship = validators.text(errors, "hardship", hardship, max_length=2000)
    opened_on = _date(errors, "opened_on", opened_on or timezone.localdate())
    validators.raise_errors(errors)
    lead = open_lead(
        by=by,
        channel=Channel.CADRE,
        village=household.village,
        opened_on=opened_on,
        reason=_("干部排查发现风险"),
        household=household,
        risks=risks,
        disaster_kind=disaster_kind,
        hardship=hardship,
    )
    _audit(by, request, lead, CREATE)
    return lead


# --- 受理 (self-reports) -----------------------------------------------------------------------


@transaction.atomic
def accept(*, by, lead: Lead, version: int, reason: str = "", request=None) -> Lead:
    """The township accepts a self-report (its deadline: `accept_working_days` working days from the
    report; accepting later is still allowed, the case shows orange until then)."""
    row = _begin(by, lead, version, CHECK, (Stage.SUBMITTED,), _("受理"))
    errors: dict = {}
    reason = validators.text(errors, "reason", reason, max_length=MAX_REASON)
    validators.raise_errors(errors)
    return _advance(by, row, Stage.ACCEPTED, reason=reason or _("乡镇受理"), request=request)


@transaction.atomic
def reject(*, by, lead: Lead, version: int, reasons, request=None) -> Lead:
    """The township does not accept a self-report: every reason is recorded and the lead closes."""
    row = _begin(by, lead, version, CHECK, (Stage.SUBMITTED,), _("作不予受理处理"))
    errors: dict = {}
    reasons = _reasons(errors, reasons)
    validators.raise_errors(errors)
    return _advance(
        by,
        row,
        Stage.REJECTED,
        {"closing_reasons": reasons, "decided_on": timezone.localdate()},
        reason=_("不予受理:%(reasons)s") % {"reasons": ";".join(reasons)},
        request=request,
    )


# --- 入户核实 ----------------------------------------------------------------------------------

_PHOTO_SUFFIX = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


def _linked_household(errors: dict, by, row, household):
    """The registry household of a lead after 入户核实: the one it names, or the one given here
    (a self-report by someone not yet linked), which must be in the lead's village and in scope."""
    if not isinstance(row, Lead):
        if household is not None and household.pk != row.object.household_id:
            errors["household"] = _("风险消除的农户即监测对象本身,不能改为其他农户")
        return None
    if household is None:
        if row.household_id is None:
            errors["household"] = _(
                "该线索尚未关联农户:请先在本村登记该户(或找到已登记的户),再选择关联后核实"
            )
        return None
    if row.household_id is not None and household.pk != row.household_id:
        errors["household"] = _("该线索已关联农户,不能改为其他农户")
        return None
    found = registry.household_for(by, pk=household.pk)
    if found is None:
        errors["household"] = _("所选农户不存在或不在您的数据范围内")
        return None
    if found.village_id != row.village_id:
        errors["household"] = _("所选农户不在本线索所在的行政村(%(village)s)") % {"village": row.village_id}
    elif (other := open_lead_for(found, exclude=row)) is not None:
        errors["household"] = _("该户已有正在办理的风险线索(%(number)s)") % {"number": other.number}
    elif open_object_for(found) is not None:
        errors["household"] = _("该户已是监测对象(风险未消除)")
    return found


@transaction.atomic
def verify(
    *,
    by,
    case,
    version: int,
    consent_signed: bool,
    consent_photo,
    verified_on: datetime.date,
    verification: str,
    household=None,
    request=None,
):
    """入户核实: the village visits the household, records what it found, and the household signs the
    承诺授权书 (consent to query its assets), photographed. A lead without a registered household
    (a self-report) is linked to one here."""
    row = _begin(by, case, version, REPORT, (Stage.ACCEPTED,), _("入户核实"))
    errors: dict = {}
    if consent_signed is not True:
        errors["consent_signed"] = _("须由农户签署承诺授权书(同意查询家庭资产信息)后方可核实")
    if not consent_photo:
        errors["consent_photo"] = _("请上传已签署的承诺授权书照片")
    else:
        try:
            content_type = check_photo(consent_photo)
        except ValidationError as exc:
            errors["consent_photo"] = exc.messages[0]
    verified_on = _date(errors, "verified_on", verified_on, earliest=row.opened_on)
    verification = validators.text(errors, "verification", verification, max_length=2000, required=True)
    linked = _linked_household(errors, by, row, household)
    validators.raise_errors(errors)
    # A name of our own: the upload's name may carry the household's name or ID number.
    name = f"{row.opened_on:%Y%m}/{secrets.token_hex(12)}{_PHOTO_SUFFIX.get(content_type, '')}"
    row.consent_photo.save(name, consent_photo, save=False)
    values = {
        "consent_signed": True,
        "consent_photo": row.consent_photo.name,
        "verified_on": verified_on,
        "verification": verification,
    }
    if linked is not None:
        values["household"] = linked
    return _advance(by, row, Stage.VERIFIED, values, reason=verification, request=request)


# --- 信息比对 ----------------------------------------------------------------------------------


def _comparison(errors: dict, value) -> dict:
    """{source: {"ok": bool, "note": str}} for at least one department (choices.Source)."""
    if not isinstance(value, dict) or not value:
        errors["comparison"] = _("请至少填写一个部门的比对结果")
        return {}
    clean = {}
    for source, answer in value.items():
        if source not in Source.values:
            errors["comparison"] = _("未知的比对部门:%(source)s") % {"source": str(source)[:20]}
            continue
        if isinstance(answer, bool):
            answer = {"ok": answer}
        if not isinstance(answer, dict) or not isinstance(answer.get("ok"), bool):
            errors["comparison"] = _("%(source)s的比对结果应为“一致”或“不一致”") % {
                "source": Source(source).label
            }
            continue
        note_errors: dict = {}
        note = validators.text(note_errors, "note", answer.get("note", ""), max_length=200, single_line=True)
        if note_errors:
            errors["comparison"] = f"{Source(source).label}:{note_errors['note']}"
        clean[source] = {"ok": answer["ok"], "note": note}
    return clean


@transaction.atomic
def compare(*, by, case, version: int, comparison: dict, request=None):
    """信息比对: each department's data on the household compared (医保, 民政, 残联 …), in parallel;
    a mismatch is recorded for the 评议, it does not stop the case."""
    row = _begin(by, case, version, REPORT, (Stage.VERIFIED,), _("信息比对"))
    errors: dict = {}
    clean = _comparison(errors, comparison)
    validators.raise_errors(errors)
    problems = [str(Source(s).label) for s, a in clean.items() if not a["ok"]]
    reason = _("已比对%(n)d个部门") % {"n": len(clean)}
    if problems:
        reason += _(",不一致:%(sources)s") % {"sources": "、".join(problems)}
    return _advance(by, row, Stage.COMPARED, {"comparison": clean}, reason=reason, request=request)


# --- 村级评议 and 公示 -------------------------------------------------------------------------


@transaction.atomic
def village_review(
    *,
    by,
    case,
    version: int,
    votes_for,
    votes_against,
    votes_abstain,
    publicity_from: datetime.date,
    request=None,
):
    """村级评议 (vote counts) and the start of the 村内公示, which runs the province's `publicity_days`
    (at least five): `publicity_to` is `publicity_from` plus those days, and the case waits until it
    has passed. More votes for than against to proceed."""
    row = _begin(by, case, version, REPORT, (Stage.COMPARED,), _("村级评议"))
    errors: dict = {}
    votes = {
        name: _vote(errors, name, value)
        for name, value in (
            ("votes_for", votes_for),
            ("votes_against", votes_against),
            ("votes_abstain", votes_abstain),
        )
    }
    if publicity_from in (None, ""):
        errors["publicity_from"] = _("此项为必填项")
    elif not isinstance(publicity_from, datetime.date):
        errors["publicity_from"] = _("请输入日期(YYYY-MM-DD)")
    elif publicity_from < row.opened_on:
        errors["publicity_from"] = _("公示开始日期不能早于线索发起日期(%(date)s)") % {
            "date": row.opened_on.isoformat()
        }
    elif publicity_from > timezone.localdate() + datetime.timedelta(days=PUBLICITY_AHEAD_DAYS):
        errors["publicity_from"] = _("公示开始日期不能晚于%(n)d天后") % {"n": PUBLICITY_AHEAD_DAYS}
    validators.raise_errors(errors)
    if votes["votes_for"] <= votes["votes_against"]:
        raise TransitionRefused(
            [
                _("评议未通过:同意%(yes)d票,反对%(no)d票,同意票须多于反对票")
                % {"yes": votes["votes_for"], "no": votes["votes_against"]}
            ]
        )
    days = deadlines.limits_for(case_code(row)).publicity_days
    publicity_to = publicity_from + datetime.timedelta(days=days)
    reason = _("同意%(yes)d票、反对%(no)d票、弃权%(abstain)d票;公示%(start)s至%(end)s") % {
        "yes": votes["votes_for"],
        "no": votes["votes_against"],
        "abstain": votes["votes_abstain"],
        "start": publicity_from.isoformat(),
        "end": publicity_to.isoformat(),
    }
    return _advance(
        by,
        row,
        Stage.PUBLICISING,
        {**votes, "publicity_from": publicity_from, "publicity_to": publicity_to},
        reason=reason,
        request=request,
    )


@transaction.atomic
def end_publicity(*, by, case, version: int | None = None, on: datetime.date | None = None, request=None):
    """The 公示 is over: PUBLICISING → PUBLICISED, refused before `publicity_to` has passed. A step
    of the village (with its version), or the system's (by=None, version=None: end_publicities)."""
    row = _begin(by, case, version, REPORT, (Stage.PUBLICISING,), _("结束公示"))
    today = _today(on)
    if row.publicity_to is None or today <= row.publicity_to:
        raise TransitionRefused(
            [
                _("公示期至%(end)s,尚未期满")
                % {"end": row.publicity_to.isoformat() if row.publicity_to else "—"}
            ]
        )
    return _advance(by, row, Stage.PUBLICISED, reason=_("公示期满,无异议"), request=request)


def end_publicities(*, on: datetime.date | None = None, progress=None) -> int:
    """End every 公示 whose days are over (a nightly job; `progress(done, total, message)` as every
    long piece of work). Each case in its own transaction: one refused case stops nothing else."""
    today = _today(on)
    due = [
        *Lead.objects.filter(stage=Stage.PUBLICISING, publicity_to__lt=today).select_related("village"),
        *Elimination.objects.filter(stage=Stage.PUBLICISING, publicity_to__lt=today).select_related(
            "object__household"
        ),
    ]
    ended = 0
    for done, case in enumerate(due, start=1):
        try:
            end_publicity(by=None, case=case, on=today)
            ended += 1
        except (TransitionRefused, StaleVersion):
            pass  # moved on meanwhile (the village ended it by hand)
        if progress is not None:
            progress(done, len(due), _("公示期满转乡镇审核"))
    return ended


# --- 乡镇审核 and 县级审定 --------------------------------------------------------------------


def _close(by, row, reasons: list[str], label: str, on, request):
    """A decision not to include (or not to eliminate): every reason recorded, the case closed."""
    return _advance(
        by,
        row,
        Stage.NOT_INCLUDED,
        {"closing_reasons": reasons, "decided_on": on},
        reason=f"{label}:{';'.join(reasons)}",
        request=request,
    )


@transaction.atomic
def township_check(
    *, by, case, version: int, approve: bool, reasons=(), on: datetime.date | None = None, request=None
):
    """乡镇审核 of a publicised case: approved, it goes to the county; refused, every reason is
    recorded and the case closes (不予纳入 / 不予消除)."""
    row = _begin(by, case, version, CHECK, (Stage.PUBLICISED,), _("乡镇审核"))
    if approve:
        errors: dict = {}
        note = [r for r in (reasons if not isinstance(reasons, str) else [reasons]) if str(r).strip()]
        text = validators.text(errors, "reasons", ";".join(map(str, note)), max_length=MAX_REASON)
        validators.raise_errors(errors)
        return _advance(by, row, Stage.CHECKED, reason=text or _("乡镇审核通过"), request=request)
    errors = {}
    reasons = _reasons(errors, reasons)
    validators.raise_errors(errors)
    return _close(by, row, reasons, _("乡镇审核不通过"), _today(on), request)


def _layer(errors: dict, layer):
    if layer in (None, ""):
        return None
    if isinstance(layer, Layer):
        return layer
    found = Layer.objects.filter(code=str(layer)).first()
    if found is None:
        errors["layer"] = _("没有这个帮扶层级")
    return found


@transaction.atomic
def county_decide(
    *,
    by,
    case,
    version: int,
    include: bool,
    type: str = "",  # noqa: A002 - the national form's name (监测对象类型)
    risks=None,
    layer=None,
    safety_net: bool = False,
    reasons=(),
    disaster_kind: str | None = None,
    on: datetime.date | None = None,
    request=None,
) -> MonitoringObject | None:
    """县级审定. A lead: include=True makes the household a monitoring object (its type, risks — the
    lead's when None —, layer and 兜底) and returns it; include=False records every reason and closes
    the lead. An elimination: include=True marks the object's risk eliminated (returned), False
    keeps it monitored and closes the proposal with the reasons."""
    row = _begin(by, case, version, DECIDE, (Stage.CHECKED,), _("县级审定"))
    today = _today(on)
    if not include:
        errors: dict = {}
        reasons = _reasons(errors, reasons)
        validators.raise_errors(errors)
        label = _("县级审定不予纳入") if isinstance(row, Lead) else _("县级审定不予消除")
        _close(by, row, reasons, label, today, request)
        return None
    if isinstance(row, Elimination):
        return _decide_elimination(by, row, today, request)
    return _decide_lead(by, row, today, type, risks, disaster_kind, layer, safety_net, request)


def _decide_lead(by, row: Lead, today, type_, risks, disaster_kind, layer, safety_net, request):
    household = registry.household_for(None, pk=row.household_id) if row.household_id else None
    if household is None:
        raise TransitionRefused([_("线索尚未关联农户,请先完成入户核实")])
    if open_object_for(household) is not None:
        raise TransitionRefused([_("该户已是监测对象(风险未消除),不能重复纳入")])
    errors: dict = {}
    type_ = type_ or row.proposed_type
    if type_ not in ObjectType.values:
        errors["type"] = _("请选择监测对象类型")
    if risks is None:
        risks, disaster_kind = row.risks, row.disaster_kind if disaster_kind is None else disaster_kind
    risks, disaster_kind = _risks(errors, risks, disaster_kind or "")
    layer = _layer(errors, layer)
    if safety_net and not no_labour_capacity(household):
        errors["safety_net"] = _(
            "兜底保障仅适用于整户无劳动能力的家庭(每位成员的劳动技能均为“丧失劳动力”或“无劳动力”)"
        )
    validators.raise_errors(errors)
    try:
        with transaction.atomic():
            obj = MonitoringObject.objects.create(
                household=household,
                lead=row,
                type=type_,
                former_poor=household.status in (HouseholdStatus.EXITED, HouseholdStatus.RETURNED),
                identified_on=today,
                safety_net=bool(safety_net),
                layer=layer,
            )
    except IntegrityError:  # another decision on the same household came first
        raise TransitionRefused([_("该户已是监测对象(风险未消除),不能重复纳入")]) from None
    ObjectRisk.objects.bulk_create(
        ObjectRisk(
            object=obj,
            risk=risk,
            disaster_kind=disaster_kind if risk == Risk.DISASTER else "",
            order=order,
        )
        for order, risk in enumerate(risks)
    )
    _audit(by, request, obj, CREATE)
    _advance(
        by,
        row,
        Stage.DECIDED,
        {"decided_on": today, "proposed_type": type_},
        reason=_("县级审定纳入监测对象:%(type)s") % {"type": ObjectType(type_).label},
        request=request,
    )
    return obj


def _decide_elimination(by, row: Elimination, today, request) -> MonitoringObject:
    obj = MonitoringObject._base_manager.select_for_update().get(pk=row.object_id)
    reasons = []
    if obj.status != ObjectStatus.MONITORED:
        reasons.append(_("该监测对象的风险已消除"))
    if obj.safety_net and no_labour_capacity(obj.household):
        reasons.append(_("兜底户不标注风险消除(整户无劳动能力兜底保障)"))
    _refuse(reasons)
    before = _snapshot(obj)
    update_if_current(
        obj,
        obj.version,
        {"status": ObjectStatus.ELIMINATED, "eliminated_on": today, "elimination_kind": row.kind},
    )
    obj.refresh_from_db()
    _audit(by, request, obj, UPDATE, before)
    _advance(
        by,
        row,
        Stage.DECIDED,
        {"decided_on": today},
        reason=_("县级审定风险消除:%(kind)s") % {"kind": row.get_kind_display()},
        request=request,
    )
    return obj


# --- 风险消除 ----------------------------------------------------------------------------------


@transaction.atomic
def propose_elimination(
    *, by, object: MonitoringObject, kind: str, basis=None, on: datetime.date | None = None, request=None
) -> Elimination:  # noqa: A002 - `object` is the contract's name for the monitoring object
    """The village proposes 风险消除 (帮扶消除 or 自然消除) when the income is stably above the
    monitoring line, 三保障 and water are secure and no new risk exists (selectors.
    elimination_refusals says every reason otherwise); a 兜底 household without labour capacity is
    never marked eliminated. The proposal goes through the same chain, from 入户核实.

    basis: the proposer's own notes (a dict, e.g. {"note": …}); the figures it stands on are added
    from the records and cannot be overridden."""
    obj = object
    require(by, REPORT, code=obj.household.village_id, own=True)
    locked = MonitoringObject._base_manager.select_for_update().get(pk=obj.pk)
    today = _today(on)
    refusals, figures = elimination_refusals(locked, today)
    _refuse(refusals)
    errors: dict = {}
    if kind not in EliminationKind.values:
        errors["kind"] = _("请选择风险消除方式")
    if basis is not None and not isinstance(basis, dict):
        errors["basis"] = _("消除依据格式不正确")
    elif basis and len(json.dumps(basis, ensure_ascii=False, default=str)) > 2000:
        errors["basis"] = _("消除依据过长")
    validators.raise_errors(errors)
    limits = deadlines.limits_for(locked.household.village_id)
    elimination = Elimination.objects.create(
        object=locked,
        kind=kind,
        basis={**(basis or {}), **figures},
        proposed_by=by,
        stage=Stage.ACCEPTED,
        opened_on=today,
        step_due=deadlines.step_due(limits, today, Stage.ACCEPTED),
        decision_due=deadlines.decision_due(limits, today),
    )
    note = (basis or {}).get("note") if isinstance(basis, dict) else ""
    _event(
        elimination,
        by,
        "",
        Stage.ACCEPTED,
        _("村级提出%(kind)s") % {"kind": EliminationKind(kind).label} + (f":{note}" if note else ""),
    )
    _audit(by, request, elimination, CREATE)
    return elimination


# --- standards: monitoring lines and 低保 standards ----------------------------------------------

# A standard belongs to a province (it sets it), a city or a county (it may set its own).
STANDARD_LEVELS = (2, 4, 6)


def _set_standard(model, perm: str, *, by, region, year, amount, note: str, request):
    code = getattr(region, "code", region)
    require(by, perm.format(action="change"))  # the role first: no field answers for who may not write
    errors: dict = {}
    if len(str(code or "")) not in STANDARD_LEVELS:
        errors["region"] = _("标准只能按省、市或县设定")
    year = validators.year(errors, "year", year, earliest=2016, latest=timezone.localdate().year + 1)
    amount = validators.money(errors, "amount", amount, positive=True, limit=10**7)
    note = validators.text(errors, "note", note, max_length=200, single_line=True)
    validators.raise_errors(errors)
    region = region if isinstance(region, Region) else Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({"region": _("没有这个区划")})
    existing = model.objects.filter(year=year, region=region).first()
    app_perm = perm.format(action="change" if existing else "add")
    require(by, app_perm, code=region.code, own=True)
    if existing is None:
        row = model.objects.create(year=year, region=region, amount=amount, note=note)
        _audit(by, request, row, CREATE)
        return row
    before = _snapshot(existing)
    existing.amount, existing.note = amount, note
    existing.save(update_fields=["amount", "note"])
    _audit(by, request, existing, UPDATE, before)
    return existing


@transaction.atomic
def set_monitoring_line(*, by, region, year, amount, note: str = "", request=None) -> MonitoringLine:
    """Set (or change) the 监测标准 of a year for a province, city or county; history by year."""
    return _set_standard(
        MonitoringLine,
        "monitoring.{action}_monitoringline",
        by=by,
        region=region,
        year=year,
        amount=amount,
        note=note,
        request=request,
    )


@transaction.atomic
def set_dibao_standard(*, by, region, year, amount, note: str = "", request=None) -> DibaoStandard:
    """Set (or change) the rural 低保 standard of a year for a province, city or county."""
    return _set_standard(
        DibaoStandard,
        "monitoring.{action}_dibaostandard",
        by=by,
        region=region,
        year=year,
        amount=amount,
        note=note,
        request=request,
    )
