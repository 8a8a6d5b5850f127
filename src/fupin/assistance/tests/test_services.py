"""The rules of assistance's writes: scope, team sizes, postings, the measure workflow, photos."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fupin.assistance import selectors, services
from fupin.assistance.models import MeasureEvent, TeamEvent, Visit
from fupin.assistance.tests.matrix import PERSON_TIMES, PNG
from fupin.audit.models import AuditEvent
from fupin.core.errors import StaleVersion, TransitionRefused


def test_it_refuses_a_team_of_fewer_than_three(world):
    """A work team with two members cannot take up its post; the reason says why; no event is written."""
    team = world["team"]
    with pytest.raises(TransitionRefused) as refused:
        services.team_transition(by=world["county"], team=team, to="active", version=team.version)
    assert "至少3人" in refused.value.reasons[0]
    assert not TeamEvent.objects.filter(team=team, to_status="active").exists()


def test_it_activates_a_team_of_three_with_an_event(world):
    team = world["team"]
    member = services.cadre_create(
        by=None, name="队员丙", level="province", region=team.village_id, unit=team.unit
    )
    services.posting_create(
        by=world["county"],
        cadre=member,
        kind="team_member",
        region=team.village_id,
        team=team,
        start=datetime.date(2023, 6, 1),
    )
    team = services.team_transition(
        by=world["county"], team=team, to="active", version=team.version, reason="到岗"
    )
    assert team.status == "active"
    event = TeamEvent.objects.get(team=team, to_status="active")
    assert (event.from_status, event.actor, event.reason) == ("forming", world["county"], "到岗")
    with pytest.raises(StaleVersion):
        services.team_transition(by=world["county"], team=team, to="ended", version=1)


def test_it_keeps_one_first_secretary_per_village(world):
    """A second open first-secretary term in the same village is refused under the field."""
    other = services.cadre_create(by=None, name="另一书记", level="county", region="632524101206")
    with pytest.raises(ValidationError) as error:
        services.posting_create(
            by=world["county"],
            cadre=other,
            kind="first_secretary",
            region="632524101206",
            start=datetime.date(2024, 1, 1),
        )
    assert "region" in error.value.error_dict


def test_it_sends_seconded_cadres_to_counties_and_secretaries_to_villages(world):
    cadre = world["assistance_cadre"]
    with pytest.raises(ValidationError) as error:
        services.posting_create(
            by=None, cadre=cadre, kind="first_secretary", region="632524", start=datetime.date(2024, 1, 1)
        )
    assert "行政村" in error.value.message_dict["region"][0]
    with pytest.raises(ValidationError):
        services.posting_create(
            by=None, cadre=cadre, kind="seconded", region="632524203207", start=datetime.date(2024, 1, 1)
        )
    posting = services.posting_create(
        by=None,
        cadre=cadre,
        kind="seconded",
        region="632524",
        start=datetime.date(2024, 1, 1),
        post_title="副县长",
    )
    assert posting.kind == "seconded"


def test_it_runs_the_measure_workflow_with_an_event_per_step(world):
    measure = world["measure"]
    county = world["county"]
    with pytest.raises(TransitionRefused):
        services.measure_transition(by=county, measure=measure, to="done", version=measure.version)
    measure = services.measure_transition(by=county, measure=measure, to="active", version=measure.version)
    with pytest.raises(TransitionRefused) as refused:
        services.measure_transition(by=county, measure=measure, to="done", version=measure.version)
    assert "成效" in refused.value.reasons[0]
    measure = services.measure_transition(
        by=county, measure=measure, to="done", version=measure.version, result="新房已入住"
    )
    steps = list(MeasureEvent.objects.filter(measure=measure).values_list("from_status", "to_status"))
    assert steps == [("", "planned"), ("planned", "active"), ("active", "done")]
    assert measure.result == "新房已入住"
    assert AuditEvent.objects.filter(object_type="assistance.measure", action="update").count() == 2


def test_it_refuses_writes_outside_the_scope(world):
    """The outsider (泾川县) may not record a visit to a household of 兴海县."""
    with pytest.raises(PermissionDenied):
        services.visit_record(
            by=world["outsider"],
            household=world["zhaxi"],
            visited_on=datetime.date.today(),
            people_met="扎西",
            notes="走访",
        )
    with pytest.raises(PermissionDenied):
        services.pairing_create(
            by=world["outsider"],
            cadre=world["assistance_cadre"],
            household=world["zhaxi"],
            start=datetime.date(2024, 1, 1),
        )


def test_it_checks_visit_photos_by_content_and_size(world, settings):
    settings.FUPIN_PHOTO_MAX_BYTES = 100
    fake = SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    big = SimpleUploadedFile("big.png", PNG + b"\0" * 200, content_type="image/png")
    with pytest.raises(ValidationError) as error:
        services.visit_record(
            by=world["cadre"],
            household=world["zhaxi"],
            visited_on=datetime.date.today(),
            people_met="扎西",
            notes="走访",
            photos=[fake, big],
        )
    messages = error.value.message_dict["photos"]
    assert any("不是 JPEG" in m for m in messages) and any("超过" in m for m in messages)
    assert Visit.objects.filter(household=world["zhaxi"]).count() == 1  # only the matrix's visit


def test_it_links_the_visitors_own_cadre_record(world):
    cadre = world["assistance_cadre"]
    cadre.user = world["cadre"]
    cadre.save()
    visit = services.visit_record(
        by=world["cadre"],
        household=world["zhaxi"],
        visited_on=datetime.date.today(),
        people_met="卓玛",
        notes="送医保政策",
        latitude=None,
        longitude=None,
    )
    assert visit.cadre == cadre and visit.visitor == world["cadre"]


def test_it_counts_person_times_by_unit_year_kind_region_and_user(world):
    datang = world["datang"]
    services.training_create(
        by=None,
        topic="技术员培训",
        form="special_class",
        kind="technician",
        start=datetime.date(2020, 5, 1),
        end=datetime.date(2020, 5, 2),
        place="兴海县",
        organiser=datang,
        region="632524",
        attendees=[{"name": "才让", "unit_name": "民族村"}, {"count": 4}],
    )
    assert selectors.training_person_times() == PERSON_TIMES + 5
    assert selectors.training_person_times(unit_id=datang.pk, year=2020) == 5
    assert selectors.training_person_times(kind="technician") == 5
    assert selectors.training_person_times(kind="party_member", region_prefix="6325") == PERSON_TIMES
    assert selectors.training_person_times(region_prefix="620821") == 0
    assert selectors.training_person_times(user=world["county"]) == PERSON_TIMES + 5
    assert selectors.training_person_times(user=world["unitofficer"]) == PERSON_TIMES + 5
    assert selectors.training_person_times(user=world["outsider"]) == 0


def test_it_refuses_a_class_without_attendees(world):
    with pytest.raises(ValidationError) as error:
        services.training_create(
            by=None,
            topic="空班",
            form="special_class",
            kind="technician",
            start=datetime.date(2020, 5, 2),
            end=datetime.date(2020, 5, 1),
            place="兴海县",
            organiser=world["datang"],
            region="632524",
            attendees=[],
        )
    assert set(error.value.message_dict) == {"end", "attendees"}


def test_it_reports_first_secretary_coverage_of_poor_villages(world):
    """宁曲村 has a poor household and a serving first secretary; 民族村's households are not poor."""
    villages = list(selectors.poor_villages(user=world["county"]))
    selectors.add_first_secretaries(villages)
    assert [(v.code, v.poor_households, v.secretaries) for v in villages] == [
        ("632524101206", 1, ["多杰才旦"])
    ]
    report = selectors.first_secretary_coverage(user=world["county"])
    assert report.villages == report.covered == 1
    assert [(t.code, t.villages, t.covered) for t in report.townships] == [("632524101", 1, 1)]
    assert not selectors.poor_villages(user=world["county"], uncovered_only=True).exists()
    posting = world["posting"]
    services.posting_end(
        by=world["county"], posting=posting, version=posting.version, end=datetime.date(2024, 1, 1)
    )
    report = selectors.first_secretary_coverage(user=world["county"])
    assert report.villages == 1 and report.covered == 0
    assert report.counties[0].code == "632524" and report.counties[0].rate == 0
    assert selectors.poor_villages(user=world["county"], uncovered_only=True).count() == 1
    assert not selectors.poor_villages(user=world["outsider"]).exists()
    assert selectors.first_secretary_coverage(user=world["outsider"]).counties == []


def test_it_flags_households_not_visited_within_the_interval(world, settings):
    """王芳 was never visited; 扎西 three days ago: flagged only once the interval is shorter."""
    flagged = {p.household_id for p in selectors.overdue_pairings(user=world["county"])}
    assert flagged == {world["wang"].pk}
    settings.FUPIN_VISIT_INTERVAL_DAYS = 2
    flagged = {p.household_id for p in selectors.overdue_pairings(user=world["county"])}
    assert flagged == {world["wang"].pk, world["zhaxi"].pk}
    assert not selectors.overdue_pairings(user=world["outsider"]).exists()


def test_it_ends_a_pairing_once_with_a_reason(world):
    pairing = world["pairing"]
    with pytest.raises(ValidationError):
        services.pairing_end(
            by=world["county"],
            pairing=pairing,
            version=pairing.version,
            end=datetime.date(2025, 1, 1),
            reason="",
        )
    pairing = services.pairing_end(
        by=world["county"],
        pairing=pairing,
        version=pairing.version,
        end=datetime.date(2025, 1, 1),
        reason="已脱贫",
    )
    with pytest.raises(TransitionRefused):
        services.pairing_end(
            by=world["county"],
            pairing=pairing,
            version=pairing.version,
            end=datetime.date(2025, 1, 2),
            reason="再次",
        )


# --- corrections of cadres, teams and classes ---------------------------------------------------


def test_it_updates_a_cadre_audited_with_the_old_values(world):
    cadre = world["assistance_cadre"]
    services.cadre_update(
        by=world["county"],
        cadre=cadre,
        version=cadre.version,
        name="多杰才旦",
        level="county",
        region=cadre.region_id,
        unit=cadre.unit,
        title="村党支部第一书记",
        user=world["cadre"],
    )
    cadre.refresh_from_db()
    assert (cadre.version, cadre.title, cadre.level, cadre.user) == (
        2,
        "村党支部第一书记",
        "county",
        world["cadre"],
    )
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, object_id=str(cadre.pk)).latest("id")
    assert "驻村第一书记" in str(event.changes) and "村党支部第一书记" in str(event.changes)


def test_it_refuses_a_stale_or_nameless_cadre_update(world):
    cadre = world["assistance_cadre"]
    fields = {"level": cadre.level, "region": cadre.region_id, "unit": cadre.unit}
    with pytest.raises(ValidationError) as refused:
        services.cadre_update(by=world["county"], cadre=cadre, version=cadre.version, name=" ", **fields)
    assert refused.value.message_dict["name"] == ["此项为必填项"]
    with pytest.raises(StaleVersion):
        services.cadre_update(
            by=world["county"], cadre=cadre, version=cadre.version + 1, name="某某", **fields
        )
    with pytest.raises(PermissionDenied):
        services.cadre_update(by=world["outsider"], cadre=cadre, version=cadre.version, name="某某", **fields)
    cadre.refresh_from_db()
    assert cadre.name != "某某" and cadre.version == 1


def test_it_updates_a_team_but_keeps_its_village_while_it_has_members(world):
    team = world["team"]
    fields = {"unit": team.unit, "start": datetime.date(2023, 7, 1)}
    services.team_update(
        by=world["county"],
        team=team,
        version=team.version,
        name="民族村工作队",
        village=team.village_id,
        **fields,
    )
    team.refresh_from_db()
    assert (team.name, team.start, team.version) == ("民族村工作队", datetime.date(2023, 7, 1), 2)
    with pytest.raises(ValidationError) as refused:
        services.team_update(
            by=world["county"], team=team, version=team.version, name="x", village="632524101206", **fields
        )
    assert refused.value.message_dict["village"] == ["工作队已有队员,不能变更驻村"]
    with pytest.raises(StaleVersion):
        services.team_update(
            by=world["county"], team=team, version=1, name="x", village=team.village_id, **fields
        )


def _training_fields(training, **changes):
    fields = {
        k: getattr(training, k)
        for k in ("topic", "form", "kind", "start", "end", "place", "organiser", "hours")
    }
    return {**fields, "region": training.region_id, **changes}


def test_it_updates_a_class_and_replaces_its_attendees(world):
    training = world["training"]
    services.training_update(
        by=world["unitofficer"],
        training=training,
        version=training.version,
        attendees=[{"name": "才让"}, {"count": 20}],
        **_training_fields(training, place="共和县"),
    )
    training.refresh_from_db()
    assert training.place == "共和县" and training.version == 2
    assert sum(a.count for a in training.attendees.all()) == 21
    with pytest.raises(ValidationError) as refused:
        services.training_update(
            by=world["county"],
            training=training,
            version=training.version,
            **_training_fields(training, end=training.start - datetime.timedelta(days=1)),
        )
    assert refused.value.message_dict["end"] == ["结束日期不能早于开始日期"]
    with pytest.raises(StaleVersion):
        services.training_update(
            by=world["county"], training=training, version=1, **_training_fields(training)
        )
    assert sum(a.count for a in training.attendees.all()) == 21
