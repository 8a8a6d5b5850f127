"""Monitoring's figures in the indicator catalogue (core.indicators): 监测对象 (households and people,
by type, risk, layer and status), 新识别 and 风险消除 per month, 逾期线索 now, and leads per month
by channel.

监测对象 counts households, each once, by its current monitoring object (the latest identified; a
household re-identified after an elimination has an older, eliminated object too, which is history):
by type, layer and status that object's; by risk each of its risks (a household with two risks counts
under both, once in the total). A household without a layer or a risk counts in the total only.
People are the household's members (家庭人口). 新识别 and 风险消除 count objects by the month of their
identification and of their elimination, and (`*_people`) their households' members. 逾期线索 is the lead list's own rule (selectors_lists.
urgency_q): open leads past their step's deadline today, red past the decision limit.
Each drill opens the monitoring list (监测对象 or 风险线索) with the filters that list exactly the
records counted.

Two figures back the county consolidation standards (supervision.standards) and their drills can
only come close (no list filters on what they count; each says which records it lists):
有帮扶措施的监测对象 — current objects still monitored whose 一户一策 holds a measure that answers the
object, by the data-quality check's rule (quality `no_measure`: not cancelled, and recorded on or after
the identification or still planned or in progress); 收入低于监测标准 — the yearly incomes (one per
household and year, any registered household: monitoring covers former poor and ordinary households
alike) whose per-capita income after 合规自付支出 (the one income definition the risk rules compare) is
below the monitoring line of that year for the household's village, resolved by the risk rules' own
SQL (rules.Compiler.lines / LINE: the county's line, else the city's, else the province's).
"""

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    Exists,
    Expression,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from fupin.assistance import selectors as assistance
from fupin.core.indicators import MONTH, SNAPSHOT, YEAR, Indicator, month_of, register
from fupin.monitoring import selectors_lists
from fupin.monitoring.choices import Channel, ObjectStatus, ObjectType, Risk, Urgency
from fupin.monitoring.models import Lead, MonitoringLine, MonitoringObject
from fupin.monitoring.quality import CANCELLED, IN_PROGRESS
from fupin.monitoring.rules import Compiler
from fupin.registry import selectors as registry

# The layers the data migration seeds (0002_seed_layers_rules); a layer added later is counted under
# its code all the same.
LAYERS = {
    "key_relief": _("重点救助"),
    "dibao_relief": _("低保救助"),
    "latent_risk": _("潜在风险"),
    "development": _("发展支持"),
}

OBJECT_SOURCES = (
    ("monitoring.MonitoringObject", "household__village_id"),
    ("monitoring.ObjectRisk", "object__household__village_id"),
)
PEOPLE_SOURCES = (*OBJECT_SOURCES, ("registry.Household", "village_id"))
LEAD_SOURCES = (("monitoring.Lead", "village_id"),)


class Today(Expression):
    """The day urgency is judged on (selectors_lists.today), read when the query is compiled, so a
    declaration made at import still judges each refresh on its own day."""

    output_field = DateField()

    def as_sql(self, compiler, connection):
        return "%s", [connection.ops.adapt_datefield_value(selectors_lists.today())]


def current_objects(objects=None):
    """Each household's current monitoring object: no object of the same household identified
    later (or the same day with a higher id)."""
    objects = MonitoringObject._base_manager.all() if objects is None else objects
    later = MonitoringObject._base_manager.filter(household_id=OuterRef("household_id")).filter(
        Q(identified_on__gt=OuterRef("identified_on"))
        | Q(identified_on=OuterRef("identified_on"), pk__gt=OuterRef("pk"))
    )
    return objects.filter(~Exists(later))


def overdue_leads():
    """Open leads past their step's deadline or the decision limit, today (the lead list's rule)."""
    return Lead._base_manager.filter(
        selectors_lists.urgency_q(selectors_lists.OVERDUE, selectors_lists.today())
    )


def _url(name: str, code: str, **params) -> str:
    query = {"division": code, **{k: v for k, v in params.items() if v not in ("", None)}}
    return f"{reverse(name)}?{urlencode(query)}"


def _objects_drill(filter_name: str | None):
    def drill(code: str, period: str, category: str) -> str:
        params = {"current": "on"}
        if filter_name:
            params[filter_name] = category
        return _url("monitoring:object_list", code, **params)

    return drill


# (name, category expression, categories, the object list's filter for a category,
#  households' name, people's name, the breakdown's definition)
BREAKDOWNS = (
    (
        "type",
        F("type"),
        dict(ObjectType.choices),
        "type",
        _("监测对象户数(按类型)"),
        _("监测对象人数(按类型)"),
        _("每户按其当前(最近识别的)监测对象计一次,按监测对象类型分列。"),
    ),
    (
        "risk",
        F("risks__risk"),
        dict(Risk.choices),
        "risk",
        _("监测对象户数(按风险类型)"),
        _("监测对象人数(按风险类型)"),
        _("每户按其当前监测对象计一次,按风险类型分列:有两项风险的户在两类中各计一次,合计只计一次。"),
    ),
    (
        "layer",
        F("layer__code"),
        LAYERS,
        "layer",
        _("监测对象户数(按帮扶层级)"),
        _("监测对象人数(按帮扶层级)"),
        _("每户按其当前监测对象计一次,按分层分类帮扶的层级分列;未分层的户只计入合计。"),
    ),
    (
        "status",
        F("status"),
        dict(ObjectStatus.choices),
        "status",
        _("监测对象户数(按风险状态)"),
        _("监测对象人数(按风险状态)"),
        _("每户按其当前监测对象计一次,按风险未消除、已消除分列。"),
    ),
)

OBJECT_INDICATORS = []
for name, category_of, categories, filter_name, households, people, definition in BREAKDOWNS:
    for prefix, title, unit, value, sources in (
        ("objects", households, _("户"), Count("id"), OBJECT_SOURCES),
        ("object_people", people, _("人"), Sum("household__member_count"), PEOPLE_SOURCES),
    ):
        OBJECT_INDICATORS.append(
            register(
                Indicator(
                    code=f"monitoring.{prefix}_by_{name}",
                    name=title,
                    definition=definition,
                    unit=unit,
                    period=SNAPSHOT,
                    rows=current_objects,
                    code_field="household__village__code",
                    value=value,
                    category_of=category_of,
                    categories=categories,
                    drill=_objects_drill(filter_name),
                    sources=sources,
                )
            )
        )

IDENTIFIED = register(
    Indicator(
        code="monitoring.identified",
        name=_("新识别监测对象"),
        definition=_("按识别日期所在月份统计的新识别监测对象户数,按监测对象类型分列。"),
        unit=_("户"),
        period=MONTH,
        rows=lambda: MonitoringObject._base_manager.all(),
        code_field="household__village__code",
        value=Count("id"),
        period_of=month_of("identified_on"),
        category_of=F("type"),
        categories=dict(ObjectType.choices),
        drill=lambda code, period, category: _url(
            "monitoring:object_list", code, identified_in=period, type=category
        ),
        sources=OBJECT_SOURCES,
    )
)

ELIMINATED = register(
    Indicator(
        code="monitoring.eliminated",
        name=_("风险消除"),
        definition=_("按风险消除日期所在月份统计的风险已消除的监测对象户数。"),
        unit=_("户"),
        period=MONTH,
        rows=lambda: MonitoringObject._base_manager.filter(eliminated_on__isnull=False),
        code_field="household__village__code",
        value=Count("id"),
        period_of=month_of("eliminated_on"),
        drill=lambda code, period, category: _url("monitoring:object_list", code, eliminated_in=period),
        sources=OBJECT_SOURCES,
    )
)

# The people beside the households (the quarterly notice reports both): the members (家庭人口) of the
# households counted above, as recorded now, like 监测对象人数.
IDENTIFIED_PEOPLE = register(
    Indicator(
        code="monitoring.identified_people",
        name=_("新识别监测对象人数"),
        definition=_("按识别日期所在月份统计的新识别监测对象的家庭人口,按监测对象类型分列。"),
        unit=_("人"),
        period=MONTH,
        rows=lambda: MonitoringObject._base_manager.all(),
        code_field="household__village__code",
        value=Sum("household__member_count"),
        period_of=month_of("identified_on"),
        category_of=F("type"),
        categories=dict(ObjectType.choices),
        drill=lambda code, period, category: _url(
            "monitoring:object_list", code, identified_in=period, type=category
        ),
        sources=PEOPLE_SOURCES,
    )
)

ELIMINATED_PEOPLE = register(
    Indicator(
        code="monitoring.eliminated_people",
        name=_("风险消除人数"),
        definition=_("按风险消除日期所在月份统计的风险已消除的监测对象的家庭人口。"),
        unit=_("人"),
        period=MONTH,
        rows=lambda: MonitoringObject._base_manager.filter(eliminated_on__isnull=False),
        code_field="household__village__code",
        value=Sum("household__member_count"),
        period_of=month_of("eliminated_on"),
        drill=lambda code, period, category: _url("monitoring:object_list", code, eliminated_in=period),
        sources=PEOPLE_SOURCES,
    )
)

OVERDUE_LEADS = register(
    Indicator(
        code="monitoring.overdue_leads",
        name=_("逾期线索"),
        definition=_("办理中、今天已超过本环节时限的风险线索数;超过审定时限的为红色预警,其余为黄色预警。"),
        unit=_("条"),
        period=SNAPSHOT,
        rows=overdue_leads,
        code_field="village__code",
        value=Count("id"),
        category_of=Case(
            When(decision_due__lt=Today(), then=Value(Urgency.RED.value)),
            default=Value(Urgency.ORANGE.value),
        ),
        categories={Urgency.ORANGE.value: Urgency.ORANGE.label, Urgency.RED.value: Urgency.RED.label},
        drill=lambda code, period, category: _url(
            "monitoring:lead_list", code, urgency=category or selectors_lists.OVERDUE
        ),
        sources=LEAD_SOURCES,
    )
)

LEADS = register(
    Indicator(
        code="monitoring.leads",
        name=_("风险线索"),
        definition=_("按发起日期所在月份统计的风险线索数(各环节、各结果),按线索来源分列。"),
        unit=_("条"),
        period=MONTH,
        rows=lambda: Lead._base_manager.all(),
        code_field="village__code",
        value=Count("id"),
        period_of=month_of("opened_on"),
        category_of=F("channel"),
        categories=dict(Channel.choices),
        drill=lambda code, period, category: _url(
            "monitoring:lead_list", code, opened_in=period, channel=category
        ),
        sources=LEAD_SOURCES,
    )
)


# --- the figures of the county consolidation standards (supervision.standards) ------------------

MEASURE_SOURCES = (*OBJECT_SOURCES, ("assistance.Measure", "plan__household__village_id"))
# A line set or changed (monitoring.MonitoringLine, at a province, city or county code) marks no
# village: the nightly full refresh rewrites the figure, as for any write the hooks cannot see.
INCOME_SOURCES = (("registry.YearlyIncome", "household__village_id"),)


def measured_objects():
    """The current objects still monitored whose household's 一户一策 holds a measure answering the
    object: the data-quality check `no_measure`'s rule (quality.py), so an object counted here is
    never flagged there."""
    measures = (
        assistance.measure_rows()
        .filter(household_id=OuterRef("household_id"))
        .exclude(status=CANCELLED)
        .filter(Q(created_at__gte=OuterRef("identified_on")) | Q(status__in=IN_PROGRESS))
    )
    return current_objects().filter(status=ObjectStatus.MONITORED).filter(Exists(measures))


class LineOf(Expression):
    """The monitoring line (监测标准) of an income's year for a household's village, by the risk
    rules' own resolution (rules.Compiler.lines and LINE, the county's line before the city's and
    the province's): their SQL, over the outer row's year and village as the `yi` and `h` it reads.
    NULL where no line is set."""

    output_field = DecimalField(max_digits=12, decimal_places=2)

    def __init__(self, year, village):
        super().__init__()
        self.year, self.village = year, village

    def get_source_expressions(self):
        return [self.year, self.village]

    def set_source_expressions(self, exprs):
        self.year, self.village = exprs

    def as_sql(self, compiler, connection):
        year, year_params = compiler.compile(self.year)
        village, village_params = compiler.compile(self.village)
        # The rules' constants and Django's compiled column references; values are parameters.
        sql = f"(SELECT {Compiler.LINE} FROM (SELECT {year} AS year) yi "  # noqa: S608
        sql += f"CROSS JOIN (SELECT {village} AS village_id) h {Compiler.lines()})"
        return sql, (*year_params, *village_params)


def incomes_below_line():
    """Each household's income of a year whose per-capita income after 合规自付支出 is below that
    year's monitoring line for its village (no line set: not counted)."""
    line = LineOf(F("year"), F("household__village_id"))
    # No income at or above the highest line of all is below its own: compared first (a constant
    # the database computes once), it spares most incomes the line's lookup, which made for every
    # income took six times what joins take (PostgreSQL, a million incomes).
    highest = MonitoringLine._base_manager.order_by("-amount").values("amount")[:1]
    return (
        registry.income_rows()
        .filter(per_capita_after_costs__lt=Subquery(highest))
        .filter(per_capita_after_costs__lt=line)
    )


OBJECTS_WITH_MEASURES = register(
    Indicator(
        code="monitoring.objects_with_measures",
        name=_("有帮扶措施的监测对象户数"),
        definition=_(
            "风险未消除的监测对象(每户按其当前监测对象计一次)中,一户一策有帮扶措施的户数:措施未取消,"
            "且在识别之日或之后录入、或仍在计划或实施中(与数据质量检查“识别一个月后无帮扶措施”同一口径)。"
            "除以风险未消除的监测对象户数即监测对象帮扶措施覆盖率。"
        ),
        unit=_("户"),
        period=SNAPSHOT,
        rows=measured_objects,
        code_field="household__village__code",
        value=Count("id"),
        # The closest list: the object list has no filter for measures, so the drill lists the
        # objects still monitored (the rate's denominator), those without a measure among them.
        drill=lambda code, period, category: _url(
            "monitoring:object_list", code, current="on", status=ObjectStatus.MONITORED
        ),
        sources=MEASURE_SOURCES,
    )
)

BELOW_LINE = register(
    Indicator(
        code="monitoring.below_line",
        name=_("收入低于监测标准户数"),
        definition=_(
            "录入当年收入的农户中,扣除合规自付支出后的人均纯收入低于当年当地监测标准的户数"
            "(监测标准取县级设定,无则取市级、省级;未设定当年监测标准的地区不计)。"
        ),
        unit=_("户"),
        period=YEAR,
        rows=incomes_below_line,
        code_field="household__village__code",
        value=Count("household_id"),
        period_of=Cast(F("year"), CharField()),
        # The closest list: the household list cannot filter by the monitoring line, so the drill
        # lists the households with that year's income (those below the line among them).
        drill=lambda code, period, category: _url("registry:household_list", code, income_year=period),
        sources=INCOME_SOURCES,
    )
)
