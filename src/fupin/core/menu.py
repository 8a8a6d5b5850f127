"""The sidebar menu: one list, filtered by what the user may open."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    icon: str = ""
    perm: str | None = None


MENU = [
    Item(_("首页"), "core:home", "home"),
    Item(_("行政区划"), "regions:browse", "map", "regions.view_region"),
    Item(_("帮扶单位"), "orgs:unit_list", "building", "orgs.view_unit"),
    Item(_("审计日志"), "audit:event_list", "shield", "audit.view_auditevent"),
    Item(_("后台管理"), "admin:index", "settings", "accounts.use_admin"),
]


def menu_for(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for item in MENU:
        if item.perm and not user.has_perm(item.perm):
            continue
        url = reverse(item.url_name)
        items.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "active": request.path.startswith(url) and (url != "/" or request.path == "/"),
            }
        )
    return items
