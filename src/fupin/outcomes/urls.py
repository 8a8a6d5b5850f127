from django.urls import path

from fupin.outcomes import views
from fupin.outcomes.lists import URLS

app_name = "outcomes"
urlpatterns = [
    path("", views.home, name="home"),
    *URLS,  # the declared lists (lists.py): purchases, placements, summary, 责任书; each with export/
    path("purchases/new/", views.purchase_create, name="purchase_create"),
    path("purchases/<int:pk>/edit/", views.purchase_edit, name="purchase_edit"),
    path("purchases/<int:pk>/delete/", views.purchase_delete, name="purchase_delete"),
    path("placements/new/", views.placement_create, name="placement_create"),
    path("placements/<int:pk>/edit/", views.placement_edit, name="placement_edit"),
    path("placements/<int:pk>/delete/", views.placement_delete, name="placement_delete"),
    path("indicators/new/", views.target_create, name="target_create"),
    path("indicators/<int:pk>/", views.target_detail, name="target_detail"),
]
