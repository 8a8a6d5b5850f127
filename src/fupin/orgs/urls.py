from django.urls import path

from fupin.core.lists import urls
from fupin.orgs import views
from fupin.orgs.lists import UNITS

app_name = "orgs"
urlpatterns = [
    *urls(UNITS, "units/"),  # unit_list, unit_export
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
]
