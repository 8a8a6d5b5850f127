"""Supervision's pages, one module per area (views/); the public count needs no login."""

from fupin.supervision import lists
from fupin.supervision.views import assessments, findings, inspections, plans, public

app_name = "supervision"
urlpatterns = [
    *findings.urlpatterns,
    *inspections.urlpatterns,
    *plans.urlpatterns,
    *assessments.urlpatterns,
    *public.urlpatterns,
    *lists.URLS,
]
