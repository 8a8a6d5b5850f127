from django.urls import path

from fupin.registry.lists import URLS
from fupin.registry.views import households, imports

app_name = "registry"
urlpatterns = [
    path("import/", imports.import_upload, name="import_upload"),
    path("import/template/", imports.import_template, name="import_template"),
    path("import/jobs/<uuid:job_id>/report/", imports.import_report, name="import_report"),
    *URLS,  # the household list (lists.py): the page, export/, export/clear/
    path("new/", households.household_create, name="household_create"),
    path("reveal/", households.reveal, name="reveal"),
    path("<int:pk>/", households.household_detail, name="household_detail"),
    path("<int:pk>/edit/", households.household_edit, name="household_edit"),
    path("<int:pk>/members/new/", households.member_add, name="member_add"),
    path("<int:pk>/incomes/", households.income_record, name="income_record"),
    path("<int:pk>/checks/", households.check_record, name="check_record"),
    path("<int:pk>/transition/", households.household_transition, name="household_transition"),
    path("members/<int:pk>/edit/", households.member_edit, name="member_edit"),
]
