from django.urls import include, path

app_name = "registry"
urlpatterns = [
    path("import/", include("fupin.registry.urls_import")),
    path("", include("fupin.registry.urls_households")),
]
