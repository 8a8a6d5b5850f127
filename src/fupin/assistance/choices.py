"""The coded fields of assistance: unit levels, posts, activities, measures, training kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    """The level of a 帮扶责任人's unit (帮扶责任人 tables count them by level)."""

    CENTRAL = "central", _("中直")
    PROVINCE = "province", _("省直")
    CITY = "city", _("市直")
    COUNTY = "county", _("县直")
    TOWNSHIP = "township", _("乡镇")
    VILLAGE = "village", _("村级")


class PostKind(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", _("驻村第一书记")
    TEAM_MEMBER = "team_member", _("驻村工作队员")
    SECONDED = "seconded", _("挂职干部")


class ActivityKind(models.TextChoices):
    VISIT = "visit", _("走访慰问")
    LECTURE = "lecture", _("授课宣讲")
    DONATION = "donation", _("捐赠物资")
    JOINT_EVENT = "joint_event", _("联建活动")


class MeasureType(models.TextChoices):
    INDUSTRY = "industry", _("产业帮扶")
    EMPLOYMENT = "employment", _("就业帮扶")
    RELOCATION = "relocation", _("易地扶贫搬迁")
    EDUCATION = "education", _("教育帮扶")
    HEALTH = "health", _("健康帮扶")
    HOUSING = "housing", _("危房改造")
    ECOLOGY = "ecology", _("生态补偿")
    SAFETY_NET = "safety_net", _("社会保障兜底")
    MICROCREDIT = "microcredit", _("小额信贷")
    ASSET_INCOME = "asset_income", _("资产收益")
    OTHER = "other", _("其他")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ACTIVE = "active", _("实施中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class TeamStatus(models.TextChoices):
    FORMING = "forming", _("组建中")
    ACTIVE = "active", _("在岗")
    ENDED = "ended", _("已期满")


class TrainingKind(models.TextChoices):
    """Whom a class trains; 定点帮扶责任书 counts grassroots cadres and technicians separately."""

    GRASSROOTS_CADRE = "grassroots_cadre", _("基层干部")
    TECHNICIAN = "technician", _("技术人员")
    RICH_LEADER = "rich_leader", _("致富带头人")
    PARTY_MEMBER = "party_member", _("党员")
    OFFICIAL = "official", _("党政领导干部")
    UNIT_STAFF = "unit_staff", _("帮扶单位干部职工")


class TrainingForm(models.TextChoices):
    STUDY_TOUR = "study_tour", _("交流考察学习班")
    SPECIAL_CLASS = "special_class", _("专题培训班")
    MOBILE_LECTURE = "mobile_lecture", _("移动讲堂")
    ROTATION = "rotation", _("轮训班")
