"""Outcomes of assisting units: consumption assistance, job placements and the yearly 责任书 targets.

Every record names the unit it counts for (`unit`) and the place it concerns (`region`: the
supplier's or the person's home, a county or below), so the unit sees its own records and a county
sees the records of its places. Writes go through outcomes.services (audited, versioned).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fupin.core.models import Timestamped, Versioned
from fupin.core.scoping import ScopedManager

MONEY = {"max_digits": 14, "decimal_places": 2}


class PurchaseKind(models.TextChoices):
    BOUGHT = "bought", _("直接采购")
    SOLD = "sold", _("帮助销售")


class Channel(models.TextChoices):
    PLATFORM_832 = "platform_832", _("832平台")
    OWN_SHOP = "own_shop", _("自建电商平台")
    CANTEEN = "canteen", _("食堂采购")
    UNION = "union", _("工会采购")
    STAFF = "staff", _("职工个人购买")
    OTHER = "other", _("其他渠道")


class Purchase(Versioned, Timestamped):
    """消费帮扶: produce bought from an assisted area by a unit, or sold on the area's behalf."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("帮扶单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=PurchaseKind.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("供货地区"), on_delete=models.PROTECT, related_name="+"
    )
    supplier = models.CharField(_("供货单位"), max_length=100)
    product = models.CharField(_("产品"), max_length=100)
    amount = models.DecimalField(_("金额(元)"), **MONEY)
    date = models.DateField(_("日期"))
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, default=Channel.OTHER)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field = "region__code"
    scope_unit_field = "unit_id"

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("消费帮扶")
        verbose_name_plural = _("消费帮扶")
        indexes = [
            models.Index(fields=["unit", "date"], name="outcomes_purchase_unit_date"),
            models.Index(fields=["region", "date"], name="outcomes_purchase_region_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="outcomes_purchase_amount_gt_0")
        ]

    def __str__(self):
        return f"{self.supplier} {self.product} {self.amount}"


class PlacementKind(models.TextChoices):
    GRADUATE = "graduate", _("贫困大学生")
    WORKER = "worker", _("务工人员")
    WELFARE_POST = "welfare_post", _("公益性岗位")


class WageBand(models.TextChoices):
    BELOW_2000 = "lt2000", _("2000元以下")
    FROM_2000 = "2000_3000", _("2000-3000元")
    FROM_3000 = "3000_5000", _("3000-5000元")
    ABOVE_5000 = "ge5000", _("5000元以上")


class Placement(Versioned, Timestamped):
    """就业帮扶: one person placed in a job by (or through) an assisting unit. Names only, no ID."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("帮扶单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    member = models.ForeignKey(
        "registry.Member",
        verbose_name=_("建档立卡成员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("户籍地区"), on_delete=models.PROTECT, related_name="+"
    )
    employer = models.CharField(_("就业单位"), max_length=100)
    kind = models.CharField(_("就业类型"), max_length=16, choices=PlacementKind.choices)
    date = models.DateField(_("就业日期"))
    wage_band = models.CharField(_("月工资"), max_length=12, choices=WageBand.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field = "region__code"
    scope_unit_field = "unit_id"

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("就业帮扶")
        verbose_name_plural = _("就业帮扶")
        indexes = [models.Index(fields=["unit", "date"], name="outcomes_placement_unit_date")]

    def __str__(self):
        return f"{self.name} {self.employer}"


class IndicatorTarget(Versioned, Timestamped):
    """A unit's pledged yearly indicators (定点帮扶责任书); the actuals are computed from records."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("帮扶单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    direct_funds = models.DecimalField(_("直接投入帮扶资金(元)"), **MONEY, default=0)
    brought_in_funds = models.DecimalField(_("引进帮扶资金(元)"), **MONEY, default=0)
    cadres_trained = models.PositiveIntegerField(_("培训基层干部(人次)"), default=0)
    technicians_trained = models.PositiveIntegerField(_("培训技术人员(人次)"), default=0)
    bought = models.DecimalField(_("购买农产品(元)"), **MONEY, default=0)
    sold = models.DecimalField(_("帮助销售农产品(元)"), **MONEY, default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ScopedManager()
    # The unit's own people, and the places the unit assists (a county sees its assisting units' pledges).
    scope_region_field = "unit__assisted_places__region__code"
    scope_unit_field = "unit_id"

    class Meta:
        ordering = ["-year", "unit"]
        verbose_name = _("责任书目标")
        verbose_name_plural = _("责任书目标")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="outcomes_target_unit_year"),
            models.CheckConstraint(
                condition=Q(direct_funds__gte=0)
                & Q(brought_in_funds__gte=0)
                & Q(bought__gte=0)
                & Q(sold__gte=0),
                name="outcomes_target_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}"
