"""The documents app prints what is generated from other apps' records (明白卡, 一户一档, the assisting
unit's results report); it keeps no records of its own. This table-less model only holds its
permissions, so roles can grant them like any other."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Printing(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("文书生成")
        verbose_name_plural = _("文书生成")
        permissions = [
            ("print_card", _("可以打印明白卡和一户一档")),
            ("print_results", _("可以生成帮扶单位成效报告")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)
