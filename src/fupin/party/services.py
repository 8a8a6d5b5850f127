"""Writes of the party app. Every function is keyword-only, checks the actor's permission and that
the target organisation is in their scope (`by=None` is the system: the demo, commands), validates
with field errors in Chinese, runs in one transaction and writes an audit row. Workflow steps
(recruitment stages, membership status, weak-branch cases) also write an event row each.
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
from fupin.core.errors import TransitionRefused
from fupin.core.permissions import require, within
from fupin.core.photos import check_photo
from fupin.core.scoping import scope_of
from fupin.core.versioning import update_if_current
from fupin.party.choices import (
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    MemberStatus,
    OrgKind,
    OrgLevel,
    Post,
    Stage,
    WeakCriterion,
    WeakStatus,
)
from fupin.party.models import (
    BranchScore,
    CadreMonthScore,
    ChecklistItem,
    ItemScore,
    Meeting,
    MeetingPhoto,
    MemberEvent,
    Pairing,
    PairingActivity,
    PartyMember,
    PartyOrg,
    ReserveAssessment,
    ReserveCadre,
    VillageCadre,
    WeakCase,
    WeakCaseEvent,
)
from fupin.party.selectors import can_edit_org, computed_criteria, keepers

CREATE, UPDATE = AuditAction.CREATE, AuditAction.UPDATE
PROBATION_DAYS = 365  # 预备期一年 (党章第七条)

MAX_PHOTOS = 9  # per meeting record


# --- access -------------------------------------------------------------------------------------


# Every write asks core.permissions.require for party.<perm> on organisations `by` keeps
# (selectors.keepers: seeing is not enough, an assisting unit sees the branches it is paired with
# but does not run them); None is the system.


def org_in_scope(user, org: PartyOrg) -> bool:
    return within(user, code=org.region_id, unit_id=org.unit_id)


def _save_new(obj, *, by, request, exclude=()):
    obj.full_clean(exclude=list(exclude))
    obj.save(force_insert=True)
    audit_model_change(actor=by, request=request, instance=obj, action=CREATE)
    return obj


def _update(obj, *, by, request, version: int, changes: dict, exclude=()):
    """Apply `changes` if `version` is still current; StaleVersion otherwise, nothing written."""
    model = type(obj)
    fresh = model._base_manager.get(pk=obj.pk)
    before = audit_snapshot(fresh)
    for name, value in changes.items():
        setattr(fresh, name, value)
    fresh.full_clean(exclude=list(exclude))
    values = {name: getattr(fresh, name) for name in changes}
    with transaction.atomic():
        update_if_current(fresh, version, values)
        fresh.refresh_from_db()
        audit_model_change(actor=by, request=request, instance=fresh, action=UPDATE, before=before)
    return fresh


def _today():
    return timezone.localdate()


def _not_future(errors: dict, name: str, value) -> None:
    if value and value > _today():
        errors[name] = _("日期不能晚于今天")


# --- organisations ------------------------------------------------------------------------------

ORG_FIELDS = ("name", "level", "kind", "parent", "region", "unit", "founded_on", "approved_by", "note")


def _check_org(by, org: PartyOrg) -> None:
    errors: dict = {}
    if by is not None and not can_edit_org(by, org):
        errors["region"] = _("所在区划或所属单位须在您的数据范围内")
    if org.parent is not None and by is not None and not org_in_scope(by, org.parent):
        errors["parent"] = _("上级组织不在您的数据范围内")
    if org.parent_id and org.pk and org.parent_id == org.pk:
        errors["parent"] = _("上级组织不能是本组织")
    elif org.parent_id and org.pk and _descends_from(org.parent, org.pk):
        errors["parent"] = _("上级组织不能是本组织的下级组织")
    if org.parent is not None and org.parent.level == OrgLevel.GROUP:
        errors.setdefault("parent", _("党小组下不能再设党组织"))
    if org.region is None and org.unit is None:
        errors["region"] = _("请选择所在区划或所属单位")
    _not_future(errors, "founded_on", org.founded_on)
    validators.raise_errors(errors)


def _descends_from(org: PartyOrg, ancestor_pk: int) -> bool:
    """Whether `ancestor_pk` is among `org`'s ancestors (or `org` itself): a move there would loop."""
    seen: set[int] = set()
    while org is not None and org.pk not in seen:
        if org.pk == ancestor_pk:
            return True
        seen.add(org.pk)
        org = PartyOrg._base_manager.filter(pk=org.parent_id).first() if org.parent_id else None
    return False


@transaction.atomic
def org_create(*, by, request=None, **fields) -> PartyOrg:
    require(by, "party.add_partyorg")
    unknown = set(fields) - set(ORG_FIELDS) - {"region_id", "unit_id", "parent_id"}
    if unknown:
        raise TypeError(f"organisation fields {sorted(unknown)} cannot be set here")
    org = PartyOrg(**fields)
    org.approved_by = org.approved_by or ""
    org.note = org.note or ""
    _check_org(by, org)
    return _save_new(org, by=by, request=request)


def org_update(*, by, org: PartyOrg, version: int, request=None, **fields) -> PartyOrg:
    require(by, "party.change_partyorg", **keepers(org))
    probe = PartyOrg._base_manager.get(pk=org.pk)
    for name, value in fields.items():
        setattr(probe, name, value)
    _check_org(by, probe)
    return _update(org, by=by, request=request, version=version, changes=fields)


# --- members and recruitment --------------------------------------------------------------------


def _check_person(by, person) -> None:
    if person is not None and by is not None and not scope_of(by).covers_code(person.household.village_id):
        raise ValidationError({"person": _("关联的建档人口不在您的数据范围内")})


def _stage_dates_in_order(member: PartyMember) -> dict:
    errors, last, last_label = {}, None, ""
    for stage in STAGE_ORDER:
        name = STAGE_DATE_FIELD[stage]
        value = getattr(member, name)
        if value is None:
            continue
        _not_future(errors, name, value)
        if last is not None and value < last:
            errors[name] = _("不能早于%(prev)s") % {"prev": last_label}
        last, last_label = value, PartyMember._meta.get_field(name).verbose_name
    reached = STAGE_ORDER.index(member.stage)
    for stage in STAGE_ORDER[: reached + 1]:
        name = STAGE_DATE_FIELD[stage]
        if stage in (Stage.PROBATIONARY, Stage.FULL) and getattr(member, name) is None:
            errors.setdefault(name, _("%(stage)s须填写该日期") % {"stage": member.get_stage_display()})
    return errors


def _sync_secretary(org: PartyOrg, on: datetime.date) -> None:
    """Keep the organisation's secretary vacancy date in step with its members' posts."""
    has = org.members.filter(post=Post.SECRETARY, status=MemberStatus.ACTIVE).exists()
    fresh = PartyOrg._base_manager.get(pk=org.pk)
    if has and fresh.secretary_vacant_since is not None:
        PartyOrg._base_manager.filter(pk=org.pk).update(secretary_vacant_since=None)
    elif not has and fresh.secretary_vacant_since is None:
        PartyOrg._base_manager.filter(pk=org.pk).update(secretary_vacant_since=on)


@transaction.atomic
def member_add(*, by, org: PartyOrg, request=None, **fields) -> PartyMember:
    require(by, "party.add_partymember", **keepers(org))
    member = PartyMember(org=org, **fields)
    _check_person(by, member.person)
    validators.raise_errors(_stage_dates_in_order(member))
    if member.post != Post.MEMBER and member.stage != Stage.FULL and member.stage != Stage.PROBATIONARY:
        raise ValidationError({"post": _("只有党员才能担任党内职务")})
    _save_new(member, by=by, request=request)
    MemberEvent.objects.create(
        member=member,
        actor=by,
        on=getattr(member, STAGE_DATE_FIELD[member.stage]) or _today(),
        to_stage=member.stage,
        to_status=member.status,
        reason=_("登记"),
    )
    _sync_secretary(org, _today())
    return member


def member_update(*, by, member: PartyMember, version: int, request=None, **fields) -> PartyMember:
    """Edit name, post, link and dates; the stage and status change only through their workflows."""
    require(by, "party.change_partymember", **keepers(member.org))
    fields.pop("stage", None)
    fields.pop("status", None)
    probe = PartyMember._base_manager.get(pk=member.pk)
    for name, value in fields.items():
        setattr(probe, name, value)
    _check_person(by, fields.get("person"))
    validators.raise_errors(_stage_dates_in_order(probe))
    if fields.get("post", Post.MEMBER) != Post.MEMBER and member.stage not in (
        Stage.PROBATIONARY,
        Stage.FULL,
    ):
        raise ValidationError({"post": _("只有党员才能担任党内职务")})
    with transaction.atomic():
        fresh = _update(member, by=by, request=request, version=version, changes=fields)
        _sync_secretary(member.org, _today())
    return fresh


def next_stage(stage: str) -> str | None:
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def member_advance(
    *, by, member: PartyMember, on: datetime.date, version: int, reason: str = "", request=None
) -> PartyMember:
    """Move a person to the next recruitment stage on `on` (one step at a time, dates in order)."""
    require(by, "party.change_partymember", **keepers(member.org))
    target = next_stage(member.stage)
    reasons = []
    if member.status != MemberStatus.ACTIVE:
        reasons.append(_("该人员不在册,不能继续发展"))
    if target is None:
        reasons.append(_("已是正式党员"))
    if on > _today():
        reasons.append(_("日期不能晚于今天"))
    current_date = getattr(member, STAGE_DATE_FIELD[member.stage])
    if current_date and on < current_date:
        reasons.append(_("日期不能早于上一阶段的日期(%(d)s)") % {"d": current_date})
    if target == Stage.FULL and member.joined_on and (on - member.joined_on).days < PROBATION_DAYS:
        reasons.append(_("预备期未满一年(入党日期 %(d)s)") % {"d": member.joined_on})
    if reasons:
        raise TransitionRefused(reasons)
    with transaction.atomic():
        fresh = _update(
            member,
            by=by,
            request=request,
            version=version,
            changes={"stage": target, STAGE_DATE_FIELD[target]: on},
        )
        MemberEvent.objects.create(
            member=fresh, actor=by, on=on, from_stage=member.stage, to_stage=target, reason=reason
        )
    return fresh


def member_set_status(
    *, by, member: PartyMember, status: str, on: datetime.date, version: int, reason: str, request=None
) -> PartyMember:
    """Transfer out, leave, or record a death; a member who leaves also leaves any post."""
    require(by, "party.change_partymember", **keepers(member.org))
    reasons = []
    if status not in MemberStatus.values or status == MemberStatus.ACTIVE:
        reasons.append(_("无效的状态"))
    if member.status != MemberStatus.ACTIVE:
        reasons.append(_("该人员已不在册"))
    if not reason.strip():
        reasons.append(_("请填写原因"))
    if on > _today():
        reasons.append(_("日期不能晚于今天"))
    if reasons:
        raise TransitionRefused(reasons)
    with transaction.atomic():
        fresh = _update(
            member, by=by, request=request, version=version, changes={"status": status, "post": Post.MEMBER}
        )
        MemberEvent.objects.create(
            member=fresh, actor=by, on=on, from_status=member.status, to_status=status, reason=reason
        )
        _sync_secretary(member.org, on)
    return fresh


# --- organisational life ------------------------------------------------------------------------


MAX_GUESTS = 200  # 列席 names on one meeting record
GUEST_NAME_MAX = 50
DERIVED_ATTENDANCE = {"attendee_count", "absent_count"}


def meeting_roster(org: PartyOrg):
    """The members a meeting of `org` counts: its own and its 党小组's active members."""
    return PartyMember.objects.filter(
        org__in=[org, *org.children.all()], status=MemberStatus.ACTIVE
    ).select_related("org")


def _attendance(org: PartyOrg, attendees, guests, errors: dict, *, kept=()) -> tuple[list, list, dict]:
    """Check the ticked members and the guests' names; the figures they give.

    Attendees are members of the roster (or `kept`: those who attended an edited meeting and have
    left since); the counts are derived from them, so they can never exceed the lists.
    """
    roster = {m.pk: m for m in meeting_roster(org)}
    allowed = set(roster) | {m.pk for m in kept}
    attendees = list(dict.fromkeys(attendees))
    if any(a.pk not in allowed for a in attendees):
        errors["attendees"] = _("参会党员须是本组织在册的党员")
    names = [str(g).strip() for g in guests or () if str(g).strip()]
    if len(names) > MAX_GUESTS:
        errors["guests"] = _("列席人员最多 %(n)d 人") % {"n": MAX_GUESTS}
    elif any(len(g) > GUEST_NAME_MAX or validators.has_control(g) for g in names):
        errors["guests"] = _("列席人员姓名不能超过 %(n)d 个字,且不能含控制字符") % {"n": GUEST_NAME_MAX}
    present = {a.pk for a in attendees}
    figures = {"attendee_count": len(present), "absent_count": len(set(roster) - present)}
    return attendees, names, figures


def _no_typed_figures(fields: dict) -> None:
    typed = DERIVED_ATTENDANCE & set(fields)
    if typed:  # a caller that still types numbers is a bug to fix, not input to correct
        raise TypeError(f"{sorted(typed)} are derived from the attendees and guests")


@transaction.atomic
def meeting_record(
    *, by, org: PartyOrg, attendees=(), guests=(), photos=(), request=None, **fields
) -> Meeting:
    """Record a meeting with its attendees (members of the organisation, ticked), its guests
    (列席, by name) and photos; 实到/缺席 are derived from the members ticked."""
    require(by, "party.add_meeting", **keepers(org))
    _no_typed_figures(fields)
    meeting = Meeting(org=org, recorded_by=by, **fields)
    errors: dict = {}
    _not_future(errors, "held_on", meeting.held_on)
    attendees, meeting.guests, figures = _attendance(org, attendees, guests, errors)
    meeting.attendee_count, meeting.absent_count = figures["attendee_count"], figures["absent_count"]
    if meeting.kind == "group" and org.level not in (OrgLevel.GROUP, OrgLevel.BRANCH):
        errors["kind"] = _("党小组会应由党支部或党小组记录")
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("最多上传 %(n)d 张照片") % {"n": MAX_PHOTOS}
    checked = []
    for upload in photos:
        try:
            checked.append((upload, check_photo(upload)))
        except ValidationError as exc:
            errors.setdefault("photos", exc.messages[0])
    validators.raise_errors(errors)
    _save_new(meeting, by=by, request=request)
    meeting.attendees.set(attendees)
    for upload, content_type in checked:
        MeetingPhoto.objects.create(
            meeting=meeting, image=upload, content_type=content_type, size=upload.size
        )
    return meeting


def meeting_update(
    *, by, meeting: Meeting, version: int, attendees=None, guests=None, request=None, **fields
) -> Meeting:
    """Edit a meeting; given `attendees` and/or `guests`, the lists are replaced and the figures
    derived again."""
    require(by, "party.change_meeting", **keepers(meeting.org))
    _no_typed_figures(fields)
    errors: dict = {}
    _not_future(errors, "held_on", fields.get("held_on"))
    kept = list(meeting.attendees.all())
    chosen, names, figures = _attendance(
        meeting.org,
        kept if attendees is None else attendees,
        meeting.guests if guests is None else guests,
        errors,
        kept=kept,
    )
    validators.raise_errors(errors)
    with transaction.atomic():
        fresh = _update(
            meeting, by=by, request=request, version=version, changes={**fields, "guests": names, **figures}
        )
        fresh.attendees.set(chosen)
    return fresh


# --- standardisation ----------------------------------------------------------------------------


def star_for(total: Decimal, full: Decimal) -> int:
    """Five stars from 90% of the full score, four from 80%, three from 70%, two from 60%."""
    share = (total / full * 100) if full else Decimal(0)
    for floor, stars in ((90, 5), (80, 4), (70, 3), (60, 2)):
        if share >= floor:
            return stars
    return 1


def _points(value, name: str, errors: dict, ceiling: Decimal) -> Decimal:
    try:
        points = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        errors[name] = _("请输入分数")
        return Decimal(0)
    if not points.is_finite() or points < 0 or points > ceiling:
        errors[name] = _("得分应在0至%(max)s之间") % {"max": ceiling}
        return Decimal(0)
    if points != points.quantize(Decimal("0.01")):
        errors[name] = _("最多保留两位小数")
    return points.quantize(Decimal("0.01"))


@transaction.atomic
def score_record(
    *,
    by,
    org: PartyOrg,
    checklist,
    year: int,
    points: dict,
    satisfaction=None,
    version: int | None = None,
    request=None,
) -> BranchScore:
    """Record (or re-record) a branch's yearly score: item points keyed by item id, the total and stars."""
    require(by, "party.add_branchscore", **keepers(org))
    items = list(ChecklistItem.objects.filter(category__checklist=checklist))
    errors: dict = {}
    if not 2000 <= int(year) <= _today().year:
        errors["year"] = _("年份应在2000年至%(y)d年之间") % {"y": _today().year}
    unknown = set(map(str, points)) - {str(i.pk) for i in items}
    if unknown:
        errors["points"] = _("考评标准不属于该考评表")
    values = {
        i.pk: _points(points.get(i.pk, points.get(str(i.pk))), f"item_{i.pk}", errors, i.max_points)
        for i in items
    }
    if satisfaction not in (None, ""):
        satisfaction = _points(satisfaction, "satisfaction", errors, Decimal(100))
    else:
        satisfaction = None
    validators.raise_errors(errors)
    total = sum(values.values(), Decimal(0))
    full = sum((i.max_points for i in items), Decimal(0))
    existing = BranchScore.objects.filter(org=org, year=year).first()
    fields = {
        "checklist": checklist,
        "total": total,
        "star": star_for(total, full),
        "satisfaction": satisfaction,
    }
    if existing is None:
        score = _save_new(BranchScore(org=org, year=year, scored_by=by, **fields), by=by, request=request)
    else:
        if version is None:
            version = existing.version
        score = _update(
            existing, by=by, request=request, version=version, changes={**fields, "scored_by": by}
        )
        score.items.all().delete()

    ItemScore.objects.bulk_create([ItemScore(score=score, item_id=pk, points=v) for pk, v in values.items()])
    return score


# --- weak and lax branches ----------------------------------------------------------------------

WEAK_STEPS = {
    # action: (from states, to state, permission)
    "plan": ((WeakStatus.IDENTIFIED, WeakStatus.RECTIFYING), WeakStatus.RECTIFYING),
    "close": ((WeakStatus.RECTIFYING,), WeakStatus.CLOSED),
    "revoke": ((WeakStatus.IDENTIFIED, WeakStatus.RECTIFYING), WeakStatus.REVOKED),
}


@transaction.atomic
def weak_identify(
    *, by, org: PartyOrg, year: int, criteria=(), description: str = "", at=None, request=None
) -> WeakCase:
    """Open a case: the criteria computed from records plus those judged by people (at least one)."""
    require(by, "party.manage_weakcase", **keepers(org))
    computed = computed_criteria(org)
    chosen = list(dict.fromkeys([*computed, *criteria]))
    errors: dict = {}
    if any(c not in WeakCriterion.values for c in chosen):
        errors["criteria"] = _("认定情形无效")
    elif not chosen:
        errors["criteria"] = _("请至少选择一项认定情形")
    if WeakCase.objects.filter(org=org, status__in=[WeakStatus.IDENTIFIED, WeakStatus.RECTIFYING]).exists():
        errors["org"] = _("该党组织已有未销号的整顿事项")
    validators.raise_errors(errors)
    evidence = "\n".join(f"{WeakCriterion(c).label}:{e}" for c, e in computed.items())
    case = WeakCase(
        org=org, year=year, criteria=chosen, description="\n".join(x for x in (description, evidence) if x)
    )
    _save_new(case, by=by, request=request)
    event = WeakCaseEvent.objects.create(case=case, actor=by, to_status=case.status, reason=description)
    if at is not None:  # a past step replayed (the demo): the event carries the time it records
        WeakCaseEvent.objects.filter(pk=event.pk).update(at=at)
    return case


def weak_step(
    *,
    by,
    case: WeakCase,
    action: str,
    version: int,
    reason: str = "",
    plan: str = "",
    owner: str = "",
    deadline: datetime.date | None = None,
    at: datetime.datetime | None = None,
    request=None,
) -> WeakCase:
    """Move a case: `plan` (rectification plan, owner and deadline), `close` (销号), `revoke`."""
    require(by, "party.manage_weakcase", **keepers(case.org))
    if action not in WEAK_STEPS:
        raise TransitionRefused([_("无效的操作")])
    sources, target = WEAK_STEPS[action]
    reasons = []
    if case.status not in sources:
        reasons.append(_("当前状态“%(s)s”不能执行该操作") % {"s": case.get_status_display()})
    changes: dict = {"status": target}
    if action == "plan":
        if not plan.strip():
            reasons.append(_("请填写整改方案"))
        if not owner.strip():
            reasons.append(_("请填写整改责任人"))
        if deadline is None:
            reasons.append(_("请填写整改时限"))
        elif deadline < _today():
            reasons.append(_("整改时限不能早于今天"))
        changes.update(plan=plan.strip(), owner=owner.strip(), deadline=deadline)
    elif not reason.strip():
        reasons.append(_("请填写原因"))
    if action == "close":
        remaining = [c for c in computed_criteria(case.org) if c in case.criteria]
        if remaining:
            reasons += [_("仍存在:%(c)s") % {"c": WeakCriterion(c).label} for c in remaining]
    if reasons:
        raise TransitionRefused(reasons)
    with transaction.atomic():
        fresh = _update(case, by=by, request=request, version=version, changes=changes)
        event = WeakCaseEvent.objects.create(
            case=fresh, actor=by, from_status=case.status, to_status=target, reason=reason or plan
        )
        if at is not None:  # a past step replayed (the demo): the event carries the time it records
            WeakCaseEvent.objects.filter(pk=event.pk).update(at=at)
    return fresh


# --- reserve pools ------------------------------------------------------------------------------


def _check_reserve(cadre: ReserveCadre) -> None:
    errors: dict = {}
    this_year = _today().year
    if cadre.birth_year and not this_year - 70 <= cadre.birth_year <= this_year - 18:
        errors["birth_year"] = _("出生年份应使年龄在18至70岁之间")
    _not_future(errors, "added_on", cadre.added_on)
    validators.raise_errors(errors)


@transaction.atomic
def reserve_add(*, by, org: PartyOrg, request=None, **fields) -> ReserveCadre:
    require(by, "party.add_reservecadre", **keepers(org))
    if org.kind != OrgKind.VILLAGE:
        raise ValidationError({"org": _("后备干部须登记在村党组织")})
    cadre = ReserveCadre(org=org, **fields)
    _check_person(by, cadre.person)
    _check_reserve(cadre)
    return _save_new(cadre, by=by, request=request)


def reserve_update(*, by, cadre: ReserveCadre, version: int, request=None, **fields) -> ReserveCadre:
    require(by, "party.change_reservecadre", **keepers(cadre.org))
    probe = ReserveCadre._base_manager.get(pk=cadre.pk)
    for name, value in fields.items():
        setattr(probe, name, value)
    _check_person(by, fields.get("person"))
    _check_reserve(probe)
    return _update(cadre, by=by, request=request, version=version, changes=fields)


@transaction.atomic
def reserve_assess(*, by, cadre: ReserveCadre, year: int, result: str, note: str = "", request=None):
    require(by, "party.change_reservecadre", **keepers(cadre.org))
    if not cadre.added_on.year <= year <= _today().year:
        raise ValidationError({"year": _("考核年度应在入库年度至今年之间")})
    existing = ReserveAssessment.objects.filter(cadre=cadre, year=year).first()
    if existing is not None:
        before = audit_snapshot(existing)
        existing.result, existing.note = result, note
        existing.full_clean()
        existing.save()
        audit_model_change(actor=by, request=request, instance=existing, action=UPDATE, before=before)
        return existing
    return _save_new(
        ReserveAssessment(cadre=cadre, year=year, result=result, note=note), by=by, request=request
    )


# --- monthly cadre evaluation -------------------------------------------------------------------


@transaction.atomic
def cadre_add(*, by, org: PartyOrg, name: str, post: str, request=None) -> VillageCadre:
    require(by, "party.add_villagecadre", **keepers(org))
    if org.kind != OrgKind.VILLAGE:
        raise ValidationError({"org": _("村干部须登记在村党组织")})
    duplicate = ValidationError({"name": _("该村已有同名同职务的村干部")})
    if VillageCadre._base_manager.filter(org=org, name=name, post=post).exists():
        raise duplicate
    try:
        with transaction.atomic():
            return _save_new(VillageCadre(org=org, name=name, post=post), by=by, request=request)
    except IntegrityError:  # a concurrent insert between the check and the save
        raise duplicate from None


@transaction.atomic
def cadre_score(
    *,
    by,
    cadre: VillageCadre,
    indicator_set,
    month: datetime.date,
    points: dict,
    version: int | None = None,
    request=None,
):
    """Record a cadre's month: points per indicator (keyed by indicator id), total computed.

    Re-recording a month replaces it; with `version` (the API's optimistic lock) only if unchanged.
    """
    require(by, "party.add_cadremonthscore", **keepers(cadre.org))
    month = month.replace(day=1)
    errors: dict = {}
    if month > _today():
        errors["month"] = _("不能为将来的月份评分")
    indicators = list(indicator_set.indicators.all())
    if set(map(str, points)) - {str(i.pk) for i in indicators}:
        errors["points"] = _("考评指标不属于该指标体系")
    values = {
        str(i.pk): _points(points.get(i.pk, points.get(str(i.pk))), f"ind_{i.pk}", errors, i.max_points)
        for i in indicators
    }
    validators.raise_errors(errors)
    total = sum(values.values(), Decimal(0))
    stored = {k: str(v) for k, v in values.items()}
    existing = CadreMonthScore.objects.filter(cadre=cadre, month=month).first()
    fields = {"indicator_set": indicator_set, "points": stored, "total": total, "scored_by": by}
    if existing is None:
        return _save_new(CadreMonthScore(cadre=cadre, month=month, **fields), by=by, request=request)
    if version is None:
        version = existing.version
    return _update(existing, by=by, request=request, version=version, changes=fields)


# --- pairings -----------------------------------------------------------------------------------


@transaction.atomic
def pairing_create(
    *, by, helper: PartyOrg, village_branch: PartyOrg, started_on, ended_on=None, note="", request=None
) -> Pairing:
    """Pair an assisting branch with a village branch; the actor must see at least one side."""
    require(by, "party.add_pairing", **keepers(helper, village_branch))
    errors: dict = {}
    if helper.pk == village_branch.pk:
        errors["village_branch"] = _("结对双方不能是同一个组织")
    if village_branch.kind != "village":
        errors["village_branch"] = _("结对的一方应为村党组织")
    if helper.kind == "village":
        errors["helper"] = _("帮扶方不能是村党组织")
    if ended_on and ended_on < started_on:
        errors["ended_on"] = _("结束日期不能早于开始日期")
    validators.raise_errors(errors)
    pairing = Pairing(
        helper=helper,
        village_branch=village_branch,
        started_on=started_on,
        ended_on=ended_on,
        note=note or "",
    )
    return _save_new(pairing, by=by, request=request)


def pairing_in_scope(user, pairing: Pairing) -> bool:
    return org_in_scope(user, pairing.helper) or org_in_scope(user, pairing.village_branch)


def pairing_update(*, by, pairing: Pairing, version: int, request=None, **fields) -> Pairing:
    require(by, "party.change_pairing", **keepers(pairing.helper, pairing.village_branch))
    ended = fields.get("ended_on", pairing.ended_on)
    if ended and ended < fields.get("started_on", pairing.started_on):
        raise ValidationError({"ended_on": _("结束日期不能早于开始日期")})
    return _update(pairing, by=by, request=request, version=version, changes=fields)


@transaction.atomic
def activity_add(*, by, pairing: Pairing, request=None, **fields) -> PairingActivity:
    # The paired unit records joint activities here, though it edits nothing of the village branch.
    require(by, "party.add_pairingactivity", **keepers(pairing.helper, pairing.village_branch))
    activity = PairingActivity(pairing=pairing, recorded_by=by, **fields)
    errors: dict = {}
    _not_future(errors, "held_on", activity.held_on)
    if activity.held_on and activity.held_on < pairing.started_on:
        errors["held_on"] = _("活动日期不能早于结对开始日期(%(d)s)") % {"d": pairing.started_on}
    if pairing.ended_on and activity.held_on and activity.held_on > pairing.ended_on:
        errors["held_on"] = _("活动日期不能晚于结对结束日期(%(d)s)") % {"d": pairing.ended_on}
    if activity.kind == "donation" and not activity.donated_items:
        errors["donated_items"] = _("捐赠活动请填写捐赠物品")
    validators.raise_errors(errors)
    return _save_new(activity, by=by, request=request)
