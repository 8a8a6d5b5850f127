from django.urls import path

from fupin.assistance import views
from fupin.assistance.lists import URLS

app_name = "assistance"

urlpatterns = [
    path("", views.home, name="home"),
    *URLS,  # the declared lists (lists.py): page, 导出 and their routes
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/household/<int:household_id>/", views.visit_record, name="visit_record"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/photos/<int:pk>/", views.visit_photo, name="visit_photo"),
    path("worklogs/new/", views.worklog_new, name="worklog_new"),
    path("cadres/new/", views.cadre_new, name="cadre_new"),
    path("cadres/<int:pk>/edit/", views.cadre_edit, name="cadre_edit"),
    path("pairings/new/", views.pairing_new, name="pairing_new"),
    path("pairings/<int:pk>/end/", views.pairing_end, name="pairing_end"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("teams/new/", views.team_new, name="team_new"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/transition/", views.team_transition, name="team_transition"),
    path("postings/new/", views.posting_new, name="posting_new"),
    path("postings/<int:pk>/end/", views.posting_end, name="posting_end"),
    path("measures/new/", views.measure_new, name="measure_new"),
    path("plans/<int:household_id>/", views.plan_detail, name="plan_detail"),
    path("measures/<int:pk>/transition/", views.measure_transition, name="measure_transition"),
    path("trainings/new/", views.training_new, name="training_new"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("trainings/<int:pk>/edit/", views.training_edit, name="training_edit"),
]
