from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "fupin.assistance"
    label = "assistance"
    verbose_name = _("帮扶")

    def ready(self):
        # Visits and pairings appear on the registry's household timeline (registry.timeline).
        from fupin.assistance.selectors import timeline_entries
        from fupin.registry import timeline

        timeline.register(timeline_entries)
