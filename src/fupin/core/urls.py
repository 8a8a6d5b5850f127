from django.urls import path

from fupin.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/token", views.outbox_token, name="outbox_token"),
    path("sw.js", views.service_worker, name="service_worker"),
]
