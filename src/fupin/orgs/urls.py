from django.urls import path

from fupin.orgs import views

app_name = "orgs"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
]
