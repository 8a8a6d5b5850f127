from fupin.exchange import views

app_name = "exchange"
urlpatterns = views.urlpatterns
