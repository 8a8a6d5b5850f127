"""Writes of assistance: every record is made or changed here, in a transaction, audited.

Keyword-only functions named <entity>_<action>. `by` is the acting user (None: the system, e.g.
the demo); each function checks the permission and that the target lies in `by`'s scope (a place
code it covers, or one of its units). Field problems are `ValidationError({field: message})` in
Chinese; a stale `version` is StaleVersion; a workflow step the rules refuse is TransitionRefused.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.assistance.choices import MeasureStatus, PostKind, TeamStatus, TrainingKind
from fupin.assistance.models import (
    Activity,
    Cadre,
    Measure,
    MeasureEvent,
    Pairing,
    Plan,
    Posting,
    TeamEvent,
    TrainingAttendee,
    TrainingClass,
    Visit,
    VisitPhoto,
    WorkLog,
    WorkTeam,
)
from fupin.audit.services import audit_model_change, audit_snapshot
from fupin.core import validators
from fupin.core.audit_actions import AuditAction
from fupin.core.errors import TransitionRefused
from fupin.core.permissions import require
from fupin.core.photos import check_photo, photo_type
from fupin.core.versioning import update_if_current

CREATE = AuditAction.CREATE
UPDATE = AuditAction.UPDATE

MAX_PHOTOS = 6


def _audit(by, request, instance, action=CREATE, before=None) -> None:
    audit_model_change(actor=by, request=request, instance=instance, action=action, before=before)


def _dates(errors: dict, start, end, *, end_field: str = "end") -> None:
    if start and end and end < start:
        errors[end_field] = _("结束日期不能早于开始日期")


def _not_future(errors: dict, field: str, value) -> None:
    if value and value > timezone.localdate():
        errors[field] = _("日期不能晚于今天")


def _bump(obj, version: int, **values):
    """Optimistic update: write `values` only if `version` is still current (else StaleVersion)."""
    update_if_current(obj, version, values)
    obj.refresh_from_db()
    return obj


# --- cadres and pairings ------------------------------------------------------------------------


def _cadre_phone(errors: dict, phone: str | None) -> str | None:
    """The registry's rule for a mobile (core.validators.mobile_phone), "" for none; None kept."""
    if phone is None or not phone.strip():
        return None if phone is None else ""
    try:
        return validators.mobile_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages[0]
        return None


@transaction.atomic
def cadre_create(
    *, by, name: str, level: str, region, unit=None, title: str = "", phone: str = "", user=None, request=None
) -> Cadre:
    code = getattr(region, "code", region)
    require(by, "assistance.add_cadre", code=code, unit_id=getattr(unit, "pk", None))
    errors: dict = {}
    if not (name or "").strip():
        errors["name"] = _("此项为必填项")
    phone = _cadre_phone(errors, phone or "")
    if user is not None and Cadre.objects.filter(user=user).exists():
        errors["account"] = _("该账号已关联其他帮扶干部")
    validators.raise_errors(errors)
    cadre = Cadre(name=name.strip(), level=level, region_id=code, unit=unit, title=title or "", user=user)
    cadre.set_phone(phone)
    cadre.save()
    _audit(by, request, cadre)
    return cadre


@transaction.atomic
def cadre_update(
    *,
    by,
    cadre: Cadre,
    version: int,
    name: str,
    level: str,
    region,
    unit=None,
    title: str = "",
    phone: str | None = None,
    user=None,
    request=None,
) -> Cadre:
    """Correct a cadre's record; both the record and where it moves to must lie in `by`'s scope.
    `phone`: None keeps it, "" clears it."""
    code = getattr(region, "code", region)
    require(by, "assistance.change_cadre", code=cadre.region_id, unit_id=cadre.unit_id)
    require(by, "assistance.change_cadre", code=code, unit_id=getattr(unit, "pk", None))
    errors: dict = {}
    if not (name or "").strip():
        errors["name"] = _("此项为必填项")
    phone = _cadre_phone(errors, phone)
    if user is not None and Cadre.objects.filter(user=user).exclude(pk=cadre.pk).exists():
        errors["account"] = _("该账号已关联其他帮扶干部")
    validators.raise_errors(errors)
    before = audit_snapshot(cadre)
    sealed = {}
    if phone is not None:  # sealed on a copy: a stale version leaves the caller's cadre as it was
        probe = Cadre()
        probe.set_phone(phone)
        sealed = {"phone_enc": probe.phone_enc, "phone_masked": probe.phone_masked}
    _bump(
        cadre,
        version,
        name=name.strip(),
        level=level,
        region_id=code,
        unit=unit,
        title=title or "",
        user=user,
        **sealed,
    )  # update_if_current stamps updated_at, and only when something changed
    _audit(by, request, cadre, UPDATE, before)
    return cadre


@transaction.atomic
def pairing_create(*, by, cadre: Cadre, household, start: datetime.date, request=None) -> Pairing:
    """Make `cadre` responsible for `household` (帮扶责任人); one open pairing per cadre and household."""
    require(by, "assistance.add_pairing", code=household.village_id, unit_id=cadre.unit_id)
    errors: dict = {}
    if Pairing.objects.filter(cadre=cadre, household=household, end__isnull=True).exists():
        errors["household"] = _("该干部已与此户结对,不能重复结对")
    _not_future(errors, "start", start)
    validators.raise_errors(errors)
    pairing = Pairing.objects.create(cadre=cadre, household=household, start=start)
    _audit(by, request, pairing)
    return pairing


@transaction.atomic
def pairing_end(
    *, by, pairing: Pairing, version: int, end: datetime.date, reason: str, request=None
) -> Pairing:
    require(by, "assistance.change_pairing", code=pairing.household.village_id, unit_id=pairing.cadre.unit_id)
    errors: dict = {}
    if pairing.end is not None:
        raise TransitionRefused([_("该结对已结束")])
    _dates(errors, pairing.start, end)
    if not (reason or "").strip():
        errors["end_reason"] = _("请填写结束原因")
    validators.raise_errors(errors)
    before = audit_snapshot(pairing)
    _bump(pairing, version, end=end, end_reason=reason.strip())
    _audit(by, request, pairing, UPDATE, before)
    return pairing


@transaction.atomic
def activity_record(
    *,
    by,
    kind: str,
    title: str,
    held_on: datetime.date,
    region,
    unit=None,
    pairing: Pairing | None = None,
    assisted_place=None,
    description: str = "",
    items: str = "",
    value: Decimal | None = None,
    participants: int = 0,
    request=None,
) -> Activity:
    code = getattr(region, "code", region)
    require(by, "assistance.add_activity", code=code, unit_id=getattr(unit, "pk", None))
    errors: dict = {}
    _not_future(errors, "held_on", held_on)
    if assisted_place is not None and not code.startswith(assisted_place.region_id):
        errors["region"] = _("活动地点不在该定点帮扶地区内")
    if pairing is not None and pairing.household.village_id != code:
        errors["region"] = _("活动地点应为结对农户所在村")
    if kind == "donation" and not (items or "").strip():
        errors["items"] = _("捐赠物资请填写物品")
    validators.raise_errors(errors)
    activity = Activity.objects.create(
        kind=kind,
        title=title,
        held_on=held_on,
        region_id=code,
        unit=unit or (assisted_place.unit if assisted_place else None),
        pairing=pairing,
        assisted_place=assisted_place,
        description=description,
        items=items,
        value=value,
        participants=participants or 0,
        recorded_by=by,
    )
    _audit(by, request, activity)
    return activity


# --- dispatched cadres and work teams -----------------------------------------------------------


@transaction.atomic
def team_create(
    *, by, name: str, unit, village, start: datetime.date, at: datetime.datetime | None = None, request=None
) -> WorkTeam:
    code = getattr(village, "code", village)
    require(by, "assistance.add_workteam", code=code, unit_id=unit.pk)
    if len(code) != 12:
        raise ValidationError({"village": _("驻村工作队应派驻到行政村")})
    team = WorkTeam.objects.create(name=name, unit=unit, village_id=code, start=start)
    event = TeamEvent.objects.create(
        team=team, actor=by, from_status="", to_status=team.status, reason=_("组建")
    )
    if at is not None:  # a past team replayed (the demo): the event carries the time it records
        TeamEvent.objects.filter(pk=event.pk).update(at=at)
    _audit(by, request, team)
    return team


@transaction.atomic
def team_update(
    *, by, team: WorkTeam, version: int, name: str, unit, village, start: datetime.date, request=None
) -> WorkTeam:
    """Correct a team's name, sending unit, village or start; its status moves by team_transition only."""
    code = getattr(village, "code", village)
    require(by, "assistance.change_workteam", code=team.village_id, unit_id=team.unit_id)
    require(by, "assistance.change_workteam", code=code, unit_id=unit.pk)
    errors: dict = {}
    if not (name or "").strip():
        errors["name"] = _("此项为必填项")
    if len(code) != 12:
        errors["village"] = _("驻村工作队应派驻到行政村")
    elif code != team.village_id and Posting.objects.filter(team=team).exists():
        # Members' postings are in the team's village: moving the team would leave them elsewhere.
        errors["village"] = _("工作队已有队员,不能变更驻村")
    if team.end and start and start > team.end:
        errors["start"] = _("开始日期不能晚于结束日期")
    validators.raise_errors(errors)
    before = audit_snapshot(team)
    _bump(team, version, name=name.strip(), unit=unit, village_id=code, start=start)
    _audit(by, request, team, UPDATE, before)
    return team


def serving(queryset, on: datetime.date | None = None):
    """Postings (or pairings) in force on `on` (today by default)."""
    on = on or timezone.localdate()
    return queryset.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


def team_size(team: WorkTeam, on: datetime.date | None = None) -> int:
    return serving(Posting.objects.filter(team=team), on).count()


TEAM_STEPS = {
    TeamStatus.FORMING: {TeamStatus.ACTIVE},
    TeamStatus.ACTIVE: {TeamStatus.ENDED},
    TeamStatus.ENDED: set(),
}


@transaction.atomic
def team_transition(
    *,
    by,
    team: WorkTeam,
    to: str,
    version: int,
    reason: str = "",
    on: datetime.date | None = None,
    at: datetime.datetime | None = None,
    request=None,
) -> WorkTeam:
    """forming → active (needs at least three members serving on `on`, today by default) → ended.

    `on` lets a team recorded after the fact take up its post as of its start date. An event per step.
    """
    require(by, "assistance.transition_workteam", code=team.village_id, unit_id=team.unit_id)
    team = WorkTeam._base_manager.select_for_update().get(pk=team.pk)
    reasons = []
    if to not in TEAM_STEPS.get(team.status, set()):
        reasons.append(
            _("工作队当前为“%(now)s”,不能变更为“%(to)s”")
            % {
                "now": team.get_status_display(),
                "to": TeamStatus(to).label if to in TeamStatus.values else to,
            }
        )
    size = team_size(team, on)
    if to == TeamStatus.ACTIVE and size < WorkTeam.MIN_MEMBERS:
        reasons.append(
            _("驻村工作队至少%(min)d人,当前在岗%(n)d人,不能进驻") % {"min": WorkTeam.MIN_MEMBERS, "n": size}
        )
    if reasons:
        raise TransitionRefused(reasons)
    before = audit_snapshot(team)
    old = team.status
    values = {"status": to}
    if to == TeamStatus.ENDED and team.end is None:
        values["end"] = on or timezone.localdate()
    _bump(team, version, **values)
    event = TeamEvent.objects.create(team=team, actor=by, from_status=old, to_status=to, reason=reason or "")
    if at is not None:  # a past step replayed (the demo): the event carries the time it records
        TeamEvent.objects.filter(pk=event.pk).update(at=at)
    _audit(by, request, team, UPDATE, before)
    return team


@transaction.atomic
def posting_create(
    *,
    by,
    cadre: Cadre,
    kind: str,
    region,
    start: datetime.date,
    end: datetime.date | None = None,
    team: WorkTeam | None = None,
    post_title: str = "",
    request=None,
) -> Posting:
    """A term of a dispatched cadre. First secretaries and team members serve in a village, 挂职 in a county."""
    code = getattr(region, "code", region)
    require(by, "assistance.add_posting", code=code, unit_id=cadre.unit_id)
    errors: dict = {}
    if kind in (PostKind.FIRST_SECRETARY, PostKind.TEAM_MEMBER) and len(code) != 12:
        errors["region"] = _("第一书记和驻村工作队员应派驻到行政村")
    if kind == PostKind.SECONDED and len(code) > 9:
        errors["region"] = _("挂职干部应派驻到县、乡或以上")
    if kind == PostKind.TEAM_MEMBER:
        if team is None:
            errors["team"] = _("驻村工作队员请选择工作队")
        elif team.village_id != code:
            errors["region"] = _("派驻地应为工作队所驻村")
        elif team.status == TeamStatus.ENDED:
            errors["team"] = _("该工作队已期满")
    _dates(errors, start, end)
    if kind == PostKind.FIRST_SECRETARY and not errors:
        overlapping = serving(Posting.objects.filter(kind=kind, region_id=code), start)
        if end is None and overlapping.exclude(cadre=cadre).exists():
            errors["region"] = _("该村已有在任第一书记,请先结束其任期")
    validators.raise_errors(errors)
    posting = Posting.objects.create(
        cadre=cadre, kind=kind, region_id=code, start=start, end=end, team=team, post_title=post_title or ""
    )
    _audit(by, request, posting)
    return posting


@transaction.atomic
def posting_end(*, by, posting: Posting, version: int, end: datetime.date, request=None) -> Posting:
    require(by, "assistance.change_posting", code=posting.region_id, unit_id=posting.cadre.unit_id)
    errors: dict = {}
    _dates(errors, posting.start, end)
    validators.raise_errors(errors)
    before = audit_snapshot(posting)
    _bump(posting, version, end=end)
    _audit(by, request, posting, UPDATE, before)
    return posting


# --- 一户一策 -------------------------------------------------------------------------------------


@transaction.atomic
def measure_add(
    *,
    by,
    household,
    type: str,
    content: str,
    cadre: Cadre | None = None,
    due: datetime.date | None = None,
    amount: Decimal | None = None,
    summary: str = "",
    at: datetime.datetime | None = None,
    request=None,
) -> Measure:
    """Add a measure to the household's plan (made on first use); it starts as 计划中."""
    require(by, "assistance.add_measure", code=household.village_id)
    errors: dict = {}
    if not (content or "").strip():
        errors["content"] = _("此项为必填项")
    if amount is not None and amount < 0:
        errors["amount"] = _("金额不能为负数")
    validators.raise_errors(errors)
    plan, created = Plan.objects.get_or_create(
        household=household, defaults={"summary": summary, "created_by": by}
    )
    if created:
        _audit(by, request, plan)
    measure = Measure.objects.create(
        plan=plan, type=type, content=content.strip(), cadre=cadre, due=due, amount=amount
    )
    event = MeasureEvent.objects.create(
        measure=measure, actor=by, from_status="", to_status=measure.status, reason=_("制定")
    )
    if at is not None:  # a past plan replayed (the demo): the event carries the time it records
        MeasureEvent.objects.filter(pk=event.pk).update(at=at)
    _audit(by, request, measure)
    return measure


MEASURE_STEPS = {
    MeasureStatus.PLANNED: {MeasureStatus.ACTIVE, MeasureStatus.CANCELLED},
    MeasureStatus.ACTIVE: {MeasureStatus.DONE, MeasureStatus.CANCELLED},
    MeasureStatus.DONE: set(),
    MeasureStatus.CANCELLED: set(),
}


def measure_next_steps(measure: Measure) -> list[str]:
    return [s for s in MeasureStatus.values if s in MEASURE_STEPS[MeasureStatus(measure.status)]]


@transaction.atomic
def measure_transition(
    *,
    by,
    measure: Measure,
    to: str,
    version: int,
    reason: str = "",
    result: str = "",
    at: datetime.datetime | None = None,
    request=None,
) -> Measure:
    """planned → active → done (with its result), or → cancelled (with a reason); an event per step."""
    household = measure.plan.household
    require(by, "assistance.transition_measure", code=household.village_id)
    measure = Measure._base_manager.select_for_update().get(pk=measure.pk)
    reasons = []
    if to not in MEASURE_STEPS.get(MeasureStatus(measure.status), set()):
        label = MeasureStatus(to).label if to in MeasureStatus.values else to
        reasons.append(
            _("措施当前为“%(now)s”,不能变更为“%(to)s”") % {"now": measure.get_status_display(), "to": label}
        )
    if to == MeasureStatus.DONE and not (result or measure.result).strip():
        reasons.append(_("完成措施须填写成效"))
    if to == MeasureStatus.CANCELLED and not (reason or "").strip():
        reasons.append(_("取消措施须填写原因"))
    if reasons:
        raise TransitionRefused(reasons)
    before = audit_snapshot(measure)
    old = measure.status
    values = {"status": to}
    if result:
        values["result"] = result.strip()
    _bump(measure, version, **values)
    event = MeasureEvent.objects.create(
        measure=measure, actor=by, from_status=old, to_status=to, reason=reason or ""
    )
    if at is not None:  # a past step replayed (the demo): the event carries the time it records
        MeasureEvent.objects.filter(pk=event.pk).update(at=at)
    _audit(by, request, measure, UPDATE, before)
    return measure


# --- visits and work logs -----------------------------------------------------------------------


def photo_errors(photos) -> list[str]:
    errors = []
    if len(photos) > MAX_PHOTOS:
        errors.append(_("最多上传 %(n)d 张照片") % {"n": MAX_PHOTOS})
    for photo in photos:
        try:
            check_photo(photo)
        except ValidationError as exc:
            errors += exc.messages
    return errors


def cadre_of(user) -> Cadre | None:
    if user is None or not user.is_authenticated:
        return None
    return Cadre.objects.filter(user=user).first()


@transaction.atomic
def visit_record(
    *,
    by,
    household,
    visited_on: datetime.date,
    people_met: str,
    notes: str,
    issues: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photos=(),
    cadre: Cadre | None = None,
    request=None,
) -> Visit:
    """入户走访. The visitor's own cadre record is linked when they have one."""
    require(by, "assistance.add_visit", code=household.village_id)
    errors: dict = {}
    _not_future(errors, "visited_on", visited_on)
    if not (people_met or "").strip():
        errors["people_met"] = _("此项为必填项")
    if not (notes or "").strip():
        errors["notes"] = _("此项为必填项")
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("经纬度须同时填写")
    if latitude is not None and not Decimal(-90) <= latitude <= Decimal(90):
        errors["latitude"] = _("纬度应在-90至90之间")
    if longitude is not None and not Decimal(-180) <= longitude <= Decimal(180):
        errors["longitude"] = _("经度应在-180至180之间")
    problems = photo_errors(list(photos))
    if problems:
        errors["photos"] = problems
    validators.raise_errors(errors)
    visit = Visit.objects.create(
        household=household,
        visitor=by,
        cadre=cadre or cadre_of(by),
        visited_on=visited_on,
        people_met=people_met.strip(),
        notes=notes.strip(),
        issues=(issues or "").strip(),
        latitude=latitude,
        longitude=longitude,
    )
    for photo in photos:
        VisitPhoto.objects.create(visit=visit, file=photo, content_type=photo_type(photo), size=photo.size)
    _audit(by, request, visit)
    return visit


@transaction.atomic
def worklog_record(*, by, region, logged_on: datetime.date, content: str, request=None) -> WorkLog:
    code = getattr(region, "code", region)
    require(by, "assistance.add_worklog", code=code)
    errors: dict = {}
    _not_future(errors, "logged_on", logged_on)
    if not (content or "").strip():
        errors["content"] = _("此项为必填项")
    validators.raise_errors(errors)
    log = WorkLog.objects.create(
        author=by, cadre=cadre_of(by), region_id=code, logged_on=logged_on, content=content.strip()
    )
    _audit(by, request, log)
    return log


# --- training -----------------------------------------------------------------------------------


def _attendee_rows(errors: dict, attendees, kind: str) -> list[TrainingAttendee]:
    """Unsaved attendee rows from dicts of kind (default: the class's), name (one person) or count."""
    rows = []
    for row in attendees:
        name = (row.get("name") or "").strip()
        count = 1 if name else int(row.get("count") or 0)
        row_kind = row.get("kind") or kind
        if count < 1:
            errors["attendees"] = _("未填姓名的学员须填写人数(至少1人)")
        elif row_kind not in TrainingKind.values:
            errors["attendees"] = _("学员类别无效")
        rows.append(
            TrainingAttendee(kind=row_kind, name=name, unit_name=row.get("unit_name") or "", count=count)
        )
    if not rows:
        errors["attendees"] = _("请至少填写一名学员或学员人数")
    return rows


@transaction.atomic
def training_create(
    *,
    by,
    topic: str,
    form: str,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    place: str,
    organiser,
    region,
    hours: Decimal = Decimal(0),
    attendees=(),
    request=None,
) -> TrainingClass:
    """A class with its attendees: dicts of kind (default: the class's), name (one person) or count."""
    code = getattr(region, "code", region)
    require(by, "assistance.add_trainingclass", code=code, unit_id=organiser.pk)
    errors: dict = {}
    _dates(errors, start, end)
    if hours is not None and hours < 0:
        errors["hours"] = _("学时不能为负数")
    rows = _attendee_rows(errors, attendees, kind)
    validators.raise_errors(errors)
    training = TrainingClass.objects.create(
        topic=topic,
        form=form,
        kind=kind,
        start=start,
        end=end,
        place=place,
        organiser=organiser,
        region_id=code,
        hours=hours or 0,
    )
    for row in rows:
        row.training = training
    TrainingAttendee.objects.bulk_create(rows)
    _audit(by, request, training)
    return training


@transaction.atomic
def training_update(
    *,
    by,
    training: TrainingClass,
    version: int,
    topic: str,
    form: str,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    place: str,
    organiser,
    region,
    hours: Decimal = Decimal(0),
    attendees=None,
    request=None,
) -> TrainingClass:
    """Correct a class; `attendees` (as for training_create) replaces its attendees, None keeps them."""
    code = getattr(region, "code", region)
    require(by, "assistance.change_trainingclass", code=training.region_id, unit_id=training.organiser_id)
    require(by, "assistance.change_trainingclass", code=code, unit_id=organiser.pk)
    errors: dict = {}
    if not (topic or "").strip():
        errors["topic"] = _("此项为必填项")
    _dates(errors, start, end)
    if hours is not None and hours < 0:
        errors["hours"] = _("学时不能为负数")
    rows = _attendee_rows(errors, attendees, kind) if attendees is not None else None
    validators.raise_errors(errors)
    before = audit_snapshot(training)
    _bump(
        training,
        version,
        topic=topic.strip(),
        form=form,
        kind=kind,
        start=start,
        end=end,
        place=place,
        organiser=organiser,
        region_id=code,
        hours=hours or 0,
    )
    if rows is not None:
        training.attendees.all().delete()
        for row in rows:
            row.training = training
        TrainingAttendee.objects.bulk_create(rows)
    _audit(by, request, training, UPDATE, before)
    return training
