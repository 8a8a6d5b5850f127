from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.core.models import Timestamped
from fupin.core.scoping import ScopedManager


class Unit(Timestamped):
    """An organisation: an assisting enterprise or agency, a government office, a work team's home unit."""

    class UnitKind(models.TextChoices):
        CENTRAL_ENTERPRISE = "central_enterprise", _("中央企业")
        STATE_ENTERPRISE = "state_enterprise", _("地方国有企业")
        ENTERPRISE = "enterprise", _("其他企业")
        AGENCY = "agency", _("党政机关")
        INSTITUTION = "institution", _("事业单位")
        OTHER = "other", _("其他")

    # The OpenAPI component is named after the class: `UnitKind`, not a bare `Kind`.
    Kind = UnitKind

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("单位类型"), max_length=24, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager()
    # Visible to users whose area holds the unit or a place it assists, and to the unit's own people.
    scope_region_field = ("region__code", "assisted_places__region__code")
    scope_unit_field = "id"

    class Meta:
        ordering = ["name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self):
        return self.short_name or self.name


class AssistedPlace(models.Model):
    """A place a unit assists (定点帮扶 / 对口帮扶): a county, township or village."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("帮扶单位"), on_delete=models.CASCADE, related_name="assisted_places"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("帮扶地区"), on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField(_("开始日期"), null=True, blank=True)
    until = models.DateField(_("结束日期"), null=True, blank=True)

    objects = ScopedManager()
    scope_region_field = "region__code"
    scope_unit_field = "unit_id"

    class Meta:
        ordering = ["unit", "region"]
        verbose_name = _("帮扶地区")
        verbose_name_plural = _("帮扶地区")
        constraints = [models.UniqueConstraint(fields=["unit", "region"], name="orgs_assistedplace_unique")]

    def __str__(self):
        return f"{self.unit} → {self.region}"
