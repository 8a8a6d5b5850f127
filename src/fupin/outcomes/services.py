"""Writes of the outcomes app: purchases and sales on behalf, job placements, 责任书 targets.

Each function is keyword-only, checks the actor's permission and scope (`by=None` is the system:
the demo, commands), validates with Chinese field errors (`ValidationError({field: message})`),
writes in one transaction and appends an audit row. Edits carry the `version` the user read; a
stale one raises StaleVersion and changes nothing.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.audit.services import audit_model_change, audit_snapshot
from fupin.core import validators
from fupin.core.audit_actions import AuditAction
from fupin.core.permissions import require
from fupin.core.versioning import update_if_current
from fupin.orgs import selectors as org_selectors
from fupin.outcomes.models import (
    MONEY,
    Channel,
    IndicatorTarget,
    Placement,
    PlacementKind,
    Purchase,
    PurchaseKind,
    WageBand,
)
from fupin.regions.models import Region
from fupin.registry.selectors import member_for

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"])
FIRST_YEAR = 2013  # 精准扶贫 began in late 2013; nothing of this app is older


# --- access -----------------------------------------------------------------------------------


def _visible_unit(by, unit_id, errors: dict):
    unit = org_selectors.unit_for(by, unit_id)
    if unit is None:
        errors["unit"] = _("请选择有效的帮扶单位")
    return unit


def assisted_county_prefixes(unit) -> list[str]:
    """The codes under which a unit's records may lie: the counties holding a place it assists
    (a unit assisting three villages of 兴海县 buys from anywhere in 兴海县)."""
    return sorted({place.region_id[:6] for place in org_selectors.unit_places(unit)})


def _assisted_region(unit, code, field: str, errors: dict) -> Region | None:
    region = Region.objects.filter(code=code).first() if isinstance(code, str) and code else None
    if region is None:
        errors[field] = _("请选择有效的行政区划")
        return None
    if region.level < Region.Level.COUNTY:
        errors[field] = _("请选择到县级或以下")
        return None
    if unit is not None and not any(code.startswith(p) for p in assisted_county_prefixes(unit)):
        errors[field] = _("所选地区不在该单位的帮扶县内")
    return region


# --- validation helpers -------------------------------------------------------------------------


def _choice(errors: dict, field: str, value, choices) -> str:
    if value in ("", None):
        errors[field] = _("此项为必填项")
    elif value not in choices.values:
        errors[field] = _("“%(value)s”不是有效的选项") % {"value": value}
    return value or ""


def _amount(errors: dict, field: str, value, *, positive: bool = True) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "x"))
    except InvalidOperation:
        errors[field] = _("请输入金额(元)")
        return Decimal(0)
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        errors[field] = _("金额超出范围")
        return Decimal(0)
    if amount != amount.quantize(CENT):
        errors[field] = _("金额最多保留两位小数")
    elif positive and amount <= 0:
        errors[field] = _("金额应大于0")
    elif amount < 0:
        errors[field] = _("金额不能为负数")
    return amount.quantize(CENT)


def _count(errors: dict, field: str, value) -> int:
    try:
        number = int(value if value not in (None, "") else 0)
    except (TypeError, ValueError):
        errors[field] = _("请输入整数")
        return 0
    if not 0 <= number <= 10_000_000:
        errors[field] = _("应为0至10000000之间的整数")
    return number


def _date(errors: dict, field: str, value) -> datetime.date | None:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            errors[field] = _("日期格式应为YYYY-MM-DD")
            return None
    if not isinstance(value, datetime.date):
        errors[field] = _("此项为必填项")
        return None
    if not datetime.date(FIRST_YEAR, 1, 1) <= value <= timezone.localdate():
        errors[field] = _("日期应在%(first)d年至今天之间") % {"first": FIRST_YEAR}
    return value


def _save_new(by, request, obj):
    with transaction.atomic():
        obj.save(force_insert=True)
        audit_model_change(actor=by, request=request, instance=obj, action=AuditAction.CREATE)
    return obj


def _save_version(by, request, obj, before: dict, version: int, fields: list[str]):
    """Write `fields` of `obj` only if the stored version is still `version`."""
    values = {name: getattr(obj, name) for name in fields}
    with transaction.atomic():
        update_if_current(obj, version, values)
        obj.refresh_from_db()
        audit_model_change(actor=by, request=request, instance=obj, action=AuditAction.UPDATE, before=before)
    return obj


def _delete(by, request, obj) -> None:
    with transaction.atomic():
        audit_model_change(actor=by, request=request, instance=obj, action=AuditAction.DELETE)
        type(obj)._base_manager.filter(pk=obj.pk).delete()


# --- purchases ----------------------------------------------------------------------------------

PURCHASE_FIELDS = ("unit", "kind", "region", "supplier", "product", "amount", "date", "channel", "note")


def _apply_purchase(by, purchase: Purchase, data: dict, errors: dict) -> None:
    unit = _visible_unit(by, data["unit"], errors)
    purchase.unit = unit
    purchase.kind = _choice(errors, "kind", data["kind"], PurchaseKind)
    purchase.region = _assisted_region(unit, data["region"], "region", errors)
    purchase.supplier = validators.text(
        errors, "supplier", data["supplier"], max_length=100, required=True, single_line=True
    )
    purchase.product = validators.text(
        errors, "product", data["product"], max_length=100, required=True, single_line=True
    )
    purchase.amount = _amount(errors, "amount", data["amount"])
    purchase.date = _date(errors, "date", data["date"])
    purchase.channel = _choice(errors, "channel", data.get("channel") or Channel.OTHER, Channel)
    purchase.note = validators.text(
        errors, "note", data.get("note"), max_length=200, required=False, single_line=True
    )
    validators.raise_errors(errors)
    # A record is the writer's when its unit is theirs or its place is in their area.
    require(by, None, unit_id=unit.pk, code=purchase.region_id)


def purchase_create(
    *,
    by,
    unit: int,
    kind: str,
    region: str,
    supplier: str,
    product: str,
    amount,
    date,
    channel: str = Channel.OTHER,
    note: str = "",
    request=None,
) -> Purchase:
    """Record produce bought from (or sold on behalf of) a supplier in a county the unit assists."""
    require(by, "outcomes.add_purchase")
    data = dict(unit=unit, kind=kind, region=region, supplier=supplier, product=product)
    data.update(amount=amount, date=date, channel=channel, note=note)
    purchase = Purchase()
    _apply_purchase(by, purchase, data, {})
    return _save_new(by, request, purchase)


def purchase_update(*, by, purchase: Purchase, version: int, request=None, **fields) -> Purchase:
    """Change the given fields if `version` is still current (else StaleVersion)."""
    require(by, "outcomes.change_purchase", unit_id=purchase.unit_id, code=purchase.region_id)
    unknown = set(fields) - set(PURCHASE_FIELDS)
    if unknown:
        raise TypeError(f"purchase fields {sorted(unknown)} cannot be set here")
    fresh = Purchase._base_manager.get(pk=purchase.pk)
    before = audit_snapshot(fresh)
    current = {name: getattr(fresh, name) for name in PURCHASE_FIELDS}
    current.update(unit=fresh.unit_id, region=fresh.region_id)
    _apply_purchase(by, fresh, {**current, **fields}, {})
    columns = ["unit", "kind", "region", "supplier", "product", "amount", "date", "channel", "note"]
    return _save_version(by, request, fresh, before, version, columns)


def purchase_delete(*, by, purchase: Purchase, request=None) -> None:
    require(by, "outcomes.delete_purchase", unit_id=purchase.unit_id, code=purchase.region_id)
    _delete(by, request, purchase)


# --- placements ---------------------------------------------------------------------------------

PLACEMENT_FIELDS = ("unit", "name", "member", "region", "employer", "kind", "date", "wage_band", "note")


def _member_of(by, member_id, errors: dict):
    """A registry member the writer may see; the link is optional (a person may be unregistered)."""
    if member_id in (None, ""):
        return None
    member = member_for(by, pk=member_id)
    if member is None:
        errors["member"] = _("请选择有效的建档立卡成员")
    return member


def _apply_placement(by, placement: Placement, data: dict, errors: dict) -> None:
    unit = _visible_unit(by, data["unit"], errors)
    placement.unit = unit
    member = _member_of(by, data.get("member"), errors)
    placement.member = member
    name = data.get("name") or (member.name if member else "")
    region = data.get("region") or (member.household.village_id if member else "")
    placement.name = validators.text(errors, "name", name, max_length=50, required=True, single_line=True)
    placement.region = _assisted_region(unit, region, "region", errors)
    # region_id, not region: reading an unset required relation raises instead of giving None.
    if (
        member is not None
        and placement.region_id is not None
        and member.household.village_id[:6] != region[:6]
    ):
        errors["region"] = _("户籍地区与所选建档立卡成员不一致")
    placement.employer = validators.text(
        errors, "employer", data["employer"], max_length=100, required=True, single_line=True
    )
    placement.kind = _choice(errors, "kind", data["kind"], PlacementKind)
    placement.date = _date(errors, "date", data["date"])
    placement.wage_band = _choice(errors, "wage_band", data["wage_band"], WageBand)
    placement.note = validators.text(
        errors, "note", data.get("note"), max_length=200, required=False, single_line=True
    )
    validators.raise_errors(errors)
    require(by, None, unit_id=unit.pk, code=placement.region_id)


def placement_create(
    *,
    by,
    unit: int,
    employer: str,
    kind: str,
    date,
    wage_band: str,
    name: str = "",
    member: int | None = None,
    region: str = "",
    note: str = "",
    request=None,
) -> Placement:
    """Record a job placement; with `member`, the name and home village default to the registry's."""
    require(by, "outcomes.add_placement")
    data = dict(unit=unit, name=name, member=member, region=region, employer=employer)
    data.update(kind=kind, date=date, wage_band=wage_band, note=note)
    placement = Placement()
    _apply_placement(by, placement, data, {})
    return _save_new(by, request, placement)


def placement_update(*, by, placement: Placement, version: int, request=None, **fields) -> Placement:
    require(by, "outcomes.change_placement", unit_id=placement.unit_id, code=placement.region_id)
    unknown = set(fields) - set(PLACEMENT_FIELDS)
    if unknown:
        raise TypeError(f"placement fields {sorted(unknown)} cannot be set here")
    fresh = Placement._base_manager.get(pk=placement.pk)
    before = audit_snapshot(fresh)
    current = {name: getattr(fresh, name) for name in PLACEMENT_FIELDS}
    current.update(unit=fresh.unit_id, region=fresh.region_id, member=fresh.member_id)
    _apply_placement(by, fresh, {**current, **fields}, {})
    return _save_version(by, request, fresh, before, version, list(PLACEMENT_FIELDS))


def placement_delete(*, by, placement: Placement, request=None) -> None:
    require(by, "outcomes.delete_placement", unit_id=placement.unit_id, code=placement.region_id)
    _delete(by, request, placement)


# --- 责任书 targets -----------------------------------------------------------------------------

TARGET_MONEY = ("direct_funds", "brought_in_funds", "bought", "sold")
TARGET_COUNTS = ("cadres_trained", "technicians_trained")
TARGET_FIELDS = (*TARGET_MONEY, *TARGET_COUNTS, "note")


def _apply_target(target: IndicatorTarget, data: dict, errors: dict) -> None:
    for name in TARGET_MONEY:
        setattr(target, name, _amount(errors, name, data.get(name) or 0, positive=False))
    for name in TARGET_COUNTS:
        setattr(target, name, _count(errors, name, data.get(name)))
    target.note = validators.text(
        errors, "note", data.get("note"), max_length=200, required=False, single_line=True
    )


def target_set(*, by, unit: int, year: int, request=None, **values) -> IndicatorTarget:
    """Create a unit's targets for a year (one row per unit and year)."""
    require(by, "outcomes.add_indicatortarget")
    unknown = set(values) - set(TARGET_FIELDS)
    if unknown:
        raise TypeError(f"target fields {sorted(unknown)} cannot be set here")
    errors: dict = {}
    unit_obj = _visible_unit(by, unit, errors)
    latest = timezone.localdate().year + 1  # a pledge may be signed for the coming year
    target = IndicatorTarget(
        unit=unit_obj, year=validators.year(errors, "year", year, earliest=FIRST_YEAR, latest=latest)
    )
    _apply_target(target, values, errors)
    if not errors and IndicatorTarget.objects.filter(unit=unit_obj, year=target.year).exists():
        errors["year"] = _("该单位该年度的责任书目标已存在,请直接修改")
    validators.raise_errors(errors)
    # A pledge is signed by the unit itself: only its own people set its targets.
    require(by, None, unit_id=unit_obj.pk, reason=_("只能填写本单位的责任书目标"))
    try:
        with transaction.atomic():
            return _save_new(by, request, target)
    except IntegrityError:
        raise ValidationError({"year": _("该单位该年度的责任书目标已存在,请直接修改")}) from None


def target_update(*, by, target: IndicatorTarget, version: int, request=None, **values) -> IndicatorTarget:
    require(by, "outcomes.change_indicatortarget")
    require(by, None, unit_id=target.unit_id, reason=_("只能填写本单位的责任书目标"))
    unknown = set(values) - set(TARGET_FIELDS)
    if unknown:
        raise TypeError(f"target fields {sorted(unknown)} cannot be set here")
    fresh = IndicatorTarget._base_manager.get(pk=target.pk)
    before = audit_snapshot(fresh)
    current = {name: getattr(fresh, name) for name in TARGET_FIELDS}
    errors: dict = {}
    _apply_target(fresh, {**current, **values}, errors)
    validators.raise_errors(errors)
    return _save_version(by, request, fresh, before, version, list(TARGET_FIELDS))
