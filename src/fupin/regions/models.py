from django.db import models
from django.utils.translation import gettext_lazy as _

# Code length per level of the statistical division codes (统计用区划代码).
CODE_LENGTHS = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}


class Region(models.Model):
    """One node of the five-level division tree: province, city, county, township, village."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省级")
        CITY = 2, _("地级")
        COUNTY = 3, _("县级")
        TOWNSHIP = 4, _("乡级")
        VILLAGE = 5, _("村级")

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    initials = models.CharField(_("拼音首字母"), max_length=60, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self):
        return self.short_name or self.name
