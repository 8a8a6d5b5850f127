"""Monitoring's pages, one module per area (views/); the public self-report needs no login."""

from fupin.monitoring.views import cases, objects, public, rules, screening
from fupin.monitoring.views import lists as lists_views

app_name = "monitoring"
urlpatterns = [
    *public.urlpatterns,
    *cases.urlpatterns,
    *objects.urlpatterns,
    *rules.urlpatterns,
    *screening.urlpatterns,
    *lists_views.urlpatterns,
]
