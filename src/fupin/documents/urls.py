from fupin.documents.views import cards, results

app_name = "documents"
# Each area's module holds its own routes: cards (明白卡, 一户一档) and results (成效报告).
urlpatterns = [*cards.urlpatterns, *results.urlpatterns]
