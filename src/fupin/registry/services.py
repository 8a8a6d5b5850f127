"""Writes to the registry: every change of a household, member, income or check goes through here.

Each function is keyword-only, runs in one transaction, checks the actor's permission and scope
(`by=None` is the system: imports, the generator, the demo), validates with field errors in
Chinese (`ValidationError({field: message})`) and writes an audit row. Status changes live in
registry.lifecycle.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.audit.services import audit_model_change, audit_record, audit_snapshot
from fupin.core import crypto, validators
from fupin.core.audit_actions import AuditAction
from fupin.core.permissions import require
from fupin.core.versioning import update_if_current
from fupin.regions.models import Region
from fupin.regions.names import initials_of
from fupin.registry import hooks
from fupin.registry.choices import (
    Attribute,
    Cause,
    Education,
    EventAction,
    Health,
    HousingStructure,
    Labour,
    Relation,
    SchoolStatus,
    Sex,
    WorkStatus,
)
from fupin.registry.idnumbers import parse_id_number
from fupin.registry.models import (
    DuplicateReport,
    Household,
    HouseholdEvent,
    LivingCheck,
    Member,
    VillagePopulation,
    YearlyIncome,
)

FIRST_YEAR = 2010


# --- validation helpers -------------------------------------------------------------------------


def _choice(errors: dict, field: str, value, choices, *, required: bool = True) -> None:
    if value in ("", None):
        if required:
            errors[field] = _("此项为必填项")
        return
    if value not in choices.values:
        errors[field] = _("“%(value)s”不是有效的选项") % {"value": value}


# --- households ---------------------------------------------------------------------------------

HOUSEHOLD_FIELDS = frozenset(
    {
        "group_name",
        "attribute",
        "main_cause",
        "cause2",
        "cause3",
        "phone",
        "bank_name",
        "bank_account",
        "housing_area",
        "housing_structure",
        "housing_year",
        "relocated",
        "safe_water",
        "electricity",
    }
)


def _apply_household_fields(household: Household, fields: dict, errors: dict) -> list[str]:
    """Validate and set the given fields on `household`; returns the columns touched."""
    touched: list[str] = []
    for name, value in fields.items():
        if name == "phone":
            phone = ""
            if value:
                try:
                    phone = validators.mobile_phone(value)
                except ValidationError as exc:
                    errors["phone"] = exc.messages[0]
                    continue
            household.set_phone(phone) if phone else _clear(
                household, "phone_enc", "phone_bidx", "phone_masked"
            )
            touched += ["phone_enc", "phone_bidx", "phone_masked"]
        elif name == "bank_account":
            account = ""
            if str(value or "").strip():
                try:
                    account = validators.bank_account(value)
                except ValidationError as exc:
                    errors["bank_account"] = exc.messages[0]
                    continue
            if account:
                household.set_bank_account(account)
            else:
                _clear(household, "bank_account_enc", "bank_account_masked")
            touched += ["bank_account_enc", "bank_account_masked"]
        elif name == "attribute":
            _choice(errors, name, value, Attribute)
        elif name == "main_cause":
            _choice(errors, name, value, Cause)
        elif name in ("cause2", "cause3"):
            _choice(errors, name, value or "", Cause, required=False)
            value = value or ""
        elif name == "housing_structure":
            _choice(errors, name, value or "", HousingStructure, required=False)
            value = value or ""
        elif name == "housing_area":
            if value in (None, ""):
                value = None
            else:
                try:
                    value = Decimal(str(value)).quantize(Decimal("0.1"))
                    if not Decimal(0) < value < Decimal(100000):
                        errors[name] = _("住房面积应大于0且小于100000平方米")
                except InvalidOperation:
                    errors[name] = _("请输入住房面积(平方米)")
        elif name == "housing_year":
            value = validators.year(errors, name, value, required=False)
        elif name in ("relocated", "safe_water", "electricity"):
            value = bool(value)
        elif name in ("group_name", "bank_name"):
            value = str(value or "").strip()
            limit = Household._meta.get_field(name).max_length
            if len(value) > limit:
                errors[name] = _("最多%(n)d个字") % {"n": limit}
        else:
            raise TypeError(f"household field {name!r} cannot be set here")
        if name not in ("phone", "bank_account"):
            setattr(household, name, value)
            touched.append(name)
    _check_causes(household, errors)
    return touched


def _clear(obj, *fields) -> None:
    for field in fields:
        setattr(obj, field, "")


def _check_causes(household: Household, errors: dict) -> None:
    main, second, third = household.main_cause, household.cause2, household.cause3
    if third and not second:
        errors.setdefault("cause3", _("请先填写其他致贫原因一"))
    if second and second == main:
        errors.setdefault("cause2", _("其他致贫原因不能与主要致贫原因相同"))
    if third and third in (main, second):
        errors.setdefault("cause3", _("致贫原因不能重复"))


def _next_number(village_code: str) -> str:
    """Village code + a 5-digit sequence (the highest in the village plus one)."""
    last = (
        Household._base_manager.filter(number__startswith=village_code, number__regex=r"^\d{17}$")
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{village_code}{(int(last[12:]) + 1) if last else 1:05d}"


def household_create(
    *,
    by,
    village_code: str,
    attribute: str,
    main_cause: str,
    number: str | None = None,
    group_name: str = "",
    cause2: str = "",
    cause3: str = "",
    phone: str = "",
    bank_name: str = "",
    bank_account: str = "",
    housing_area=None,
    housing_structure: str = "",
    housing_year: int | None = None,
    relocated: bool = False,
    safe_water: bool = True,
    electricity: bool = True,
    head: dict | None = None,
    request=None,
) -> Household:
    """Register a household on a village (status 已登记), with its head when `head` is given.

    `head` holds the head's member fields (name, id_number, sex …; relation is 户主). Household and
    head are checked together and written in one transaction: a refused head leaves no household.
    Its errors come back as `head.<field>`. Other members are added with `member_add`.
    """
    errors: dict = {}
    village = Region.objects.filter(code=village_code or "", level=Region.Level.VILLAGE).first()
    if village is None:
        errors["village_code"] = _("请选择有效的行政村")
    require(by, "registry.add_household", code=village_code if village else None)
    household = Household(village=village)
    _apply_household_fields(
        household,
        {
            "group_name": group_name,
            "attribute": attribute,
            "main_cause": main_cause,
            "cause2": cause2,
            "cause3": cause3,
            "phone": phone,
            "bank_name": bank_name,
            "bank_account": bank_account,
            "housing_area": housing_area,
            "housing_structure": housing_structure,
            "housing_year": housing_year,
            "relocated": relocated,
            "safe_water": safe_water,
            "electricity": electricity,
        },
        errors,
    )
    if number:
        number = number.strip()
        if Household._base_manager.filter(number=number).exists():
            errors["number"] = _("户编号已存在")
        elif len(number) > Household._meta.get_field("number").max_length:
            errors["number"] = _("户编号最多20位")
    head_member, report = None, None
    if head is not None:
        require(by, "registry.add_member", code=village_code if village else None)
        head_member, report = _new_head(by=by, household=household, head=head, errors=errors)
    if errors:
        _record_duplicate(report, request)
        raise ValidationError(errors)
    with transaction.atomic():
        household.number = number or _next_number(village_code)
        try:
            with transaction.atomic():
                household.save(force_insert=True)
        except IntegrityError:
            raise ValidationError({"number": _("户编号已存在")}) from None
        HouseholdEvent.objects.create(
            household=household, actor=by, action=EventAction.CREATE, to_status=household.status
        )
        audit_model_change(actor=by, request=request, instance=household, action=AuditAction.CREATE)
        if head_member is not None:
            head_member.household = household
            try:
                with transaction.atomic():
                    head_member.save(force_insert=True)
            except IntegrityError:
                # Registered by another writer since the check: the household goes too.
                raise ValidationError({"head.id_number": _("该身份证号已登记,同一人只能登记一次")}) from None
            _sync_household(household)
            audit_model_change(actor=by, request=request, instance=head_member, action=AuditAction.CREATE)
    return household


def _new_head(*, by, household: Household, head: dict, errors: dict):
    """The head of a household being registered, checked as `member_add` checks a member.

    Returns (unsaved member, duplicate report or None); errors are added as `head.<field>`."""
    unknown = set(head) - MEMBER_FIELDS
    if unknown or "relation" in head:
        raise TypeError(f"head fields {sorted(unknown | ({'relation'} & set(head)))} cannot be set here")
    member = Member(household=household)
    found: dict = {}
    given = {
        "name": "",
        "id_number": "",
        "health": Health.HEALTHY,
        "disability": "",
        **head,
        "relation": Relation.HEAD,
    }
    _touched, id_value = _apply_member_fields(member, given, found)
    report = None
    if id_value and "id_number" not in found and household.village_id:
        report = _check_duplicate(by=by, member=member, id_value=id_value, errors=found)
    errors.update({f"head.{name}": message for name, message in found.items()})
    return member, report


def household_update(*, by, household: Household, version: int, request=None, **fields) -> Household:
    """Change the given fields if `version` is still current (else StaleVersion; nothing is lost)."""
    require(by, "registry.change_household", code=household.village_id)
    fresh = Household._base_manager.get(pk=household.pk)
    before = audit_snapshot(fresh)
    errors: dict = {}
    touched = _apply_household_fields(fresh, fields, errors)
    validators.raise_errors(errors)
    values = {name: getattr(fresh, name) for name in touched}
    with transaction.atomic():
        update_if_current(fresh, version, values)
        fresh.refresh_from_db()
        audit_model_change(
            actor=by, request=request, instance=fresh, action=AuditAction.UPDATE, before=before
        )
    return fresh


# --- members ------------------------------------------------------------------------------------

MEMBER_FIELDS = frozenset(
    {
        "name",
        "id_number",
        "relation",
        "sex",
        "birth_date",
        "ethnicity",
        "education",
        "school_status",
        "health",
        "disability",
        "labour",
        "work_status",
        "months_worked",
        "dibao",
        "medical_insurance",
        "pension_insurance",
    }
)


def _county_name(code: str) -> str:
    region = Region.objects.filter(code=code[:6]).first()
    return str(region) if region else code[:6]


def _apply_member_fields(member: Member, fields: dict, errors: dict) -> tuple[list[str], str | None]:
    """Validate and set; returns (columns touched, the normalised ID number if one was given)."""
    touched: list[str] = []
    id_value = None
    parsed = None
    if "id_number" in fields:
        try:
            parsed = parse_id_number(fields["id_number"] or "")
        except ValidationError as exc:
            errors["id_number"] = exc.messages[0]
        else:
            id_value = parsed.value
            member.set_id_number(parsed.value)
            touched += ["id_number_enc", "id_number_bidx", "id_last4_bidx", "birth_year"]
            if fields.get("sex") in (None, ""):
                member.sex = parsed.sex
            touched.append("sex")
    entered_birth = None
    for name, value in fields.items():
        if name == "id_number":
            continue
        if name == "name":
            value = " ".join(str(value or "").split())
            if not value:
                errors[name] = _("此项为必填项")
            elif len(value) > 50:
                errors[name] = _("姓名最多50个字")
            member.name = value
            member.name_initials = initials_of(value)[:50]
            touched += ["name", "name_initials"]
            continue
        if name == "sex":
            if value in (None, ""):
                continue
            _choice(errors, name, value, Sex)
        elif name == "birth_date":
            # Checked against the ID number, never stored: the number is the one record of it.
            if value in (None, ""):
                continue
            if isinstance(value, str):
                try:
                    value = datetime.date.fromisoformat(value)
                except ValueError:
                    errors[name] = _("日期格式应为YYYY-MM-DD")
                    continue
            entered_birth = value
            continue
        elif name == "relation":
            _choice(errors, name, value, Relation)
        elif name == "education":
            _choice(errors, name, value or "", Education, required=False)
            value = value or ""
        elif name == "school_status":
            _choice(errors, name, value or SchoolStatus.NONE, SchoolStatus)
            value = value or SchoolStatus.NONE
        elif name == "labour":
            _choice(errors, name, value or "", Labour, required=False)
            value = value or ""
        elif name == "work_status":
            _choice(errors, name, value or WorkStatus.NONE, WorkStatus)
            value = value or WorkStatus.NONE
        elif name == "health":
            _choice(errors, name, value or Health.HEALTHY, Health)
            member.set_health(value or Health.HEALTHY)
            touched += ["health_enc", "health_bidx"]
            continue
        elif name == "disability":
            value = str(value or "").strip()
            if len(value) > 100:
                errors[name] = _("最多100个字")
            member.set_disability(value) if value else _clear(member, "disability_enc")
            touched.append("disability_enc")
            continue
        elif name == "months_worked":
            try:
                value = int(value or 0)
            except (TypeError, ValueError):
                errors[name] = _("请输入0至12之间的整数")
                continue
            if not 0 <= value <= 12:
                errors[name] = _("请输入0至12之间的整数")
        elif name == "ethnicity":
            value = str(value or "").strip() or "汉族"
            if len(value) > 20:
                errors[name] = _("最多20个字")
        elif name in ("dibao", "medical_insurance", "pension_insurance"):
            value = bool(value)
        else:
            raise TypeError(f"member field {name!r} cannot be set here")
        setattr(member, name, value)
        touched.append(name)
    if parsed is not None:
        if member.sex and member.sex != parsed.sex and "sex" not in errors:
            errors["sex"] = _("性别与身份证号不符(身份证号显示为%(sex)s)") % {"sex": Sex(parsed.sex).label}
        if entered_birth and entered_birth != parsed.birth_date and "birth_date" not in errors:
            errors["birth_date"] = _("出生日期与身份证号不符(身份证号显示为%(date)s)") % {
                "date": parsed.birth_date.isoformat()
            }
    return sorted(set(touched)), id_value


def _check_duplicate(*, by, member: Member, id_value: str, errors: dict) -> DuplicateReport | None:
    """Refuse an ID number registered to another member; across counties, report it to both."""
    other = (
        Member._base_manager.filter(id_number_bidx=member.id_number_bidx)
        .exclude(pk=member.pk)
        .values_list("household__village_id", flat=True)
        .first()
    )
    if other is None:
        return None
    here = member.household.village_id[:6]
    errors["id_number"] = _("该身份证号已在%(county)s登记,同一人只能登记一次") % {
        "county": _county_name(other)
    }
    if other[:6] == here:
        return None
    return DuplicateReport(
        existing_county=other[:6],
        attempted_county=here,
        id_number_bidx=member.id_number_bidx,
        id_number_enc=member.id_number_enc,
        by=by,
    )


def _record_duplicate(report: DuplicateReport | None, request) -> None:
    # Saved and audited in its own transaction before the ValidationError is raised, so the report
    # survives a caller that catches the error (a form, the importer's row report).
    if report is None:
        return
    with transaction.atomic():
        report.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=report.by,
            request=request,
            obj=report,
            region_code=report.attempted_county,
            detail=_("重复登记:已在%(county)s登记") % {"county": report.existing_county},
        )


def _sync_household(household: Household) -> None:
    """Keep member_count and head_name in step with the members (not a user edit: version kept)."""
    members = Member._base_manager.filter(household=household)
    head = members.filter(relation=Relation.HEAD).values_list("name", flat=True).first() or ""
    count = members.count()
    Household._base_manager.filter(pk=household.pk).update(member_count=count, head_name=head)
    household.member_count, household.head_name = count, head


def _check_head(member: Member, errors: dict) -> None:
    if member.relation != Relation.HEAD:
        return
    others = Member._base_manager.filter(household_id=member.household_id, relation=Relation.HEAD)
    if others.exclude(pk=member.pk).exists():
        errors.setdefault("relation", _("该户已有户主,一户只能有一位户主"))


def member_add(
    *,
    by,
    household: Household,
    name: str,
    id_number: str,
    relation: str,
    sex: str | None = None,
    birth_date: datetime.date | None = None,
    health: str = Health.HEALTHY,
    disability: str = "",
    request=None,
    **fields,
) -> Member:
    """Add a person; sex and birth date come from the ID number (and must agree when given)."""
    require(by, "registry.add_member", code=household.village_id)
    unknown = set(fields) - MEMBER_FIELDS
    if unknown:
        raise TypeError(f"member fields {sorted(unknown)} cannot be set here")
    member = Member(household=household)
    errors: dict = {}
    given = {
        "name": name,
        "id_number": id_number,
        "relation": relation,
        "sex": sex,
        "birth_date": birth_date,
        "health": health,
        "disability": disability,
        **fields,
    }
    _touched, id_value = _apply_member_fields(member, given, errors)
    _check_head(member, errors)
    report = None
    if id_value and "id_number" not in errors:
        report = _check_duplicate(by=by, member=member, id_value=id_value, errors=errors)
    if errors:
        _record_duplicate(report, request)
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                member.save(force_insert=True)
        except IntegrityError:
            # Another writer registered the same person between our check and our insert.
            raise ValidationError({"id_number": _("该身份证号已登记,同一人只能登记一次")}) from None
        _sync_household(household)
        audit_model_change(actor=by, request=request, instance=member, action=AuditAction.CREATE)
    return member


def member_update(*, by, member: Member, version: int, request=None, **fields) -> Member:
    """Change the given fields if `version` is still current (else StaleVersion)."""
    household = member.household
    require(by, "registry.change_member", code=household.village_id)
    unknown = set(fields) - MEMBER_FIELDS
    if unknown:
        raise TypeError(f"member fields {sorted(unknown)} cannot be set here")
    fresh = Member._base_manager.select_related("household").get(pk=member.pk)
    before = audit_snapshot(fresh)
    errors: dict = {}
    if "id_number" not in fields and ("sex" in fields or "birth_date" in fields):
        # A change of sex or birth date is checked against the stored number.
        fields = {**fields, "id_number": crypto.decrypt(fresh.id_number_enc)}
    touched, id_value = _apply_member_fields(fresh, fields, errors)
    if "relation" in fields:
        _check_head(fresh, errors)
    report = None
    if id_value and "id_number" not in errors and fresh.id_number_bidx != before["id_number_bidx"]:
        report = _check_duplicate(by=by, member=fresh, id_value=id_value, errors=errors)
    if errors:
        _record_duplicate(report, request)
        raise ValidationError(errors)
    values = {name: getattr(fresh, name) for name in touched}
    with transaction.atomic():
        try:
            with transaction.atomic():
                update_if_current(fresh, version, values)
        except IntegrityError:
            raise ValidationError({"id_number": _("该身份证号已登记,同一人只能登记一次")}) from None
        fresh.refresh_from_db()
        if {"name", "relation"} & set(fields):
            _sync_household(fresh.household)
        audit_model_change(
            actor=by, request=request, instance=fresh, action=AuditAction.UPDATE, before=before
        )
    return fresh


def member_remove(*, by, member: Member, reason: str, request=None) -> None:
    """Remove a person (death, marriage out, moved away …) with the reason, kept in the history."""
    household = member.household
    require(by, "registry.delete_member", code=household.village_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写减少成员的原因")})
    if (
        member.relation == Relation.HEAD
        and Member._base_manager.filter(household=household).exclude(pk=member.pk).exists()
    ):
        raise ValidationError({"relation": _("请先将其他成员设为户主,再删除原户主")})
    with transaction.atomic():
        audit_model_change(actor=by, request=request, instance=member, action=AuditAction.DELETE)
        HouseholdEvent.objects.create(
            household=household,
            actor=by,
            action=EventAction.MEMBER_REMOVE,
            reason=_("%(name)s:%(reason)s") % {"name": member.name, "reason": reason},
        )
        member.delete()
        _sync_household(household)


# --- incomes and checks ---------------------------------------------------------------------------


def income_record(
    *,
    by,
    household: Household,
    year: int,
    wages=0,
    business=0,
    transfers=0,
    property=0,  # noqa: A002 - the national form's name for 财产性收入
    production_costs=0,
    medical_costs=0,
    schooling_costs=0,
    disaster_costs=0,
    insurance_payouts=0,
    request=None,
) -> YearlyIncome:
    """Record (or replace) a household's income for a year; per-capita uses the current member count.

    Any year from FIRST_YEAR to this one (2021 onwards included: monitoring counts every year). The
    合规自付支出 (compliant self-paid medical, schooling and disaster costs) and insurance payouts give
    the stored `compliant_costs` and `per_capita_after_costs` (YearlyIncome.compute_totals), the one
    income definition monitoring uses; the monitoring rules re-evaluate the household once this commits
    (registry.hooks)."""
    require(by, "registry.change_yearlyincome", code=household.village_id)
    errors: dict = {}
    year = validators.year(errors, "year", year)
    if year is not None and "year" not in errors and year < FIRST_YEAR:
        errors["year"] = _("年度不能早于%(year)d年") % {"year": FIRST_YEAR}
    amounts = {
        "wages": validators.money(errors, "wages", wages, required=False),
        "business": validators.money(errors, "business", business, required=False, negative=True),
        "transfers": validators.money(errors, "transfers", transfers, required=False),
        "property": validators.money(errors, "property", property, required=False),
        "production_costs": validators.money(errors, "production_costs", production_costs, required=False),
        "medical_costs": validators.money(errors, "medical_costs", medical_costs, required=False),
        "schooling_costs": validators.money(errors, "schooling_costs", schooling_costs, required=False),
        "disaster_costs": validators.money(errors, "disaster_costs", disaster_costs, required=False),
        "insurance_payouts": validators.money(errors, "insurance_payouts", insurance_payouts, required=False),
    }
    people = Household._base_manager.filter(pk=household.pk).values_list("member_count", flat=True).get()
    if people <= 0:
        errors["people"] = _("该户还没有家庭成员,无法计算人均纯收入")
    validators.raise_errors(errors)
    with transaction.atomic():
        income = YearlyIncome._base_manager.select_for_update().filter(household=household, year=year).first()
        before = audit_snapshot(income) if income else None
        income = income or YearlyIncome(household=household, year=year)
        income.people = people
        for name, amount in amounts.items():
            setattr(income, name, amount)
        income.compute_totals()
        income.save()
        audit_model_change(
            actor=by,
            request=request,
            instance=income,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            before=before,
        )
        hooks.household_changed(household.pk)
    return income


def check_record(
    *,
    by,
    household: Household,
    year: int,
    results: dict[str, bool],
    reasons: dict[str, str] | None = None,
    checked_at: datetime.date | None = None,
    request=None,
) -> LivingCheck:
    """Record (or replace) the 两不愁三保障 + water check of a year; every failed item needs a reason."""
    require(by, "registry.change_livingcheck", code=household.village_id)
    reasons = {k: (v or "").strip() for k, v in (reasons or {}).items()}
    errors: dict = {}
    year = validators.year(errors, "year", year)
    unknown = set(results) - set(LivingCheck.ITEMS)
    if unknown:
        raise TypeError(f"unknown check items {sorted(unknown)}")
    for item in LivingCheck.ITEMS:
        if item not in results:
            errors[item] = _("请填写是否达标")
        elif not results[item] and not reasons.get(item):
            errors[item] = _("未达标时请填写原因")
    validators.raise_errors(errors)
    with transaction.atomic():
        check = LivingCheck._base_manager.select_for_update().filter(household=household, year=year).first()
        before = audit_snapshot(check) if check else None
        check = check or LivingCheck(household=household, year=year)
        for item in LivingCheck.ITEMS:
            setattr(check, item, bool(results[item]))
        check.reasons = {item: reasons[item] for item in LivingCheck.ITEMS if not results[item]}
        check.checked_at = checked_at or timezone.localdate()
        check.save()
        audit_model_change(
            actor=by,
            request=request,
            instance=check,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            before=before,
        )
        hooks.household_changed(household.pk)
    return check


def duplicate_resolve(*, by, report: DuplicateReport, request=None) -> DuplicateReport:
    """Mark a duplicate report handled (either county may)."""
    if by is not None and (
        not by.has_perm("registry.change_duplicatereport")
        or not DuplicateReport.objects.visible_to(by).filter(pk=report.pk).exists()
    ):
        raise PermissionDenied(_("没有权限操作该记录"))
    with transaction.atomic():
        before = audit_snapshot(report)
        report.resolved = True
        report.save(update_fields=["resolved"])
        audit_model_change(
            actor=by, request=request, instance=report, action=AuditAction.UPDATE, before=before
        )
    return report


# --- the incidence's denominator ----------------------------------------------------------------

# Set by the county that approves exits: the population is what an exit's incidence is judged on.
POPULATION_PERM = "registry.approve_exit"


def village_population_set(
    *, by, village_code: str, year: int, population, source: str = "", request=None
) -> VillagePopulation:
    """Record (or replace) a village's 农村户籍人口 for a year (the denominator of 贫困发生率)."""
    errors: dict = {}
    village = Region.objects.filter(code=village_code, level=Region.Level.VILLAGE).first()
    if village is None:
        errors["village"] = _("请选择行政村")
    year = validators.year(errors, "year", year, earliest=FIRST_YEAR)
    try:
        population = int(population)
        if population < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["population"] = _("请填写不小于0的整数")
    source = validators.text(errors, "source", source, max_length=100, single_line=True)
    validators.raise_errors(errors)
    require(by, POPULATION_PERM, code=village.code)
    with transaction.atomic():
        row = VillagePopulation._base_manager.select_for_update().filter(village=village, year=year).first()
        before = audit_snapshot(row) if row else None
        row = row or VillagePopulation(village=village, year=year)
        row.population = population
        row.source = source
        row.save()
        audit_model_change(
            actor=by,
            request=request,
            instance=row,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            before=before,
        )
    return row
