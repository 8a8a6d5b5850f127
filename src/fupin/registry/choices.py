"""The national form's coded fields (建档立卡 / 防返贫监测 information collection forms)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Attribute(models.TextChoices):
    ORDINARY = "ordinary", _("一般户")
    DIBAO = "dibao", _("低保户")
    TEKUN = "tekun", _("特困供养户")
    DIBAO_POOR = "dibao_poor", _("低保贫困户")


class Cause(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    SCHOOLING = "schooling", _("因学")
    DISASTER = "disaster", _("因灾")
    NO_LAND = "no_land", _("缺土地")
    NO_WATER = "no_water", _("缺水")
    NO_SKILLS = "no_skills", _("缺技术")
    NO_LABOUR = "no_labour", _("缺劳力")
    NO_FUNDS = "no_funds", _("缺资金")
    TRANSPORT = "transport", _("交通条件落后")
    NO_DRIVE = "no_drive", _("自身发展动力不足")
    OTHER = "other", _("其他")


class HouseholdStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    POOR = "poor", _("未脱贫")
    EXITED = "exited", _("已脱贫")
    RETURNED = "returned", _("返贫")


# Named for what it is, so the OpenAPI document's component is unique; `Status` stays for the code.
Status = HouseholdStatus


class HousingStructure(models.TextChoices):
    REINFORCED = "reinforced", _("钢筋混凝土")
    BRICK = "brick", _("砖混")
    BRICK_WOOD = "brick_wood", _("砖木")
    EARTH_WOOD = "earth_wood", _("土木")
    OTHER = "other", _("其他")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    SON = "son", _("之子")
    DAUGHTER = "daughter", _("之女")
    DAUGHTER_IN_LAW = "daughter_in_law", _("之儿媳")
    SON_IN_LAW = "son_in_law", _("之女婿")
    GRANDSON = "grandson", _("之孙子")
    GRANDDAUGHTER = "granddaughter", _("之孙女")
    FATHER = "father", _("之父")
    MOTHER = "mother", _("之母")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class RegistryEducation(models.TextChoices):
    ILLITERATE = "illiterate", _("文盲或半文盲")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")
    COLLEGE = "college", _("大专及以上")
    PRESCHOOL = "preschool", _("学龄前儿童")


# Prefixed so the OpenAPI component differs from party's `Education`; the code keeps `Education`.
Education = RegistryEducation


class SchoolStatus(models.TextChoices):
    NONE = "none", _("非在校生")
    PRESCHOOL = "preschool", _("学前教育")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("七年级至九年级")
    SENIOR = "senior", _("高中")
    VOCATIONAL = "vocational", _("中职")
    HIGHER = "higher", _("高职高专及以上")
    DROPOUT = "dropout", _("辍学")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("健康")
    CHRONIC = "chronic", _("长期慢性病")
    SERIOUS = "serious", _("患有大病")
    DISABLED = "disabled", _("残疾")


class Labour(models.TextChoices):
    ORDINARY = "ordinary", _("普通劳动力")
    SKILLED = "skilled", _("技能劳动力")
    LOST = "lost", _("丧失劳动力")
    NONE = "none", _("无劳动力")


class WorkStatus(models.TextChoices):
    NONE = "none", _("未务工")
    IN_TOWNSHIP = "in_township", _("乡镇内务工")
    IN_COUNTY = "in_county", _("县内务工")
    IN_PROVINCE = "in_province", _("省内县外务工")
    OUT_PROVINCE = "out_province", _("省外务工")
    OTHER = "other", _("其他")


class ExitReview(models.TextChoices):
    """Where a household's exit stands in the three-step review (village → township → county)."""

    NONE = "", _("无")
    PROPOSED = "proposed", _("村级已提出,待乡镇审核")
    CHECKED = "checked", _("乡镇已审核,待县级审定")


class EventAction(models.TextChoices):
    CREATE = "create", _("建档登记")
    IDENTIFY = "identify", _("识别为贫困户")
    EXIT_PROPOSE = "exit_propose", _("村级提出脱贫")
    EXIT_CHECK = "exit_check", _("乡镇审核脱贫")
    EXIT_CHECK_REJECT = "exit_check_reject", _("乡镇退回脱贫申请")
    EXIT_APPROVE = "exit_approve", _("县级批准脱贫")
    EXIT_REJECT = "exit_reject", _("县级退回脱贫申请")
    RETURN = "return", _("返贫")
    REIDENTIFY = "reidentify", _("返贫户重新纳入帮扶")
    MEMBER_REMOVE = "member_remove", _("成员减少")
