"""Supervision (督查督办): inspections (暗访 / 明查) with their checklists, findings rectified to
closure (问题清单 → 整改措施 → 销号), and plans broken into goals, measures and tasks.

Every record belongs to a division (the finding's place, the inspection's area, the plan's area) and
is read through the scoping choke point; a finding and a task are also their responsible unit's
(`scope_unit_field`). Writes go through supervision.services.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fupin.core.models import Created, StatusEvent, Timestamped, Versioned
from fupin.core.scoping import ScopedManager
from fupin.supervision.choices import (
    AssessmentKind,
    AssessmentState,
    CheckResult,
    Comparison,
    Escalation,
    FindingState,
    InspectionKind,
    InspectionState,
    PhotoKind,
    Severity,
    TaskState,
)


def _region(verbose, **kwargs):
    return models.ForeignKey(
        "regions.Region", verbose_name=verbose, on_delete=models.PROTECT, related_name="+", **kwargs
    )


def _unit(verbose, **kwargs):
    return models.ForeignKey(
        "orgs.Unit", verbose_name=verbose, on_delete=models.PROTECT, related_name="+", **kwargs
    )


def _link(model: str, verbose):
    """An optional link to the record a finding concerns, in the app that owns it."""
    return models.ForeignKey(
        model, verbose_name=verbose, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


# --- reference data (kept in the back office) --------------------------------------------------


class Category(models.Model):
    """A kind of problem (作风问题, 政策落实, 资金使用 …), with the days before its deadline a finding
    turns orange: data, so a county sets its own warning time without a release."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    soon_days = models.PositiveSmallIntegerField(_("临期提醒天数"), default=3)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")

    def __str__(self):
        return self.name


class Checklist(models.Model):
    """What an inspection checks: a named list of items (data, edited in the back office)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("督查清单")
        verbose_name_plural = _("督查清单")

    def __str__(self):
        return self.name


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("督查清单"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    text = models.CharField(_("检查内容"), max_length=200)
    requirement = models.TextField(_("标准要求"), blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("问题类别"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["checklist", "order", "id"]
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")

    def __str__(self):
        return self.text


# --- inspections ---------------------------------------------------------------------------------


class Inspection(Versioned, Timestamped):
    """A 暗访 or 明查: its plan, inspectors, places and dates, and the checklist it goes through."""

    kind = models.CharField(_("方式"), max_length=16, choices=InspectionKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    plan = models.TextField(_("督查方案"), blank=True)
    area = _region(_("督查范围"))
    places = models.ManyToManyField(
        "regions.Region", verbose_name=_("督查地点"), related_name="+", blank=True
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("督查人员"), related_name="+", blank=True
    )
    checklist = models.ForeignKey(
        Checklist,
        verbose_name=_("督查清单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    state = models.CharField(
        _("状态"), max_length=16, choices=InspectionState.choices, default=InspectionState.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = "area__code"

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("督查")
        verbose_name_plural = _("督查")
        permissions = [("record_inspection", _("可以登记督查和检查结果"))]

    def __str__(self):
        return self.title


class CheckResultRow(models.Model):
    """One checklist item's result at one place of an inspection."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("督查"), on_delete=models.CASCADE, related_name="results"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="+"
    )
    division = _region(_("地点"))
    result = models.CharField(_("结果"), max_length=8, choices=CheckResult.choices)
    note = models.TextField(_("说明"), blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = "division__code"

    class Meta:
        ordering = ["inspection", "item__order", "item_id", "division_id"]
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item", "division"], name="supervision_result_once_per_place"
            )
        ]

    def __str__(self):
        return f"{self.item_id} {self.division_id} {self.result}"


# --- findings and the closed loop ---------------------------------------------------------------


class Finding(Versioned, Timestamped):
    """A problem found (问题清单), rectified to closure: 待整改 → 整改中 → 待核验 → 已销号 (services)."""

    number = models.CharField(_("问题编号"), max_length=24, unique=True)
    description = models.TextField(_("问题描述"))
    category = models.ForeignKey(
        Category, verbose_name=_("问题类别"), on_delete=models.PROTECT, related_name="+"
    )
    severity = models.CharField(
        _("严重程度"), max_length=16, choices=Severity.choices, default=Severity.GENERAL
    )
    requirement = models.TextField(_("整改要求"), blank=True)
    notes = models.TextField(_("取证说明"), blank=True)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    division = _region(_("所属区划"))
    found_on = models.DateField(_("发现日期"))
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("督查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    check_item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("检查项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who or what the problem concerns, in the app that owns it.
    household = _link("registry.Household", _("涉及农户"))
    project = _link("projects.Project", _("涉及项目"))
    party_org = _link("party.PartyOrg", _("涉及党组织"))
    cadre = _link("assistance.Cadre", _("涉及干部"))
    work_team = _link("assistance.WorkTeam", _("涉及工作队"))
    assisting_unit = _link("orgs.Unit", _("涉及帮扶单位"))
    # Who answers for it.
    lead_unit = _unit(_("牵头单位"), null=True, blank=True)
    responsible_unit = _unit(_("责任单位"), null=True, blank=True)
    responsible_person = models.CharField(_("责任人"), max_length=50, blank=True)
    deadline = models.DateField(_("整改时限"))
    # The first day the finding shows orange: deadline less the category's warning days, stored when
    # the deadline is set, so lists filter and sort on urgency in SQL.
    soon_from = models.DateField(_("临期日期"), editable=False)
    state = models.CharField(
        _("状态"), max_length=16, choices=FindingState.choices, default=FindingState.OPEN
    )
    plan = models.TextField(_("整改措施"), blank=True)
    planned_on = models.DateField(_("措施制定日期"), null=True, blank=True)
    submitted_on = models.DateField(_("提交核验日期"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    result = models.TextField(_("整改情况"), blank=True)
    escalation = models.PositiveSmallIntegerField(
        _("提醒上报"), choices=Escalation.choices, default=Escalation.NONE
    )
    escalated_unit = _unit(_("上报单位"), null=True, blank=True)
    escalated_division = _region(_("上报区划"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = "division__code"
    scope_unit_field = "responsible_unit_id"

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("督查问题")
        verbose_name_plural = _("督查问题")
        permissions = [
            ("record_finding", _("可以登记督查问题")),
            ("rectify_finding", _("可以制定整改措施和提交整改")),
            ("verify_finding", _("可以核验销号或退回整改")),
        ]
        indexes = [
            models.Index(fields=["division", "state"], name="supervision_finding_area"),
            models.Index(
                fields=["deadline"], condition=~Q(state="closed"), name="supervision_finding_open_due"
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("supervision:finding_detail", args=[self.pk])


class FindingEvent(StatusEvent):
    """One step of a finding (recorded, plan, submitted, sent back, closed, warned, escalated)."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("督查问题"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=FindingState.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=FindingState.choices, blank=True)
    action = models.CharField(_("操作"), max_length=16)

    objects = ScopedManager()
    scope_region_field = "finding__division__code"
    scope_unit_field = "finding__responsible_unit_id"

    class Meta:
        ordering = ["finding", "at", "id"]
        verbose_name = _("督查问题记录")
        verbose_name_plural = _("督查问题记录")

    def __str__(self):
        return f"{self.finding_id} {self.action}"


class FindingPhoto(Created):
    """A photo of a finding: the inspector's evidence, or the rectification's before and after."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("督查问题"), on_delete=models.CASCADE, related_name="photos"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=PhotoKind.choices)
    file = models.FileField(_("照片"), upload_to="supervision/findings/%Y/%m/")
    content_type = models.CharField(max_length=32, editable=False)
    size = models.PositiveIntegerField(_("大小(字节)"), editable=False)

    objects = ScopedManager()
    scope_region_field = "finding__division__code"
    scope_unit_field = "finding__responsible_unit_id"

    class Meta:
        ordering = ["finding", "kind", "id"]
        verbose_name = _("督查问题照片")
        verbose_name_plural = _("督查问题照片")

    def __str__(self):
        return f"{self.finding_id} {self.kind} #{self.pk}"


# --- plans → goals → measures → tasks ---------------------------------------------------------


class Plan(Versioned, Timestamped):
    """A plan broken into tasks (seed 001's 三年行动计划: 10 goals, 30 measures, 92 tasks)."""

    title = models.CharField(_("名称"), max_length=100)
    issuer = _unit(_("印发单位"), null=True, blank=True)
    area = _region(_("适用范围"))
    start_year = models.PositiveSmallIntegerField(_("起始年度"))
    end_year = models.PositiveSmallIntegerField(_("截止年度"))
    description = models.TextField(_("说明"), blank=True)
    soon_days = models.PositiveSmallIntegerField(_("临期提醒天数"), default=7)

    objects = ScopedManager()
    scope_region_field = "area__code"
    scope_unit_field = "issuer_id"

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name = _("工作计划")
        verbose_name_plural = _("工作计划")
        permissions = [("manage_plan", _("可以制定计划和分解任务"))]

    def __str__(self):
        return self.title


class Goal(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("工作计划"), on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("目标"), max_length=200)

    objects = ScopedManager()
    scope_region_field = "plan__area__code"

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("行动目标")
        verbose_name_plural = _("行动目标")
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="supervision_goal_order")]

    def __str__(self):
        return self.title


class Measure(models.Model):
    goal = models.ForeignKey(
        Goal, verbose_name=_("行动目标"), on_delete=models.CASCADE, related_name="measures"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("措施"), max_length=200)

    objects = ScopedManager()
    scope_region_field = "goal__plan__area__code"

    class Meta:
        ordering = ["goal", "order"]
        verbose_name = _("具体措施")
        verbose_name_plural = _("具体措施")
        constraints = [models.UniqueConstraint(fields=["goal", "order"], name="supervision_measure_order")]

    def __str__(self):
        return self.title


class Task(Versioned, Timestamped):
    """A task of a plan: lead office (牵头单位), responsible office (责任单位), deadline, state."""

    plan = models.ForeignKey(Plan, verbose_name=_("工作计划"), on_delete=models.CASCADE, related_name="tasks")
    measure = models.ForeignKey(
        Measure, verbose_name=_("具体措施"), on_delete=models.CASCADE, related_name="tasks"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("任务"), max_length=300)
    lead_unit = _unit(_("牵头单位"))
    responsible_unit = _unit(_("责任单位"), null=True, blank=True)
    deadline = models.DateField(_("完成时限"))
    soon_from = models.DateField(_("临期日期"), editable=False)
    state = models.CharField(
        _("状态"), max_length=16, choices=TaskState.choices, default=TaskState.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("完成进度(%)"), default=0)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)

    objects = ScopedManager()
    scope_region_field = "plan__area__code"
    scope_unit_field = "responsible_unit_id"

    class Meta:
        ordering = ["plan", "measure__goal__order", "measure__order", "order"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        permissions = [("report_task", _("可以报告任务进展"))]
        constraints = [models.UniqueConstraint(fields=["measure", "order"], name="supervision_task_order")]

    def __str__(self):
        return self.title


class TaskReport(Created):
    """A progress report on a task, with its evidence (text and an optional photo)."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("报告日期"))
    progress = models.PositiveSmallIntegerField(_("完成进度(%)"))
    note = models.TextField(_("进展情况"))
    photo = models.FileField(_("佐证照片"), upload_to="supervision/tasks/%Y/%m/", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = "task__plan__area__code"
    scope_unit_field = "task__responsible_unit_id"

    class Meta:
        ordering = ["task", "-reported_on", "-id"]
        verbose_name = _("任务进展")
        verbose_name_plural = _("任务进展")

    def __str__(self):
        return f"{self.task_id} {self.reported_on} {self.progress}%"


class TaskEvent(StatusEvent):
    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("原状态"), max_length=16, choices=TaskState.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=TaskState.choices, blank=True)

    objects = ScopedManager()
    scope_region_field = "task__plan__area__code"
    scope_unit_field = "task__responsible_unit_id"

    class Meta:
        ordering = ["task", "at", "id"]
        verbose_name = _("任务状态记录")
        verbose_name_plural = _("任务状态记录")

    def __str__(self):
        return f"{self.task_id} {self.from_status}→{self.to_status}"


# --- assessment ------------------------------------------------------------------------------------


class Assessment(Versioned, Timestamped):
    """A scored checklist whose figures come from records: an assisting unit's year against its six
    责任书 indicators (kind unit: outcomes' actuals), or a county's year against the consolidation
    standards (kind county, no unit: figures from the rollup, supervision.standards). Each item's
    score is adjustable with a note until the assessment is final."""

    kind = models.CharField(
        _("考核类型"), max_length=8, choices=AssessmentKind.choices, default=AssessmentKind.UNIT
    )
    unit = _unit(_("帮扶单位"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    county = _region(_("考核地区"))
    state = models.CharField(
        _("状态"), max_length=16, choices=AssessmentState.choices, default=AssessmentState.DRAFT
    )
    total = models.DecimalField(_("得分"), max_digits=6, decimal_places=1, default=0)
    note = models.TextField(_("考核意见"), blank=True)
    computed_at = models.DateTimeField(_("数据取数时间"), null=True, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("考核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = "county__code"
    scope_unit_field = "unit_id"

    class Meta:
        ordering = ["-year", "unit"]
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        permissions = [("assess", _("可以考核评分"))]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "county"], name="supervision_assessment_once"),
            models.UniqueConstraint(
                fields=["year", "county"],
                condition=Q(kind="county"),
                name="supervision_county_assessment_once",
            ),
        ]

    def __str__(self):
        if self.kind == AssessmentKind.COUNTY:
            return f"{self.county} {self.year}"
        return f"{self.unit} {self.year}"

    @property
    def is_county(self) -> bool:
        return self.kind == AssessmentKind.COUNTY


class AssessmentItem(models.Model):
    """One line of the checklist: a 责任书 indicator (target, actual, completion) or a consolidation
    standard (the indicator read, the figure, the comparison and threshold, met or not)."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("考核"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    code = models.CharField(_("指标代码"), max_length=32)
    name = models.CharField(_("考核指标"), max_length=100)
    max_points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    target = models.DecimalField(_("目标"), max_digits=16, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("完成"), max_digits=16, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(_("完成率(%)"), max_digits=8, decimal_places=1, null=True, blank=True)
    # A consolidation standard's source and rule (empty for a 责任书 indicator).
    indicator = models.CharField(_("数据来源指标"), max_length=64, blank=True)
    period = models.CharField(_("统计期"), max_length=7, blank=True)
    comparison = models.CharField(_("判定"), max_length=2, choices=Comparison.choices, blank=True)
    met = models.BooleanField(_("是否达标"), null=True, blank=True)
    suggested = models.DecimalField(_("按完成率得分"), max_digits=5, decimal_places=1)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    note = models.CharField(_("评分说明"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field = "assessment__county__code"
    scope_unit_field = "assessment__unit_id"

    class Meta:
        ordering = ["assessment", "order"]
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")

    def __str__(self):
        return self.name


class AssessmentEvidence(Created):
    """A file or photo attached to an assessment item as evidence (佐证材料): a JPEG, PNG or WebP
    photo or a PDF, checked by its first bytes, served only through a scoped view."""

    item = models.ForeignKey(
        AssessmentItem, verbose_name=_("考核指标"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to="supervision/assessments/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=100)
    content_type = models.CharField(max_length=32, editable=False)
    size = models.PositiveIntegerField(_("大小(字节)"), editable=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = "item__assessment__county__code"
    scope_unit_field = "item__assessment__unit_id"

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("考核佐证材料")
        verbose_name_plural = _("考核佐证材料")

    def __str__(self):
        return self.name
