"""The sidebar menu and the phone tab bar: one list each, filtered by what the user may open."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    icon: str = ""
    perm: str | None = None


MENU = [
    Item(_("首页"), "core:home", "home"),
    Item(_("驾驶舱大屏"), "reports:dashboard_wall", "chart", "reports.view_dashboard"),
    Item(_("村情画像"), "reports:village_profile_list", "chart", "reports.view_dashboard"),
    Item(_("指标目录"), "reports:indicator_list", "folder", "reports.view_dashboard"),
    Item(_("统计报表"), "reports:tabulation_list", "folder", "reports.view_tabulation"),
    Item(_("农户"), "registry:household_list", "household", "registry.view_household"),
    Item(_("党建"), "party:home", "flag", "party.view_partyorg"),
    Item(_("帮扶"), "assistance:home", "visit", "assistance.view_pairing"),
    Item(_("防返贫监测"), "monitoring:home", "shield", "monitoring.view_lead"),
    Item(_("督查督办"), "supervision:home", "flag", "supervision.view_finding"),
    Item(_("项目资金"), "projects:project_list", "folder", "projects.view_project"),
    Item(_("帮扶成效"), "outcomes:home", "chart", "outcomes.view_purchase"),
    Item(_("明白卡打印"), "documents:card_batch", "household", "documents.print_card"),
    Item(_("帮扶成效报告"), "documents:results", "chart", "documents.print_results"),
    Item(_("国家系统交换"), "exchange:home", "folder", "exchange.export_national"),
    Item(_("行政区划"), "regions:browse", "map", "regions.view_region"),
    Item(_("帮扶单位"), "orgs:unit_list", "building", "orgs.view_unit"),
    Item(_("审计日志"), "audit:event_list", "shield", "audit.view_auditevent"),
    Item(_("后台管理"), "admin:index", "settings", "accounts.use_admin"),
]

# The phone's bottom tab bar (field cadres). A tab whose page does not exist yet is shown disabled.
TABS = [
    Item(_("首页"), "core:home", "home"),
    Item(_("走访"), "assistance:visit_list", "visit"),
    Item(_("农户"), "registry:household_list", "household", "registry.view_household"),
    Item(_("我的"), "accounts:profile", "user"),
]


def url_or_none(url_name: str) -> str | None:
    """The URL of a route, or None while the app that owns it is not there yet."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def _is_active(request, url: str) -> bool:
    return request.path.startswith(url) and (url != "/" or request.path == "/")


def _entries(request, items):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    entries = []
    for item in items:
        if item.perm and not user.has_perm(item.perm):
            continue
        url = url_or_none(item.url_name)
        entries.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "active": bool(url) and _is_active(request, url),
            }
        )
    return entries


def section_for(request) -> tuple[str, str] | None:
    """(label, url) of the menu entry of the app serving `request`: the first crumb of its pages."""
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else ""
    if not namespace:
        return None
    entries = [
        (item.label, url)
        for item in MENU[1:]  # not 首页: every breadcrumb starts there
        if item.url_name.startswith(f"{namespace}:") and (url := url_or_none(item.url_name))
    ]
    # An app with several entries (reports, documents): the one whose pages the request is under, so
    # a 统计报表 page is not filed under 驾驶舱大屏; else the app's first entry.
    under = [entry for entry in entries if request.path.startswith(entry[1])]
    if under:
        return max(under, key=lambda entry: len(entry[1]))
    return entries[0] if entries else None


def menu_for(request):
    """Sidebar entries the user may open; routes not built yet are left out."""
    return [entry for entry in _entries(request, MENU) if entry["url"]]


def tabs_for(request):
    """Tab-bar entries; `url` is None for a tab whose page is not built yet (drawn disabled)."""
    return _entries(request, TABS)
