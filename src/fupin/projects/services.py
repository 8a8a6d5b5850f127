"""Writes to the project library: projects, their beneficiaries, fund sources.

Keyword-only functions in one transaction each; `by` is the acting user (None: the system, e.g. the
demo), checked for the permission and for the place being in their scope; field errors are a
`ValidationError({field: Chinese message})`; every write is audited. Workflow steps live in
projects.workflow, money movements in projects.ledger.
"""

import datetime
import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.audit.services import audit_model_change, audit_snapshot
from fupin.core import validators
from fupin.core.audit_actions import AuditAction
from fupin.core.errors import TransitionRefused
from fupin.core.permissions import require, within
from fupin.core.versioning import update_if_current
from fupin.orgs.selectors import unit_for
from fupin.projects.models import (
    Beneficiary,
    Category,
    CountyPublicity,
    FundSource,
    Nature,
    Project,
    ProjectEvent,
    Status,
)
from fupin.regions.models import Region
from fupin.registry.selectors import household_for

PLACE_LEVELS = (Region.Level.COUNTY, Region.Level.TOWNSHIP, Region.Level.VILLAGE)
MAX_MONEY = Decimal("1e12")


# Field rules (text, money, errors collected per field) are core.validators'.


# --- projects -----------------------------------------------------------------------------------

PROJECT_FIELDS = (
    "name",
    "category",
    "nature",
    "year",
    "start_date",
    "end_date",
    "unit_id",
    "tasks",
    "budget",
    "beneficiaries_text",
    "target_households",
    "performance_targets",
    "benefit_mechanism",
)


def _apply_project_fields(project: Project, fields: dict, errors: dict, by) -> list[str]:
    touched = []
    for name, value in fields.items():
        if name not in PROJECT_FIELDS:
            raise TypeError(f"unknown project field {name}")
        if name == "name":
            value = validators.text(errors, name, value, required=True, max_length=100)
        elif name == "category":
            if value not in Category.values:
                errors[name] = _("请选择项目类别")
        elif name == "nature":
            if value not in Nature.values:
                errors[name] = _("请选择建设性质")
        elif name == "year":
            try:
                value = int(value)
            except (TypeError, ValueError):
                errors[name] = _("请输入年份")
                continue
            if not 2010 <= value <= timezone.localdate().year + 5:
                errors[name] = _("年度应在2010年至%(y)d年之间") % {"y": timezone.localdate().year + 5}
        elif name in ("start_date", "end_date"):
            if value in ("", None):
                value = None
            elif not isinstance(value, datetime.date):
                errors[name] = _("请输入日期(YYYY-MM-DD)")
                continue
        elif name == "unit_id":
            value = value or None
            if value is not None:
                if unit_for(by, value) is None:  # out of scope reads as missing
                    errors["unit"] = _("请选择有效的责任单位")
                    continue
        elif name == "budget":
            value = validators.money(errors, name, value, limit=MAX_MONEY)
        elif name == "target_households":
            try:
                value = int(value or 0)
            except (TypeError, ValueError):
                errors[name] = _("请输入整数")
                continue
            if not 0 <= value <= 1_000_000:
                errors[name] = _("户数应在0至1000000之间")
        elif name in ("performance_targets", "benefit_mechanism", "tasks", "beneficiaries_text"):
            value = validators.text(errors, name, value, max_length=2000)
        setattr(project, name, value)
        touched.append(name)
    start, end = getattr(project, "start_date", None), getattr(project, "end_date", None)
    if start and end and end < start:
        errors["end_date"] = _("计划完工日期不能早于开工日期")
    return touched


def _place(errors: dict, code: str, by) -> Region | None:
    place = Region.objects.filter(code=code or "", level__in=PLACE_LEVELS).first()
    if place is None:
        errors["place_code"] = _("请选择项目所在的县、乡镇或行政村")
    elif not within(by, code=place.code):
        errors["place_code"] = _("所选区划不在您的数据范围内")
    return place


def project_create(*, by, place_code: str, request=None, at=None, **fields) -> Project:
    """A new project in the library, as a draft (草稿)."""
    require(by, "projects.add_project", reason=_("没有权限新增项目"))
    errors: dict = {}
    place = _place(errors, place_code, by)
    project = Project(place=place, created_by=by, status=Status.DRAFT)
    fields.setdefault("year", timezone.localdate().year)
    fields.setdefault("category", "")
    fields.setdefault("name", "")
    _apply_project_fields(project, fields, errors, by)
    validators.raise_errors(errors)
    with transaction.atomic():
        project.save(force_insert=True)
        created = ProjectEvent.objects.create(
            project=project, actor=by, action=ProjectEvent.Action.CREATE, to_status=Status.DRAFT
        )
        if at is not None:  # a past project replayed (the demo): the event carries the time it records
            ProjectEvent.objects.filter(pk=created.pk).update(at=at)
        audit_model_change(actor=by, request=request, instance=project, action=AuditAction.CREATE)
    return project


def project_update(*, by, project: Project, version: int, request=None, **fields) -> Project:
    """Change a draft's fields if `version` is still current (else StaleVersion)."""
    require(by, "projects.change_project", code=project.place_id, unit_id=project.unit_id)
    fresh = Project._base_manager.get(pk=project.pk)
    if fresh.status != Status.DRAFT:
        raise TransitionRefused(
            [_("项目当前状态为“%(s)s”,只有草稿可以修改;如需修改请先退回") % {"s": fresh.get_status_display()}]
        )
    before = audit_snapshot(fresh)
    errors: dict = {}
    place_code = fields.pop("place_code", None)
    if place_code is not None and place_code != fresh.place_id:
        fresh.place = _place(errors, place_code, by)
    touched = _apply_project_fields(fresh, fields, errors, by)
    validators.raise_errors(errors)
    values = {name: getattr(fresh, name) for name in touched}
    values["place_id"] = fresh.place_id
    with transaction.atomic():
        update_if_current(fresh, version, values, status=Status.DRAFT)
        fresh.refresh_from_db()
        audit_model_change(
            actor=by, request=request, instance=fresh, action=AuditAction.UPDATE, before=before
        )
    return fresh


# --- beneficiaries ------------------------------------------------------------------------------


def beneficiary_add(
    *,
    by,
    project: Project,
    benefit: str,
    household=None,
    village_code: str = "",
    amount=None,
    request=None,
) -> Beneficiary:
    """Link a household (of the project's area) or a whole village to a project, with its benefit."""
    require(by, "projects.change_project", code=project.place_id, unit_id=project.unit_id)
    errors: dict = {}
    benefit = validators.text(errors, "benefit", benefit, required=True, max_length=200)
    value = (
        validators.money(errors, "amount", amount, required=False, limit=MAX_MONEY)
        if amount not in (None, "")
        else None
    )
    if project.status == Status.EVALUATED:
        raise TransitionRefused([_("项目已完成绩效评价,不能再增加受益对象")])
    if household is not None:
        if household_for(by, pk=household.pk) is None:
            errors["household"] = _("请选择有效的受益户")
        elif not household.village_id.startswith(project.place_id):
            errors["household"] = _("受益户不在项目实施地点范围内")
        elif Beneficiary.objects.filter(project=project, household=household).exists():
            errors["household"] = _("该户已是本项目的受益户")
        village_id = household.village_id
    else:
        village = Region.objects.filter(code=village_code or "", level=Region.Level.VILLAGE).first()
        if village is None or not village.code.startswith(project.place_id):
            errors["village_code"] = _("请选择项目实施地点范围内的行政村")
        elif Beneficiary.objects.filter(project=project, household=None, village=village).exists():
            errors["village_code"] = _("该村已是本项目的受益村")
        village_id = village.code if village else None
    validators.raise_errors(errors)
    with transaction.atomic():
        row = Beneficiary.objects.create(
            project=project, household=household, village_id=village_id, benefit=benefit, amount=value
        )
        audit_model_change(actor=by, request=request, instance=row, action=AuditAction.CREATE)
    return row


def _beneficiary_fresh(by, beneficiary: Beneficiary) -> tuple[Beneficiary, Project]:
    """The row and its project, locked, after the same checks as the add path: permission and
    scope on the project, and no change once the project has been evaluated."""
    project = Project._base_manager.select_for_update().get(pk=beneficiary.project_id)
    require(by, "projects.change_project", code=project.place_id, unit_id=project.unit_id)
    row = Beneficiary._base_manager.select_for_update().filter(pk=beneficiary.pk, project=project).first()
    if row is None:
        raise TransitionRefused([_("该受益对象已被删除,请刷新后重试")])
    if project.status == Status.EVALUATED:
        raise TransitionRefused([_("项目已完成绩效评价,不能再修改或删除受益对象")])
    return row, project


def _beneficiary_label(row: Beneficiary) -> str:
    if row.household_id:
        household = row.household
        return _("受益户 %(name)s(%(village)s)") % {
            "name": household.head_name or household.number,
            "village": row.village.name,
        }
    return _("受益村 %(village)s") % {"village": row.village.name}


def beneficiary_remove(*, by, beneficiary: Beneficiary, reason: str, request=None) -> None:
    """Take a household or village off a project; the project's history keeps who, why and whom."""
    errors: dict = {}
    reason = validators.text(errors, "reason", reason, max_length=200)
    if not reason and "reason" not in errors:
        errors["reason"] = _("请填写删除原因")
    validators.raise_errors(errors)
    with transaction.atomic():
        row, project = _beneficiary_fresh(by, beneficiary)
        label = _beneficiary_label(row)
        ProjectEvent.objects.create(
            project=project,
            actor=by,
            action=ProjectEvent.Action.REMOVE_BENEFICIARY,
            from_status=project.status,
            to_status=project.status,
            reason=_("%(who)s:%(reason)s") % {"who": label, "reason": reason},
        )
        audit_model_change(actor=by, request=request, instance=row, action=AuditAction.DELETE)
        row.delete()


_UNSET = object()


def beneficiary_update(
    *, by, beneficiary: Beneficiary, benefit=_UNSET, amount=_UNSET, request=None
) -> Beneficiary:
    """Correct what a beneficiary gets (its benefit and amount); who it is stays (remove and add
    again for another household or village). Omitted fields keep their value; amount None clears it."""
    errors: dict = {}
    values: dict = {}
    if benefit is not _UNSET:
        values["benefit"] = validators.text(errors, "benefit", benefit, required=True, max_length=200)
    if amount is not _UNSET:
        values["amount"] = (
            validators.money(errors, "amount", amount, required=False, limit=MAX_MONEY)
            if amount not in (None, "")
            else None
        )
    validators.raise_errors(errors)
    with transaction.atomic():
        row, _project = _beneficiary_fresh(by, beneficiary)
        before = audit_snapshot(row)
        for name, value in values.items():
            setattr(row, name, value)
        if values:
            row.save(update_fields=list(values))
        audit_model_change(actor=by, request=request, instance=row, action=AuditAction.UPDATE, before=before)
    return row


# --- fund sources -------------------------------------------------------------------------------


def source_create(
    *,
    by,
    name: str,
    kind: str,
    year: int,
    place_code: str = "",
    unit_id: int | None = None,
    note: str = "",
    request=None,
) -> FundSource:
    """A new fund source (its amount comes from budget entries in the ledger)."""
    errors: dict = {}
    name = validators.text(errors, "name", name, required=True, max_length=100)
    note = validators.text(errors, "note", note, max_length=200)
    if kind not in FundSource.Kind.values:
        errors["kind"] = _("请选择资金来源")
    try:
        year = int(year)
        if not 2010 <= year <= timezone.localdate().year + 5:
            errors["year"] = _("年度应在2010年至%(y)d年之间") % {"y": timezone.localdate().year + 5}
    except (TypeError, ValueError):
        errors["year"] = _("请输入年份")
    place = None
    if place_code:
        place = Region.objects.filter(code=place_code).first()
        if place is None:
            errors["place_code"] = _("请选择有效的行政区划")
    unit = unit_for(by, unit_id) if unit_id else None  # out of scope reads as missing
    if unit_id and unit is None:
        errors["unit"] = _("请选择有效的单位")
    if place is None and unit is None and "place_code" not in errors:
        errors["place_code"] = _("资金来源须属于一个区划或一个单位")
    if kind in (FundSource.Kind.UNIT_DIRECT, FundSource.Kind.BROUGHT_IN) and unit is None:
        errors["unit"] = _("帮扶单位的资金须填写出资单位")
    if FundSource.objects.filter(name=name, year=year).exists() and not errors.get("year"):
        errors["name"] = _("同一年度已有同名的资金来源")
    validators.raise_errors(errors)
    require(
        by, "projects.manage_funds", code=place.code if place else None, unit_id=unit.pk if unit else None
    )
    with transaction.atomic():
        source = FundSource.objects.create(name=name, kind=kind, year=year, place=place, unit=unit, note=note)
        audit_model_change(actor=by, request=request, instance=source, action=AuditAction.CREATE)
    return source


# --- 公示 settings ------------------------------------------------------------------------------

# A public office's number: a landline with its area code (0974-8512317, extension after 转), a
# mobile, or a short service number (12317, the national 乡村振兴 hotline). Not a person's phone
# rule (core.validators.mobile_phone): an office may well answer a landline.
HOTLINE_RE = re.compile(r"(0\d{2,3}[- ]?\d{7,8}(转\d{1,6})?|1[3-9]\d{9}|1\d{4,5})")


def publicity_save(*, by, county_code: str, hotline: str, office: str = "", request=None) -> CountyPublicity:
    """Set a county's 监督举报电话 (and the office that answers it) for its 公示 pages."""
    errors: dict = {}
    county = Region.objects.filter(code=county_code or "", level=Region.Level.COUNTY).first()
    if county is None:
        errors["county"] = _("请选择县级区划")
    hotline = validators.text(errors, "hotline", hotline, required=True, max_length=40).replace("—", "-")
    if "hotline" not in errors and not HOTLINE_RE.fullmatch(hotline):
        errors["hotline"] = _("请填写固定电话(含区号,如0974-8512317)、手机号码或12317等服务号码")
    office = validators.text(errors, "office", office, max_length=100)
    validators.raise_errors(errors)
    require(by, "projects.approve_project", code=county.code)
    with transaction.atomic():
        row = CountyPublicity.objects.select_for_update().filter(county=county).first()
        before = audit_snapshot(row) if row else None
        created = row is None
        row = row or CountyPublicity(county=county)
        row.hotline, row.office, row.updated_by = hotline, office, by
        row.save()
        audit_model_change(
            actor=by,
            request=request,
            instance=row,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            before=before,
        )
    return row
