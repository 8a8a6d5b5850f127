"""The party services: recruitment and membership workflows, organisational life and its calendar,
standardisation scores, weak branches, reserves, cadre scores and pairings."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fupin.audit.models import AuditEvent
from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.party import selectors, services
from fupin.party.models import MemberEvent, PartyOrg, WeakCaseEvent
from fupin.party.tests import matrix

D = datetime.date


def _today():
    return timezone.localdate()


def test_it_moves_a_recruit_one_stage_at_a_time_with_an_event_each(world):
    org, cadre = world["party_branch"], world["cadre"]
    start = _today() - datetime.timedelta(days=800)
    recruit = services.member_add(
        by=cadre, org=org, name="卓玛", stage="applicant", post="member", applied_on=start
    )
    for days in (100, 200, 300):
        recruit = services.member_advance(
            by=cadre, member=recruit, on=start + datetime.timedelta(days=days), version=recruit.version
        )
    assert recruit.stage == "probationary" and recruit.joined_on == start + datetime.timedelta(days=300)
    with pytest.raises(TransitionRefused) as refused:
        services.member_advance(
            by=cadre, member=recruit, on=start + datetime.timedelta(days=400), version=recruit.version
        )
    assert "预备期未满一年" in refused.value.reasons[0]
    recruit = services.member_advance(
        by=cadre, member=recruit, on=start + datetime.timedelta(days=700), version=recruit.version
    )
    assert recruit.stage == "full"
    steps = list(MemberEvent.objects.filter(member=recruit).values_list("from_stage", "to_stage"))
    assert steps == [
        ("", "applicant"),
        ("applicant", "activist"),
        ("activist", "candidate"),
        ("candidate", "probationary"),
        ("probationary", "full"),
    ]


def test_it_refuses_a_stale_version_and_keeps_the_record(world):
    member = world["party_member"]
    services.member_update(by=world["county"], member=member, version=member.version, name="新名")
    with pytest.raises(StaleVersion):
        services.member_update(by=world["county"], member=member, version=member.version, name="又一个名")
    member.refresh_from_db()
    assert member.name == "新名"


def test_it_refuses_writes_outside_the_scope(world):
    with pytest.raises(PermissionDenied):
        services.member_add(by=world["outsider"], org=world["party_branch"], name="外人")
    with pytest.raises(PermissionDenied):
        services.weak_identify(by=world["cadre"], org=world["party_branch"], year=2024, criteria=["other"])


def test_it_flags_a_secretary_post_vacant_over_three_months(world):
    org, member = world["party_branch"], world["party_member"]
    gone = _today() - datetime.timedelta(days=120)
    services.member_set_status(
        by=world["county"],
        member=member,
        status="transferred",
        on=gone,
        version=member.version,
        reason="调离",
    )
    org.refresh_from_db()
    assert org.secretary_vacant_since == gone
    assert "secretary_vacant" in selectors.computed_criteria(org)
    services.member_add(
        by=world["county"],
        org=org,
        name="新书记",
        post="secretary",
        joined_on=D(2001, 1, 1),
        full_on=D(2002, 1, 1),
    )
    org.refresh_from_db()
    assert org.secretary_vacant_since is None
    assert "secretary_vacant" not in selectors.computed_criteria(org)


def test_it_shows_done_missed_and_due_periods_on_the_calendar(world):
    org = world["party_branch"]
    today = D(2025, 5, 20)
    calendar = selectors.meeting_calendar(org, 2025, today=today, meetings=[])
    assert [p.state for p in calendar["committee"]][:6] == ["missed"] * 4 + ["due", "upcoming"]
    assert [p.state for p in calendar["members"]] == ["missed", "due", "upcoming", "upcoming"]
    assert "group" not in calendar  # no 党小组 under this branch


def test_it_records_a_meeting_and_marks_its_period_done(world):
    org = world["party_branch"]
    held = _today().replace(day=1)
    services.meeting_record(by=world["cadre"], org=org, kind="committee", held_on=held, topic="研究工作")
    calendar = selectors.meeting_calendar(org, held.year)
    assert [p.state for p in calendar["committee"] if p.start == held] == ["done"]


def test_it_refuses_a_photo_that_is_not_an_image_or_too_big(world, settings):
    org = world["party_branch"]
    fake = SimpleUploadedFile("a.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            by=world["cadre"], org=org, kind="lesson", held_on=_today(), topic="党课", photos=[fake]
        )
    assert "不是 JPEG、PNG 或 WebP 图片" in error.value.message_dict["photos"][0]
    big = SimpleUploadedFile("b.png", matrix.PNG + b"0" * (5 * 1024 * 1024), content_type="image/png")
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            by=world["cadre"], org=org, kind="lesson", held_on=_today(), topic="党课", photos=[big]
        )
    assert "超过 5 MB" in error.value.message_dict["photos"][0]
    assert not org.meetings.filter(kind="lesson").exists()  # nothing half-written


def test_it_lists_missed_meetings_per_county_and_township(world):
    year = _today().year - 1
    missed = list(selectors.overdue_branches(user=world["county"], year=year, division="632524203"))
    assert [org.name for org in missed] == [matrix.BRANCH]
    branch = missed[0]
    assert branch.missed_committee and branch.missed_theme_day and branch.missed_lesson
    assert branch.missed_members == 3  # held on 10 March: the first quarter is done
    assert not selectors.overdue_branches(user=world["county"], year=year, division="632524101").exists()
    assert not selectors.overdue_branches(user=world["outsider"], year=year).exists()


@pytest.mark.parametrize("months_ago", [0, 4, 14])
def test_it_counts_missed_meetings_as_the_calendar_does(world, months_ago):
    """The database's count (for the list) and the calendar's periods (for one branch) agree,
    for a branch founded mid-year, with a group, meetings of the group and meetings out of order."""
    today = _today()
    year = today.year if months_ago < 12 else today.year - 1
    county = world["county"]
    young = services.org_create(
        by=None,
        name="宁曲村党支部",
        level="branch",
        kind="village",
        region_id="632524101206",
        founded_on=D(year, 5, 20),
    )
    group = services.org_create(
        by=None, name="第一党小组", level="group", kind="village", parent=young, region_id="632524101206"
    )
    held = [
        ("group", group, D(year, 6, 3)),
        ("lesson", young, D(year, 4, 2)),
        ("members", young, D(year, 8, 9)),
    ]
    for kind, org, on in held:
        if on <= today:
            services.meeting_record(by=None, org=org, kind=kind, held_on=on, topic="会议")
    past = today - datetime.timedelta(days=30 * months_ago)
    counted = {o.pk: o for o in selectors.overdue_branches(user=county, year=year, today=past)}
    for org in PartyOrg.objects.visible_to(county).filter(level="branch"):
        calendar = selectors.meeting_calendar(org, year, today=past)
        expected = {k: sum(p.state == "missed" for p in periods) for k, periods in calendar.items()}
        row = counted.get(org.pk)
        got = {k: getattr(row, f"missed_{k}") for k in calendar} if row else dict.fromkeys(calendar, 0)
        assert got == expected, org.name
        assert (row.missed if row else 0) == sum(expected.values())


def test_it_totals_stars_and_ranks_scores_with_ties(world):
    checklist = world["party_score"].checklist
    items = list(checklist.categories.values_list("items__id", "items__max_points"))
    assert len(items) == 42 and sum(w for _i, w in items) == Decimal(100)
    assert world["party_score"].total == Decimal(84) and world["party_score"].star == 4
    other = services.org_create(
        by=None, name="宁曲村党支部", level="branch", kind="village", region_id="632524101206"
    )
    year = world["party_score"].year
    services.score_record(
        by=None, org=other, checklist=checklist, year=year, points={i: 2 for i, _w in items}
    )
    ranking = selectors.score_ranking(user=world["county"], year=year)
    assert [s["rank"] for s in ranking] == [1, 1]
    assert [
        s["org_name"] for s in selectors.score_ranking(user=world["county"], year=year, division="632524101")
    ] == ["宁曲村党支部"]
    with pytest.raises(ValidationError) as error:
        services.score_record(by=None, org=other, checklist=checklist, year=year, points={items[0][0]: 99})
    assert "得分应在0至" in str(error.value)


def test_it_runs_a_weak_branch_case_to_closure_with_events(world):
    county = world["county"]
    # A branch founded today whose records show nothing: the case rests on a judged criterion only.
    org = services.org_create(
        by=county,
        name="新建村党支部",
        level="branch",
        kind="village",
        region_id="632524101206",
        founded_on=_today(),
    )
    services.member_add(
        by=county, org=org, name="书记", post="secretary", joined_on=D(2001, 1, 1), full_on=D(2002, 1, 1)
    )
    case = services.weak_identify(by=county, org=org, year=_today().year, criteria=["disunity"])
    assert case.criteria == ["disunity"]
    with pytest.raises(TransitionRefused) as refused:
        services.weak_step(by=county, case=case, action="plan", version=case.version)
    assert {"请填写整改方案", "请填写整改责任人", "请填写整改时限"} <= set(refused.value.reasons)
    case = services.weak_step(
        by=county,
        case=case,
        action="plan",
        version=case.version,
        plan="调整班子",
        owner="县委组织部",
        deadline=_today() + datetime.timedelta(days=90),
    )
    assert case.status == "rectifying"
    with pytest.raises(TransitionRefused):
        services.weak_step(by=county, case=case, action="close", version=case.version)  # a reason is needed
    case = services.weak_step(by=county, case=case, action="close", version=case.version, reason="验收合格")
    assert case.status == "closed"
    assert list(WeakCaseEvent.objects.filter(case=case).values_list("to_status", flat=True)) == [
        "identified",
        "rectifying",
        "closed",
    ]
    with pytest.raises(ValidationError):  # one open case per branch at a time
        services.weak_identify(by=county, org=case.org, year=2024, criteria=["other"])
        services.weak_identify(by=county, org=case.org, year=2024, criteria=["other"])


def test_it_refuses_to_close_while_a_computed_criterion_remains(world):
    org = world["party_branch"]
    member = world["party_member"]
    services.member_set_status(
        by=None,
        member=member,
        status="left",
        on=_today() - datetime.timedelta(days=200),
        version=member.version,
        reason="出党",
    )
    case = world["party_case"]
    case = services.weak_step(by=None, case=case, action="revoke", version=case.version, reason="重新认定")
    fresh = services.weak_identify(by=None, org=org, year=_today().year)
    assert "secretary_vacant" in fresh.criteria and "书记空缺" in fresh.description
    fresh = services.weak_step(
        by=None,
        case=fresh,
        action="plan",
        version=fresh.version,
        plan="选配书记",
        owner="乡党委",
        deadline=_today(),
    )
    with pytest.raises(TransitionRefused) as refused:
        services.weak_step(by=None, case=fresh, action="close", version=fresh.version, reason="完成")
    assert any("书记长期缺职" in r for r in refused.value.reasons)


def test_it_totals_and_ranks_monthly_cadre_scores(world):
    cadre, month = world["party_cadre"], world["party_month"]
    second = services.cadre_add(by=None, org=world["party_branch"], name="旦正", post="村文书")
    indicator_set = cadre.scores.get().indicator_set
    services.cadre_score(
        by=None,
        cadre=second,
        indicator_set=indicator_set,
        month=month,
        points={i.pk: i.max_points - 5 for i in indicator_set.indicators.all()},
    )
    ranking = selectors.cadre_ranking(user=world["county"], month=month)
    assert [(s["name"], s["total"], s["rank"]) for s in ranking] == [
        ("才让", Decimal(100), 1),
        ("旦正", Decimal(75), 2),
    ]
    # The rank is over the whole month, whatever page or order the rows are read in.
    assert [(s["name"], s["rank"]) for s in ranking.order_by("total")[1:]] == [("才让", 1)]
    assert not selectors.cadre_ranking(user=world["outsider"], month=month).exists()


def test_it_checks_pairing_activity_dates_and_donations(world):
    pairing = world["party_pairing"]
    with pytest.raises(ValidationError) as error:
        services.activity_add(by=None, pairing=pairing, kind="donation", held_on=D(2019, 1, 1), title="赠书")
    assert set(error.value.message_dict) == {"held_on", "donated_items"}


def test_it_lets_the_unit_officer_see_its_branches_and_pairings_but_not_others(world):
    officer = world["unitofficer"]
    assert world["party_company"] in PartyOrg.objects.visible_to(officer)
    assert services.pairing_in_scope(officer, world["party_pairing"])
    other = services.org_create(
        by=None, name="泾川县某党支部", level="branch", kind="village", region_id="620821100206"
    )
    assert other not in PartyOrg.objects.visible_to(officer)
    assert other not in PartyOrg.objects.visible_to(world["county"])


def test_it_audits_each_write(world):
    before = AuditEvent.objects.count()
    services.meeting_record(
        by=world["cadre"], org=world["party_branch"], kind="theme_day", held_on=_today(), topic="主题党日"
    )
    assert AuditEvent.objects.filter(object_type="party.meeting").count() >= 1
    assert AuditEvent.objects.count() == before + 1
