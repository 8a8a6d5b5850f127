from django.urls import path

from fupin.orgs import views

app_name = "orgs"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/export.xlsx", views.unit_export, name="unit_export"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
]
