from fupin.reports.views import catalogue, dashboard, profile, tabulations

app_name = "reports"
# Each area's module holds its own routes (they are written by area, like the views).
urlpatterns = [*dashboard.urlpatterns, *profile.urlpatterns, *catalogue.urlpatterns, *tabulations.urlpatterns]
