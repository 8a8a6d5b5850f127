"""农户自主申报: the public self-report (no login) and what its receipt number shows back.

`submit_self_report` checks every field with the registry's rules (one rule per field: ID numbers
with registry.idnumbers, phones with core.validators.mobile_phone), limits repeated submissions and
writes the lead through `services.open_lead` (receipt number, the township's 2-working-day deadline,
the first event). The ID number is stored as the registry stores it (encrypted, with the same keyed
index as a member's), so the township sees at once whether a registered person applied: the lead is
linked to the household when a member with that index lives in the chosen village. The applicant is
never told whether it matched: every answer of the public pages is the same either way.

Repeats are limited without a captcha service (the villages' phones have no access to one, and a
puzzle is a barrier for the people this page is for): each accepted report leaves two marks, keyed
hashes of the client address and of the ID number (core.crypto.blind_index under purposes of their
own, so a mark cannot be joined to a member's index), counted over a sliding window. Marks older
than the longest window are pruned at every submission.

`progress` answers a receipt number with the stage, the dates of the steps and the deadline, and
the township that handles it — nothing personal (see its docstring for why the township only).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.audit.services import audit_record
from fupin.core import crypto
from fupin.core.audit_actions import AuditAction
from fupin.core.masking import mask_text
from fupin.core.validators import mobile_phone, raise_errors, text
from fupin.monitoring import deadlines, services
from fupin.monitoring.choices import MAX_RISKS, OPEN_STAGES, Channel, Risk, Stage, Urgency
from fupin.monitoring.models import Lead, SubmissionMark
from fupin.regions.models import Region
from fupin.regions.selectors import is_wellformed_code, path_of
from fupin.registry import selectors as registry_selectors
from fupin.registry.idnumbers import parse_id_number

# Limits (settings FUPIN_SELF_REPORT_PER_ID_PER_DAY = 3, …_PER_IP_PER_HOUR = 10): accepted reports per
# ID number in 24 hours, per client address in an hour. A household has one applicant and rarely a
# reason to apply three times a day; a village's shared Wi-Fi or a carrier's NAT may put several
# applicants behind one address.
ID_WINDOW = datetime.timedelta(days=1)
IP_WINDOW = datetime.timedelta(hours=1)
KEEP_MARKS = max(ID_WINDOW, IP_WINDOW)

# The keyed hashes' purposes: never "id" (a member's index), so a mark joins to nothing.
IP_PURPOSE = "selfreport-ip"
ID_PURPOSE = "selfreport-id"

NAME_MAX = 50
HARDSHIP_MAX = 1000


class SubmissionLimited(Exception):
    """Too many reports from this address or for this ID number just now (the page answers 429)."""

    def __init__(self, message: str, *, retry_after: datetime.timedelta):
        super().__init__(message)
        self.message = message
        self.retry_after = int(retry_after.total_seconds())  # the window: an answer's Retry-After


def limits() -> tuple[int, int]:
    return (
        settings.FUPIN_SELF_REPORT_PER_ID_PER_DAY,
        settings.FUPIN_SELF_REPORT_PER_IP_PER_HOUR,
    )


@dataclass(frozen=True)
class _Report:
    name: str
    phone: str
    id_number: str
    village: Region
    risks: list[str]
    hardship: str


def _clean(*, name, phone, id_number, village_code, risks, hardship) -> _Report:
    """Every field checked before refusing, so one answer lists every problem (under its field)."""
    errors: dict = {}
    name = text(errors, "name", name, max_length=NAME_MAX, required=True, single_line=True)
    if "name" in errors and not name:
        errors["name"] = _("请填写户主姓名")

    phone = str(phone or "").strip()
    if not phone:
        errors["phone"] = _("请填写手机号码")
    else:
        try:
            phone = mobile_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]

    number = str(id_number or "").strip()
    if not number:
        errors["id_number"] = _("请填写身份证号")
    else:
        try:
            number = parse_id_number(number).value
        except ValidationError as exc:
            errors["id_number"] = exc.messages[0]

    village = None
    code = str(village_code or "").strip()
    if not code:
        errors["village"] = _("请选择所在的行政村(社区)")
    elif not is_wellformed_code(code) or len(code) != 12:
        errors["village"] = _("请选择到行政村(社区)一级")
    else:
        village = Region.objects.filter(code=code, level=Region.Level.VILLAGE).first()
        if village is None:
            errors["village"] = _("所选行政村不存在,请重新选择")

    chosen = [str(r) for r in (risks or [])]
    valid = set(Risk.values)
    if not chosen:
        errors["risks"] = _("请至少选择一项风险类型")
    elif any(r not in valid for r in chosen):
        errors["risks"] = _("风险类型无效,请重新选择")
    elif len(set(chosen)) > MAX_RISKS:
        errors["risks"] = _("风险类型最多选择%(n)d项") % {"n": MAX_RISKS}
    # In the national form's order, each once.
    chosen = [r for r in Risk.values if r in set(chosen)]

    hardship = text(errors, "hardship", hardship, max_length=HARDSHIP_MAX, required=True)
    if "hardship" in errors and not hardship:
        errors["hardship"] = _("请简要说明家庭困难情况")
    # An ID number or phone typed into the story has its own encrypted field: never kept in clear.
    hardship = mask_text(hardship)

    raise_errors(errors)
    return _Report(name, phone, number, village, chosen, hardship)


def _lock(*keys: str) -> None:
    """Serialise the check-then-write of the same marks (two tabs submitting at once). SQLite's
    IMMEDIATE transactions already serialise writers; PostgreSQL takes a lock per key, in order."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(keys):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"monitoring:{key}"])


def _check_limits(ip_key: str, id_key: str, now) -> None:
    per_id, per_ip = limits()
    marks = SubmissionMark.objects
    if marks.filter(kind="ip", key=ip_key, at__gte=now - IP_WINDOW).count() >= per_ip:
        raise SubmissionLimited(
            _("当前网络提交的申报过多,请一小时后再试;情况紧急请直接联系村委会或乡镇。"),
            retry_after=IP_WINDOW,
        )
    if marks.filter(kind="id", key=id_key, at__gte=now - ID_WINDOW).count() >= per_id:
        raise SubmissionLimited(
            _("该身份证号今天已提交%(n)d次申报,请勿重复提交;乡镇受理后会与您联系,可凭受理编号查询办理进度。")
            % {"n": per_id},
            retry_after=ID_WINDOW,
        )


def prune_marks(now=None) -> int:
    """Forget marks older than the longest window: they count for nothing any more."""
    now = now or timezone.now()
    deleted, _ignored = SubmissionMark.objects.filter(at__lt=now - KEEP_MARKS).delete()
    return deleted


def _matching_household(id_number: str, village_code: str) -> int | None:
    """The household of the chosen village whose registered member has this ID number's keyed index."""
    members = registry_selectors.members_matching(id_number)
    return members.filter(household__village_id=village_code).values_list("household_id", flat=True).first()


def submit_self_report(*, name, phone, id_number, village_code, risks, hardship, client_ip) -> Lead:
    """Write a self-reported lead (stage 待受理, due within 2 working days), or refuse it: a
    ValidationError keyed by field (name, phone, id_number, village, risks, hardship), or
    SubmissionLimited when this address or ID number has reported too often just now."""
    report = _clean(
        name=name,
        phone=phone,
        id_number=id_number,
        village_code=village_code,
        risks=risks,
        hardship=hardship,
    )
    ip_key = crypto.blind_index(IP_PURPOSE, str(client_ip or "").strip() or "unknown")
    id_key = crypto.blind_index(ID_PURPOSE, report.id_number)
    with transaction.atomic():
        _lock(ip_key, id_key)
        now = timezone.now()
        prune_marks(now)
        _check_limits(ip_key, id_key, now)
        lead = services.open_lead(
            by=None,
            channel=Channel.SELF_REPORT,
            village=report.village,
            id_number=report.id_number,
            phone=report.phone,
            applicant_name=report.name,
            risks=report.risks,
            hardship=report.hardship,
            household_id=_matching_household(report.id_number, report.village.code),
            reason=_("农户自主申报"),
        )
        SubmissionMark.objects.bulk_create(
            [SubmissionMark(kind="ip", key=ip_key), SubmissionMark(kind="id", key=id_key)]
        )
        # The audit row names the lead, never the applicant: no name, phone, ID number, hardship
        # (it may tell an illness) or address; the lead itself holds them, encrypted where personal.
        audit_record(
            action=AuditAction.CREATE,
            obj=lead,
            region_code=report.village.code,
            changes={"channel": lead.channel, "stage": lead.stage, "step_due": lead.step_due},
            detail=_("农户自主申报"),
        )
    return lead


# ---------------------------------------------------------------- what a receipt number shows

CLOSED_NOTES = {
    Stage.DECIDED: gettext_lazy("县级已审定,结果将在村内公告。"),
    Stage.NOT_INCLUDED: gettext_lazy("经审核不予纳入监测。如有疑问,请联系受理乡镇。"),
    Stage.REJECTED: gettext_lazy("乡镇未予受理。如有疑问,请联系受理乡镇。"),
}


def _township_of(village: Region) -> str:
    """County and township names ("兴海县 唐乃亥乡"): who handles the report, not where the applicant lives."""
    names = [
        r.short_name for r in path_of(village) if r.level in (Region.Level.COUNTY, Region.Level.TOWNSHIP)
    ]
    return " ".join(names)


def progress(receipt: str) -> dict | None:
    """A self-report's progress by its receipt number, or None (an unknown number, a malformed one,
    or another channel's lead: the page says the same 未找到 for each).

    Nothing personal: no name, phone, ID number, risks or hardship (risks tell an illness or a
    disability), no household and no village — only the township that handles it. Anyone holding
    the number sees this page, and receipts can be guessed a day at a time; a village of a few
    hundred households plus "someone here applied" narrows to a person, a township of thousands
    does not, and the township is what the applicant needs (who to ask). Event reasons are left out
    too: they are a cadre's free text and may name people or illnesses."""
    number = "".join(str(receipt or "").split()).upper()
    if not number or len(number) > Lead._meta.get_field("number").max_length:
        return None
    lead = (
        Lead.objects.filter(number=number, channel=Channel.SELF_REPORT)
        .select_related("village")
        .only("number", "stage", "opened_on", "step_due", "decision_due", "village")
        .first()
    )
    if lead is None:
        return None
    today = timezone.localdate()
    steps = []
    for at, before, after in lead.events.order_by("at", "id").values_list("at", "from_status", "to_status"):
        if not after or (before and before == after):
            continue  # not a step (a note, an edit): only movements between stages are shown
        label = _("已提交申报") if not before else Stage(after).label
        steps.append({"date": timezone.localdate(at), "label": str(label)})
    is_open = lead.stage in OPEN_STAGES
    urgency = deadlines.urgency(lead.stage, lead.step_due, lead.decision_due, today)
    return {
        "number": lead.number,
        "township": _township_of(lead.village),
        "stage": lead.stage,
        "stage_label": str(Stage(lead.stage).label),
        "open": is_open,
        "submitted_on": lead.opened_on,
        "step_due": lead.step_due if is_open else None,
        "step_due_label": str(_("受理时限") if lead.stage == Stage.SUBMITTED else _("本环节时限")),
        "decision_due": lead.decision_due if is_open else None,
        "overdue": is_open and urgency != Urgency.ON_TIME,
        "note": str(CLOSED_NOTES.get(lead.stage, "")),
        "steps": steps,
    }
