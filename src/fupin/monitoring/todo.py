"""Monitoring's 待办 (core.todo): the leads and eliminations waiting for this user's step of the
review chain — the township accepts self-reports (2 working days) and checks, the county decides,
the village verifies, compares and holds the 评议 — in the places the user answers for (their own
data scopes: an assisting unit sees its villages but takes no step there).

Per stage two lines, each opening the lead (or elimination) list filtered to exactly its records:
those past a deadline (预警 = 已逾期, level OVERDUE) and the rest (预警 = 正常; SOON when one is due
within a day). A 公示 whose days are over also waits for the village, but the lists have no filter
for it, so it is not counted here (the case page and the nightly job end it).
"""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fupin.core.permissions import own_prefixes
from fupin.core.scoping import scope_of
from fupin.core.todo import DUE, OVERDUE, SOON, Todo, register
from fupin.monitoring import selectors
from fupin.monitoring import selectors_lists as lists
from fupin.monitoring.choices import Stage, Urgency

LISTS = {"lead": "monitoring:lead_list", "elimination": "monitoring:elimination_list"}


def _divisions(user) -> list[str]:
    """The division filter for each of the user's own places: none when the lists' scope (what the
    user sees) is already exactly theirs, else one per own prefix so a list shows only those."""
    own = own_prefixes(user)
    return [""] if tuple(sorted(own)) == scope_of(user).prefixes else sorted(own)


def _label(kind: str, stage: str, late: bool) -> str:
    what = _("风险线索") if kind == "lead" else _("风险消除")
    if late:
        return _("%(what)s:%(stage)s(已逾期)") % {"what": what, "stage": Stage(stage).label}
    return _("%(what)s:%(stage)s") % {"what": what, "stage": Stage(stage).label}


def _url(kind: str, stage: str, urgency: str, division: str) -> str:
    params = {"stage": stage, "urgency": urgency}
    if division:
        params["division"] = division
    return f"{reverse(LISTS[kind])}?{urlencode(params)}"


@register
def monitoring_todos(user) -> list[Todo]:
    items: list[Todo] = []
    if user is None or not user.is_authenticated:
        return items
    today = lists.today()
    for division in _divisions(user):
        waiting = selectors.waiting_by_stage(user, today, division=division)
        for kind, rows in waiting.items():
            for row in rows:
                stage, late, rest = row["stage"], row["late"], row["total"] - row["late"]
                if late:
                    items.append(
                        Todo(
                            "monitoring",
                            _label(kind, stage, True),
                            late,
                            _url(kind, stage, lists.OVERDUE, division),
                            OVERDUE,
                        )
                    )
                if rest:
                    items.append(
                        Todo(
                            "monitoring",
                            _label(kind, stage, False),
                            rest,
                            _url(kind, stage, Urgency.ON_TIME, division),
                            SOON if row["soon"] else DUE,
                        )
                    )
    return items
