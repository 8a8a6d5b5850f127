"""The review chain in the services: the happy paths (lead → monitoring object, object → risk
eliminated → identified again), every refusal of every step, and who may act where."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.monitoring import selectors, services
from fupin.monitoring.choices import (
    Channel,
    EliminationKind,
    MeasureKind,
    ObjectStatus,
    ObjectType,
    Stage,
)
from fupin.monitoring.models import Elimination, Lead, LeadEvent, MonitoringLine, MonitoringObject
from fupin.monitoring.tests import workflow_kit as kit
from fupin.registry.models import Household, LivingCheck, Member

WORLD_LAYERS = ("assistance", kit.build)
MONDAY = kit.MONDAY
D = datetime.date


@pytest.fixture
def frozen(monkeypatch):
    kit.freeze(monkeypatch, MONDAY)
    return monkeypatch


def _report(cast, **changes):
    fields = {"risks": ["illness"], "hardship": "户主患大病住院"}
    fields.update(changes)
    return services.report_lead(by=cast["cadre"], household=cast["zhaxi"], **fields)


def _reasons(excinfo) -> str:
    return ";".join(excinfo.value.reasons)


def _fields(excinfo) -> dict:
    return {k: " ".join(v) for k, v in excinfo.value.message_dict.items()}


# --- the happy paths ------------------------------------------------------------------------------


def test_a_cadres_lead_becomes_a_monitoring_object(cast, frozen):
    lead = _report(cast, risks=["illness", "disaster"], disaster_kind="flood")
    assert (lead.channel, lead.stage, lead.household_id) == (Channel.CADRE, Stage.ACCEPTED, cast["zhaxi"].pk)
    kit.walk(cast, lead, Stage.CHECKED, monkeypatch=frozen)
    assert lead.consent_signed and lead.consent_photo.name.startswith("monitoring/consent/202603/")
    assert "consent" not in lead.consent_photo.name.split("/")[-1]  # a name of our own
    assert lead.comparison == {"medical": {"ok": True, "note": ""}}
    assert (lead.votes_for, lead.votes_against) == (9, 1)
    assert lead.publicity_to == lead.publicity_from + datetime.timedelta(days=5)

    obj = services.county_decide(
        by=cast["county"],
        case=lead,
        version=lead.version,
        include=True,
        type=ObjectType.SUDDEN,
        risks=["illness", "disaster"],
        disaster_kind="flood",
        layer="latent_risk",
    )
    kit.fresh(lead)
    assert lead.stage == Stage.DECIDED and lead.step_due is None and lead.decided_on is not None
    assert (obj.household_id, obj.type, obj.status, obj.lead_id) == (
        cast["zhaxi"].pk,
        ObjectType.SUDDEN,
        ObjectStatus.MONITORED,
        lead.pk,
    )
    assert obj.layer.name == "潜在风险"
    assert obj.former_poor is False  # 扎西's household was never identified as poor
    assert [(r.risk, r.disaster_kind) for r in obj.risks.all()] == [("illness", ""), ("disaster", "flood")]
    steps = list(LeadEvent.objects.filter(lead=lead).values_list("from_status", "to_status"))
    assert steps == [
        ("", Stage.ACCEPTED),
        (Stage.ACCEPTED, Stage.VERIFIED),
        (Stage.VERIFIED, Stage.COMPARED),
        (Stage.COMPARED, Stage.PUBLICISING),
        (Stage.PUBLICISING, Stage.PUBLICISED),
        (Stage.PUBLICISED, Stage.CHECKED),
        (Stage.CHECKED, Stage.DECIDED),
    ]
    detail = selectors.object_detail(obj, cast["county"])
    assert [p.cadre.name for p in detail["pairings"]] == ["多杰才旦"]
    assert [(m["measure"].content, m["kind"]) for m in detail["measures"]] == [
        ("危房改造", MeasureKind.HOUSING)
    ]


def test_a_self_report_is_accepted_and_linked_to_its_household(cast, frozen):
    lead = kit.self_report()
    assert lead.stage == Stage.SUBMITTED and lead.step_due == D(2026, 3, 4)  # two working days
    services.accept(by=cast["township"], lead=lead, version=lead.version)
    kit.fresh(lead)
    with pytest.raises(ValidationError) as missing:
        services.verify(
            by=cast["cadre"],
            case=lead,
            version=lead.version,
            consent_signed=True,
            consent_photo=kit.photo(),
            verified_on=MONDAY,
            verification="已核实",
        )
    assert "尚未关联农户" in _fields(missing)["household"]
    services.verify(
        by=cast["cadre"],
        case=lead,
        version=lead.version,
        consent_signed=True,
        consent_photo=kit.photo(),
        verified_on=MONDAY,
        verification="已核实",
        household=cast["zhaxi"],
    )
    assert kit.fresh(lead).household_id == cast["zhaxi"].pk and lead.stage == Stage.VERIFIED


def test_a_former_poor_household_on_the_safety_net(cast, frozen):
    """整户无劳动能力: 兜底 allowed; the object is 原建档立卡 (exited); it is never marked eliminated."""
    Household.objects.filter(pk=cast["zhaxi"].pk).update(status="exited")
    lead = _report(cast)
    kit.walk(cast, lead, Stage.CHECKED, monkeypatch=frozen)
    with pytest.raises(ValidationError) as labour:
        services.county_decide(
            by=cast["county"], case=lead, version=lead.version, include=True, type="unstable", safety_net=True
        )
    assert "整户无劳动能力" in _fields(labour)["safety_net"]
    Member.objects.filter(household=cast["zhaxi"]).update(labour="none")
    obj = services.county_decide(
        by=cast["county"], case=lead, version=lead.version, include=True, type="unstable", safety_net=True
    )
    assert obj.former_poor and obj.safety_net
    kit.freeze(frozen, D(2026, 12, 1))
    with pytest.raises(TransitionRefused) as refused:
        services.propose_elimination(by=cast["cadre"], object=obj, kind=EliminationKind.NATURAL)
    assert "兜底户不标注风险消除" in _reasons(refused)


def _object(cast, monkeypatch, day=MONDAY):
    kit.freeze(monkeypatch, day)
    lead = _report(cast)
    kit.walk(cast, lead, Stage.DECIDED, monkeypatch=monkeypatch)
    return MonitoringObject.objects.get(lead=lead)


def test_an_object_is_eliminated_and_can_be_identified_again(cast, frozen):
    obj = _object(cast, frozen, D(2025, 10, 1))
    kit.freeze(frozen, D(2026, 4, 10))  # six months and more after identification
    elimination = services.propose_elimination(
        by=cast["cadre"], object=obj, kind=EliminationKind.ASSISTED, basis={"note": "务工收入稳定"}
    )
    assert elimination.stage == Stage.ACCEPTED
    assert elimination.basis["income_year"] == 2025 and elimination.basis["line"] == "9000.00"  # 兴海县's own
    assert elimination.basis["note"] == "务工收入稳定"
    assert elimination.step_due == D(2026, 4, 14)
    kit.walk(cast, elimination, Stage.CHECKED, monkeypatch=frozen)
    assert [e.to_status for e in elimination.events.all()][-1] == Stage.CHECKED
    returned = services.county_decide(
        by=cast["county"], case=elimination, version=elimination.version, include=True
    )
    obj.refresh_from_db()
    assert returned.pk == obj.pk and obj.status == ObjectStatus.ELIMINATED
    assert obj.elimination_kind == EliminationKind.ASSISTED and obj.eliminated_on is not None
    assert kit.fresh(elimination).stage == Stage.DECIDED

    # Records stay; a new risk makes the household a monitoring object again.
    again = _report(cast, risks=["accident"])
    kit.walk(cast, again, Stage.DECIDED, monkeypatch=frozen)
    objects = MonitoringObject.objects.filter(household=cast["zhaxi"]).order_by("pk")
    assert [o.status for o in objects] == [ObjectStatus.ELIMINATED, ObjectStatus.MONITORED]


# --- refusals, step by step ---------------------------------------------------------------------


def test_report_lead_refusals(cast, frozen):
    for risks, kind, field, message in (
        ([], "", "risks", "至少选择一项"),
        (
            ["illness", "disability", "no_labour", "accident", "schooling", "other"],
            "",
            "risks",
            "最多选择5项",
        ),
        (["flu"], "", "risks", "无效的风险类型"),
        (["illness", "illness"], "", "risks", "不能重复"),
        (["disaster"], "", "disaster_kind", "灾害类型"),
    ):
        with pytest.raises(ValidationError) as bad:
            _report(cast, risks=risks, disaster_kind=kind)
        assert message in _fields(bad)[field], risks
    with pytest.raises(ValidationError) as future:
        _report(cast, opened_on=MONDAY + datetime.timedelta(days=1))
    assert "不能晚于今天" in _fields(future)["opened_on"]
    with pytest.raises(PermissionDenied):  # the township does not report (it checks)
        services.report_lead(by=cast["township"], household=cast["zhaxi"], risks=["illness"])
    with pytest.raises(PermissionDenied):  # 王芳 lives in 宁曲村, not the cadre's village
        services.report_lead(by=cast["cadre"], household=cast["wang"], risks=["illness"])
    with pytest.raises(PermissionDenied):  # an assisting unit sees 兴海县 but does not run it
        services.report_lead(by=cast["unitofficer"], household=cast["zhaxi"], risks=["illness"])
    lead = _report(cast)
    with pytest.raises(TransitionRefused) as twice:
        _report(cast)
    assert lead.number in _reasons(twice)
    kit.walk(cast, lead, Stage.DECIDED, monkeypatch=frozen)
    with pytest.raises(TransitionRefused) as monitored:
        _report(cast)
    assert "已是监测对象" in _reasons(monitored)


def test_accept_and_reject_refusals(cast, frozen):
    lead = kit.self_report()
    with pytest.raises(PermissionDenied):  # the village does not accept
        services.accept(by=cast["cadre"], lead=lead, version=lead.version)
    with pytest.raises(PermissionDenied):  # 河卡镇 is not 民族村's township
        services.accept(by=cast["heka"], lead=lead, version=lead.version)
    assert not Lead.objects.visible_to(cast["heka"]).filter(pk=lead.pk).exists()
    with pytest.raises(StaleVersion):
        services.accept(by=cast["township"], lead=lead, version=lead.version + 1)
    with pytest.raises(ValidationError) as no_reason:
        services.reject(by=cast["township"], lead=lead, version=lead.version, reasons=["", "  "])
    assert "请填写理由" in _fields(no_reason)["reasons"]
    services.reject(by=cast["township"], lead=lead, version=lead.version, reasons="非本村村民\n重复申报")
    kit.fresh(lead)
    assert lead.stage == Stage.REJECTED and lead.closing_reasons == ["非本村村民", "重复申报"]
    assert lead.step_due is None
    with pytest.raises(TransitionRefused) as closed:
        services.accept(by=cast["township"], lead=lead, version=lead.version)
    assert "不予受理" in _reasons(closed) and "不能受理" in _reasons(closed)
    cadres = _report(cast)
    with pytest.raises(TransitionRefused):  # a cadre's lead is accepted already
        services.accept(by=cast["township"], lead=cadres, version=cadres.version)


def test_verify_refusals(cast, frozen):
    lead = _report(cast)
    base = {
        "by": cast["cadre"],
        "case": lead,
        "version": lead.version,
        "consent_signed": True,
        "consent_photo": kit.photo(),
        "verified_on": MONDAY,
        "verification": "已核实",
    }
    script = SimpleUploadedFile("consent.jpg", b"#!/bin/sh\necho", content_type="image/jpeg")
    for changes, field, message in (
        ({"consent_signed": False}, "consent_signed", "承诺授权书"),
        ({"consent_photo": None}, "consent_photo", "请上传"),
        ({"consent_photo": script}, "consent_photo", "不是 JPEG"),
        ({"verified_on": MONDAY + datetime.timedelta(days=1)}, "verified_on", "不能晚于今天"),
        ({"verified_on": MONDAY - datetime.timedelta(days=1)}, "verified_on", "不能早于"),
        ({"verified_on": None}, "verified_on", "必填"),
        ({"verification": " "}, "verification", "必填"),
        ({"household": cast["wang"]}, "household", "不能改为其他农户"),
    ):
        with pytest.raises(ValidationError) as bad:
            services.verify(**{**base, **changes})
        assert message in _fields(bad)[field], changes
    with pytest.raises(PermissionDenied):  # the township does not visit
        services.verify(**{**base, "by": cast["township"]})
    with pytest.raises(TransitionRefused) as early:
        services.compare(by=cast["cadre"], case=lead, version=lead.version, comparison={"medical": True})
    assert "待入户核实" in _reasons(early)
    assert kit.fresh(lead).stage == Stage.ACCEPTED and not lead.consent_photo  # nothing written


def test_verify_refuses_a_household_elsewhere_or_taken(cast, frozen):
    wang_lead = kit.self_report()
    services.accept(by=cast["township"], lead=wang_lead, version=wang_lead.version)
    kit.fresh(wang_lead)
    base = {
        "by": cast["cadre"],
        "case": wang_lead,
        "consent_signed": True,
        "verified_on": MONDAY,
        "verification": "已核实",
    }
    with pytest.raises(ValidationError) as elsewhere:  # 王芳 is out of the cadre's scope
        services.verify(**base, version=wang_lead.version, consent_photo=kit.photo(), household=cast["wang"])
    assert "不在您的数据范围内" in _fields(elsewhere)["household"]
    other = _report(cast)
    with pytest.raises(ValidationError) as taken:
        services.verify(**base, version=wang_lead.version, consent_photo=kit.photo(), household=cast["zhaxi"])
    assert other.number in _fields(taken)["household"]
    with pytest.raises(ValidationError) as village:  # the county sees 王芳, but she lives in 宁曲村
        services.verify(
            **{**base, "by": None},
            version=wang_lead.version,
            consent_photo=kit.photo(),
            household=cast["wang"],
        )
    assert "不在本线索所在的行政村" in _fields(village)["household"]


def test_compare_refusals(cast, frozen):
    lead = _report(cast)
    kit.walk(cast, lead, Stage.VERIFIED)
    for comparison, message in (
        ({}, "至少填写一个部门"),
        ({"bank": {"ok": True}}, "未知的比对部门"),
        ({"medical": {"ok": "yes"}}, "一致"),
        ({"medical": {"ok": False, "note": "x" * 201}}, "最多200个字"),
    ):
        with pytest.raises(ValidationError) as bad:
            services.compare(by=cast["cadre"], case=lead, version=lead.version, comparison=comparison)
        assert message in _fields(bad)["comparison"], comparison
    services.compare(
        by=cast["cadre"],
        case=lead,
        version=lead.version,
        comparison={"medical": {"ok": False, "note": "自付3万元"}, "civil": True},
    )
    event = kit.fresh(lead).events.last()
    assert "已比对2个部门" in event.reason and "不一致:医保" in event.reason


def test_village_review_and_publicity_refusals(cast, frozen):
    lead = _report(cast)
    kit.walk(cast, lead, Stage.COMPARED)
    base = {
        "by": cast["cadre"],
        "case": lead,
        "version": lead.version,
        "votes_for": 8,
        "votes_against": 2,
        "votes_abstain": 0,
        "publicity_from": MONDAY,
    }
    for changes, field, message in (
        ({"votes_for": -1}, "votes_for", "不能为负数"),
        ({"votes_against": None}, "votes_against", "必填"),
        ({"votes_abstain": 1.5}, "votes_abstain", "整数"),
        ({"publicity_from": None}, "publicity_from", "必填"),
        ({"publicity_from": MONDAY - datetime.timedelta(days=1)}, "publicity_from", "不能早于"),
        ({"publicity_from": MONDAY + datetime.timedelta(days=31)}, "publicity_from", "不能晚于30天后"),
    ):
        with pytest.raises(ValidationError) as bad:
            services.village_review(**{**base, **changes})
        assert message in _fields(bad)[field], changes
    with pytest.raises(TransitionRefused) as tie:
        services.village_review(**{**base, "votes_for": 3, "votes_against": 3})
    assert "同意票须多于反对票" in _reasons(tie)
    services.village_review(**base)
    kit.fresh(lead)
    assert (lead.stage, lead.publicity_to) == (Stage.PUBLICISING, D(2026, 3, 7))
    for day in (MONDAY, D(2026, 3, 7)):
        with pytest.raises(TransitionRefused) as early:
            services.end_publicity(by=cast["cadre"], case=lead, version=lead.version, on=day)
        assert "尚未期满" in _reasons(early)
    # The nightly job ends it once the days are over (and only then).
    assert services.end_publicities(on=D(2026, 3, 7)) == 0
    seen = []
    assert services.end_publicities(on=D(2026, 3, 8), progress=lambda *a: seen.append(a)) == 1
    assert kit.fresh(lead).stage == Stage.PUBLICISED and seen[-1][:2] == (1, 1)
    assert lead.events.last().actor is None


def test_township_check_refusals(cast, frozen):
    lead = _report(cast)
    kit.walk(cast, lead, Stage.PUBLICISED, monkeypatch=frozen)
    with pytest.raises(PermissionDenied):
        services.township_check(by=cast["cadre"], case=lead, version=lead.version, approve=True)
    with pytest.raises(PermissionDenied):
        services.township_check(by=cast["heka"], case=lead, version=lead.version, approve=True)
    with pytest.raises(ValidationError) as no_reason:
        services.township_check(by=cast["township"], case=lead, version=lead.version, approve=False)
    assert "请填写理由" in _fields(no_reason)["reasons"]
    services.township_check(
        by=cast["township"],
        case=lead,
        version=lead.version,
        approve=False,
        reasons=["人均纯收入高于监测标准", "无大额自付支出"],
    )
    kit.fresh(lead)
    assert lead.stage == Stage.NOT_INCLUDED
    assert lead.closing_reasons == ["人均纯收入高于监测标准", "无大额自付支出"]
    assert "乡镇审核不通过" in lead.events.last().reason
    # A closed lead frees the household for a new one.
    assert _report(cast).stage == Stage.ACCEPTED


def test_county_decide_refusals(cast, frozen):
    lead = _report(cast, risks=["illness", "disaster"], disaster_kind="drought")
    kit.walk(cast, lead, Stage.CHECKED, monkeypatch=frozen)
    base = {"by": cast["county"], "case": lead, "version": lead.version, "include": True}
    with pytest.raises(PermissionDenied):  # a village cadre cannot decide
        services.county_decide(**{**base, "by": cast["cadre"]}, type="marginal")
    with pytest.raises(PermissionDenied):
        services.county_decide(**{**base, "by": cast["township"]}, type="marginal")
    with pytest.raises(PermissionDenied):
        services.county_decide(**{**base, "by": cast["outsider"]}, type="marginal")
    for changes, field, message in (
        ({}, "type", "请选择监测对象类型"),
        ({"type": "poor"}, "type", "请选择监测对象类型"),
        ({"type": "marginal", "risks": ["disaster"], "disaster_kind": ""}, "disaster_kind", "灾害类型"),
        (
            {
                "type": "marginal",
                "risks": ["illness", "disability", "accident", "schooling", "water", "other"],
            },
            "risks",
            "最多",
        ),
        ({"type": "marginal", "layer": "nowhere"}, "layer", "没有这个帮扶层级"),
        ({"type": "marginal", "safety_net": True}, "safety_net", "整户无劳动能力"),
    ):
        with pytest.raises(ValidationError) as bad:
            services.county_decide(**base, **changes)
        assert message in _fields(bad)[field], changes
    with pytest.raises(ValidationError) as no_reason:
        services.county_decide(**{**base, "include": False})
    assert "请填写理由" in _fields(no_reason)["reasons"]
    # Someone else's decision made the household an object meanwhile: a clear refusal.
    MonitoringObject.objects.create(household=cast["zhaxi"], type="sudden", identified_on=MONDAY)
    with pytest.raises(TransitionRefused) as twice:
        services.county_decide(**base, type="marginal")
    assert "不能重复纳入" in _reasons(twice)
    MonitoringObject.objects.filter(household=cast["zhaxi"]).delete()
    # The lead's own risks when none are given (the disaster kind with them).
    obj = services.county_decide(**base, type="marginal")
    assert [(r.risk, r.disaster_kind) for r in obj.risks.all()] == [("illness", ""), ("disaster", "drought")]


def test_county_decides_not_to_include(cast, frozen):
    lead = _report(cast)
    kit.walk(cast, lead, Stage.CHECKED, monkeypatch=frozen)
    result = services.county_decide(
        by=cast["county"], case=lead, version=lead.version, include=False, reasons=["收入稳定", "无返贫风险"]
    )
    assert result is None
    kit.fresh(lead)
    assert lead.stage == Stage.NOT_INCLUDED and lead.closing_reasons == ["收入稳定", "无返贫风险"]
    assert "县级审定不予纳入" in lead.events.last().reason
    assert not MonitoringObject.objects.filter(lead=lead).exists()


def test_propose_elimination_refusals(cast, frozen):
    obj = _object(cast, frozen, D(2026, 2, 1))
    kit.freeze(frozen, D(2026, 3, 1))
    zhaxi = cast["zhaxi"]
    LivingCheck.objects.filter(household=zhaxi, year=2025).update(water=False)
    MonitoringLine.objects.filter(year=2025, region_id="632524").update(amount=Decimal("20000"))
    with pytest.raises(TransitionRefused) as refused:
        services.propose_elimination(by=cast["cadre"], object=obj, kind="assisted")
    reasons = _reasons(refused)
    assert "未超过监测标准20000.00元" in reasons
    stable_since = selectors.add_months(obj.identified_on, 6).isoformat()
    assert "识别未满6个月" in reasons and stable_since in reasons
    assert "饮水安全有保障" in reasons
    with pytest.raises(PermissionDenied):
        services.propose_elimination(by=cast["township"], object=obj, kind="assisted")

    zhaxi.incomes.all().delete()
    LivingCheck.objects.filter(household=zhaxi).delete()
    with pytest.raises(TransitionRefused) as bare:
        services.propose_elimination(by=cast["cadre"], object=obj, kind="assisted")
    assert "没有年度收入记录" in _reasons(bare) and "核查记录" in _reasons(bare)

    from fupin.registry import services as registry

    registry.income_record(by=None, household=zhaxi, year=2023, wages=30000)
    with pytest.raises(TransitionRefused) as no_line:
        services.propose_elimination(by=cast["cadre"], object=obj, kind="assisted")
    assert "未设定2023年的监测标准" in _reasons(no_line)


def test_propose_elimination_refuses_an_open_case(cast, frozen):
    obj = _object(cast, frozen, D(2025, 6, 1))
    kit.freeze(frozen, D(2026, 3, 1))
    with pytest.raises(ValidationError) as kind:
        services.propose_elimination(by=cast["cadre"], object=obj, kind="vanished")
    assert "风险消除方式" in _fields(kind)["kind"]
    first = services.propose_elimination(by=cast["cadre"], object=obj, kind="natural")
    with pytest.raises(TransitionRefused) as twice:
        services.propose_elimination(by=cast["cadre"], object=obj, kind="natural")
    assert "已有正在办理的风险消除" in _reasons(twice)
    # A county refusal keeps the object monitored; a new proposal may follow.
    kit.walk(cast, first, Stage.CHECKED, monkeypatch=frozen)
    services.county_decide(
        by=cast["county"], case=first, version=first.version, include=False, reasons=["收入不稳定"]
    )
    obj.refresh_from_db()
    assert obj.status == ObjectStatus.MONITORED and kit.fresh(first).stage == Stage.NOT_INCLUDED
    assert "县级审定不予消除" in first.events.last().reason
    # A new risk on the household (an open lead) stops a proposal.
    Lead.objects.create(
        number="JC-TEST-1",
        channel=Channel.RULE,
        village_id=cast["zhaxi"].village_id,
        household=cast["zhaxi"],
        stage=Stage.ACCEPTED,
        opened_on=D(2026, 3, 1),
    )
    with pytest.raises(TransitionRefused) as new_risk:
        services.propose_elimination(by=cast["cadre"], object=obj, kind="natural")
    assert "JC-TEST-1" in _reasons(new_risk) and "存在新的风险" in _reasons(new_risk)
    assert Elimination.objects.filter(object=obj).count() == 1


def test_an_eliminated_object_is_not_eliminated_twice(cast, frozen):
    obj = _object(cast, frozen, D(2025, 6, 1))
    kit.freeze(frozen, D(2026, 3, 1))
    elimination = services.propose_elimination(by=cast["cadre"], object=obj, kind="natural")
    kit.walk(cast, elimination, Stage.CHECKED, monkeypatch=frozen)
    MonitoringObject.objects.filter(pk=obj.pk).update(status=ObjectStatus.ELIMINATED)
    with pytest.raises(TransitionRefused) as done:
        services.county_decide(by=cast["county"], case=elimination, version=elimination.version, include=True)
    assert "风险已消除" in _reasons(done)
