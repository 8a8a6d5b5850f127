from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "fupin.accounts"
    label = "accounts"
    verbose_name = _("账号与权限")

    def ready(self):
        from fupin.accounts import checks, signals  # noqa: F401  (deploy check; login audit hooks)
