from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "fupin.outcomes"
    label = "outcomes"
    verbose_name = _("帮扶成效")
