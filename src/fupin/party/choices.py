"""The party app's closed lists (TextChoices): levels, kinds, roles, stages and workflow states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgLevel(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL = "general", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


class OrgKind(models.TextChoices):
    VILLAGE = "village", _("村党组织")
    ENTERPRISE = "enterprise", _("企业党组织")
    AGENCY = "agency", _("机关党组织")
    TEMPORARY = "temporary", _("临时党支部")
    INDUSTRY = "industry", _("产业链党组织")
    JOINT = "joint", _("村企联合党组织")


class Post(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY = "deputy", _("副书记")
    ORGANISATION = "organisation", _("组织委员")
    PROPAGANDA = "propaganda", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    COMMITTEE = "committee", _("委员")
    MEMBER = "member", _("党员")


COMMITTEE_POSTS = frozenset(
    {Post.SECRETARY, Post.DEPUTY, Post.ORGANISATION, Post.PROPAGANDA, Post.DISCIPLINE, Post.COMMITTEE}
)


class Stage(models.TextChoices):
    """The recruitment stages (发展党员), in order."""

    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")


STAGE_ORDER = [Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FULL]
# The date column each stage sets when it is reached.
STAGE_DATE_FIELD = {
    Stage.APPLICANT: "applied_on",
    Stage.ACTIVIST: "activist_on",
    Stage.CANDIDATE: "candidate_on",
    Stage.PROBATIONARY: "joined_on",
    Stage.FULL: "full_on",
}


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    TRANSFERRED = "transferred", _("已转出")
    LEFT = "left", _("已出党")
    DECEASED = "deceased", _("已去世")


class MeetingKind(models.TextChoices):
    """三会一课 and 主题党日."""

    MEMBERS = "members", _("支部党员大会")
    COMMITTEE = "committee", _("支部委员会")
    GROUP = "group", _("党小组会")
    LESSON = "lesson", _("党课")
    THEME_DAY = "theme_day", _("主题党日")


# How often each is due: 1 = monthly, 3 = quarterly.
MEETING_EVERY_MONTHS = {
    MeetingKind.MEMBERS: 3,
    MeetingKind.COMMITTEE: 1,
    MeetingKind.GROUP: 1,
    MeetingKind.LESSON: 3,
    MeetingKind.THEME_DAY: 1,
}


class Star(models.IntegerChoices):
    ONE = 1, _("一星")
    TWO = 2, _("二星")
    THREE = 3, _("三星")
    FOUR = 4, _("四星")
    FIVE = 5, _("五星")


class WeakCriterion(models.TextChoices):
    """软弱涣散 criteria; the first four are computed from records, the rest judged by people."""

    SECRETARY_VACANT = "secretary_vacant", _("书记长期缺职(空缺超过3个月)")
    NO_RECRUITMENT = "no_recruitment", _("连续2年未发展党员")
    LOW_SATISFACTION = "low_satisfaction", _("群众满意度低于60%")
    MISSED_MEETINGS = "missed_meetings", _("组织生活不经常、不认真(年内缺3次以上)")
    DISUNITY = "disunity", _("班子不团结、内耗严重")
    WEAK_LEADERSHIP = "weak_leadership", _("书记不胜任、工作不在状态")
    INTERFERENCE = "interference", _("宗族宗教、黑恶势力干扰")
    FINANCE = "finance", _("村务财务管理混乱")
    OTHER = "other", _("其他")


COMPUTED_CRITERIA = (
    WeakCriterion.SECRETARY_VACANT,
    WeakCriterion.NO_RECRUITMENT,
    WeakCriterion.LOW_SATISFACTION,
    WeakCriterion.MISSED_MEETINGS,
)


class WeakStatus(models.TextChoices):
    IDENTIFIED = "identified", _("已认定")
    RECTIFYING = "rectifying", _("整改中")
    CLOSED = "closed", _("已销号")
    REVOKED = "revoked", _("已撤销")


class ReserveStatus(models.TextChoices):
    IN_POOL = "in_pool", _("在库")
    APPOINTED = "appointed", _("已任用")
    REMOVED = "removed", _("已出库")


class PartyEducation(models.TextChoices):
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中/中专")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科及以上")


# Prefixed so the OpenAPI component differs from the registry's; the code keeps `Education`.
Education = PartyEducation


class AssessmentResult(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("合格")
    BASIC = "basic", _("基本合格")
    FAIL = "fail", _("不合格")


class ActivityKind(models.TextChoices):
    VISIT = "visit", _("走访调研")
    LECTURE = "lecture", _("授课宣讲")
    DONATION = "donation", _("捐赠物品")
    JOINT_EVENT = "joint_event", _("联合活动")
    TRAINING = "training", _("培训轮训")
