from django.urls import path

from fupin.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.home, name="home"),
    path("purchases/", views.purchase_list, name="purchase_list"),
    path("purchases/export/", views.purchase_export, name="purchase_export"),
    path("purchases/new/", views.purchase_create, name="purchase_create"),
    path("purchases/<int:pk>/edit/", views.purchase_edit, name="purchase_edit"),
    path("purchases/<int:pk>/delete/", views.purchase_delete, name="purchase_delete"),
    path("placements/", views.placement_list, name="placement_list"),
    path("placements/export/", views.placement_export, name="placement_export"),
    path("placements/new/", views.placement_create, name="placement_create"),
    path("placements/<int:pk>/edit/", views.placement_edit, name="placement_edit"),
    path("placements/<int:pk>/delete/", views.placement_delete, name="placement_delete"),
    path("summary/", views.summary, name="summary"),
    path("summary/export/", views.summary_export, name="summary_export"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/export/", views.indicator_export, name="indicator_export"),
    path("indicators/new/", views.target_create, name="target_create"),
    path("indicators/<int:pk>/", views.target_detail, name="target_detail"),
]
