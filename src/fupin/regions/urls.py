from django.urls import path

from fupin.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.browse, name="browse"),
]
