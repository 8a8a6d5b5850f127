from django.contrib.auth import views as auth_views
from django.urls import path

from fupin.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("otp/", views.otp_verify, name="otp_verify"),
    path("otp/enrol/", views.otp_enrol, name="otp_enrol"),
    path("otp/disable/", views.otp_disable, name="otp_disable"),
    path("me/", views.profile, name="profile"),
    path("me/password/", views.password_change, name="password_change"),
    path("me/tokens/", views.token_list, name="token_list"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
]
