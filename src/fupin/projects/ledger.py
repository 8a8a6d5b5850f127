"""Money movements: budget → allocation to a project → disbursement against an allocation.

Each function appends one LedgerEntry (never updates one) inside a transaction that first locks
the source row, and for a disbursement the allocation row, with SELECT … FOR UPDATE: concurrent
writers of the same money queue up, and each sees the balances the previous one left. The rules
are checked here with Chinese reasons (LedgerRefused); the database triggers check them again.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.audit.services import audit_model_change
from fupin.core import validators
from fupin.core.audit_actions import AuditAction
from fupin.core.permissions import require
from fupin.core.validators import past_date
from fupin.projects.errors import LedgerRefused
from fupin.projects.models import FundSource, LedgerEntry, Project, Status
from fupin.projects.selectors import allocation_remaining, project_money, source_available
from fupin.projects.services import MAX_MONEY

K = LedgerEntry.Kind
# A project receives money from its proposal until it is accepted; pays out once work has started.
ALLOCATABLE = (Status.PROPOSED, Status.REVIEWED, Status.APPROVED, Status.PUBLICISED, Status.IN_PROGRESS)
DISBURSABLE = (Status.IN_PROGRESS, Status.ACCEPTED)


def _require_source(by, source: FundSource) -> None:
    require(by, "projects.manage_funds", code=source.place_id, unit_id=source.unit_id)


def _lock_source(source: FundSource) -> FundSource:
    return FundSource.objects.select_for_update().get(pk=source.pk)


def _date(errors: dict, value) -> datetime.date:
    """The entry's business date: today when not given, else a past date (core.validators.past_date,
    the one rule the page form, the API and the demo's loading all pass through here)."""
    if value in (None, ""):
        return timezone.localdate()
    try:
        return past_date(value)
    except ValidationError as exc:
        errors["date"] = exc.messages[0]
        return timezone.localdate()


def _append(*, by, request, **fields) -> LedgerEntry:
    """Insert the entry; a refusal by the database triggers becomes a LedgerRefused."""
    try:
        with transaction.atomic():
            entry = LedgerEntry(actor=by, **fields)
            entry.save(force_insert=True)
    except (IntegrityError, DatabaseError) as exc:
        raise LedgerRefused([_("数据库拒绝了该分录(%(why)s)") % {"why": str(exc).splitlines()[0]}]) from exc
    audit_model_change(actor=by, request=request, instance=entry, action=AuditAction.CREATE)
    return entry


def fund_budget(*, by, source: FundSource, amount, date=None, memo: str = "", request=None) -> LedgerEntry:
    """Money arrives on a source (预算下达 / 到位)."""
    _require_source(by, source)
    errors: dict = {}
    value = validators.money(errors, "amount", amount, positive=True, limit=MAX_MONEY)
    memo = validators.text(errors, "memo", memo, max_length=200) or _("预算下达")
    day = _date(errors, date)
    validators.raise_errors(errors)
    with transaction.atomic():
        _lock_source(source)
        return _append(
            by=by, request=request, kind=K.BUDGET, source=source, amount=value, date=day, memo=memo
        )


def fund_allocate(
    *, by, source: FundSource, project: Project, amount, date=None, memo: str = "", request=None
) -> LedgerEntry:
    """Earmark part of a source's available balance for a project."""
    _require_source(by, source)
    require(by, "projects.manage_funds", code=project.place_id, unit_id=project.unit_id)
    errors: dict = {}
    value = validators.money(errors, "amount", amount, positive=True, limit=MAX_MONEY)
    memo = validators.text(errors, "memo", memo, max_length=200) or _("分配到项目")
    day = _date(errors, date)
    validators.raise_errors(errors)
    with transaction.atomic():
        _lock_source(source)
        project = Project.objects.select_for_update().get(pk=project.pk)
        reasons = []
        if project.status not in ALLOCATABLE:
            reasons.append(_("项目当前状态为“%(s)s”,不能分配资金") % {"s": project.get_status_display()})
        if source.place_id and not project.place_id.startswith(source.place_id):
            reasons.append(_("该资金属于%(place)s,不能分配到其他地区的项目") % {"place": source.place.name})
        available = source_available(source)
        if value > available:
            reasons.append(
                _("资金来源可用余额为%(available)s元,不足以分配%(amount)s元")
                % {"available": f"{available:,.2f}", "amount": f"{value:,.2f}"}
            )
        allocated = project_money(project)["allocated"]
        if allocated + value > project.budget:
            reasons.append(
                _("分配后项目资金%(total)s元将超过资金规模%(budget)s元")
                % {"total": f"{allocated + value:,.2f}", "budget": f"{project.budget:,.2f}"}
            )
        if reasons:
            raise LedgerRefused(reasons)
        return _append(
            by=by,
            request=request,
            kind=K.ALLOCATION,
            source=source,
            project=project,
            amount=value,
            date=day,
            memo=memo,
        )


def fund_disburse(
    *, by, allocation: LedgerEntry, amount, date=None, memo: str = "", request=None
) -> LedgerEntry:
    """Pay out against an allocation (拨付): never more than what is left of it."""
    if allocation.kind != K.ALLOCATION or allocation.reverses_id is not None:
        raise LedgerRefused([_("只能对资金分配拨付")])
    source = allocation.source
    project = allocation.project
    _require_source(by, source)
    require(by, "projects.manage_funds", code=project.place_id, unit_id=project.unit_id)
    errors: dict = {}
    value = validators.money(errors, "amount", amount, positive=True, limit=MAX_MONEY)
    memo = validators.text(errors, "memo", memo, max_length=200) or _("拨付")
    day = _date(errors, date)
    validators.raise_errors(errors)
    with transaction.atomic():
        # Lock order everywhere: source, then allocation (no deadlocks between writers).
        _lock_source(source)
        allocation = LedgerEntry.objects.select_for_update().get(pk=allocation.pk)
        project = Project.objects.get(pk=project.pk)
        reasons = []
        if project.status not in DISBURSABLE:
            reasons.append(
                _("项目当前状态为“%(s)s”,开工实施后才能拨付") % {"s": project.get_status_display()}
            )
        remaining = allocation_remaining(allocation)
        if value > remaining:
            reasons.append(
                _("该笔分配剩余可拨付%(remaining)s元,不足以拨付%(amount)s元")
                % {"remaining": f"{remaining:,.2f}", "amount": f"{value:,.2f}"}
            )
        if reasons:
            raise LedgerRefused(reasons)
        return _append(
            by=by,
            request=request,
            kind=K.DISBURSEMENT,
            source=source,
            project=project,
            allocation=allocation,
            amount=value,
            date=day,
            memo=memo,
        )


def entry_reverse(*, by, entry: LedgerEntry, reason: str, date=None, request=None) -> LedgerEntry:
    """Correct an entry by appending its exact negation (冲正); the original stays as it was."""
    source = entry.source
    _require_source(by, source)
    if entry.project_id:
        require(by, "projects.manage_funds", code=entry.project.place_id, unit_id=entry.project.unit_id)
    errors: dict = {}
    reason = validators.text(errors, "reason", reason, required=True, max_length=200)
    day = _date(errors, date)
    validators.raise_errors(errors)
    with transaction.atomic():
        _lock_source(source)
        if entry.allocation_id:
            LedgerEntry.objects.select_for_update().get(pk=entry.allocation_id)
        entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
        reasons = []
        if entry.reverses_id is not None:
            reasons.append(_("冲正分录不能再冲正"))
        elif LedgerEntry.objects.filter(reverses=entry).exists():
            reasons.append(_("该分录已冲正"))
        elif entry.kind == K.BUDGET and source_available(source) < entry.amount:
            reasons.append(
                _("该资金来源已分配出去,可用余额%(a)s元少于冲正金额%(b)s元,请先冲正相关分配")
                % {"a": f"{source_available(source):,.2f}", "b": f"{entry.amount:,.2f}"}
            )
        elif entry.kind == K.ALLOCATION and allocation_remaining(entry) < entry.amount:
            reasons.append(_("该笔分配已有拨付,请先冲正相关拨付"))
        if reasons:
            raise LedgerRefused(reasons)
        return _append(
            by=by,
            request=request,
            kind=entry.kind,
            source=source,
            project=entry.project,
            allocation=entry.allocation,
            reverses=entry,
            amount=-entry.amount,
            date=day,
            memo=(_("冲正#%(id)d:%(reason)s") % {"id": entry.pk, "reason": reason})[:200],
        )
