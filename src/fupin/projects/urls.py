from django.urls import path

from fupin.projects.lists import URLS
from fupin.projects.views import funds, projects, public

app_name = "projects"
urlpatterns = [
    *URLS,  # the declared lists (lists.py): the library, the summary, sources, the ledger; each with export/
    path("new/", projects.project_create, name="project_create"),
    path("<int:pk>/", projects.project_detail, name="project_detail"),
    path("<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("<int:pk>/transition/", projects.project_transition, name="project_transition"),
    path("<int:pk>/beneficiaries/new/", projects.beneficiary_add, name="beneficiary_add"),
    path(
        "<int:pk>/beneficiaries/<int:beneficiary_id>/edit/",
        projects.beneficiary_edit,
        name="beneficiary_edit",
    ),
    path(
        "<int:pk>/beneficiaries/<int:beneficiary_id>/remove/",
        projects.beneficiary_remove,
        name="beneficiary_remove",
    ),
    path("<int:pk>/allocate/", funds.allocate, name="allocate"),
    path("funds/new/", funds.source_create, name="source_create"),
    path("funds/<int:pk>/", funds.source_detail, name="source_detail"),
    path("funds/<int:pk>/budget/", funds.source_budget, name="source_budget"),
    path("ledger/<int:pk>/disburse/", funds.disburse, name="disburse"),
    path("ledger/<int:pk>/reverse/", funds.reverse_entry, name="reverse"),
    path("publicity/", projects.publicity_settings, name="publicity_settings"),
    # 公示: public, no login
    path("public/<str:code>/", public.public_place, name="public_place"),
]
