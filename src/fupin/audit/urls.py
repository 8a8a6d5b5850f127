from fupin.audit.lists import EVENTS
from fupin.core.lists import urls

app_name = "audit"
urlpatterns = [
    *urls(EVENTS, ""),  # event_list, event_export
]
