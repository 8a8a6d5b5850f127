from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "fupin.jobs"
    label = "jobs"
    verbose_name = _("后台任务")

    def ready(self):
        # Each app's tasks.py declares its job kinds and queue tasks; every process (web, consumer,
        # command line) imports them, so a job's page and its task are known wherever it is met.
        autodiscover_modules("tasks")
