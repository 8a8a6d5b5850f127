"""The registry's figures in the indicator catalogue (core.indicators): households and people
registered (by status), the rural population of villages (农村户籍人口), 贫困发生率, and the
yearly income (家庭纯收入, 计算人口, 人均纯收入).

Who counts as poor in a year (the registry keeps each household's status and exit year, not a
history of statuses): a household whose status is 未脱贫 or 返贫, or 已脱贫 with an exit year after
that year — the rule of `registry.incidence` — and only in a village whose 农村户籍人口 for that
year is recorded (VillagePopulation), so that the numerator and the denominator of the incidence
cover the same villages. Each drill opens the household list (农户) filtered to the households
counted: a people figure lists the households whose members it counts.

两不愁三保障及饮水安全未达标 (a county consolidation standard, supervision.standards) counts, as things
stand, the households whose recorded facts say one of them is not secured: the latest 两不愁三保障 check
(LivingCheck: food, clothing, compulsory education, basic medical care, housing safety, water) fails
an item, or the household's own record says 饮水安全 no, or a member's says 辍学 or not insured
(城乡居民基本医疗保险) — the facts the checks are made from. Food, clothing and housing safety are
recorded by the checks only (the household's record has the housing's structure and year, not
whether it is a 危房). The household list cannot filter by these: its drill lists the division's
households, those counted among them.
"""

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from fupin.core.indicators import RATIO, SNAPSHOT, YEAR, Indicator, register
from fupin.registry.choices import SchoolStatus, Status
from fupin.registry.models import Household, LivingCheck, Member, VillagePopulation, YearlyIncome

STATUSES = dict(Status.choices)
POOR_STATUSES = (Status.POOR, Status.RETURNED)

HOUSEHOLD_SOURCES = (("registry.Household", "village_id"),)
PEOPLE_SOURCES = (*HOUSEHOLD_SOURCES, ("registry.Member", "household__village_id"))
POPULATION_SOURCES = (("registry.VillagePopulation", "village_id"),)


def poor_in(year: int) -> Q:
    """Households counted as poor in `year` (the status they hold now, and the exit year)."""
    return Q(status__in=POOR_STATUSES) | Q(status=Status.EXITED, exit_year__gt=year)


def poor_in_year(households, year: int):
    """`households` narrowed to those counted among 贫困人口 of `year`: poor in that year, in a
    village whose 农村户籍人口 of that year is recorded (the household list's 贫困年度 filter)."""
    recorded = VillagePopulation._base_manager.filter(village_id=OuterRef("village_id"), year=year)
    return households.filter(poor_in(year), Exists(recorded))


def _household_list(code: str, **params) -> str:
    query = {"division": code, **{k: v for k, v in params.items() if v not in ("", None)}}
    return f"{reverse('registry:household_list')}?{urlencode(query)}"


def _by_status(code: str, period: str, category: str) -> str:
    return _household_list(code, status=category)


def _poor_people(code: str, period: str, category: str) -> str:
    return _household_list(code, poor_year=period)


def _poor_households():
    # One row per household and year whose village has a population recorded: the year is the
    # population's, and an exited household counts in the years before its exit.
    year = F("village__populations__year")
    return Household._base_manager.filter(
        Q(village__populations__year__isnull=False)
        & (Q(status__in=POOR_STATUSES) | Q(status=Status.EXITED, exit_year__gt=year))
    )


HOUSEHOLDS = register(
    Indicator(
        code="registry.households",
        name=_("登记户数"),
        definition=_("建档立卡系统中登记的农户数,按状态(已登记、未脱贫、已脱贫、返贫)分列。"),
        unit=_("户"),
        period=SNAPSHOT,
        rows=lambda: Household._base_manager.all(),
        code_field="village__code",
        value=Count("id"),
        category_of=F("status"),
        categories=STATUSES,
        drill=_by_status,
        sources=HOUSEHOLD_SOURCES,
    )
)

PEOPLE = register(
    Indicator(
        code="registry.people",
        name=_("登记人数"),
        definition=_("登记农户的家庭人口之和,按户的状态分列。"),
        unit=_("人"),
        period=SNAPSHOT,
        rows=lambda: Household._base_manager.all(),
        code_field="village__code",
        value=Sum("member_count"),
        category_of=F("status"),
        categories=STATUSES,
        drill=_by_status,
        sources=PEOPLE_SOURCES,
    )
)

RURAL_POPULATION = register(
    Indicator(
        code="registry.rural_population",
        name=_("农村户籍人口"),
        definition=_("各行政村当年的农村户籍人口(按数据来源录入),贫困发生率的分母。"),
        unit=_("人"),
        period=YEAR,
        rows=lambda: VillagePopulation._base_manager.all(),
        code_field="village__code",
        value=Sum("population"),
        period_of=Cast(F("year"), CharField()),
        sources=POPULATION_SOURCES,
    )
)

POOR_PEOPLE = register(
    Indicator(
        code="registry.poor_people",
        name=_("贫困人口"),
        definition=_(
            "当年未脱贫、返贫农户及当年之后才脱贫的农户的家庭人口;只计已录入当年农村户籍人口的行政村。"
        ),
        unit=_("人"),
        period=YEAR,
        rows=_poor_households,
        code_field="village__code",
        value=Sum("member_count"),
        period_of=Cast(F("village__populations__year"), CharField()),
        drill=_poor_people,
        sources=(*PEOPLE_SOURCES, *POPULATION_SOURCES),
    )
)

INCIDENCE = register(
    Indicator(
        code="registry.incidence",
        name=_("贫困发生率"),
        definition=_("贫困人口 ÷ 农村户籍人口 × 100%,两者都只计已录入当年农村户籍人口的行政村。"),
        unit="%",
        period=YEAR,
        kind=RATIO,
        parts=(POOR_PEOPLE.code, RURAL_POPULATION.code),
        scale=100,
        drill=_poor_people,
        sources=POOR_PEOPLE.sources,
    )
)

INCOME_SOURCES = (("registry.YearlyIncome", "household__village_id"),)


def with_income_of(households, year: int):
    """`households` narrowed to those with an income recorded for `year` (the household list's
    收入年度 filter: the drill of the income figures)."""
    recorded = YearlyIncome.objects.filter(household=OuterRef("pk"), year=year)
    return households.filter(Exists(recorded))


def _with_income(code: str, period: str, category: str) -> str:
    return _household_list(code, income_year=period)


NET_INCOME = register(
    Indicator(
        code="registry.net_income",
        name=_("家庭纯收入合计"),
        definition=_(
            "当年录入收入的农户的家庭纯收入之和(工资性、生产经营性、财产性、转移性收入减生产经营性支出)。"
        ),
        unit=_("元"),
        period=YEAR,
        rows=lambda: YearlyIncome.objects.all(),
        code_field="household__village__code",
        value=Sum("net_income"),
        period_of=Cast(F("year"), CharField()),
        drill=_with_income,
        sources=INCOME_SOURCES,
    )
)

INCOME_PEOPLE = register(
    Indicator(
        code="registry.income_people",
        name=_("收入计算人口"),
        definition=_("当年录入收入的农户的计算人口之和,人均纯收入的分母。"),
        unit=_("人"),
        period=YEAR,
        rows=lambda: YearlyIncome.objects.all(),
        code_field="household__village__code",
        value=Sum("people"),
        period_of=Cast(F("year"), CharField()),
        drill=_with_income,
        sources=INCOME_SOURCES,
    )
)

INCOME_PER_CAPITA = register(
    Indicator(
        code="registry.income_per_capita",
        name=_("人均纯收入"),
        definition=_("家庭纯收入合计 ÷ 收入计算人口:当年录入收入的农户,按人口加权。"),
        unit=_("元"),
        period=YEAR,
        kind=RATIO,
        parts=(NET_INCOME.code, INCOME_PEOPLE.code),
        drill=_with_income,
        sources=INCOME_SOURCES,
    )
)


LIVING_SOURCES = (
    *PEOPLE_SOURCES,
    ("registry.LivingCheck", "household__village_id"),
)


def living_unmet():
    """The households whose latest 两不愁三保障 check fails an item, or whose record says unsafe
    drinking water, or with a member recorded 辍学 or not in the basic medical insurance."""
    later = LivingCheck._base_manager.filter(household_id=OuterRef("household_id"), year__gt=OuterRef("year"))
    failed = Q()
    for item in LivingCheck.ITEMS:
        failed |= Q(**{item: False})
    latest_failed = (
        LivingCheck._base_manager.filter(household_id=OuterRef("pk")).filter(failed).filter(~Exists(later))
    )
    members = Member._base_manager.filter(household_id=OuterRef("pk")).filter(
        Q(school_status=SchoolStatus.DROPOUT) | Q(medical_insurance=False)
    )
    return Household._base_manager.filter(Q(safe_water=False) | Exists(latest_failed) | Exists(members))


LIVING_UNMET = register(
    Indicator(
        code="registry.living_unmet",
        name=_("两不愁三保障及饮水安全未达标户数"),
        definition=_(
            "最近一次两不愁三保障核查(不愁吃、不愁穿、义务教育、基本医疗、住房安全、饮水安全)有一项未达标,"
            "或户信息记为饮水不安全,或有成员记为辍学、未参加城乡居民基本医疗保险的登记农户数。"
            "不愁吃、不愁穿和住房安全只有核查记录(户信息记住房结构和建房年份,不记是否危房);未核查的户只按户和成员信息计。"
        ),
        unit=_("户"),
        period=SNAPSHOT,
        rows=living_unmet,
        code_field="village__code",
        value=Count("id"),
        # The closest list: the household list has no filter for these facts (see the docstring).
        drill=lambda code, period, category: _household_list(code),
        sources=LIVING_SOURCES,
    )
)
