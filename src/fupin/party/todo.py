"""Party's 待办 (core.todo): the branches this user keeps (the paired-unit rule: their own places'
branches, or their unit's) that missed 三会一课 or 主题党日 this year, for a user who records
meetings (party.add_meeting). The line opens the 缺会提醒 list of the year, narrowed to the user's
own places where their view is wider (an assisting unit sees the branches it assists but keeps
only its own; the list has no filter for a unit's own branches yet, so that line opens the list of
the year).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fupin.core.permissions import own_prefixes
from fupin.core.scoping import scope_of
from fupin.core.todo import OVERDUE, Todo, register
from fupin.party import selectors


def _url(year: int, division: str = "") -> str:
    params = {"year": year, **({"division": division} if division else {})}
    return f"{reverse('party:overdue_list')}?{urlencode(params)}"


def today():
    """The day the missed periods are judged on (a function, so a test can fix it)."""
    return timezone.localdate()


@register
def party_todos(user) -> list[Todo]:
    if user is None or not user.is_authenticated or not user.has_perm("party.add_meeting"):
        return []
    today_ = today()
    year = today_.year
    label = _("党组织缺会(三会一课)")
    own = sorted(own_prefixes(user))
    # The list shows every visible branch: a filter per own place only where the view is wider.
    divisions = [""] if tuple(own) == scope_of(user).prefixes else own
    items = [
        Todo(
            "party",
            label,
            selectors.missed_meetings_to_keep(
                user=user, year=year, division=division or None, today=today_
            ).count(),
            _url(year, division),
            OVERDUE,
        )
        for division in divisions
    ]
    if scope_of(user).unit_ids:
        count = selectors.missed_meetings_to_keep(user=user, year=year, today=today_, units=True).count()
        items.append(Todo("party", _("本单位党组织缺会(三会一课)"), count, _url(year), OVERDUE))
    return items
