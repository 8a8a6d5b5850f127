"""Deadlines of the review chain, from data: the province's `Procedure` and the `CalendarDay` overrides.

Every lead and elimination counts from its `opened_on`. A step's deadline is `step_days[stage]` days
after it (calendar days, or working days where the province counts so); the decision limit is
`decision_days`. A self-report must be accepted within `accept_working_days` working days in every
province. Urgency: orange once the current step's deadline has passed, red once the decision limit
has — the colours the township and county lists and the 待办 show.
"""

import datetime
from dataclasses import dataclass, field

from fupin.monitoring.choices import OPEN_STAGES, Stage, Urgency
from fupin.monitoring.models import CalendarDay, Procedure, default_step_days

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Limits:
    """A province's limits; the model's defaults where the province has no row."""

    decision_days: int = 15
    working_days: bool = False
    accept_working_days: int = 2
    publicity_days: int = 5
    stable_months: int = 6
    step_days: dict = field(default_factory=default_step_days)


def limits_for(code: str) -> Limits:
    """The limits for a division code (any level): its province's `Procedure`, else the defaults."""
    row = Procedure.objects.filter(province_code=code[:2]).first()
    if row is None:
        return Limits()
    steps = {**default_step_days(), **(row.step_days or {})}
    return Limits(
        decision_days=row.decision_days,
        working_days=row.working_days,
        accept_working_days=row.accept_working_days,
        publicity_days=row.publicity_days,
        stable_months=row.stable_months,
        step_days=steps,
    )


class Calendar:
    """Working days: Monday to Friday, except the overrides (holidays, 调休 Saturdays) loaded once."""

    def __init__(self, start: datetime.date, end: datetime.date):
        self.overrides = dict(
            CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "working")
        )

    def working(self, day: datetime.date) -> bool:
        return self.overrides.get(day, day.weekday() < 5)

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        day = start
        while days > 0:
            day += DAY
            if self.working(day):
                days -= 1
        return day


def add_days(start: datetime.date, days: int, *, working: bool) -> datetime.date:
    if not working:
        return start + datetime.timedelta(days=days)
    # Holidays stretch a working-day span; three times the span covers the longest (Spring Festival).
    return Calendar(start, start + datetime.timedelta(days=days * 3 + 15)).add_working_days(start, days)


def step_due(limits: Limits, opened_on: datetime.date, stage: str) -> datetime.date | None:
    """The deadline of the step a case waits at in `stage`; None for a closed case."""
    if stage not in OPEN_STAGES:
        return None
    if stage == Stage.SUBMITTED:
        return add_days(opened_on, limits.accept_working_days, working=True)
    # 公示 runs its own days; the step after it (乡镇审核) carries the deadline.
    key = Stage.PUBLICISED if stage == Stage.PUBLICISING else stage
    days = int(limits.step_days.get(key, limits.decision_days))
    return add_days(opened_on, min(days, limits.decision_days), working=limits.working_days)


def decision_due(limits: Limits, opened_on: datetime.date) -> datetime.date:
    return add_days(opened_on, limits.decision_days, working=limits.working_days)


def urgency(stage: str, step_due_on, decision_due_on, today: datetime.date) -> str:
    if stage not in OPEN_STAGES:
        return Urgency.ON_TIME
    if decision_due_on is not None and today > decision_due_on:
        return Urgency.RED
    if step_due_on is not None and today > step_due_on:
        return Urgency.ORANGE
    return Urgency.ON_TIME
