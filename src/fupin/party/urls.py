from django.urls import path

from fupin.party.lists import URLS
from fupin.party.views import life, orgs, pairing, work

app_name = "party"
urlpatterns = [
    path("", orgs.home, name="home"),
    *URLS,  # the declared lists (lists.py): page, 导出 and their routes
    path("orgs/new/", orgs.org_create, name="org_create"),
    path("orgs/<int:pk>/", orgs.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", orgs.org_edit, name="org_edit"),
    path("orgs/<int:pk>/members/new/", orgs.member_add, name="member_add"),
    path("orgs/<int:pk>/meetings/new/", life.meeting_create, name="meeting_create"),
    path("orgs/<int:pk>/calendar/", life.calendar, name="calendar"),
    path("orgs/<int:pk>/score/", work.score_record, name="score_record"),
    path("orgs/<int:pk>/weak/new/", work.weak_create, name="weak_create"),
    path("orgs/<int:pk>/cadres/new/", work.cadre_create, name="cadre_create"),
    path("members/<int:pk>/", orgs.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", orgs.member_edit, name="member_edit"),
    path("members/<int:pk>/step/", orgs.member_step, name="member_step"),
    path("meetings/<int:pk>/", life.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", life.meeting_edit, name="meeting_edit"),
    path("photos/<int:pk>/", life.photo, name="photo"),
    path("weak/<int:pk>/", work.weak_detail, name="weak_detail"),
    path("weak/<int:pk>/step/", work.weak_step, name="weak_step"),
    path("reserves/new/", work.reserve_create, name="reserve_create"),
    path("reserves/<int:pk>/", work.reserve_detail, name="reserve_detail"),
    path("reserves/<int:pk>/assess/", work.reserve_assess, name="reserve_assess"),
    path("cadres/<int:pk>/", work.cadre_detail, name="cadre_detail"),
    path("pairings/new/", pairing.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/", pairing.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/activities/new/", pairing.activity_create, name="activity_create"),
]
