"""A household's status as an explicit state machine; every transition writes a HouseholdEvent.

    registered --identify--> poor --propose/check/approve--> exited --return--> returned
    returned --identify--> poor (helped again)          returned --propose/check/approve--> exited

Exit is a reviewed action: the village proposes (`exit_propose`), the township checks
(`exit_check`), the county approves (`exit_approve`). Each step re-checks the exit standard for
the proposed year, so data changed during the review cannot slip an ineligible household through.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.audit.services import audit_model_change, audit_snapshot
from fupin.core.audit_actions import AuditAction
from fupin.core.errors import TransitionRefused
from fupin.core.permissions import require
from fupin.registry.choices import EventAction, ExitReview, Status
from fupin.registry.models import Household, HouseholdEvent, LivingCheck, PovertyLine, YearlyIncome

CHECK_LABELS = {
    "food": gettext_lazy("不愁吃"),
    "clothing": gettext_lazy("不愁穿"),
    "education": gettext_lazy("义务教育有保障"),
    "medical": gettext_lazy("基本医疗有保障"),
    "housing": gettext_lazy("住房安全有保障"),
    "water": gettext_lazy("饮水安全有保障"),
}


def exit_refusals(household: Household, year: int) -> list[str]:
    """Every reason the household does not meet the exit standard for `year` ([] when it does)."""
    reasons: list[str] = []
    line = PovertyLine.objects.filter(year=year).values_list("amount", flat=True).first()
    income = YearlyIncome._base_manager.filter(household=household, year=year).first()
    if line is None:
        reasons.append(_("%(year)d年的贫困标准尚未设定") % {"year": year})
    if income is None:
        reasons.append(_("缺少%(year)d年的收入数据") % {"year": year})
    elif line is not None and income.per_capita <= line:
        reasons.append(
            _("%(year)d年人均纯收入%(income)s元,未超过当年贫困标准%(line)s元")
            % {"year": year, "income": income.per_capita, "line": line}
        )
    check = LivingCheck._base_manager.filter(household=household, year=year).first()
    if check is None:
        reasons.append(_("缺少%(year)d年的“两不愁三保障”核查数据") % {"year": year})
    else:
        for item in check.failed_items():
            why = (check.reasons or {}).get(item, "")
            reasons.append(
                _("“两不愁三保障”未达标:%(item)s(%(why)s)") % {"item": CHECK_LABELS[item], "why": why}
                if why
                else _("“两不愁三保障”未达标:%(item)s") % {"item": CHECK_LABELS[item]}
            )
    return reasons


def _locked(household: Household) -> Household:
    return Household._base_manager.select_for_update().get(pk=household.pk)


def _transition(*, by, request, household, action, reason, before_status, **changes) -> Household:
    """Apply `changes`, bump the version, write the event and the audit row (inside a transaction)."""
    before = audit_snapshot(household)
    for name, value in changes.items():
        setattr(household, name, value)
    household.version += 1
    household.save(update_fields=[*changes, "version", "updated_at"])
    HouseholdEvent.objects.create(
        household=household,
        actor=by,
        action=action,
        from_status=before_status,
        to_status=household.status,
        reason=reason,
    )
    audit_model_change(
        actor=by, request=request, instance=household, action=AuditAction.UPDATE, before=before
    )
    return household


def _need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused([_("请填写原因")])
    return reason


def household_identify(*, by, household: Household, reason: str, request=None) -> Household:
    """已登记 → 未脱贫 (identified as poor), or 返贫 → 未脱贫 (taken back into assistance)."""
    require(by, "registry.identify_household", code=household.village_id)
    reason = _need_reason(reason)
    with transaction.atomic():
        household = _locked(household)
        if household.status not in (Status.REGISTERED, Status.RETURNED):
            raise TransitionRefused(
                [_("当前状态为“%(status)s”,不能识别为贫困户") % {"status": Status(household.status).label}]
            )
        if household.member_count == 0:
            raise TransitionRefused([_("该户还没有家庭成员")])
        action = EventAction.IDENTIFY if household.status == Status.REGISTERED else EventAction.REIDENTIFY
        return _transition(
            by=by,
            request=request,
            household=household,
            action=action,
            reason=reason,
            before_status=household.status,
            status=Status.POOR,
        )


def exit_propose(*, by, household: Household, year: int, reason: str, request=None) -> Household:
    """The village proposes the exit of a poor (or returned) household for `year`."""
    require(by, "registry.propose_exit", code=household.village_id)
    reason = _need_reason(reason)
    with transaction.atomic():
        household = _locked(household)
        refusals = []
        if household.status not in (Status.POOR, Status.RETURNED):
            refusals.append(
                _("当前状态为“%(status)s”,不能提出脱贫") % {"status": Status(household.status).label}
            )
        if household.exit_review:
            refusals.append(_("该户已有待审核的脱贫申请"))
        refusals += exit_refusals(household, year)
        if refusals:
            raise TransitionRefused(refusals)
        return _transition(
            by=by,
            request=request,
            household=household,
            action=EventAction.EXIT_PROPOSE,
            reason=reason,
            before_status=household.status,
            exit_review=ExitReview.PROPOSED,
            exit_review_year=year,
        )


def exit_check(*, by, household: Household, approve: bool, reason: str, request=None) -> Household:
    """The township checks a proposed exit: passes it to the county, or sends it back."""
    require(by, "registry.check_exit", code=household.village_id)
    reason = _need_reason(reason)
    with transaction.atomic():
        household = _locked(household)
        if household.exit_review != ExitReview.PROPOSED:
            raise TransitionRefused([_("该户没有待乡镇审核的脱贫申请")])
        if approve:
            refusals = exit_refusals(household, household.exit_review_year)
            if refusals:
                raise TransitionRefused(refusals)
            changes = {"exit_review": ExitReview.CHECKED}
            action = EventAction.EXIT_CHECK
        else:
            changes = {"exit_review": ExitReview.NONE, "exit_review_year": None}
            action = EventAction.EXIT_CHECK_REJECT
        return _transition(
            by=by,
            request=request,
            household=household,
            action=action,
            reason=reason,
            before_status=household.status,
            **changes,
        )


def exit_approve(*, by, household: Household, approve: bool, reason: str, request=None) -> Household:
    """The county approves a checked exit (→ 已脱贫 with its year) or sends it back."""
    require(by, "registry.approve_exit", code=household.village_id)
    reason = _need_reason(reason)
    with transaction.atomic():
        household = _locked(household)
        if household.exit_review != ExitReview.CHECKED:
            raise TransitionRefused([_("该户没有待县级审定的脱贫申请")])
        year = household.exit_review_year
        if approve:
            refusals = exit_refusals(household, year)
            if refusals:
                raise TransitionRefused(refusals)
            changes = {"status": Status.EXITED, "exit_year": year}
            action = EventAction.EXIT_APPROVE
        else:
            changes = {}
            action = EventAction.EXIT_REJECT
        return _transition(
            by=by,
            request=request,
            household=household,
            action=action,
            reason=reason,
            before_status=household.status,
            exit_review=ExitReview.NONE,
            exit_review_year=None,
            **changes,
        )


def household_return(*, by, household: Household, reason: str, request=None) -> Household:
    """已脱贫 → 返贫 (fell back into poverty); the exit year is kept as history in the events."""
    require(by, "registry.identify_household", code=household.village_id)
    reason = _need_reason(reason)
    with transaction.atomic():
        household = _locked(household)
        if household.status != Status.EXITED:
            raise TransitionRefused(
                [
                    _("当前状态为“%(status)s”,只有已脱贫户才能认定返贫")
                    % {"status": Status(household.status).label}
                ]
            )
        return _transition(
            by=by,
            request=request,
            household=household,
            action=EventAction.RETURN,
            reason=reason,
            before_status=household.status,
            status=Status.RETURNED,
        )


# --- a step by its name: the household page's buttons and the API -------------------------------

# action -> (permission, step); the steps check the rules, this only routes.
TRANSITIONS = {
    "identify": ("registry.identify_household", household_identify),
    "propose_exit": ("registry.propose_exit", exit_propose),
    "check_exit": ("registry.check_exit", exit_check),
    "approve_exit": ("registry.approve_exit", exit_approve),
    "return": ("registry.identify_household", household_return),
}
TRANSITION_PERMS = {action: perm for action, (perm, _step) in TRANSITIONS.items()}


def run_transition(
    action: str,
    *,
    by,
    household: Household,
    approve: bool = True,
    reason: str = "",
    year: int | None = None,
    request=None,
) -> Household:
    """Take the step named `action`; TransitionRefused/StaleVersion/ValidationError pass up.

    Proposing an exit needs a year: the one given, else the latest year with an income record.
    """
    step = TRANSITIONS[action][1]
    common = {"by": by, "household": household, "reason": reason, "request": request}
    if action in ("check_exit", "approve_exit"):
        return step(approve=approve, **common)
    if action == "propose_exit":
        if year is None:
            year = (
                YearlyIncome.objects.filter(household=household)
                .order_by("-year")
                .values_list("year", flat=True)
                .first()
            )
        if year is None:
            raise TransitionRefused([_("缺少收入数据,无法提出脱贫")])
        return step(year=year, **common)
    return step(**common)
