from django.urls import path

from fupin.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:job_id>/", views.status, name="status"),
    path("<uuid:job_id>/download/", views.download, name="download"),
]
