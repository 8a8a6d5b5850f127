"""Deadlines from data with a frozen clock: calendar and working days, holidays and 调休 overriding
the weekdays, a self-report's two working days, and the urgency colours on cases, in the overdue
lists (per township and county) and in each user's 待办."""

import datetime

import pytest

from fupin.monitoring import deadlines, selectors, services
from fupin.monitoring.choices import Stage, Urgency
from fupin.monitoring.models import CalendarDay, Procedure
from fupin.monitoring.tests import workflow_kit as kit

WORLD_LAYERS = ("assistance", kit.build)
D = datetime.date
MONDAY = kit.MONDAY  # 2026-03-02


@pytest.mark.django_db
def test_it_counts_calendar_days_by_default():
    limits = deadlines.limits_for("632524203207")
    assert limits == deadlines.Limits()  # no Procedure for 青海: the defaults
    assert deadlines.step_due(limits, MONDAY, Stage.ACCEPTED) == MONDAY + datetime.timedelta(days=4)
    assert deadlines.step_due(limits, MONDAY, Stage.CHECKED) == MONDAY + datetime.timedelta(days=15)
    # 公示 runs its own days; while it runs, the deadline is the step after it (乡镇审核)
    assert deadlines.step_due(limits, MONDAY, Stage.PUBLICISING) == MONDAY + datetime.timedelta(days=13)
    assert deadlines.decision_due(limits, MONDAY) == MONDAY + datetime.timedelta(days=15)
    assert deadlines.step_due(limits, MONDAY, Stage.DECIDED) is None


@pytest.mark.django_db
def test_it_counts_working_days_where_the_province_does():
    Procedure.objects.create(province_code="63", decision_days=20, working_days=True)
    limits = deadlines.limits_for("632524203207")
    # Twenty working days from Monday 2 March: four weeks, ending Monday 30 March.
    assert deadlines.decision_due(limits, MONDAY) == D(2026, 3, 30)
    # A holiday on a weekday stretches it by a day; a 调休 working Saturday shortens it again.
    CalendarDay.objects.create(date=D(2026, 3, 4), working=False, note="休")
    assert deadlines.decision_due(limits, MONDAY) == D(2026, 3, 31)
    CalendarDay.objects.create(date=D(2026, 3, 7), working=True, note="班")
    assert deadlines.decision_due(limits, MONDAY) == D(2026, 3, 30)
    # Other provinces keep the defaults.
    assert deadlines.limits_for("620821100206").working_days is False


@pytest.mark.django_db
def test_it_gives_a_self_report_two_working_days_to_be_accepted():
    limits = deadlines.limits_for("632524203207")
    friday = D(2026, 3, 6)
    assert deadlines.step_due(limits, friday, Stage.SUBMITTED) == D(2026, 3, 10)  # over the weekend
    CalendarDay.objects.create(date=D(2026, 3, 9), working=False, note="节假日")
    assert deadlines.step_due(limits, friday, Stage.SUBMITTED) == D(2026, 3, 11)


def test_it_colours_a_case_orange_then_red():
    due, decision = D(2026, 3, 6), D(2026, 3, 17)
    assert deadlines.urgency(Stage.ACCEPTED, due, decision, D(2026, 3, 6)) == Urgency.ON_TIME
    assert deadlines.urgency(Stage.ACCEPTED, due, decision, D(2026, 3, 7)) == Urgency.ORANGE
    assert deadlines.urgency(Stage.ACCEPTED, due, decision, D(2026, 3, 18)) == Urgency.RED
    assert deadlines.urgency(Stage.DECIDED, due, decision, D(2026, 3, 18)) == Urgency.ON_TIME


def test_a_frozen_clock_moves_a_lead_from_on_time_to_orange_to_red(cast, monkeypatch):
    kit.freeze(monkeypatch, MONDAY)
    lead = services.report_lead(by=cast["cadre"], household=cast["zhaxi"], risks=["illness"], hardship="大病")
    assert (lead.opened_on, lead.step_due, lead.decision_due) == (MONDAY, D(2026, 3, 6), D(2026, 3, 17))
    assert selectors.case_urgency(lead, MONDAY) == Urgency.ON_TIME
    assert selectors.overdue_leads(cast["county"], MONDAY).total == 0

    # Each step recomputes the step's deadline from the lead's date.
    kit.walk(cast, lead, Stage.VERIFIED)
    assert lead.step_due == D(2026, 3, 8)

    orange_day = D(2026, 3, 9)
    assert selectors.case_urgency(lead, orange_day) == Urgency.ORANGE
    overdue = selectors.overdue_leads(cast["county"], orange_day)
    assert [(c.code, c.orange, c.red) for c in overdue.townships] == [("632524203", 1, 0)]
    assert [(c.name, c.total) for c in overdue.counties] == [("兴海县", 1)]
    assert [(row.pk, row.urgency) for row in overdue.leads] == [(lead.pk, Urgency.ORANGE)]

    red_day = D(2026, 3, 18)
    assert selectors.case_urgency(lead, red_day) == Urgency.RED
    assert selectors.overdue_leads(cast["township"], red_day).counties[0].red == 1
    # The outsider's lists stay empty; so do the other township's.
    assert selectors.overdue_leads(cast["outsider"], red_day).total == 0
    assert selectors.overdue_leads(cast["heka"], red_day).total == 0


def test_the_todo_of_each_role(cast, monkeypatch):
    kit.freeze(monkeypatch, MONDAY)
    submitted = kit.self_report()
    lead = services.report_lead(by=cast["cadre"], household=cast["zhaxi"], risks=["illness"], hardship="大病")

    def todo(who, day=MONDAY):
        found = selectors.todo_for(cast[who], day)
        return sorted(row.pk for row in found.leads)

    assert todo("township") == [submitted.pk]  # 待受理
    assert todo("cadre") == [lead.pk]  # 待入户核实
    assert todo("county") == [] and todo("heka") == [] and todo("viewer") == [] and todo("unitofficer") == []

    kit.walk(cast, lead, Stage.PUBLICISING)
    assert todo("cadre") == []  # the 公示 is running: nothing to do
    assert todo("cadre", lead.publicity_to + datetime.timedelta(days=1)) == [lead.pk]
    kit.walk(cast, lead, Stage.PUBLICISED, monkeypatch=monkeypatch)
    assert lead.pk in todo("township", lead.publicity_to + datetime.timedelta(days=1))
    kit.walk(cast, lead, Stage.CHECKED)
    assert todo("county", lead.publicity_to + datetime.timedelta(days=1)) == [lead.pk]
    assert selectors.todo_for(cast["county"], MONDAY).total == 1
