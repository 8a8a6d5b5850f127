from django.contrib import admin
from django.urls import include, path

from fupin.api import api
from fupin.reports.views import dashboard

urlpatterns = [
    # The home page: the 驾驶舱 (core's profile card for the administrators), before core's "".
    path("", dashboard.home, name="dashboard"),
    path("", include("fupin.core.urls")),
    path("accounts/", include("fupin.accounts.urls")),
    path("regions/", include("fupin.regions.urls")),
    path("orgs/", include("fupin.orgs.urls")),
    path("audit/", include("fupin.audit.urls")),
    path("registry/", include("fupin.registry.urls")),
    path("party/", include("fupin.party.urls")),
    path("assistance/", include("fupin.assistance.urls")),
    path("projects/", include("fupin.projects.urls")),
    path("outcomes/", include("fupin.outcomes.urls")),
    path("jobs/", include("fupin.jobs.urls")),
    path("monitoring/", include("fupin.monitoring.urls")),
    path("supervision/", include("fupin.supervision.urls")),
    path("reports/", include("fupin.reports.urls")),
    path("documents/", include("fupin.documents.urls")),
    path("exchange/", include("fupin.exchange.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

# Every refusal is written to the audit trail (等保: access-control events are audited).
handler403 = "fupin.audit.views.permission_denied"
