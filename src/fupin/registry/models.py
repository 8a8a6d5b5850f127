"""The registry (建档立卡): households, members, yearly incomes, 两不愁三保障 checks, poverty lines.

Personal data (ID number, phone, bank account, health, disability) is stored only encrypted
(`*_enc`, core.crypto), with a keyed blind index (`*_bidx`) where exact look-up or uniqueness is
needed. Phones and bank accounts keep a masked copy (`*_masked`) for lists. An ID number keeps no
clear part at all: its masked form (`6201**********1234`) and the birth date are derived from the
decrypted value when shown, because the last four digits (sequence and check digit), the birth date
and the village's county code together ARE the number; only the birth year stays in clear (for age).
Writes go through registry.services; the model methods here only set the derived columns.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fupin.core import crypto
from fupin.core.masking import mask_account, mask_id_number, mask_phone
from fupin.core.models import StatusEvent, Timestamped, Versioned
from fupin.core.scoping import ScopedManager
from fupin.registry.choices import (
    Attribute,
    Cause,
    Education,
    EventAction,
    ExitReview,
    HousingStructure,
    Labour,
    Relation,
    SchoolStatus,
    Sex,
    Status,
    WorkStatus,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
CENT = Decimal("0.01")


class PovertyLine(models.Model):
    """The national poverty line for a year, in current-price yuan per person (editable data)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    amount = models.DecimalField(_("贫困线(元/人·年)"), **MONEY)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("贫困标准")
        verbose_name_plural = _("贫困标准")

    def __str__(self):
        return f"{self.year}: {self.amount}"


class Household(Versioned, Timestamped):
    """A registered household (户) on a village code."""

    number = models.CharField(_("户编号"), max_length=20, unique=True)
    village = models.ForeignKey(
        "regions.Region", verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="households"
    )
    group_name = models.CharField(_("村民小组"), max_length=30, blank=True)
    head_name = models.CharField(_("户主姓名"), max_length=50, editable=False, blank=True)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_bidx = models.CharField(max_length=32, blank=True, editable=False, db_index=True)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    bank_name = models.CharField(_("开户银行"), max_length=50, blank=True)
    bank_account_enc = models.TextField(blank=True, editable=False)
    bank_account_masked = models.CharField(_("银行账号"), max_length=40, blank=True, editable=False)
    attribute = models.CharField(_("贫困户属性"), max_length=16, choices=Attribute.choices)
    main_cause = models.CharField(_("主要致贫原因"), max_length=16, choices=Cause.choices)
    cause2 = models.CharField(_("其他致贫原因一"), max_length=16, choices=Cause.choices, blank=True)
    cause3 = models.CharField(_("其他致贫原因二"), max_length=16, choices=Cause.choices, blank=True)
    housing_area = models.DecimalField(
        _("住房面积(㎡)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    housing_structure = models.CharField(
        _("住房结构"), max_length=16, choices=HousingStructure.choices, blank=True
    )
    housing_year = models.PositiveSmallIntegerField(_("建房年份"), null=True, blank=True)
    relocated = models.BooleanField(_("易地扶贫搬迁"), default=False)
    safe_water = models.BooleanField(_("饮水安全"), default=True)
    electricity = models.BooleanField(_("通生活用电"), default=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    exit_year = models.PositiveSmallIntegerField(_("脱贫年度"), null=True, blank=True)
    exit_review = models.CharField(
        _("脱贫审核"),
        max_length=16,
        choices=ExitReview.choices,
        default=ExitReview.NONE,
        blank=True,
        editable=False,
    )
    exit_review_year = models.PositiveSmallIntegerField(
        _("拟脱贫年度"), null=True, blank=True, editable=False
    )
    member_count = models.PositiveSmallIntegerField(_("家庭人口"), default=0, editable=False)

    objects = ScopedManager()
    scope_region_field = "village__code"
    audit_sensitive_fields = frozenset({"phone_enc", "phone_bidx", "bank_account_enc"})

    class Meta:
        ordering = ["number"]
        verbose_name = _("贫困户")
        verbose_name_plural = _("贫困户")
        permissions = [
            ("reveal_household", _("可以查看完整的个人敏感信息")),
            ("identify_household", _("可以识别贫困户、认定返贫")),
            ("propose_exit", _("可以提出脱贫(村级)")),
            ("check_exit", _("可以审核脱贫(乡镇)")),
            ("approve_exit", _("可以批准脱贫(县级)")),
        ]
        indexes = [
            models.Index(fields=["village", "status"], name="registry_hh_village_status"),
            # Incidence (registry.incidence: members of the households of a code prefix, by status
            # and exit year) read from the index alone: a province at a million people reads 441
            # pages of it instead of the table's 13,645. The pattern opclass makes `LIKE '52%'` a
            # range on PostgreSQL whatever the collation.
            models.Index(
                fields=["village", "status", "exit_year", "member_count"],
                name="registry_hh_incidence",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "int2_ops", "int2_ops"],
            ),
            # The villages with a household still 未脱贫 (first-secretary coverage, its list and
            # figures): the few poor households' entries, not a walk of every household's.
            models.Index(
                fields=["village"],
                name="registry_hh_poor_village",
                condition=Q(status=Status.POOR),
                opclasses=["varchar_pattern_ops"],
            ),
            # The same entries in code order (the column's own operator class), for the coverage
            # list, which walks the poor villages in code order and stops at its page: the pattern
            # class above orders by other operators, so PostgreSQL would sort every poor village.
            models.Index(
                fields=["village"], name="registry_hh_poor_village_order", condition=Q(status=Status.POOR)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(cause2=F("main_cause")) & (Q(cause3="") | ~Q(cause3=F("cause2"))),
                name="registry_household_causes_distinct",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.head_name}"

    def set_phone(self, phone: str) -> None:
        self.phone_enc = crypto.encrypt(phone)
        self.phone_bidx = crypto.blind_index("phone", phone)
        self.phone_masked = mask_phone(phone)

    def set_bank_account(self, account: str) -> None:
        self.bank_account_enc = crypto.encrypt(account)
        self.bank_account_masked = mask_account(account)


def last4_index(digits: str) -> str:
    """The keyed index of an ID number's last four characters (upper-case X as normalised)."""
    return crypto.blind_index("id4", digits.upper())


class Member(Versioned, Timestamped):
    """A person of a household. One person is registered once in the whole system (id_bidx is unique)."""

    household = models.ForeignKey(
        Household, verbose_name=_("户"), on_delete=models.CASCADE, related_name="members"
    )
    # Indexed by the covering indexes in Meta (registry_member_name_hh, …_initials_hh) alone: a
    # second, plain prefix index drew plans that read the member table for each match.
    name = models.CharField(_("姓名"), max_length=50)
    name_initials = models.CharField(max_length=50, editable=False)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), editable=False)
    id_number_enc = models.TextField(editable=False)
    id_number_bidx = models.CharField(max_length=32, unique=True, editable=False)
    # A keyed index of the last four digits: search by them is an exact match, and the digits
    # themselves never sit in the database (see the module docstring).
    id_last4_bidx = models.CharField(max_length=32, editable=False)
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    education = models.CharField(_("文化程度"), max_length=16, choices=Education.choices, blank=True)
    school_status = models.CharField(
        _("在校生状况"), max_length=16, choices=SchoolStatus.choices, default="none"
    )
    health_enc = models.TextField(editable=False, blank=True)
    # A keyed index of a four-valued field reveals how many share a value, not which value it is;
    # accepted so the list can filter by health without decrypting every row.
    health_bidx = models.CharField(max_length=32, editable=False, blank=True, db_index=True)
    disability_enc = models.TextField(editable=False, blank=True)
    labour = models.CharField(_("劳动技能"), max_length=16, choices=Labour.choices, blank=True)
    work_status = models.CharField(_("务工状况"), max_length=16, choices=WorkStatus.choices, default="none")
    months_worked = models.PositiveSmallIntegerField(_("务工时间(月)"), default=0)
    dibao = models.BooleanField(_("享受低保"), default=False)
    medical_insurance = models.BooleanField(_("参加城乡居民基本医疗保险"), default=True)
    pension_insurance = models.BooleanField(_("参加城乡居民基本养老保险"), default=False)

    objects = ScopedManager()
    scope_region_field = "household__village__code"
    audit_sensitive_fields = frozenset(
        {"id_number_enc", "id_number_bidx", "id_last4_bidx", "health_enc", "health_bidx", "disability_enc"}
    )

    class Meta:
        ordering = ["household", "id"]
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        # Covering indexes for the three household searches: the search turns member rows into
        # household ids without visiting the member table (measured at 10 M members, see
        # docs/benchmarks.md). The pattern opclass makes `LIKE 'x%'` usable on PostgreSQL
        # whatever the collation; other databases ignore opclasses.
        indexes = [
            models.Index(
                fields=["name", "household"],
                name="registry_member_name_hh",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            ),
            models.Index(
                fields=["name_initials", "household"],
                name="registry_member_initials_hh",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            ),
            models.Index(fields=["id_last4_bidx", "household"], name="registry_member_last4_hh"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(months_worked__lte=12), name="registry_member_months_le_12"),
        ]

    def __str__(self):
        return f"{self.name} {self.id_number_masked}"

    def set_id_number(self, id_number: str) -> None:
        """`id_number` must already be normalised and validated (registry.idnumbers)."""
        self.id_number_enc = crypto.encrypt(id_number)
        self.id_number_bidx = crypto.blind_index("id", id_number)
        self.id_last4_bidx = last4_index(id_number[-4:])
        self.birth_year = int(id_number[6:10])
        self._id_number = id_number

    def _plain_id_number(self) -> str:
        # Decrypted once per instance: a page shows about twenty members, an export decrypts a row
        # at a time (AES-GCM, microseconds each).
        cached = getattr(self, "_id_number", None)
        if cached is None:
            cached = crypto.decrypt(self.id_number_enc) if self.id_number_enc else ""
            self._id_number = cached
        return cached

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self._plain_id_number())

    @property
    def birth_date_masked(self) -> str:
        """The birth year only: next to the masked number and the village (whose code gives the
        number's hidden area digits) a full birth date would give the number away."""
        return f"{self.birth_year}-**-**" if self.birth_year else ""

    @property
    def birth_date(self) -> datetime.date | None:
        """From the ID number (GB 11643 digits 7–14), which is the only record of it."""
        number = self._plain_id_number()
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14])) if number else None

    def set_health(self, health: str) -> None:
        self.health_enc = crypto.encrypt(health)
        self.health_bidx = crypto.blind_index("health", health)

    def set_disability(self, disability: str) -> None:
        self.disability_enc = crypto.encrypt(disability)


class YearlyIncome(models.Model):
    """A household's income for a year; net and per-capita income are computed by the database."""

    household = models.ForeignKey(
        Household, verbose_name=_("户"), on_delete=models.CASCADE, related_name="incomes"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    people = models.PositiveSmallIntegerField(_("计算人口"))
    wages = models.DecimalField(_("工资性收入"), default=Decimal(0), **MONEY)
    business = models.DecimalField(_("生产经营性收入"), default=Decimal(0), **MONEY)
    transfers = models.DecimalField(_("转移性收入"), default=Decimal(0), **MONEY)
    property = models.DecimalField(_("财产性收入"), default=Decimal(0), **MONEY)
    production_costs = models.DecimalField(_("生产经营性支出"), default=Decimal(0), **MONEY)
    # 合规自付支出 (compliant out-of-pocket costs after insurance) and insurance payouts: monitoring
    # judges a household on its income less what it had to pay itself (DOMAIN.md "Monitoring").
    medical_costs = models.DecimalField(_("合规自付医疗支出"), default=Decimal(0), **MONEY)
    schooling_costs = models.DecimalField(_("合规自付教育支出"), default=Decimal(0), **MONEY)
    disaster_costs = models.DecimalField(_("灾害损失自付支出"), default=Decimal(0), **MONEY)
    insurance_payouts = models.DecimalField(_("商业保险赔付"), default=Decimal(0), **MONEY)
    # Stored, computed by `compute_totals()` in the services, not a GeneratedField: SQLite divides
    # integer-valued decimals as integers (3000 / 7 gave 428.00, PostgreSQL 428.57), and the float
    # arithmetic it falls back to otherwise rounds half-cents differently from PostgreSQL's numeric.
    net_income = models.DecimalField(_("家庭纯收入"), editable=False, default=Decimal(0), **MONEY)
    per_capita = models.DecimalField(
        _("人均纯收入"), editable=False, default=Decimal(0), db_index=True, **MONEY
    )
    # The one income definition monitoring and the 低保 comparison use: net income less compliant
    # self-paid costs (after insurance payouts, never below zero costs), per person.
    compliant_costs = models.DecimalField(_("合规自付支出"), editable=False, default=Decimal(0), **MONEY)
    per_capita_after_costs = models.DecimalField(
        _("扣除合规自付支出后人均纯收入"), editable=False, default=Decimal(0), **MONEY
    )

    objects = ScopedManager()
    scope_region_field = "household__village__code"

    class Meta:
        ordering = ["household", "year"]
        verbose_name = _("年度收入")
        verbose_name_plural = _("年度收入")
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="registry_income_one_per_year"),
            models.CheckConstraint(condition=Q(people__gt=0), name="registry_income_people_positive"),
        ]

    def __str__(self):
        return f"{self.household_id} {self.year}"

    def compute_totals(self) -> None:
        """Net income and per-capita net income, exact in Decimal, rounded half up to the fen."""
        self.net_income = (
            Decimal(self.wages) + Decimal(self.business) + Decimal(self.transfers) + Decimal(self.property)
        ) - Decimal(self.production_costs)
        self.per_capita = (self.net_income / self.people).quantize(CENT, rounding=ROUND_HALF_UP)
        costs = Decimal(self.medical_costs) + Decimal(self.schooling_costs) + Decimal(self.disaster_costs)
        self.compliant_costs = max(costs - Decimal(self.insurance_payouts), Decimal(0))
        self.per_capita_after_costs = ((self.net_income - self.compliant_costs) / self.people).quantize(
            CENT, rounding=ROUND_HALF_UP
        )


class LivingCheck(models.Model):
    """两不愁三保障 and safe drinking water for a household in a year; each failure carries its reason."""

    household = models.ForeignKey(
        Household, verbose_name=_("户"), on_delete=models.CASCADE, related_name="checks"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    food = models.BooleanField(_("不愁吃"), default=True)
    clothing = models.BooleanField(_("不愁穿"), default=True)
    education = models.BooleanField(_("义务教育有保障"), default=True)
    medical = models.BooleanField(_("基本医疗有保障"), default=True)
    housing = models.BooleanField(_("住房安全有保障"), default=True)
    water = models.BooleanField(_("饮水安全有保障"), default=True)
    reasons = models.JSONField(_("未达标原因"), default=dict, blank=True)
    checked_at = models.DateField(_("核查日期"), null=True, blank=True)

    objects = ScopedManager()
    scope_region_field = "household__village__code"

    ITEMS = ("food", "clothing", "education", "medical", "housing", "water")

    class Meta:
        ordering = ["household", "year"]
        verbose_name = _("两不愁三保障")
        verbose_name_plural = _("两不愁三保障")
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="registry_check_one_per_year")
        ]

    def __str__(self):
        return f"{self.household_id} {self.year}"

    @property
    def passed(self) -> bool:
        return all(getattr(self, item) for item in self.ITEMS)

    def failed_items(self) -> list[str]:
        return [item for item in self.ITEMS if not getattr(self, item)]


class HouseholdEvent(StatusEvent):
    """One step of a household's history: a status change or an exit-review step (who, when, why)."""

    household = models.ForeignKey(
        Household, verbose_name=_("户"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("事项"), max_length=24, choices=EventAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Status.choices, blank=True)

    objects = ScopedManager()
    scope_region_field = "household__village__code"

    class Meta:
        ordering = ["household", "at", "id"]
        verbose_name = _("户状态记录")
        verbose_name_plural = _("户状态记录")

    def __str__(self):
        return f"{self.household_id} {self.action}"


class ExitThreshold(models.Model):
    """The incidence below which a village or county may exit, per province (data: 3% in the west)."""

    DEFAULT = Decimal("0.02")

    province_code = models.CharField(_("省级代码"), max_length=2, unique=True)
    threshold = models.DecimalField(_("贫困发生率标准"), max_digits=5, decimal_places=4)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        ordering = ["province_code"]
        verbose_name = _("退出标准")
        verbose_name_plural = _("退出标准")

    def __str__(self):
        return f"{self.province_code}: {self.threshold:.2%}"


class DuplicateReport(models.Model):
    """An attempt to register a person already registered elsewhere, reported to both counties.

    Holds the blind index, so each county can find the person in its own rows, and the number
    encrypted, shown masked.
    """

    existing_county = models.CharField(_("已登记县"), max_length=6)
    attempted_county = models.CharField(_("重复登记县"), max_length=6)
    id_number_bidx = models.CharField(max_length=32, editable=False, db_index=True)
    id_number_enc = models.TextField(editable=False)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved = models.BooleanField(_("已处理"), default=False)

    objects = ScopedManager()
    scope_region_field = ("existing_county", "attempted_county")
    audit_sensitive_fields = frozenset({"id_number_bidx", "id_number_enc"})

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("重复登记报告")
        verbose_name_plural = _("重复登记报告")

    def __str__(self):
        return f"{self.id_number_masked} {self.existing_county}/{self.attempted_county}"

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(crypto.decrypt(self.id_number_enc)) if self.id_number_enc else ""


class VillagePopulation(Timestamped):
    """农村户籍人口 of a village in a year: the denominator of 贫困发生率 (poor people / this × 100).

    The registry holds the households it registered, not everyone with a rural hukou, so the
    population is data, set per village and year from its source (公安户籍, 统计年报) and kept
    beside the source's name; where a village has none for a year, its incidence is not computed."""

    village = models.ForeignKey(
        "regions.Region", verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    population = models.PositiveIntegerField(_("农村户籍人口"))
    source = models.CharField(_("数据来源"), max_length=100, blank=True)

    objects = ScopedManager()
    scope_region_field = "village__code"

    class Meta:
        ordering = ["village", "year"]
        verbose_name = _("农村户籍人口")
        verbose_name_plural = _("农村户籍人口")
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="registry_population_one_per_year"),
        ]

    def __str__(self):
        return f"{self.village_id} {self.year}: {self.population}"
