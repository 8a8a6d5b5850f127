"""Mounted at /registry/import/ inside the "registry" namespace (registry/urls.py)."""

from django.urls import path

from fupin.registry import views_export, views_import

urlpatterns = [
    path("", views_import.import_upload, name="import_upload"),
    path("template/", views_import.import_template, name="import_template"),
    path("export/", views_export.export, name="export"),
    path("export/clear/", views_export.export_clear, name="export_clear"),
    path("jobs/<str:job_id>/", views_import.import_status, name="import_status"),
    path("jobs/<str:job_id>/report/", views_import.import_report, name="import_report"),
]
