"""Supervision's 待办 (core.todo): the findings waiting for this user and their units' late tasks.

- the responsible side (the village, its township and county, the responsible unit): findings
  待整改 or 整改中 (sent back included) to plan and submit;
- the inspector and the county: findings 待核验 to verify and close, or send back;
- a unit's tasks of a plan (lead or responsible) that are orange or red.

Each line's level is the most urgent of its findings or tasks (orange near the deadline, red past
it); the counts come from supervision.selectors, so they follow the scoping choke point and the
permission to act.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.core.todo import DUE, OVERDUE, SOON, Todo, register
from fupin.supervision import selectors
from fupin.supervision.choices import FindingState, Urgency

APP = "supervision"
_LEVELS = {Urgency.OVERDUE: OVERDUE, Urgency.SOON: SOON, Urgency.DUE: DUE}


def _level(rows) -> str:
    return _LEVELS.get(selectors.worst_urgency(rows), DUE)


def _line(label, rows, url: str) -> list[Todo]:
    count = rows.count()
    if not count:
        return []
    return [Todo(app=APP, label=label, count=count, url=url, level=_level(rows))]


@register
def supervision_todo(user) -> list[Todo]:
    if user is None or not user.is_authenticated:
        return []
    findings = reverse("supervision:finding_list")
    return [
        # "open" lists every unclosed finding of the user's area: those to rectify and, beside them,
        # those already submitted (the list has no filter for the two states together).
        *_line(_("督查问题待整改"), selectors.findings_to_rectify(user), f"{findings}?state=open"),
        *_line(
            _("督查问题待核验"),
            selectors.findings_to_verify(user),
            f"{findings}?state={FindingState.SUBMITTED.value}",
        ),
        *_line(
            _("本单位任务临期或逾期"),
            selectors.tasks_due(user),
            f"{reverse('supervision:task_list')}?state=open&urgency={selectors.OVERDUE_ANY}",
        ),
    ]
