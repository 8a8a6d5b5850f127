from django.urls import path

from fupin.projects import views, views_funds, views_public

app_name = "projects"
urlpatterns = [
    path("", views.home, name="home"),
    path("export/", views.export, name="export"),
    path("summary/", views.summary, name="summary"),
    path("summary/export/", views.summary_export, name="summary_export"),
    path("new/", views.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/transition/", views.project_transition, name="project_transition"),
    path("<int:pk>/beneficiaries/new/", views.beneficiary_add, name="beneficiary_add"),
    path(
        "<int:pk>/beneficiaries/<int:beneficiary_id>/edit/", views.beneficiary_edit, name="beneficiary_edit"
    ),
    path(
        "<int:pk>/beneficiaries/<int:beneficiary_id>/remove/",
        views.beneficiary_remove,
        name="beneficiary_remove",
    ),
    path("<int:pk>/allocate/", views_funds.allocate, name="allocate"),
    path("funds/", views_funds.source_list, name="source_list"),
    path("funds/export/", views_funds.source_export, name="source_export"),
    path("funds/new/", views_funds.source_create, name="source_create"),
    path("funds/<int:pk>/", views_funds.source_detail, name="source_detail"),
    path("funds/<int:pk>/budget/", views_funds.source_budget, name="source_budget"),
    path("ledger/", views_funds.entry_list, name="entry_list"),
    path("ledger/export/", views_funds.entry_export, name="entry_export"),
    path("ledger/<int:pk>/disburse/", views_funds.disburse, name="disburse"),
    path("ledger/<int:pk>/reverse/", views_funds.reverse_entry, name="reverse"),
    path("publicity/", views.publicity_settings, name="publicity_settings"),
    # 公示: public, no login
    path("public/<str:code>/", views_public.public_place, name="public_place"),
]
