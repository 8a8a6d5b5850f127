"""Projects and funds: the project library (项目库) with its workflow, and the append-only fund ledger.

"资金跟着项目走": money enters as a source's budget, is allocated to a project, and is disbursed
against an allocation. Every movement is one LedgerEntry; entries are never updated or deleted (a
correction is a reversing entry). The invariants (no allocation beyond a source's available
balance, no disbursement beyond an allocation, no balance below zero) are checked by the services
and again by database triggers (migration 0002), so no code path can break them.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fupin.core.models import Created, StatusEvent, Timestamped, Updated, Versioned
from fupin.core.scoping import ScopedManager, ScopedQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}
CENT = Decimal("0.01")


class Category(models.TextChoices):
    EDUCATION = "education", _("教育")
    MEDICAL = "medical", _("医疗健康")
    HOUSING_WATER = "housing_water", _("住房及饮水")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    INDUSTRY = "industry", _("产业")
    ECOLOGY = "ecology", _("生态")
    EMPLOYMENT = "employment", _("就业")
    CONSUMPTION = "consumption", _("消费帮扶")
    TRAINING = "training", _("培训")
    OTHER = "other", _("其他")


class Nature(models.TextChoices):
    NEW = "new", _("新建")
    EXPANSION = "expansion", _("改扩建")
    CONTINUED = "continued", _("续建")
    PURCHASE = "purchase", _("购置")
    SUBSIDY = "subsidy", _("补助")
    SERVICE = "service", _("服务")


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PROPOSED = "proposed", _("村级已申报")
    REVIEWED = "reviewed", _("乡镇已审核")
    APPROVED = "approved", _("县级已批准")
    PUBLICISED = "publicised", _("已公示")
    IN_PROGRESS = "in_progress", _("实施中")
    ACCEPTED = "accepted", _("已验收")
    COMPLETED = "completed", _("已竣工公告")
    EVALUATED = "evaluated", _("已绩效评价")


# Named for what it is, so the OpenAPI document's component is unique; `Status` stays for the code.
Status = ProjectStatus

# States shown on the public 公示 pages: the county has approved the project.
PUBLIC_STATUSES = (
    Status.APPROVED,
    Status.PUBLICISED,
    Status.IN_PROGRESS,
    Status.ACCEPTED,
    Status.COMPLETED,
    Status.EVALUATED,
)


class Project(Versioned, Timestamped):
    """A project of the library (项目库), on a village, township or county code."""

    name = models.CharField(_("项目名称"), max_length=100)
    category = models.CharField(_("项目类别"), max_length=20, choices=Category.choices)
    nature = models.CharField(_("建设性质"), max_length=20, choices=Nature.choices, default=Nature.NEW)
    place = models.ForeignKey(
        "regions.Region", verbose_name=_("实施地点"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("项目年度"))
    start_date = models.DateField(_("计划开工日期"), null=True, blank=True)
    end_date = models.DateField(_("计划完工日期"), null=True, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tasks = models.TextField(_("建设任务"), blank=True)
    budget = models.DecimalField(_("资金规模(元)"), **MONEY, default=Decimal(0))
    beneficiaries_text = models.TextField(_("受益对象"), blank=True)
    target_households = models.PositiveIntegerField(_("计划受益户数"), default=0)
    performance_targets = models.TextField(_("绩效目标"), blank=True)
    benefit_mechanism = models.TextField(_("利益联结机制"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The county's expert review (专家评审), recorded with the approval.
    expert_review_date = models.DateField(_("专家评审日期"), null=True, blank=True, editable=False)
    expert_names = models.CharField(_("评审专家"), max_length=200, blank=True, editable=False)
    expert_opinion = models.TextField(_("专家评审意见"), blank=True, editable=False)
    publicity_start = models.DateField(_("公示开始日期"), null=True, blank=True, editable=False)
    publicity_end = models.DateField(_("公示结束日期"), null=True, blank=True, editable=False)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True, editable=False)
    completed_on = models.DateField(_("竣工公告日期"), null=True, blank=True, editable=False)
    announcement = models.TextField(_("竣工公告"), blank=True, editable=False)
    evaluation_score = models.PositiveSmallIntegerField(
        _("绩效评价得分"), null=True, blank=True, editable=False
    )
    evaluation_opinion = models.TextField(_("绩效评价意见"), blank=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ScopedManager()
    scope_region_field = "place__code"
    scope_unit_field = "unit_id"

    class Meta:
        ordering = ["-year", "place", "id"]
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        permissions = [
            ("propose_project", _("可以申报项目(村级)")),
            ("review_project", _("可以审核项目(乡镇)")),
            ("approve_project", _("可以审批和管理项目实施(县级)")),
        ]
        indexes = [models.Index(fields=["place", "status"], name="projects_place_status")]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="projects_project_budget_ge_0"),
            models.CheckConstraint(
                condition=Q(evaluation_score__isnull=True) | Q(evaluation_score__lte=100),
                name="projects_project_score_le_100",
            ),
        ]

    def __str__(self):
        return self.name


class ProjectEvent(StatusEvent):
    """One step of a project's workflow: who, when, from which state to which, and why."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建")
        PROPOSE = "propose", _("村级申报")
        REVIEW = "review", _("乡镇审核通过")
        APPROVE = "approve", _("县级批准")
        REJECT = "reject", _("退回")
        PUBLICISE = "publicise", _("公示")
        START = "start", _("开工实施")
        ACCEPT = "accept", _("验收")
        COMPLETE = "complete", _("竣工公告")
        EVALUATE = "evaluate", _("绩效评价")
        # Not a state change: a beneficiary taken off the project stays in the history this way.
        REMOVE_BENEFICIARY = "remove_benef", _("删除受益对象")

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Status.choices)

    objects = ScopedManager()
    scope_region_field = "project__place__code"
    scope_unit_field = "project__unit_id"

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("项目流程记录")
        verbose_name_plural = _("项目流程记录")

    def __str__(self):
        return f"{self.project} {self.get_action_display()}"


class Beneficiary(Created):
    """A household (建档立卡户) or a whole village that benefits from a project, and what it gets."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="beneficiaries")
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("受益户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    village = models.ForeignKey(
        "regions.Region", verbose_name=_("受益村"), on_delete=models.PROTECT, related_name="+"
    )
    benefit = models.CharField(_("受益内容"), max_length=200)
    amount = models.DecimalField(_("受益金额(元)"), **MONEY, null=True, blank=True)

    objects = ScopedManager()
    scope_region_field = "project__place__code"
    scope_unit_field = "project__unit_id"

    class Meta:
        ordering = ["project", "village", "id"]
        verbose_name = _("项目受益对象")
        verbose_name_plural = _("项目受益对象")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "household"],
                condition=Q(household__isnull=False),
                name="projects_beneficiary_household_once",
            ),
            models.UniqueConstraint(
                fields=["project", "village"],
                condition=Q(household__isnull=True),
                name="projects_beneficiary_village_once",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="projects_beneficiary_amount_ge_0"
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.village}"


class FundSource(Created):
    """A source of money for one year: 衔接资金 of a level of government, a unit's own money, donations.

    A source belongs to a place (the division whose money it is) and/or a unit (the assisting unit
    that gives it); its amount is the sum of its budget entries in the ledger.
    """

    class FundSourceKind(models.TextChoices):
        CENTRAL = "central", _("中央衔接资金")
        PROVINCIAL = "provincial", _("省级衔接资金")
        CITY = "city", _("市级衔接资金")
        COUNTY = "county", _("县级衔接资金")
        UNIT_DIRECT = "unit_direct", _("帮扶单位直接投入")
        BROUGHT_IN = "brought_in", _("引进帮扶资金")
        DONATION = "donation", _("捐赠资金")

    # The OpenAPI component is named after the class: `FundSourceKind`, not a bare `Kind`.
    Kind = FundSourceKind

    name = models.CharField(_("资金名称"), max_length=100)
    kind = models.CharField(_("资金来源"), max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    place = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("出资单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field = "place__code"
    scope_unit_field = "unit_id"

    class Meta:
        ordering = ["-year", "kind", "id"]
        verbose_name = _("资金来源")
        verbose_name_plural = _("资金来源")
        permissions = [("manage_funds", _("可以管理项目资金(预算、分配、拨付、冲正)"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(place__isnull=False) | Q(unit__isnull=False), name="projects_source_has_owner"
            ),
            models.UniqueConstraint(fields=["name", "year"], name="projects_source_name_year"),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"


class LedgerEntryQuerySet(ScopedQuerySet):
    """Entries are never updated or deleted, not even in bulk (the database refuses it too)."""

    def update(self, **kwargs):
        raise TypeError("ledger entries are append-only")

    def delete(self):
        raise TypeError("ledger entries are append-only")


class LedgerEntry(models.Model):
    """One movement of money. Amounts are positive; a reversal carries the negated amount of the
    entry it reverses (`reverses`), which it may do once."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("预算下达")
        ALLOCATION = "allocation", _("分配到项目")
        DISBURSEMENT = "disbursement", _("拨付")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    source = models.ForeignKey(
        FundSource, verbose_name=_("资金来源"), on_delete=models.PROTECT, related_name="entries"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    allocation = models.ForeignKey(
        "self",
        verbose_name=_("所属分配"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲正的分录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    amount = models.DecimalField(_("金额(元)"), **MONEY)
    date = models.DateField(_("业务日期"))
    memo = models.CharField(_("摘要"), max_length=200)
    at = models.DateTimeField(_("记账时间"), auto_now_add=True)
    actor = models.ForeignKey(
        "accounts.User", verbose_name=_("经办人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = models.Manager.from_queryset(LedgerEntryQuerySet)()
    # Visible to whoever sees the source (its place or unit) or the project the money went to.
    scope_region_field = ("source__place__code", "project__place__code")
    scope_unit_field = "source__unit_id"

    class Meta:
        ordering = ["id"]
        verbose_name = _("资金分录")
        verbose_name_plural = _("资金分录")
        indexes = [
            models.Index(fields=["source", "kind"], name="projects_entry_source_kind"),
            models.Index(fields=["project", "kind"], name="projects_entry_project_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0))
                | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="projects_entry_sign",
            ),
            models.CheckConstraint(
                condition=(Q(kind="budget") & Q(project__isnull=True) & Q(allocation__isnull=True))
                | (Q(kind="allocation") & Q(project__isnull=False) & Q(allocation__isnull=True))
                | (Q(kind="disbursement") & Q(project__isnull=False) & Q(allocation__isnull=False)),
                name="projects_entry_shape",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("ledger entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("ledger entries are append-only")


class CountyPublicity(Updated):
    """A county's 公示 settings, kept by the county itself: the 监督举报电话 (and who answers it)
    printed on the 公示 page of the county and of each of its villages. Data, not code: every
    county has its own number, and changes it without a release."""

    county = models.OneToOneField(
        "regions.Region", verbose_name=_("县级区划"), on_delete=models.PROTECT, related_name="+"
    )
    hotline = models.CharField(_("监督举报电话"), max_length=40)
    office = models.CharField(_("受理单位"), max_length=100, blank=True)
    updated_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("更新人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ScopedManager()
    scope_region_field = "county__code"

    class Meta:
        verbose_name = _("县级公示设置")
        verbose_name_plural = _("县级公示设置")

    def __str__(self):
        return f"{self.county} {self.hotline}"
