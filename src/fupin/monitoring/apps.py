from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "fupin.monitoring"
    label = "monitoring"
    verbose_name = _("防返贫监测")

    def ready(self):
        # Each step of a household's leads and eliminations appears on its timeline (registry.timeline).
        from fupin.monitoring.selectors_lists import timeline_entries
        from fupin.registry import timeline

        timeline.register(timeline_entries)

        # An income or a 两不愁三保障 check written: the risk rules look at that household again,
        # once the registry's write commits (registry.hooks: the registry does not import us).
        from fupin.monitoring.rules import reevaluate_household
        from fupin.registry import hooks

        hooks.on_household_changed(reevaluate_household)
