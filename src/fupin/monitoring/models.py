"""Monitoring and routine assistance (防止返贫致贫监测和常态化帮扶) on the registry's households.

Standards (monitoring lines, 低保 standards, procedure limits, calendar, layers, rules) are data, not
code. A lead (风险线索) and an elimination (风险消除) go through the same review chain (`ReviewChain`,
choices.Stage), an event per step; a decided lead makes a monitoring object (监测对象). Personal data
of a self-report (ID number, phone) is stored as the registry stores it: encrypted, with a keyed index.
Writes go through monitoring.services.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fupin.core import crypto
from fupin.core.masking import mask_id_number, mask_phone
from fupin.core.models import StatusEvent, Timestamped, Versioned
from fupin.core.scoping import ScopedManager
from fupin.monitoring.choices import (
    Channel,
    DisasterKind,
    EliminationKind,
    ObjectStatus,
    ObjectType,
    Risk,
    RuleKind,
    Source,
    Stage,
)

MONEY = {"max_digits": 12, "decimal_places": 2}


def _region(verbose, **extra):
    return models.ForeignKey(
        "regions.Region", verbose_name=verbose, on_delete=models.PROTECT, related_name="+", **extra
    )


# ---------------------------------------------------------------- standards (data)


class AreaStandard(models.Model):
    """An amount per person and year for an area, set by a province, city or county (the nearest wins).

    The two standards monitoring compares incomes with share this shape; each names its amount."""

    year = models.PositiveSmallIntegerField(_("年度"))
    region = _region(_("适用地区"))
    amount = models.DecimalField(**MONEY)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field = "region__code"

    class Meta:
        abstract = True
        ordering = ["-year", "region"]

    def __str__(self):
        return f"{self.year} {self.region_id}: {self.amount}"


class MonitoringLine(AreaStandard):
    """监测标准 for a year and an area: a province sets it, a county may set its own."""

    amount = models.DecimalField(_("监测标准(元/人·年)"), **MONEY)

    class Meta(AreaStandard.Meta):
        verbose_name = _("监测标准")
        verbose_name_plural = _("监测标准")
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="monitoring_line_one_per_area")
        ]


class DibaoStandard(AreaStandard):
    """The rural 低保 standard for a year and an area (usually a county; a province's applies below)."""

    amount = models.DecimalField(_("农村低保标准(元/人·年)"), **MONEY)

    class Meta(AreaStandard.Meta):
        verbose_name = _("低保标准")
        verbose_name_plural = _("低保标准")
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="monitoring_dibao_one_per_area")
        ]


def default_step_days():
    # Days from the lead to each step's deadline; the last is the decision limit (15 in most provinces).
    return {
        Stage.SUBMITTED: 2,
        Stage.ACCEPTED: 4,
        Stage.VERIFIED: 6,
        Stage.COMPARED: 8,
        Stage.PUBLICISED: 13,
        Stage.CHECKED: 15,
    }


class Procedure(models.Model):
    """A province's limits for the review chain (data): days per step, working or calendar days."""

    province_code = models.CharField(_("省级代码"), max_length=2, unique=True)
    decision_days = models.PositiveSmallIntegerField(_("识别时限(天)"), default=15)
    working_days = models.BooleanField(_("按工作日计算"), default=False)
    accept_working_days = models.PositiveSmallIntegerField(_("自主申报受理时限(工作日)"), default=2)
    publicity_days = models.PositiveSmallIntegerField(_("村内公示天数"), default=5)
    stable_months = models.PositiveSmallIntegerField(_("收入稳定超过监测标准的月数"), default=6)
    step_days = models.JSONField(_("各环节时限(天)"), default=default_step_days)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["province_code"]
        verbose_name = _("监测程序时限")
        verbose_name_plural = _("监测程序时限")

    def __str__(self):
        return f"{self.province_code}: {self.decision_days}"


class CalendarDay(models.Model):
    """A day that is not what its weekday says: a holiday on a weekday, or a 调休 working Saturday."""

    date = models.DateField(_("日期"), unique=True)
    working = models.BooleanField(_("工作日"))
    note = models.CharField(_("说明"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")

    def __str__(self):
        return f"{self.date} {'班' if self.working else '休'}"


class Layer(models.Model):
    """A layer of 分层分类帮扶 (e.g. 重点救助, 低保救助, 潜在风险, 发展支持): data, ordered."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    description = models.TextField(_("适用情形"), blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("帮扶层级")
        verbose_name_plural = _("帮扶层级")

    def __str__(self):
        return self.name


# ---------------------------------------------------------------- rules (data)


class RiskRule(models.Model):
    """A risk rule: its kind says what is compared, `params` the thresholds; compiled to set-based SQL."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("规则类型"), max_length=24, choices=RuleKind.choices)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    risk = models.CharField(_("风险类型"), max_length=20, choices=Risk.choices)
    # Blank: everywhere; else the province (or county) the rule applies to.
    region = _region(_("适用地区"), null=True, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("风险预警规则")
        verbose_name_plural = _("风险预警规则")

    def __str__(self):
        return self.name


class RuleRun(models.Model):
    """One run of the rules over an area: which rules fired how often, how many leads were new."""

    area = _region(_("范围"))
    period = models.CharField(_("期间"), max_length=7)  # "2026-11": one lead per household, rule and period
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    job_id = models.UUIDField(_("任务"), null=True, blank=True)
    counts = models.JSONField(_("结果"), default=dict, blank=True)  # {rule code: {"fired": n, "new": m}}

    objects = ScopedManager()
    scope_region_field = "area__code"

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("预警规则运行")
        verbose_name_plural = _("预警规则运行")

    def __str__(self):
        return f"{self.area_id} {self.period}"


# ---------------------------------------------------------------- department screening


class ColumnMapping(models.Model):
    """How one department's spreadsheet names its columns, mapped once per county and remembered."""

    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices)
    county = _region(_("县"))
    mapping = models.JSONField(_("列对应关系"), default=dict)  # {field: header as the department writes it}
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()
    scope_region_field = "county__code"

    class Meta:
        ordering = ["county", "source"]
        verbose_name = _("部门数据列对应")
        verbose_name_plural = _("部门数据列对应")
        constraints = [models.UniqueConstraint(fields=["source", "county"], name="monitoring_mapping_once")]

    def __str__(self):
        return f"{self.county_id} {self.source}"


class ScreeningBatch(Timestamped):
    """One department list uploaded by a county: how many rows, how many matched a registered person."""

    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices)
    county = _region(_("县"))
    period = models.CharField(_("数据期间"), max_length=7)
    file_name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    job_id = models.UUIDField(_("任务"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    matched = models.PositiveIntegerField(_("匹配人数"), default=0)
    unmatched = models.PositiveIntegerField(_("未匹配行数"), default=0)
    hits = models.PositiveIntegerField(_("预警户数"), default=0)

    objects = ScopedManager()
    scope_region_field = "county__code"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("部门筛查数据")
        verbose_name_plural = _("部门筛查数据")

    def __str__(self):
        return f"{self.county_id} {self.source} {self.period}"


class ScreeningRow(models.Model):
    """A row of a department list: the person's keyed index, the member it matched, the row's values.

    Written a million at a time (monitoring.screening), so the table carries only what its reads
    need: rows of a batch in order, a household's rows, a member's (the SET NULL when a member is
    removed). No database foreign keys: PostgreSQL checks each with a per-row trigger that locks the
    referenced member and household (about 80 s of a 1,000,000-row list against 10 s without; see
    docs/benchmarks.md "Department screening"); the rows are written in the transaction that read
    those ids, and Django's on_delete still runs when a member, household or batch is deleted.
    No index on the keyed ID index: a person is found through the member once matched."""

    batch = models.ForeignKey(
        ScreeningBatch,
        verbose_name=_("批次"),
        on_delete=models.CASCADE,
        related_name="lines",
        db_constraint=False,
        db_index=False,  # (batch, row_number) below
    )
    row_number = models.PositiveIntegerField(_("行号"))
    id_number_bidx = models.CharField(max_length=32, editable=False)
    name_masked = models.CharField(_("姓名"), max_length=50, blank=True)
    member = models.ForeignKey(
        "registry.Member",
        verbose_name=_("成员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,  # (household, batch) below
    )
    amount = models.DecimalField(_("金额(元)"), null=True, blank=True, **MONEY)
    event = models.CharField(_("事项"), max_length=100, blank=True)
    event_date = models.DateField(_("发生日期"), null=True, blank=True)
    # {"id": the masked ID number, "problems": [[column, reason], …]} for a row that did not match
    # or had a bad cell (the batch's report); empty for a clean matched row.
    values = models.JSONField(_("其他列"), default=dict, blank=True)

    objects = ScopedManager()
    scope_region_field = "batch__county__code"
    audit_sensitive_fields = frozenset({"id_number_bidx"})

    class Meta:
        ordering = ["batch", "row_number"]
        verbose_name = _("部门筛查数据行")
        verbose_name_plural = _("部门筛查数据行")
        indexes = [
            models.Index(fields=["household", "batch"], name="monitoring_screen_hh_batch"),
            models.Index(fields=["batch", "row_number"], name="monitoring_screen_batch_row"),
        ]

    def __str__(self):
        return f"{self.batch_id}:{self.row_number}"


# ---------------------------------------------------------------- the review chain


class ReviewChain(Versioned, Timestamped):
    """The steps a lead and an elimination share: 入户核实 → 信息比对 → 村级评议/公示 → 乡镇审核 → 县级审定."""

    stage = models.CharField(_("环节"), max_length=16, choices=Stage.choices)
    opened_on = models.DateField(_("发起日期"))  # the deadlines count from here
    step_due = models.DateField(_("本环节时限"), null=True, blank=True)
    decision_due = models.DateField(_("审定时限"), null=True, blank=True)
    # 入户核实: the household's signed 承诺授权书 (consent to query its assets), with a photo.
    consent_signed = models.BooleanField(_("已签承诺授权书"), default=False)
    consent_photo = models.FileField(_("承诺授权书照片"), upload_to="monitoring/consent/", blank=True)
    verified_on = models.DateField(_("核实日期"), null=True, blank=True)
    verification = models.TextField(_("核实情况"), blank=True)
    # 信息比对: each department's answer, {source: {"ok": bool, "note": str}}.
    comparison = models.JSONField(_("信息比对结果"), default=dict, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("评议同意票"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("评议反对票"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("评议弃权票"), null=True, blank=True)
    publicity_from = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_to = models.DateField(_("公示结束"), null=True, blank=True)
    decided_on = models.DateField(_("审定日期"), null=True, blank=True)
    closing_reasons = models.JSONField(_("不予纳入/退回理由"), default=list, blank=True)

    class Meta:
        abstract = True


class Lead(ReviewChain):
    """风险线索: a possible monitoring object, from a channel, with a receipt number."""

    number = models.CharField(_("受理编号"), max_length=20, unique=True)
    channel = models.CharField(_("线索来源"), max_length=16, choices=Channel.choices)
    village = _region(_("行政村"))
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A self-report names a person who may not be registered yet; stored as the registry stores it.
    applicant_name = models.CharField(_("户主姓名"), max_length=50, blank=True)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    id_number_enc = models.TextField(blank=True, editable=False)
    id_number_bidx = models.CharField(max_length=32, blank=True, editable=False, db_index=True)
    risks = models.JSONField(_("风险类型"), default=list)  # up to five choices.Risk values
    disaster_kind = models.CharField(_("灾害类型"), max_length=16, choices=DisasterKind.choices, blank=True)
    hardship = models.TextField(_("困难情况"), blank=True)
    proposed_type = models.CharField(_("拟纳入类型"), max_length=16, choices=ObjectType.choices, blank=True)
    # A rule's or a department's lead: which rule fired, for which period, on which values.
    rule = models.ForeignKey(
        RiskRule,
        verbose_name=_("预警规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
    )
    period = models.CharField(_("预警期间"), max_length=7, blank=True)
    facts = models.JSONField(_("预警依据"), default=dict, blank=True)
    screening = models.ForeignKey(
        ScreeningBatch,
        verbose_name=_("部门数据"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = "village__code"
    audit_sensitive_fields = frozenset({"phone_enc", "id_number_enc", "id_number_bidx"})

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("风险线索")
        verbose_name_plural = _("风险线索")
        permissions = [
            ("report_lead", _("可以登记风险线索、入户核实和村级评议")),
            ("check_lead", _("可以受理线索和乡镇审核")),
            ("decide_lead", _("可以县级审定监测对象和风险消除")),
            ("run_rules", _("可以运行预警规则和导入部门数据")),
        ]
        indexes = [
            models.Index(fields=["village", "stage"], name="monitoring_lead_village_stage"),
            # The lead list's order: a province's first page walks it newest first and stops at the
            # page, instead of sorting every lead of the province (bench_overdue, docs/benchmarks.md).
            models.Index(fields=["-opened_on", "-id"], name="monitoring_lead_opened"),
        ]
        constraints = [
            # A rule run writes one lead per household, rule and period: a second run adds nothing.
            models.UniqueConstraint(
                fields=["household", "rule", "period"],
                condition=Q(rule__isnull=False),
                name="monitoring_lead_once_per_rule_period",
            ),
        ]

    def __str__(self):
        return self.number

    def set_phone(self, phone: str) -> None:
        self.phone_enc = crypto.encrypt(phone) if phone else ""
        self.phone_masked = mask_phone(phone) if phone else ""

    def set_id_number(self, id_number: str) -> None:
        """`id_number` normalised and validated (registry's rule); the same keyed index as a member's."""
        self.id_number_enc = crypto.encrypt(id_number)
        self.id_number_bidx = crypto.blind_index("id", id_number)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(crypto.decrypt(self.id_number_enc)) if self.id_number_enc else ""


class LeadEvent(StatusEvent):
    lead = models.ForeignKey(Lead, verbose_name=_("线索"), on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("原环节"), max_length=16, choices=Stage.choices, blank=True)
    to_status = models.CharField(_("新环节"), max_length=16, choices=Stage.choices, blank=True)

    objects = ScopedManager()
    scope_region_field = "lead__village__code"

    class Meta:
        ordering = ["lead", "at", "id"]
        verbose_name = _("线索办理记录")
        verbose_name_plural = _("线索办理记录")

    def __str__(self):
        return f"{self.lead_id} {self.from_status}→{self.to_status}"


# ---------------------------------------------------------------- monitoring objects


class MonitoringObject(Versioned, Timestamped):
    """监测对象: a household identified through a decided lead; kept after elimination (history)."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.PROTECT, related_name="+"
    )
    lead = models.OneToOneField(
        Lead,
        verbose_name=_("识别线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="object",
    )
    type = models.CharField(_("监测对象类型"), max_length=16, choices=ObjectType.choices)
    former_poor = models.BooleanField(_("原建档立卡户"), default=False)
    identified_on = models.DateField(_("识别日期"))
    status = models.CharField(
        _("风险状态"), max_length=16, choices=ObjectStatus.choices, default=ObjectStatus.MONITORED
    )
    # 整户无劳动能力兜底保障户: never marked eliminated.
    safety_net = models.BooleanField(_("兜底保障"), default=False)
    layer = models.ForeignKey(
        Layer, verbose_name=_("帮扶层级"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    eliminated_on = models.DateField(_("风险消除日期"), null=True, blank=True)
    elimination_kind = models.CharField(
        _("风险消除方式"), max_length=16, choices=EliminationKind.choices, blank=True
    )

    objects = ScopedManager()
    scope_region_field = "household__village__code"

    class Meta:
        ordering = ["-identified_on", "-id"]
        verbose_name = _("监测对象")
        verbose_name_plural = _("监测对象")
        indexes = [models.Index(fields=["status", "type"], name="monitoring_object_status_type")]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status=ObjectStatus.MONITORED),
                name="monitoring_object_one_open_per_household",
            ),
        ]

    def __str__(self):
        return f"{self.household_id} {self.get_type_display()}"


class ObjectRisk(models.Model):
    """One of an object's risks (up to five, choices.MAX_RISKS), in the order the form lists them."""

    object = models.ForeignKey(
        MonitoringObject, verbose_name=_("监测对象"), on_delete=models.CASCADE, related_name="risks"
    )
    risk = models.CharField(_("风险类型"), max_length=20, choices=Risk.choices)
    disaster_kind = models.CharField(_("灾害类型"), max_length=16, choices=DisasterKind.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = ScopedManager()
    scope_region_field = "object__household__village__code"

    class Meta:
        ordering = ["object", "order"]
        verbose_name = _("风险类型")
        verbose_name_plural = _("风险类型")
        constraints = [models.UniqueConstraint(fields=["object", "risk"], name="monitoring_risk_once")]

    def __str__(self):
        return self.get_risk_display()


class Elimination(ReviewChain):
    """风险消除: proposed by the village, through the same chain; refused with reasons otherwise."""

    object = models.ForeignKey(
        MonitoringObject, verbose_name=_("监测对象"), on_delete=models.PROTECT, related_name="eliminations"
    )
    kind = models.CharField(_("消除方式"), max_length=16, choices=EliminationKind.choices)
    # The figures the proposal stood on (income months above the line, 三保障, water), for the record.
    basis = models.JSONField(_("消除依据"), default=dict, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = "object__household__village__code"

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("风险消除")
        verbose_name_plural = _("风险消除")

    def __str__(self):
        return f"{self.object_id} {self.get_kind_display()}"


class EliminationEvent(StatusEvent):
    elimination = models.ForeignKey(
        Elimination, verbose_name=_("风险消除"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("原环节"), max_length=16, choices=Stage.choices, blank=True)
    to_status = models.CharField(_("新环节"), max_length=16, choices=Stage.choices, blank=True)

    objects = ScopedManager()
    scope_region_field = "elimination__object__household__village__code"

    class Meta:
        ordering = ["elimination", "at", "id"]
        verbose_name = _("风险消除办理记录")
        verbose_name_plural = _("风险消除办理记录")

    def __str__(self):
        return f"{self.elimination_id} {self.from_status}→{self.to_status}"


# ---------------------------------------------------------------- self-report throttle


class SubmissionMark(models.Model):
    """A recent self-report's keyed marks (client address, ID number): limits repeats without a captcha."""

    kind = models.CharField(max_length=8)  # "ip" or "id"
    key = models.CharField(max_length=32)  # a keyed hash, never the address or number itself
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "at"], name="monitoring_mark_lookup")]

    def __str__(self):
        return f"{self.kind} {self.at}"


# ---------------------------------------------------------------- data quality


class QualityFinding(models.Model):
    """A data-quality check's finding (those the national system runs), rewritten per county by each run."""

    rule = models.CharField(_("检查项"), max_length=32)
    county = _region(_("县"))
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.CASCADE, related_name="+"
    )
    object = models.ForeignKey(
        MonitoringObject,
        verbose_name=_("监测对象"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    detail = models.CharField(_("问题"), max_length=200)
    found_at = models.DateTimeField(_("发现时间"))

    objects = ScopedManager()
    scope_region_field = "household__village__code"

    class Meta:
        ordering = ["county", "rule", "household"]
        verbose_name = _("数据质量问题")
        verbose_name_plural = _("数据质量问题")
        indexes = [models.Index(fields=["county", "rule"], name="monitoring_quality_county")]

    def __str__(self):
        return f"{self.rule} {self.household_id}"
