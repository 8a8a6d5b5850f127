"""The national monitoring form's coded fields (防止返贫致贫监测信息采集表) and the workflow's states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectType(models.TextChoices):
    UNSTABLE = "unstable", _("脱贫不稳定户")
    MARGINAL = "marginal", _("边缘易致贫户")
    SUDDEN = "sudden", _("突发严重困难户")


class Risk(models.TextChoices):
    """风险类型; the value is the national code where the national form has one (see NATIONAL_RISK_CODES)."""

    ILLNESS = "illness", _("因病")
    DISASTER = "disaster", _("因自然灾害")
    DISABILITY = "disability", _("因残")
    NO_LABOUR = "no_labour", _("缺劳动力")
    ACCIDENT = "accident", _("因意外事故")
    INDUSTRY_FAILURE = "industry_failure", _("因产业项目失败")
    JOB_INSTABILITY = "job_instability", _("因务工就业不稳")
    SCHOOLING = "schooling", _("因学")
    WATER = "water", _("因安全饮水")
    OTHER = "other", _("其他")


# The codes the national system writes for each risk (exchange files, issue 14); 因安全饮水 has no
# code in the sources we hold, so the exchange writes its name.
NATIONAL_RISK_CODES = {
    Risk.ILLNESS: "01",
    Risk.DISASTER: "02",
    Risk.DISABILITY: "03",
    Risk.NO_LABOUR: "04",
    Risk.ACCIDENT: "05",
    Risk.INDUSTRY_FAILURE: "06",
    Risk.JOB_INSTABILITY: "07",
    Risk.SCHOOLING: "09",
    Risk.OTHER: "99",
}

MAX_RISKS = 5


class DisasterKind(models.TextChoices):
    FLOOD = "flood", _("洪涝")
    GEOLOGICAL = "geological", _("地质")
    DROUGHT = "drought", _("干旱")
    BIOLOGICAL = "biological", _("生物")
    METEOROLOGICAL = "meteorological", _("气象")
    EARTHQUAKE = "earthquake", _("地震")
    OTHER = "other", _("其他")


class MeasureKind(models.TextChoices):
    """The national measure kinds; a 一户一策 measure's type maps onto one (assistance.MeasureType)."""

    INDUSTRY = "industry", _("产业")
    EMPLOYMENT = "employment", _("就业")
    FINANCE = "finance", _("金融")
    PUBLIC_POST = "public_post", _("公益岗")
    HOUSING = "housing", _("住房")
    WATER = "water", _("饮水")
    HEALTH = "health", _("健康")
    COMPULSORY_EDUCATION = "compulsory_education", _("义务教育")
    OTHER_EDUCATION = "other_education", _("其他教育")
    SOCIAL_SECURITY = "social_security", _("综合保障")
    SOCIAL_HELP = "social_help", _("社会帮扶")
    RELOCATION = "relocation", _("搬迁")
    LIVING_CONDITIONS = "living_conditions", _("生产生活条件")
    INFRASTRUCTURE = "infrastructure", _("基础设施")


# Measures that develop a household's own income; 帮扶消除 without one is a data-quality finding.
DEVELOPMENT_MEASURES = frozenset(
    {MeasureKind.INDUSTRY, MeasureKind.EMPLOYMENT, MeasureKind.FINANCE, MeasureKind.PUBLIC_POST}
)


class ObjectStatus(models.TextChoices):
    MONITORED = "monitored", _("风险未消除")
    ELIMINATED = "eliminated", _("风险已消除")


class EliminationKind(models.TextChoices):
    ASSISTED = "assisted", _("帮扶消除")
    NATURAL = "natural", _("自然消除")


class MonitoringChannel(models.TextChoices):
    SELF_REPORT = "self_report", _("农户自主申报")
    CADRE = "cadre", _("干部排查")
    DEPARTMENT = "department", _("部门筛查预警")
    RULE = "rule", _("系统预警")


# Named for its app, so the OpenAPI component differs from outcomes' `Channel`; the code keeps `Channel`.
Channel = MonitoringChannel


class MonitoringStage(models.TextChoices):
    """One review chain for identification (a lead) and for elimination; each step is an event.

    A self-reported lead starts at SUBMITTED and must be accepted by the township; a cadre's, a
    department's or a rule's lead starts at ACCEPTED. REJECTED (not accepted), NOT_INCLUDED (a
    decision not to include, or not to eliminate) and DECIDED close the chain.
    """

    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("待入户核实")
    VERIFIED = "verified", _("待信息比对")
    COMPARED = "compared", _("待村级评议")
    PUBLICISING = "publicising", _("村内公示中")
    PUBLICISED = "publicised", _("待乡镇审核")
    CHECKED = "checked", _("待县级审定")
    DECIDED = "decided", _("已审定")
    NOT_INCLUDED = "not_included", _("不予纳入")
    REJECTED = "rejected", _("不予受理")


# Named for its app, so the OpenAPI component differs from party's `Stage`; the code keeps `Stage`.
Stage = MonitoringStage

OPEN_STAGES = frozenset(
    {
        Stage.SUBMITTED,
        Stage.ACCEPTED,
        Stage.VERIFIED,
        Stage.COMPARED,
        Stage.PUBLICISING,
        Stage.PUBLICISED,
        Stage.CHECKED,
    }
)


class Urgency(models.TextChoices):
    """How late an open case is: orange past its step's deadline, red past the decision limit."""

    ON_TIME = "on_time", _("正常")
    ORANGE = "orange", _("黄色预警")  # 橙色 in some provinces' wording; the colour on screen is orange
    RED = "red", _("红色预警")


class RuleKind(models.TextChoices):
    """What a risk rule compares; its thresholds are the rule's `params` (data, not code)."""

    INCOME_BELOW_LINE = "income_below_line", _("人均纯收入低于监测标准")
    INCOME_DROP = "income_drop", _("收入较上年大幅下降")
    COSTS_ABOVE = "costs_above", _("合规自付支出超过限额")
    COSTS_SHARE = "costs_share", _("合规自付支出占收入比例过高")
    LIVING_CHECK = "living_check", _("三保障或饮水安全未达标")
    DEPARTMENT_HIT = "department_hit", _("部门数据预警")
    NO_WORK = "no_work", _("以务工为主但连续三个月无务工")


class Source(models.TextChoices):
    """Departments whose lists are screened (部门筛查预警)."""

    MEDICAL = "medical", _("医保")
    CIVIL = "civil", _("民政")
    EDUCATION = "education", _("教育")
    HOUSING = "housing", _("住建")
    LABOUR = "labour", _("人社")
    HEALTH = "health", _("卫健")
    EMERGENCY = "emergency", _("应急")
    DISABILITY = "disability", _("残联")
