"""The closed loop in the services with a frozen clock: every step, every refusal, who may act, and
the nightly deadline check (orange once, red once, escalated to the superior)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.orgs.models import Unit
from fupin.regions.models import Region
from fupin.supervision import selectors, services
from fupin.supervision.choices import Escalation, FindingState, PhotoKind, Urgency
from fupin.supervision.models import Category, Finding, FindingEvent
from fupin.supervision.tests.matrix import photo
from fupin.testing import MINZU_VILLAGE

WORLD_LAYERS = ("supervision",)
MONDAY = datetime.date(2026, 3, 9)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: MONDAY)
    return monkeypatch


def _record(world, **changes):
    fields = {
        "division": Region.objects.get(code=MINZU_VILLAGE),
        "category": Category.objects.get(name="干部作风"),
        "description": "第一书记不在岗",
        "deadline": MONDAY + datetime.timedelta(days=10),
        "responsible_unit": world["datang"],
        "photos": [photo("evidence.png")],
    }
    fields.update(changes)
    return services.record_finding(by=world["inspector"], **fields)


def _reasons(excinfo) -> str:
    return ";".join(excinfo.value.reasons)


def _fields(excinfo) -> dict:
    return {k: " ".join(v) for k, v in excinfo.value.message_dict.items()}


def _plan(world, finding, by="cadre"):
    return services.plan_rectification(
        by=world[by], finding=finding, version=finding.version, plan="一周内到岗"
    )


def _submit(world, finding, by="cadre", **changes):
    fields = {"result": "已到岗", "after_photos": [photo("after.png")]}
    fields.update(changes)
    return services.submit_rectification(by=world[by], finding=finding, version=finding.version, **fields)


# --- the happy path -------------------------------------------------------------------------------


def test_a_finding_goes_round_the_closed_loop(world, frozen):
    finding = _record(world)
    assert finding.number == f"DC2026{finding.pk:06d}"
    assert (finding.state, finding.found_on, finding.soon_from) == (
        FindingState.OPEN,
        MONDAY,
        MONDAY + datetime.timedelta(days=7),  # 干部作风 warns three days ahead
    )
    assert finding.photos.get().kind == PhotoKind.EVIDENCE
    finding = _plan(world, finding)
    assert (finding.state, finding.plan, finding.planned_on) == (
        FindingState.RECTIFYING,
        "一周内到岗",
        MONDAY,
    )
    finding = _submit(world, finding)
    assert (finding.state, finding.submitted_on) == (FindingState.SUBMITTED, MONDAY)
    finding = services.close_finding(
        by=world["inspector"], finding=finding, version=finding.version, note="核验属实"
    )
    assert (finding.state, finding.closed_on) == (FindingState.CLOSED, MONDAY)
    events = list(
        finding.events.order_by("id").values_list("action", "from_status", "to_status", "actor__username")
    )
    assert events == [
        ("recorded", "", "open", "inspector"),
        ("planned", "open", "rectifying", "cadre"),
        ("submitted", "rectifying", "submitted", "cadre"),
        ("closed", "submitted", "closed", "inspector"),
    ]
    assert selectors.urgency_of(finding) == ""


def test_a_rectification_sent_back_goes_round_again(world, frozen):
    finding = _submit(world, _plan(world, _record(world)))
    finding = services.send_back(
        by=world["county"], finding=finding, version=finding.version, reasons="照片不清楚\n未见整改台账"
    )
    assert (finding.state, finding.submitted_on) == (FindingState.RECTIFYING, None)
    event = finding.events.get(action="sent_back")
    assert (event.reason, event.actor) == ("照片不清楚\n未见整改台账", world["county"])
    finding = _submit(world, finding, after_photos=[photo("after2.png")])
    finding = services.close_finding(by=world["county"], finding=finding, version=finding.version)
    assert finding.state == FindingState.CLOSED


# --- refusals ---------------------------------------------------------------------------------------


def test_it_refuses_a_step_out_of_turn(world, frozen):
    finding = _record(world)
    with pytest.raises(TransitionRefused) as excinfo:
        _submit(world, finding)
    assert _reasons(excinfo) == "该问题当前状态为“待整改”,不能提交整改核验"
    with pytest.raises(TransitionRefused) as excinfo:
        services.close_finding(by=world["inspector"], finding=finding, version=finding.version)
    assert "不能核验销号" in _reasons(excinfo)
    with pytest.raises(TransitionRefused):
        services.send_back(by=world["inspector"], finding=finding, version=finding.version, reasons="x")
    closed = services.close_finding(
        by=world["inspector"], finding=_submit(world, _plan(world, finding)), version=finding.version + 2
    )
    with pytest.raises(TransitionRefused) as excinfo:
        _plan(world, closed)
    assert "已销号" in _reasons(excinfo)
    assert FindingEvent.objects.filter(finding=finding).count() == 4  # nothing written by the refusals


def test_submitting_needs_after_photos_and_before_evidence(world, frozen):
    finding = _plan(world, _record(world, photos=[]))
    with pytest.raises(ValidationError) as excinfo:
        _submit(world, finding, after_photos=[])
    assert _fields(excinfo) == {"before_photos": "请上传整改前的照片", "after_photos": "请上传整改后的照片"}
    with pytest.raises(ValidationError) as excinfo:
        _submit(world, finding, before_photos=[photo("not.png")], result="")
    assert set(_fields(excinfo)) == {"result"}
    with pytest.raises(ValidationError) as excinfo:
        _submit(
            world,
            finding,
            before_photos=[SimpleUploadedFile("x.jpg", b"<script>", content_type="image/jpeg")],
        )
    assert "不是 JPEG、PNG 或 WebP 图片" in _fields(excinfo)["before_photos"]
    assert Finding.objects.get(pk=finding.pk).state == FindingState.RECTIFYING
    finding = _submit(world, finding, before_photos=[photo("before.png")])
    assert finding.state == FindingState.SUBMITTED


def test_closing_without_evidence_is_refused_with_a_reason(world, frozen):
    finding = _submit(world, _plan(world, _record(world)))
    finding.photos.filter(kind=PhotoKind.AFTER).delete()  # evidence lost (a cleanup, a bad import)
    with pytest.raises(TransitionRefused) as excinfo:
        services.close_finding(by=world["inspector"], finding=finding, version=finding.version)
    assert _reasons(excinfo) == "销号需要整改前、后的照片作为佐证"
    assert Finding.objects.get(pk=finding.pk).state == FindingState.SUBMITTED


def test_the_submitter_does_not_verify_their_own_rectification(world, frozen):
    finding = _submit(world, _plan(world, _record(world), by="county"), by="county")
    with pytest.raises(TransitionRefused) as excinfo:
        services.close_finding(by=world["county"], finding=finding, version=finding.version)
    assert _reasons(excinfo) == "核验人不能是提交整改的人"
    assert (
        services.close_finding(by=world["inspector"], finding=finding, version=finding.version).state
        == "closed"
    )


def test_sending_back_needs_reasons(world, frozen):
    finding = _submit(world, _plan(world, _record(world)))
    for empty in ("", "  \n ", []):
        with pytest.raises(ValidationError) as excinfo:
            services.send_back(by=world["inspector"], finding=finding, version=finding.version, reasons=empty)
        assert _fields(excinfo) == {"reasons": "请填写退回理由(每条一行)"}


def test_a_stale_version_is_refused(world, frozen):
    finding = _record(world)
    _plan(world, finding)
    with pytest.raises(StaleVersion):
        services.plan_rectification(by=world["cadre"], finding=finding, version=finding.version, plan="再改")


def test_recording_checks_every_field(world, frozen):
    with pytest.raises(ValidationError) as excinfo:
        _record(world, description=" ", deadline=MONDAY - datetime.timedelta(days=1), severity="x")
    assert _fields(excinfo) == {
        "description": "此项为必填项",
        "deadline": "整改时限不能早于发现日期",
        "severity": "无效的严重程度",
    }
    with pytest.raises(ValidationError) as excinfo:
        _record(world, found_on=MONDAY + datetime.timedelta(days=1))
    assert "不能晚于今天" in _fields(excinfo)["found_on"]
    with pytest.raises(ValidationError) as excinfo:
        _record(world, description="a\x00b")
    assert _fields(excinfo) == {"description": "含有不允许的控制字符"}


# --- who acts ---------------------------------------------------------------------------------------


def test_who_records_rectifies_and_verifies(world, frozen):
    village = Region.objects.get(code=MINZU_VILLAGE)
    category = Category.objects.get(name="干部作风")
    for who in ("cadre", "unitofficer", "outsider"):
        with pytest.raises(PermissionDenied):
            services.record_finding(
                by=world[who], division=village, category=category, description="x", deadline=MONDAY
            )
    finding = _record(world)
    for who in ("inspector", "outsider"):
        with pytest.raises(PermissionDenied):
            _plan(world, finding, by=who)
    # The responsible unit's officer answers for its finding (and only for its own).
    finding = _plan(world, finding, by="unitofficer")
    other = _record(world, responsible_unit=world["jingchuan_unit"])
    with pytest.raises(PermissionDenied):
        _plan(world, other, by="unitofficer")
    finding = _submit(world, finding, by="unitofficer")
    for who in ("cadre", "unitofficer", "outsider"):
        with pytest.raises(PermissionDenied):
            services.close_finding(by=world[who], finding=finding, version=finding.version)


# --- deadlines and escalation -----------------------------------------------------------------------


def test_urgency_turns_orange_then_red(world, frozen):
    finding = _record(world, deadline=MONDAY + datetime.timedelta(days=5))
    assert selectors.urgency_of(finding, MONDAY) == Urgency.DUE
    assert selectors.urgency_of(finding, MONDAY + datetime.timedelta(days=2)) == Urgency.SOON
    assert selectors.urgency_of(finding, MONDAY + datetime.timedelta(days=6)) == Urgency.OVERDUE
    rows = selectors.finding_list(
        user=world["county"], urgency="overdue", today=MONDAY + datetime.timedelta(days=6)
    )
    assert list(rows) == [finding]
    late = selectors.finding_list(
        user=world["county"], urgency="late", today=MONDAY + datetime.timedelta(days=2)
    )
    assert finding in late


def test_the_deadline_check_warns_once_then_escalates_once(world, frozen):
    parent = Unit.objects.create(name="国家能源集团", kind=Unit.Kind.CENTRAL_ENTERPRISE)
    Unit.objects.filter(pk=world["datang"].pk).update(parent=parent)
    finding = _record(world, deadline=MONDAY + datetime.timedelta(days=5))
    no_unit = _record(world, deadline=MONDAY + datetime.timedelta(days=5), responsible_unit=None)
    assert services.escalate_findings(today=MONDAY) == {"warned": 0, "escalated": 0}
    soon = MONDAY + datetime.timedelta(days=3)
    assert services.escalate_findings(today=soon) == {"warned": 2, "escalated": 0}
    assert services.escalate_findings(today=soon) == {"warned": 0, "escalated": 0}  # once per level
    late = MONDAY + datetime.timedelta(days=6)
    assert services.escalate_findings(today=late) == {"warned": 0, "escalated": 2}
    assert services.escalate_findings(today=late + datetime.timedelta(days=1)) == {
        "warned": 0,
        "escalated": 0,
    }
    finding.refresh_from_db()
    no_unit.refresh_from_db()
    assert (finding.escalation, finding.escalated_unit) == (Escalation.ESCALATED, parent)
    # Without a unit above, the division above: the village's township.
    assert (no_unit.escalated_unit, no_unit.escalated_division_id) == (None, MINZU_VILLAGE[:9])
    events = list(finding.events.filter(action__in=("warned", "escalated")).values_list("action", "reason"))
    assert events == [
        ("warned", "距整改时限2026-03-14不足3天"),
        ("escalated", "已超过整改时限2026-03-14,上报国家能源集团"),
    ]


def test_a_closed_finding_is_never_escalated(world, frozen):
    finding = _record(world, deadline=MONDAY + datetime.timedelta(days=1))
    finding = _submit(world, _plan(world, finding))
    services.close_finding(by=world["inspector"], finding=finding, version=finding.version)
    assert services.escalate_findings(today=MONDAY + datetime.timedelta(days=30)) == {
        "warned": 0,
        "escalated": 0,
    }


def test_the_nightly_task_runs_the_check_at_0040_beijing_time_once(world, frozen):
    from huey.contrib.djhuey import HUEY

    from fupin.supervision import tasks

    def due(hour: int, minute: int) -> bool:
        beijing = datetime.datetime(2026, 3, 10, hour, minute, tzinfo=timezone.get_default_timezone())
        utc = beijing.astimezone(datetime.UTC).replace(tzinfo=None)
        return "nightly_escalations" in {type(t).__name__ for t in HUEY.read_periodic(utc)}

    assert due(0, 40) and not due(8, 40) and not due(0, 41)
    _record(world, deadline=MONDAY - datetime.timedelta(days=1), found_on=MONDAY - datetime.timedelta(days=5))
    key = f"fupin-nightly:supervision-escalations:{MONDAY.isoformat()}"
    HUEY.delete(key)
    try:
        tasks.nightly_escalations.call_local()
        tasks.nightly_escalations.call_local()  # a second consumer's: skipped
    finally:
        HUEY.delete(key)
    assert FindingEvent.objects.filter(action__in=("warned", "escalated")).count() == 2


# --- scope ------------------------------------------------------------------------------------------


def test_the_inspector_sees_their_area_and_a_unit_its_own_findings(world, frozen):
    mine = _record(world)
    other_unit = _record(world, responsible_unit=world["jingchuan_unit"])
    assert set(selectors.finding_rows(world["inspector"])) >= {mine, other_unit}
    assert not selectors.finding_rows(world["outsider"]).exists()
    assert selectors.finding_for(world["outsider"], mine.pk) is None
    # The 泾川县 unit's own officer sees the one finding it answers for, outside its area.
    jingchuan_officer = _make_unit_officer(world["jingchuan_unit"])
    assert list(selectors.finding_rows(jingchuan_officer)) == [other_unit]
    assert selectors.findings_to_rectify(jingchuan_officer).get() == other_unit


def _make_unit_officer(unit):
    from fupin.accounts.roles import Role
    from fupin.testing import make_user

    return make_user("jc_unit", roles=[Role.UNIT_OFFICER], unit=unit)
