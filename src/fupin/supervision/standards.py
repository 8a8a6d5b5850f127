"""The consolidation standards (巩固拓展脱贫攻坚成果考核) a county is assessed against, as data.

Each standard reads one figure of the indicator catalogue (`core.indicators.catalogue()`) for the
county through `reports.selectors.figure` — the rollup, the one place figures come from — or the
ratio of two figures (`of`: the denominator's code and category, × 100), and compares it with a
threshold. A standard met scores its points; one not met scores none; the assessor may adjust
either with a note (services.score_item). Points add up to 100.

`period`: SNAPSHOT figures read as they stand on the day the assessment is computed (a draft is
refreshed until it is final, which fixes them); YEAR figures read the assessment's year.
`if_none`: what a figure without a value means (a ratio whose denominator is zero — no poor village
needs a first secretary, no branch owed a meeting): True counts it as met, False as not met.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from fupin.supervision.choices import Comparison

SNAPSHOT, YEAR = "snapshot", "year"


@dataclass(frozen=True)
class Standard:
    key: str
    name: str
    points: Decimal
    indicator: str
    comparison: str
    threshold: Decimal
    category: str = ""
    of: tuple[str, str] | None = None  # the denominator (code, category): a rate, × 100
    period: str = SNAPSHOT
    if_none: bool = False
    unit: str = ""

    def judge(self, value: Decimal | None) -> bool:
        if value is None:
            return self.if_none
        if self.comparison == Comparison.EQ:
            return value == self.threshold
        if self.comparison == Comparison.GE:
            return value >= self.threshold
        return value <= self.threshold

    def period_for(self, year: int) -> str:
        return str(year) if self.period == YEAR else ""


D = Decimal
# The county consolidation standards, in the order of the checklist (100 points).
#
# The points, by what the checklist weighs: the outcomes a county is judged on first — no household
# back in poverty (15), 两不愁三保障 and water secured (10), incomes above the monitoring line (10):
# 35; monitoring's work — measures for every object still monitored (10) and leads decided in time
# (10) over the elimination rate (5, down from 10: a fast elimination is what the national
# data-quality checks flag, so speed earns least): 25; assistance — first secretaries (10), visits
# (5): 15; party building — 三会一课 (10), weak branches rectified (5): 15; funds spent (10).
STANDARDS: tuple[Standard, ...] = (
    Standard(
        key="returned_households",
        name=_("返贫户数"),
        points=D(15),
        indicator="registry.households",
        category="returned",
        comparison=Comparison.EQ,
        threshold=D(0),
        unit=_("户"),
    ),
    Standard(
        key="living_standard",
        name=_("两不愁三保障及饮水安全达标"),
        points=D(10),
        indicator="registry.living_unmet",
        comparison=Comparison.EQ,
        threshold=D(0),
        unit=_("户"),
    ),
    Standard(
        key="income_above_line",
        name=_("人均纯收入高于当地监测线"),
        points=D(10),
        indicator="monitoring.below_line",
        comparison=Comparison.EQ,
        threshold=D(0),
        period=YEAR,
        unit=_("户"),
    ),
    Standard(
        key="elimination_rate",
        name=_("监测对象风险消除率"),
        points=D(5),
        indicator="monitoring.objects_by_status",
        category="eliminated",
        of=("monitoring.objects_by_status", ""),
        comparison=Comparison.GE,
        threshold=D(60),
        if_none=True,
        unit="%",
    ),
    Standard(
        key="measure_coverage",
        name=_("监测对象帮扶措施覆盖率"),
        points=D(10),
        indicator="monitoring.objects_with_measures",
        of=("monitoring.objects_by_status", "monitored"),
        comparison=Comparison.EQ,
        threshold=D(100),
        if_none=True,
        unit="%",
    ),
    Standard(
        key="secretary_coverage",
        name=_("驻村第一书记覆盖率"),
        points=D(10),
        indicator="assistance.secretary_coverage",
        comparison=Comparison.EQ,
        threshold=D(100),
        if_none=True,
        unit="%",
    ),
    Standard(
        key="overdue_leads",
        name=_("逾期未研判风险线索"),
        points=D(10),
        indicator="monitoring.overdue_leads",
        comparison=Comparison.EQ,
        threshold=D(0),
        unit=_("条"),
    ),
    Standard(
        key="overdue_visits",
        name=_("逾期未走访户数"),
        points=D(5),
        indicator="assistance.overdue_visits",
        comparison=Comparison.EQ,
        threshold=D(0),
        unit=_("户"),
    ),
    Standard(
        key="meetings_completion",
        name=_("三会一课完成率"),
        points=D(10),
        indicator="party.meetings_completion",
        comparison=Comparison.GE,
        threshold=D(90),
        period=YEAR,
        if_none=True,
        unit="%",
    ),
    Standard(
        key="funds_disbursed_rate",
        name=_("帮扶资金支出率"),
        points=D(10),
        indicator="projects.funds_disbursed",
        of=("projects.funds_allocated", ""),
        comparison=Comparison.GE,
        threshold=D(90),
        period=YEAR,
        unit="%",
    ),
    Standard(
        key="weak_rectified_rate",
        name=_("软弱涣散党组织整顿销号率"),
        points=D(5),
        indicator="party.weak_rectified",
        of=("party.weak_identified", ""),
        comparison=Comparison.EQ,
        threshold=D(100),
        period=YEAR,
        if_none=True,
        unit="%",
    ),
)

assert sum(s.points for s in STANDARDS) == 100
BY_KEY = {s.key: s for s in STANDARDS}
