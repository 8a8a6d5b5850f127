"""Data-quality checks (monitoring.quality): each check finds its hand-built case once and not its
neighbour; a run rewrites the county's findings (a second run finds the same, no duplicates); another
county's cases stay out. The date is frozen at 2026-11-20."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fupin.assistance.models import Cadre, Measure, Pairing, Plan
from fupin.monitoring import quality, services
from fupin.monitoring.choices import Channel, EliminationKind, ObjectStatus, ObjectType, Stage
from fupin.monitoring.models import MonitoringObject, QualityFinding
from fupin.regions.models import Region
from fupin.registry import services as registry
from fupin.testing import JINGCHUAN, JINGCHUAN_VILLAGE, MINZU_VILLAGE, XINGHAI, person_id

TODAY = datetime.date(2026, 11, 20)
D = datetime.date
_n = iter(range(100, 200))


def household(*, village=MINZU_VILLAGE, labour="ordinary", members=2):
    h = registry.household_create(by=None, village_code=village, attribute="ordinary", main_cause="illness")
    ids = []
    for i in range(members):
        number = person_id(next(_n), area=village[:6], year=1980)
        ids.append(number)
        registry.member_add(
            by=None,
            household=h,
            name=f"成员{i}",
            id_number=number,
            relation="head" if i == 0 else "son",
            labour=labour if i == 0 else ("none" if labour == "lost" else labour),
        )
    h.refresh_from_db()
    h.ids = ids
    return h


def build(made):
    county = Region.objects.get(code=XINGHAI)
    cadre = Cadre.objects.create(name="帮扶干部", level="county", region=county)
    w = {}

    def obj(
        name, *, identified, village=MINZU_VILLAGE, labour="ordinary", pairing=True, measures=(), **fields
    ):
        h = household(village=village, labour=labour)
        o = MonitoringObject.objects.create(
            household=h, type=ObjectType.MARGINAL, identified_on=identified, **fields
        )
        if pairing:
            Pairing.objects.create(cadre=cadre, household=h, start=identified)
        if measures:
            plan = Plan.objects.create(household=h)
            for kind, status in measures:
                Measure.objects.create(plan=plan, type=kind, content="措施", status=status)
        w[name], w[name + "_obj"] = h, o
        return o

    gone = {"status": ObjectStatus.ELIMINATED, "elimination_kind": EliminationKind.NATURAL}
    ok = [("employment", "active")]
    obj("fast", identified=D(2026, 1, 10), eliminated_on=D(2026, 5, 1), measures=ok, **gone)
    obj("fast_ok", identified=D(2025, 1, 10), eliminated_on=D(2025, 9, 1), measures=ok, **gone)
    obj("no_measure", identified=D(2026, 9, 1))
    obj("measure_ok", identified=D(2026, 9, 1), measures=[("health", "done")])
    obj("recent", identified=D(2026, 11, 1))
    assisted = {**gone, "elimination_kind": EliminationKind.ASSISTED, "eliminated_on": D(2026, 10, 1)}
    obj(
        "assisted",
        identified=D(2025, 1, 1),
        measures=[("health", "done"), ("industry", "cancelled")],
        **assisted,
    )
    obj("assisted_ok", identified=D(2025, 1, 1), measures=[("microcredit", "done")], **assisted)
    obj("no_labour", identified=D(2026, 3, 1), labour="lost", measures=ok)
    obj("safety_net", identified=D(2026, 3, 1), labour="lost", measures=ok, safety_net=True)
    obj("no_pairing", identified=D(2026, 3, 1), pairing=False, measures=ok)
    ended = obj("pairing_ended", identified=D(2026, 3, 1), pairing=False, measures=ok)
    Pairing.objects.create(cadre=cadre, household=ended.household, start=D(2026, 3, 1), end=D(2026, 10, 1))
    obj("outside", identified=D(2026, 3, 1), village=JINGCHUAN_VILLAGE, pairing=False, measures=ok)
    # One ID number in two households: a cadre's lead on `lead_home` naming a member of `registered`,
    # a self-report of another village's person; a lead naming its own member, a rejected one.
    w["registered"], w["lead_home"], w["own"] = household(), household(), household()
    village = w["lead_home"].village

    def lead(home, number, **fields):
        return services.open_lead(
            by=None, channel=Channel.CADRE, village=home.village if home else village, household=home,
            id_number=number, risks=["illness"], **fields,
        )  # fmt: skip

    lead(w["lead_home"], w["registered"].ids[1])
    lead(w["own"], w["own"].ids[0])
    rejected = lead(w["own"], w["registered"].ids[0])
    rejected.stage = Stage.REJECTED
    rejected.save()
    w["far"] = household(village=JINGCHUAN_VILLAGE)
    services.open_lead(
        by=None, channel=Channel.SELF_REPORT, village=village, household=None, id_number=w["far"].ids[0],
        risks=["illness"], applicant_name="申请人",
    )  # fmt: skip
    return w


WORLD_LAYERS = (build,)
EXPECTED = {
    ("fast_elimination", "fast"),
    ("no_measure", "no_measure"),
    ("assisted_without_development", "assisted"),
    ("no_labour_not_safety_net", "no_labour"),
    ("no_pairing", "no_pairing"),
    ("no_pairing", "pairing_ended"),
    ("duplicate_id", "lead_home"),
    ("duplicate_id", "far"),
}


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def found(cast) -> set:
    names = {cast[k].pk: k for k in cast if hasattr(cast[k], "village_id") and hasattr(cast[k], "ids")}
    return {(f.rule, names.get(f.household_id, f.household_id)) for f in QualityFinding.objects.all()}


def test_each_check_finds_its_case_once(cast):
    assert quality.run_checks(county_code=XINGHAI, by=cast["county"]) == len(EXPECTED)
    assert found(cast) == EXPECTED
    assert QualityFinding.objects.count() == len(EXPECTED)
    finding = QualityFinding.objects.get(rule="fast_elimination")
    assert finding.object == cast["fast_obj"] and finding.county_id == XINGHAI
    assert finding.detail == "识别日期 2026-01-10,风险消除日期 2026-05-01"
    assert (
        QualityFinding.objects.get(rule="no_measure").detail == "识别日期 2026-09-01,超过一个月仍无帮扶措施"
    )
    duplicate = QualityFinding.objects.filter(rule="duplicate_id", household=cast["lead_home"]).get()
    assert duplicate.object is None and "所报身份证号已登记在其他户" in duplicate.detail
    assert set(quality.finding_counts(XINGHAI)) == {code for code, _name in EXPECTED}


def test_a_run_rewrites_the_countys_findings(cast):
    quality.run_checks(county_code=XINGHAI)
    assert quality.run_checks(county_code=XINGHAI) == len(EXPECTED)
    assert QualityFinding.objects.count() == len(EXPECTED)
    cast["no_pairing_obj"].safety_net = True
    cast["no_pairing_obj"].save()
    Pairing.objects.create(
        cadre=Cadre.objects.first(), household=cast["no_pairing"], start=datetime.date(2026, 11, 1)
    )
    assert quality.run_checks(county_code=XINGHAI) == len(EXPECTED) - 1


def test_another_county_is_checked_on_its_own(cast):
    quality.run_checks(county_code=XINGHAI)
    assert quality.run_checks(county_code=JINGCHUAN) == 1
    assert QualityFinding.objects.filter(county_id=JINGCHUAN).get().household == cast["outside"]
    assert QualityFinding.objects.filter(county_id=XINGHAI).count() == len(EXPECTED)


def test_permission_and_county(cast):
    with pytest.raises(PermissionDenied):
        quality.run_checks(county_code=XINGHAI, by=cast["outsider"])
    with pytest.raises(ValidationError):
        quality.run_checks(county_code="632524203")  # a township, not a county
    assert not QualityFinding.objects.exists()
