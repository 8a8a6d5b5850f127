"""Assistance's 待办 (core.todo): paired households not visited within the interval
(FUPIN_VISIT_INTERVAL_DAYS), for a user who records visits (assistance.add_visit).

A 帮扶责任人 (a user with serving pairings of their own) gets their own households; anyone else who
visits (township, county, an assisting unit's officer) the households of their area. The line opens
the 超期未走访 list; for the cadre's own it carries `mine=1` (只看我的结对户).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from fupin.assistance import selectors
from fupin.core.todo import OVERDUE, Todo, register


@register
def assistance_todos(user) -> list[Todo]:
    if user is None or not user.is_authenticated or not user.has_perm("assistance.add_visit"):
        return []
    url = reverse("assistance:overdue_list")
    mine = selectors.pairing_list(user=user, active=True, mine=True).exists()
    if mine:
        count = selectors.overdue_pairings(user=user, mine=True).count()
        return [Todo("assistance", _("我的结对户超期未走访"), count, f"{url}?mine=1", OVERDUE)]
    count = selectors.overdue_pairings(user=user).count()
    return [Todo("assistance", _("超期未走访"), count, url, OVERDUE)]
