from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "fupin.exchange"
    label = "exchange"
    verbose_name = _("国家系统数据交换")

    def ready(self):
        from fupin.exchange import tasks  # noqa: F401 - the job kinds, in every process
