"""Assistance (帮扶): cadres and their households, dispatched cadres and work teams, 一户一策 plans,
visits and work logs, unit activities and training classes.

People are held by name (and an optional link to a signed-in account or a registry household);
no ID number, health or bank data lives here, and a cadre's work mobile is stored as the registry
stores a household's phone: encrypted, with a masked copy. Writes go through assistance.services.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fupin.assistance.choices import (
    ActivityKind,
    MeasureStatus,
    MeasureType,
    PostKind,
    TeamStatus,
    TrainingForm,
    TrainingKind,
    UnitLevel,
)
from fupin.core import crypto
from fupin.core.masking import mask_phone
from fupin.core.models import Created, StatusEvent, Timestamped, Versioned
from fupin.core.scoping import ScopedManager

MONEY = {"max_digits": 14, "decimal_places": 2}


def _region(verbose, **kwargs):
    return models.ForeignKey(
        "regions.Region", verbose_name=verbose, on_delete=models.PROTECT, related_name="+", **kwargs
    )


def _unit(verbose, **kwargs):
    return models.ForeignKey(
        "orgs.Unit", verbose_name=verbose, on_delete=models.PROTECT, related_name="+", **kwargs
    )


class Cadre(Versioned, Timestamped):
    """A person who helps: a 帮扶责任人, first secretary, work-team member or 挂职干部."""

    name = models.CharField(_("姓名"), max_length=50)
    unit = _unit(_("工作单位"), null=True, blank=True)
    level = models.CharField(_("单位层级"), max_length=16, choices=UnitLevel.choices)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    # The work mobile the households call: personal data like a household's phone, so encrypted at
    # rest (a copied database or backup does not list every cadre's mobile) with a masked copy for
    # screens, lists, exports and the API. Decrypted only where its purpose needs it: the 明白卡 and
    # 一户一档 print it in clear (documents.cards.cadre_phone). No blind index: nothing looks a cadre
    # up by phone. Set it through `set_phone`.
    phone_enc = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    # Where the cadre works (a village, township or county): decides who sees the record.
    region = _region(_("工作地"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cadre",
    )

    objects = ScopedManager()
    scope_region_field = "region__code"
    scope_unit_field = "unit_id"
    # As on the household: the audit diff masks the ciphertext (audit.services._mask); the change
    # reads from phone_masked, so no audit row carries the clear phone or the ciphertext.
    audit_sensitive_fields = frozenset({"phone_enc"})

    class Meta:
        ordering = ["region", "name", "id"]
        verbose_name = _("帮扶干部")
        verbose_name_plural = _("帮扶干部")

    def __str__(self):
        return self.name

    def set_phone(self, phone: str) -> None:
        """The one way to change it: the ciphertext and the masked copy together ("" clears both)."""
        self.phone_enc = crypto.encrypt(phone) if phone else ""
        self.phone_masked = mask_phone(phone) if phone else ""


class Pairing(Versioned, Created):
    """A cadre responsible for a household (帮扶责任人 结对), from `start` until `end`."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("帮扶责任人"), on_delete=models.PROTECT, related_name="pairings"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("帮扶对象"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field = "household__village__code"
    scope_unit_field = "cadre__unit_id"

    class Meta:
        ordering = ["household", "-start", "id"]
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对帮扶")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="assistance_pairing_dates"
            ),
            models.UniqueConstraint(
                fields=["cadre", "household"],
                condition=Q(end__isnull=True),
                name="assistance_pairing_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.cadre} → {self.household_id}"


class Activity(Created):
    """Something done under a pairing: a visit, a lecture, a donation in kind, a joint event."""

    kind = models.CharField(_("活动类型"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=100)
    held_on = models.DateField(_("活动日期"))
    region = _region(_("活动地点"))
    unit = _unit(_("帮扶单位"), null=True, blank=True)
    # The pairing it belongs to: a cadre's household, or a unit's assisted place (定点帮扶).
    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("结对"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    assisted_place = models.ForeignKey(
        "orgs.AssistedPlace",
        verbose_name=_("定点帮扶"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("活动内容"), blank=True)
    items = models.CharField(_("捐赠物品"), max_length=200, blank=True)
    value = models.DecimalField(_("折价(元)"), null=True, blank=True, **MONEY)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = "region__code"
    scope_unit_field = "unit_id"

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("帮扶活动")
        verbose_name_plural = _("帮扶活动")

    def __str__(self):
        return self.title


class WorkTeam(Versioned, Created):
    """A village work team (驻村工作队): at least three members before it may take up its post."""

    MIN_MEMBERS = 3

    name = models.CharField(_("工作队名称"), max_length=100)
    unit = _unit(_("派出单位"))
    village = _region(_("驻村"))
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=TeamStatus.choices, default=TeamStatus.FORMING
    )

    objects = ScopedManager()
    scope_region_field = "village__code"
    scope_unit_field = "unit_id"

    class Meta:
        ordering = ["village", "name"]
        verbose_name = _("驻村工作队")
        verbose_name_plural = _("驻村工作队")
        permissions = [("transition_workteam", _("可以变更工作队状态"))]

    def __str__(self):
        return self.name


class TeamEvent(StatusEvent):
    """One status change of a work team (who, when, from, to, why)."""

    team = models.ForeignKey(
        WorkTeam, verbose_name=_("工作队"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=TeamStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=TeamStatus.choices)

    objects = ScopedManager()
    scope_region_field = "team__village__code"
    scope_unit_field = "team__unit_id"

    class Meta:
        ordering = ["team", "at", "id"]
        verbose_name = _("工作队状态记录")
        verbose_name_plural = _("工作队状态记录")

    def __str__(self):
        return f"{self.team_id} {self.from_status}→{self.to_status}"


class Posting(Versioned, Created):
    """A dispatched cadre's term: first secretary or team member in a village, 挂职 in a county."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("干部"), on_delete=models.PROTECT, related_name="postings"
    )
    kind = models.CharField(_("选派类型"), max_length=16, choices=PostKind.choices)
    region = _region(_("派驻地"))
    team = models.ForeignKey(
        WorkTeam,
        verbose_name=_("工作队"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="postings",
    )
    post_title = models.CharField(_("挂职/驻村职务"), max_length=100, blank=True)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)

    objects = ScopedManager()
    scope_region_field = "region__code"
    scope_unit_field = "cadre__unit_id"

    class Meta:
        ordering = ["region", "kind", "start", "id"]
        verbose_name = _("选派任职")
        verbose_name_plural = _("选派任职")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="assistance_posting_dates"
            ),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.get_kind_display()}"


class Plan(Created):
    """一户一策: one plan of measures per household."""

    household = models.OneToOneField(
        "registry.Household", verbose_name=_("农户"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("帮扶思路"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = "household__village__code"

    class Meta:
        ordering = ["household"]
        verbose_name = _("一户一策")
        verbose_name_plural = _("一户一策")

    def __str__(self):
        return str(self.household_id)


class Measure(Versioned, Created):
    """One measure of a household's plan, with its responsible cadre, status and result."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("一户一策"), on_delete=models.CASCADE, related_name="measures"
    )
    type = models.CharField(_("措施类型"), max_length=16, choices=MeasureType.choices)
    content = models.CharField(_("措施内容"), max_length=200)
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    due = models.DateField(_("计划完成日期"), null=True, blank=True)
    amount = models.DecimalField(_("投入资金(元)"), null=True, blank=True, **MONEY)
    status = models.CharField(
        _("状态"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    result = models.TextField(_("成效"), blank=True)

    objects = ScopedManager()
    scope_region_field = "plan__household__village__code"
    scope_unit_field = "cadre__unit_id"

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        permissions = [("transition_measure", _("可以变更措施状态"))]

    def __str__(self):
        return self.content


class MeasureEvent(StatusEvent):
    """One status change of a measure (who, when, from, to, why)."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("措施"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=MeasureStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=MeasureStatus.choices)

    objects = ScopedManager()
    scope_region_field = "measure__plan__household__village__code"

    class Meta:
        ordering = ["measure", "at", "id"]
        verbose_name = _("措施状态记录")
        verbose_name_plural = _("措施状态记录")

    def __str__(self):
        return f"{self.measure_id} {self.from_status}→{self.to_status}"


class Visit(models.Model):
    """入户走访: a cadre's visit to a household."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.PROTECT, related_name="+"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("走访人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("帮扶干部"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    visited_on = models.DateField(_("走访日期"))
    people_met = models.CharField(_("见到的人"), max_length=200)
    notes = models.TextField(_("走访情况"))
    issues = models.TextField(_("发现的问题"), blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field = "household__village__code"
    scope_unit_field = "cadre__unit_id"

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("入户走访")
        verbose_name_plural = _("入户走访")
        indexes = [models.Index(fields=["household", "visited_on"], name="assistance_visit_hh_date")]

    def __str__(self):
        return f"{self.household_id} {self.visited_on}"


class VisitPhoto(models.Model):
    """A photo taken on a visit (JPEG/PNG/WebP, size-limited); served only through a scoped view."""

    visit = models.ForeignKey(Visit, verbose_name=_("走访"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to="assistance/visits/%Y/%m/")
    content_type = models.CharField(max_length=32, editable=False)
    size = models.PositiveIntegerField(_("大小(字节)"), editable=False)

    objects = ScopedManager()
    scope_region_field = "visit__household__village__code"

    class Meta:
        ordering = ["visit", "id"]
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")

    def __str__(self):
        return f"{self.visit_id} #{self.pk}"


class WorkLog(models.Model):
    """日志填表: a cadre's work diary entry for a day."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("帮扶干部"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="logs",
    )
    region = _region(_("工作地点"))
    logged_on = models.DateField(_("日期"))
    content = models.TextField(_("工作内容"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field = "region__code"
    scope_unit_field = "cadre__unit_id"

    class Meta:
        ordering = ["-logged_on", "-id"]
        verbose_name = _("工作日志")
        verbose_name_plural = _("工作日志")

    def __str__(self):
        return f"{self.logged_on} {self.cadre or self.author}"


class TrainingClass(Versioned, Created):
    """A training class an assisting unit or office ran; attendees give its person-times (人次)."""

    topic = models.CharField(_("培训主题"), max_length=200)
    form = models.CharField(_("培训形式"), max_length=16, choices=TrainingForm.choices)
    kind = models.CharField(_("培训对象"), max_length=20, choices=TrainingKind.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    place = models.CharField(_("培训地点"), max_length=100)
    organiser = _unit(_("主办单位"))
    # The county (or other division) whose people were trained.
    region = _region(_("培训地区"))
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1, default=0)

    objects = ScopedManager()
    scope_region_field = "region__code"
    scope_unit_field = "organiser_id"

    class Meta:
        ordering = ["-start", "id"]
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="assistance_training_dates")
        ]

    def __str__(self):
        return self.topic


class TrainingAttendee(models.Model):
    """Who attended: a named person (count 1), or a group counted only (人数)."""

    training = models.ForeignKey(
        TrainingClass, verbose_name=_("培训班"), on_delete=models.CASCADE, related_name="attendees"
    )
    kind = models.CharField(_("学员类别"), max_length=20, choices=TrainingKind.choices)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit_name = models.CharField(_("单位/村"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("人数"), default=1)

    objects = ScopedManager()
    scope_region_field = "training__region__code"
    scope_unit_field = "training__organiser_id"

    class Meta:
        ordering = ["training", "id"]
        verbose_name = _("培训学员")
        verbose_name_plural = _("培训学员")
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="assistance_attendee_count_positive"),
            models.CheckConstraint(
                condition=Q(name="") | Q(count=1), name="assistance_attendee_named_is_one"
            ),
        ]

    def __str__(self):
        return self.name or f"{self.get_kind_display()} × {self.count}"
