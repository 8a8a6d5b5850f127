"""The supervision app's choices: a finding's states, severities, urgency, inspection kinds, check
results and task states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingState(models.TextChoices):
    OPEN = "open", _("待整改")
    RECTIFYING = "rectifying", _("整改中")
    SUBMITTED = "submitted", _("待核验")
    CLOSED = "closed", _("已销号")


# The public count's three columns (已整改 / 正在整改 / 未整改) from the four states.
PUBLIC_BUCKETS = {
    FindingState.CLOSED: "done",
    FindingState.RECTIFYING: "doing",
    FindingState.SUBMITTED: "doing",
    FindingState.OPEN: "todo",
}


class Severity(models.TextChoices):
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较重")
    GRAVE = "grave", _("严重")


class DeadlineUrgency(models.TextChoices):
    """The colours of a deadline (core.todo's levels): on time, orange when near, red when past.

    Named apart from monitoring's Urgency: the OpenAPI component is named after the class."""

    DUE = "due", _("未到期")
    SOON = "soon", _("临期(黄色)")
    OVERDUE = "overdue", _("逾期(红色)")


Urgency = DeadlineUrgency


class Escalation(models.IntegerChoices):
    """How far the deadline check has taken an unclosed finding (each level once)."""

    NONE = 0, _("未提醒")
    WARNED = 1, _("已临期提醒")
    ESCALATED = 2, _("已逾期上报")


class PhotoKind(models.TextChoices):
    EVIDENCE = "evidence", _("督查取证")
    BEFORE = "before", _("整改前")
    AFTER = "after", _("整改后")


class InspectionKind(models.TextChoices):
    UNANNOUNCED = "unannounced", _("暗访")
    ANNOUNCED = "announced", _("明查")


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("计划中")
    DONE = "done", _("已完成")


class CheckResult(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    NA = "na", _("不适用")


class TaskState(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("评分中")
    FINAL = "final", _("已定稿")


class AssessmentKind(models.TextChoices):
    UNIT = "unit", _("帮扶单位考核")
    COUNTY = "county", _("县级巩固成果考核")


class Comparison(models.TextChoices):
    """How a consolidation standard's figure is judged against its threshold."""

    EQ = "eq", _("等于")
    GE = "ge", _("不低于")
    LE = "le", _("不高于")
