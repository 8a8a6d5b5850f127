from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "fupin.documents"
    label = "documents"
    verbose_name = _("文书生成")
