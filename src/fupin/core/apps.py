from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "fupin.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from fupin.core import checks  # noqa: F401  (deploy checks: keys, static files)
