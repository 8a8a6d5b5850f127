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
"""

from django.db.models import Case, Count, DateField, Exists, Expression, F, OuterRef, Q, Sum, Value, When
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from fupin.core.indicators import MONTH, SNAPSHOT, Indicator, month_of, register
from fupin.monitoring import selectors_lists
from fupin.monitoring.choices import Channel, ObjectStatus, ObjectType, Risk, Urgency
from fupin.monitoring.models import Lead, MonitoringObject

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
