from django.urls import path

from fupin.registry import views

urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("new/", views.household_create, name="household_create"),
    path("reveal/", views.reveal, name="reveal"),
    path("<int:pk>/", views.household_detail, name="household_detail"),
    path("<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("<int:pk>/members/new/", views.member_add, name="member_add"),
    path("<int:pk>/incomes/", views.income_record, name="income_record"),
    path("<int:pk>/checks/", views.check_record, name="check_record"),
    path("<int:pk>/transition/", views.household_transition, name="household_transition"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
]
