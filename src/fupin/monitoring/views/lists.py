"""Monitoring pages: the overview (防返贫监测) and the lists (monitoring.lists: 风险线索, 监测对象, 风险消除,
逾期线索, 数据质量问题), each with its export and clear export."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from fupin.core.permissions import require
from fupin.monitoring import lists, selectors_lists
from fupin.monitoring.choices import ObjectType, Urgency


@login_required
def home(request):
    """What waits in the user's area: open leads by step, the overdue ones, objects by type; the way
    to every list and to the rules, screening and self-report pages (those that exist)."""
    require(request, lists.LEAD_PERM)
    counts = selectors_lists.overview(request.user)
    types = [(value, label, counts["by_type"].get(value, 0)) for value, label in ObjectType.choices]
    return render(
        request,
        "monitoring/home.html",
        {
            "counts": counts,
            "types": types,
            "orange": Urgency.ORANGE,
            "red": Urgency.RED,
            "overdue": selectors_lists.OVERDUE,
            "links": _links(request.user),
        },
    )


def _links(user) -> list[tuple[str, str]]:
    """The pages of the other pieces of monitoring (the rules, the department lists), once they
    exist and the user may open them; the self-report page is public."""
    candidates = [
        (_("预警规则"), "monitoring:rules", "monitoring.view_riskrule"),
        (_("部门筛查"), "monitoring:screening_list", "monitoring.view_screeningbatch"),
        (_("农户自主申报(公开页面)"), "monitoring:self_report", None),
        (_("农户自主申报(公开页面)"), "monitoring:report", None),
    ]
    found = []
    for label, name, perm in candidates:
        url = selectors_lists.url_or_none(name)
        if url and (perm is None or user.has_perm(perm)) and label not in dict(found):
            found.append((label, url))
    return found


urlpatterns = [path("", home, name="home"), *lists.URLS]
