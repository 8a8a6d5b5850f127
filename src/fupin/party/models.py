"""Party building: organisations and members, organisational life, standardisation, weak branches,
reserve pools, monthly cadre scoring and branch pairings (支部结对共建).

An organisation sits on a division code and/or under an owning unit (an enterprise's or agency's
branch); every other record reaches its scope through its organisation. Writes go through
party.services; the checklists and indicator sets are reference data edited in the back office.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.core.models import Created, StatusEvent, Timestamped, Updated, Versioned
from fupin.core.scoping import ScopedManager
from fupin.party.choices import (
    ActivityKind,
    AssessmentResult,
    Education,
    MeetingKind,
    MemberStatus,
    OrgKind,
    OrgLevel,
    Post,
    ReserveStatus,
    Stage,
    Star,
    WeakStatus,
)

SCORE = {"max_digits": 6, "decimal_places": 2}
ORG_SCOPE = {"region": "org__region__code", "unit": "org__unit_id"}


class PartyOrg(Versioned, Timestamped):
    """A party organisation (党委 / 党总支 / 党支部 / 党小组) on a division code and/or under a unit."""

    name = models.CharField(_("组织名称"), max_length=100)
    level = models.CharField(_("组织层级"), max_length=16, choices=OrgLevel.choices, default=OrgLevel.BRANCH)
    kind = models.CharField(_("组织类型"), max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    approved_by = models.CharField(_("批准机关"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)
    # Set by the services when the last secretary leaves the post, cleared when one is appointed.
    secretary_vacant_since = models.DateField(_("书记空缺起始日"), null=True, blank=True, editable=False)

    objects = ScopedManager()
    scope_region_field = "region__code"
    scope_unit_field = "unit_id"

    class Meta:
        ordering = ["region_id", "name", "id"]
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        permissions = [("manage_weakcase", _("可以认定和销号软弱涣散党组织"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False) | Q(unit__isnull=False),
                name="party_org_has_place_or_unit",
                violation_error_message=_("请选择所在区划或所属单位"),
            ),
            models.UniqueConstraint(
                fields=["name", "parent"],
                name="party_org_name_unique_under_parent",
                violation_error_message=_("同一上级组织下已有同名党组织"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:org_detail", args=[self.pk])


class PartyMember(Versioned, Timestamped):
    """A party member or a person on the way to membership, in one organisation."""

    org = models.ForeignKey(
        PartyOrg, verbose_name=_("所在组织"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    person = models.ForeignKey(
        "registry.Member",
        verbose_name=_("关联建档人口"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    post = models.CharField(_("党内职务"), max_length=16, choices=Post.choices, default=Post.MEMBER)
    stage = models.CharField(_("发展阶段"), max_length=16, choices=Stage.choices, default=Stage.FULL)
    status = models.CharField(
        _("状态"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    applied_on = models.DateField(_("申请入党日期"), null=True, blank=True)
    activist_on = models.DateField(_("确定积极分子日期"), null=True, blank=True)
    candidate_on = models.DateField(_("确定发展对象日期"), null=True, blank=True)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True, help_text=_("接收为预备党员的日期"))
    full_on = models.DateField(_("转正日期"), null=True, blank=True)

    objects = ScopedManager()
    scope_region_field = ORG_SCOPE["region"]
    scope_unit_field = ORG_SCOPE["unit"]

    class Meta:
        ordering = ["org", "id"]
        verbose_name = _("党员")
        verbose_name_plural = _("党员")

    def __str__(self):
        return self.name

    @property
    def on_probation(self) -> bool:
        return self.stage == Stage.PROBATIONARY


class MemberEvent(StatusEvent):
    """One step of a person's recruitment or membership (who, when, from, to, why)."""

    member = models.ForeignKey(
        PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="events"
    )
    on = models.DateField(_("生效日期"))
    from_stage = models.CharField(_("原阶段"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=16, choices=Stage.choices, blank=True)
    from_status = models.CharField(_("原状态"), max_length=16, choices=MemberStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=MemberStatus.choices, blank=True)

    objects = ScopedManager()
    scope_region_field = "member__org__region__code"
    scope_unit_field = "member__org__unit_id"

    class Meta:
        ordering = ["member", "at", "id"]
        verbose_name = _("党员发展记录")
        verbose_name_plural = _("党员发展记录")

    def __str__(self):
        return f"{self.member_id} {self.from_stage}→{self.to_stage}"


class Meeting(Versioned, Timestamped):
    """One record of organisational life: a 三会一课 meeting or a 主题党日."""

    org = models.ForeignKey(
        PartyOrg, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=MeetingKind.choices)
    held_on = models.DateField(_("日期"))
    topic = models.CharField(_("主题"), max_length=200)
    attendees = models.ManyToManyField(PartyMember, verbose_name=_("参会党员"), blank=True, related_name="+")
    # 列席: people who attended but are not members of the organisation, by name.
    guests = models.JSONField(_("列席人员"), default=list, blank=True)
    # Derived by party.services from the members ticked, never typed: a count can't exceed its list.
    attendee_count = models.PositiveSmallIntegerField(_("实到党员"), default=0, editable=False)
    absent_count = models.PositiveSmallIntegerField(_("缺席党员"), default=0, editable=False)
    minutes = models.TextField(_("会议记录"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = ORG_SCOPE["region"]
    scope_unit_field = ORG_SCOPE["unit"]

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("组织生活")
        verbose_name_plural = _("组织生活")
        indexes = [models.Index(fields=["org", "kind", "held_on"], name="party_meeting_org_kind_on")]

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()} {self.topic}"


class MeetingPhoto(models.Model):
    """A photo of a meeting, served only through the scoped photo view."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("照片"), upload_to="party/meetings/%Y/%m/")
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField(_("大小(字节)"), editable=False)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field = "meeting__org__region__code"
    scope_unit_field = "meeting__org__unit_id"

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("会议照片")
        verbose_name_plural = _("会议照片")

    def __str__(self):
        return f"{self.meeting_id} #{self.pk}"


# --- scoring rubrics (reference data edited in the back office) ---------------------------------

# Two rubrics score party work: the standardisation checklist (a branch, yearly) and the monthly
# indicator set (a village cadre). Both are a named, issued, switchable list of criteria, each worth
# at most some points; the checklist groups its criteria in categories.


class Rubric(models.Model):
    """A scoring rubric: a named list of criteria issued by some authority; reference data."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    issued_by = models.CharField(_("发布机关"), max_length=100, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class RubricItem(models.Model):
    """One criterion of a rubric and the most points it can earn."""

    name = models.CharField(_("名称"), max_length=200)
    max_points = models.DecimalField(_("满分"), **SCORE)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gt=0), name="%(app_label)s_%(class)s_max_points_positive"
            )
        ]

    def __str__(self):
        return self.name


# --- standardisation (checklists) ---------------------------------------------------------------


class Checklist(Rubric):
    """A standardisation checklist (e.g. Gansu's 7 categories and 42 standards)."""

    class Meta(Rubric.Meta):
        verbose_name = _("标准化考评表")
        verbose_name_plural = _("标准化考评表")


class ChecklistCategory(models.Model):
    """A category of a checklist (组织设置, 组织生活 …)."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("考评表"), on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(_("类别"), max_length=50)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["checklist", "order", "id"]
        verbose_name = _("考评类别")
        verbose_name_plural = _("考评类别")
        constraints = [models.UniqueConstraint(fields=["checklist", "name"], name="party_category_unique")]

    def __str__(self):
        return self.name


class ChecklistItem(RubricItem):
    """One standard of a checklist category."""

    category = models.ForeignKey(
        ChecklistCategory, verbose_name=_("类别"), on_delete=models.CASCADE, related_name="items"
    )

    class Meta(RubricItem.Meta):
        ordering = ["category", "order", "id"]
        verbose_name = _("考评标准")
        verbose_name_plural = _("考评标准")


class BranchScore(Versioned, Updated):
    """A branch's yearly standardisation score against a checklist, with its star rating."""

    org = models.ForeignKey(
        PartyOrg, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="scores"
    )
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("考评表"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    total = models.DecimalField(_("总分"), default=Decimal(0), editable=False, **SCORE)
    star = models.PositiveSmallIntegerField(_("星级"), choices=Star.choices, default=Star.ONE, editable=False)
    satisfaction = models.DecimalField(
        _("群众满意度(%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    scored_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("评分人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = ORG_SCOPE["region"]
    scope_unit_field = ORG_SCOPE["unit"]

    class Meta:
        ordering = ["-year", "-total", "org"]
        verbose_name = _("标准化评分")
        verbose_name_plural = _("标准化评分")
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="party_score_one_per_year")]

    def __str__(self):
        return f"{self.org} {self.year}"


class ItemScore(models.Model):
    """The points one standard earned in a branch's yearly score."""

    score = models.ForeignKey(
        BranchScore, verbose_name=_("评分"), on_delete=models.CASCADE, related_name="items"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("标准"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(_("得分"), **SCORE)

    objects = ScopedManager()
    scope_region_field = "score__org__region__code"
    scope_unit_field = "score__org__unit_id"

    class Meta:
        ordering = ["score", "item"]
        verbose_name = _("标准得分")
        verbose_name_plural = _("标准得分")
        constraints = [models.UniqueConstraint(fields=["score", "item"], name="party_itemscore_unique")]

    def __str__(self):
        return f"{self.item_id}: {self.points}"


# --- weak and lax branches ----------------------------------------------------------------------


class WeakCase(Versioned, Timestamped):
    """A weak and lax (软弱涣散) branch case: criteria met, rectification plan, owner, deadline."""

    org = models.ForeignKey(
        PartyOrg, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="weak_cases"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    criteria = models.JSONField(_("认定情形"), default=list)
    description = models.TextField(_("问题描述"), blank=True)
    plan = models.TextField(_("整改方案"), blank=True)
    owner = models.CharField(_("整改责任人"), max_length=50, blank=True)
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=WeakStatus.choices, default=WeakStatus.IDENTIFIED
    )

    objects = ScopedManager()
    scope_region_field = ORG_SCOPE["region"]
    scope_unit_field = ORG_SCOPE["unit"]

    class Meta:
        ordering = ["-year", "org", "id"]
        verbose_name = _("软弱涣散党组织")
        verbose_name_plural = _("软弱涣散党组织")

    def __str__(self):
        return f"{self.org} {self.year}"


class WeakCaseEvent(StatusEvent):
    """One step of a weak-branch case (who, when, from, to, why)."""

    case = models.ForeignKey(
        WeakCase, verbose_name=_("整顿事项"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=WeakStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=WeakStatus.choices)

    objects = ScopedManager()
    scope_region_field = "case__org__region__code"
    scope_unit_field = "case__org__unit_id"

    class Meta:
        ordering = ["case", "at", "id"]
        verbose_name = _("整顿记录")
        verbose_name_plural = _("整顿记录")

    def __str__(self):
        return f"{self.case_id} {self.from_status}→{self.to_status}"


# --- reserve pool -------------------------------------------------------------------------------


class ReserveCadre(Versioned, Timestamped):
    """A person in a village's reserve pool of cadres (后备干部库)."""

    org = models.ForeignKey(
        PartyOrg, verbose_name=_("村党组织"), on_delete=models.PROTECT, related_name="reserves"
    )
    name = models.CharField(_("姓名"), max_length=50)
    person = models.ForeignKey(
        "registry.Member",
        verbose_name=_("关联建档人口"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sex = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))])
    birth_year = models.PositiveSmallIntegerField(_("出生年份"))
    education = models.CharField(_("文化程度"), max_length=16, choices=Education.choices)
    is_party_member = models.BooleanField(_("中共党员"), default=False)
    current_work = models.CharField(_("现任职务/从业"), max_length=100, blank=True)
    added_on = models.DateField(_("入库日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ReserveStatus.choices, default=ReserveStatus.IN_POOL
    )

    objects = ScopedManager()
    scope_region_field = ORG_SCOPE["region"]
    scope_unit_field = ORG_SCOPE["unit"]

    class Meta:
        ordering = ["org", "name", "id"]
        verbose_name = _("后备干部")
        verbose_name_plural = _("后备干部")

    def __str__(self):
        return self.name


class ReserveAssessment(models.Model):
    """A yearly assessment of a reserve cadre."""

    cadre = models.ForeignKey(
        ReserveCadre, verbose_name=_("后备干部"), on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    result = models.CharField(_("考核结果"), max_length=16, choices=AssessmentResult.choices)
    note = models.CharField(_("评语"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field = "cadre__org__region__code"
    scope_unit_field = "cadre__org__unit_id"

    class Meta:
        ordering = ["cadre", "-year"]
        verbose_name = _("后备干部考核")
        verbose_name_plural = _("后备干部考核")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "year"], name="party_assessment_one_per_year")
        ]

    def __str__(self):
        return f"{self.cadre} {self.year}"


# --- monthly cadre performance evaluation (绩效月考评) --------------------------------------------


class IndicatorSet(Rubric):
    """A set of monthly evaluation indicators (e.g. 徽县's 绩效月考评)."""

    class Meta(Rubric.Meta):
        verbose_name = _("考评指标体系")
        verbose_name_plural = _("考评指标体系")


class Indicator(RubricItem):
    """One indicator of a set; its points are the most it can earn in a month."""

    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("指标体系"), on_delete=models.CASCADE, related_name="indicators"
    )

    class Meta(RubricItem.Meta):
        ordering = ["indicator_set", "order", "id"]
        verbose_name = _("考评指标")
        verbose_name_plural = _("考评指标")


class VillageCadre(models.Model):
    """A village cadre (村两委干部) scored monthly; linked to the village's party organisation."""

    org = models.ForeignKey(
        PartyOrg, verbose_name=_("村党组织"), on_delete=models.PROTECT, related_name="cadres"
    )
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=50)
    active = models.BooleanField(_("在任"), default=True)

    objects = ScopedManager()
    scope_region_field = ORG_SCOPE["region"]
    scope_unit_field = ORG_SCOPE["unit"]

    class Meta:
        ordering = ["org", "id"]
        verbose_name = _("村干部")
        verbose_name_plural = _("村干部")
        constraints = [models.UniqueConstraint(fields=["org", "name", "post"], name="party_cadre_unique")]

    def __str__(self):
        return f"{self.name}({self.post})"


class CadreMonthScore(Versioned, Updated):
    """A village cadre's score for one month against an indicator set."""

    cadre = models.ForeignKey(
        VillageCadre, verbose_name=_("村干部"), on_delete=models.PROTECT, related_name="scores"
    )
    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("指标体系"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    total = models.DecimalField(_("总分"), default=Decimal(0), editable=False, **SCORE)
    points = models.JSONField(_("各项得分"), default=dict)
    scored_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("评分人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = "cadre__org__region__code"
    scope_unit_field = "cadre__org__unit_id"

    class Meta:
        ordering = ["-month", "-total", "cadre"]
        verbose_name = _("绩效月考评")
        verbose_name_plural = _("绩效月考评")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "month"], name="party_cadre_one_score_a_month")
        ]

    def __str__(self):
        return f"{self.cadre} {self.month:%Y-%m}"


# --- branch pairings (支部结对共建) ---------------------------------------------------------------


class Pairing(Versioned, Created):
    """A pairing of an assisting branch (enterprise, agency) with a village branch."""

    helper = models.ForeignKey(
        PartyOrg, verbose_name=_("帮扶方支部"), on_delete=models.PROTECT, related_name="+"
    )
    village_branch = models.ForeignKey(
        PartyOrg, verbose_name=_("结对村支部"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.TextField(_("共建内容"), blank=True)

    objects = ScopedManager()
    # Both sides see the pairing: the village's area through its branch, the unit through its own.
    scope_region_field = ("village_branch__region__code", "helper__region__code")
    scope_unit_field = "helper__unit_id"

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = _("支部结对")
        verbose_name_plural = _("支部结对")
        constraints = [
            models.CheckConstraint(
                condition=~Q(helper=models.F("village_branch")),
                name="party_pairing_two_sides",
                violation_error_message=_("结对双方不能是同一个组织"),
            ),
            models.UniqueConstraint(
                fields=["helper", "village_branch", "started_on"], name="party_pairing_unique_start"
            ),
        ]

    def __str__(self):
        return f"{self.helper} ↔ {self.village_branch}"


class PairingActivity(Created):
    """An activity under a pairing: a visit, a lecture, a donation in kind, a joint event."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("活动类型"), max_length=16, choices=ActivityKind.choices)
    held_on = models.DateField(_("日期"))
    title = models.CharField(_("活动名称"), max_length=200)
    description = models.TextField(_("活动内容"), blank=True)
    participants = models.PositiveSmallIntegerField(_("参加人数"), default=0)
    donated_items = models.CharField(
        _("捐赠物品"), max_length=300, blank=True, help_text=_("如:国旗、党旗、党建书籍")
    )
    donated_value = models.DecimalField(
        _("折合金额(元)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field = ("pairing__village_branch__region__code", "pairing__helper__region__code")
    scope_unit_field = "pairing__helper__unit_id"

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("共建活动")
        verbose_name_plural = _("共建活动")
        constraints = [
            models.CheckConstraint(
                condition=Q(donated_value__isnull=True) | Q(donated_value__gte=0),
                name="party_activity_value_ge_0",
            )
        ]

    def __str__(self):
        return f"{self.held_on} {self.title}"
