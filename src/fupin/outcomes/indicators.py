"""The outcomes app's figures for the indicator catalogue (core.indicators): consumption assistance,
job placements and the six indicators of 定点帮扶责任书, per assisting unit (`unit_field`).

The 责任书 figures are the ones `selectors.indicator_actuals` shows (docs/architecture.md,
"Figures"), counted from the same rows: produce from this app's purchases, funds from the projects
app's ledger (`projects.selectors.unit_fund_entries`), training from the assistance app's attendees
(`assistance.selectors.training_attendees`). Each counts where it went: a purchase at its supplier's
place, a placement at the person's home, a budget entry at its source's place, an attendee at the
class's 培训地区.
"""

from urllib.parse import urlencode

from django.db.models import CharField, Count, DecimalField, Sum
from django.db.models.functions import Cast, Coalesce, ExtractYear, Round
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.assistance.choices import TrainingKind
from fupin.assistance.selectors import training_attendees
from fupin.core.indicators import YEAR, Indicator, register, year_of
from fupin.outcomes.models import Placement, PlacementKind, Purchase, PurchaseKind
from fupin.projects.selectors import unit_fund_entries

MONEY = DecimalField(max_digits=20, decimal_places=2)


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in ("", None)})
    return reverse(name) + (f"?{query}" if query else "")


def _money(field: str = "amount"):
    # Round: SQLite sums decimals as floats.
    return Round(Sum(field), 2, output_field=MONEY)


def _purchases(kind: str):
    return lambda: Purchase.objects.filter(kind=kind)


def _purchase_drill(kind: str):
    return lambda code, period, category: _url(
        "outcomes:purchase_list", division=code, year=period[:4], kind=kind
    )


PURCHASE_SOURCES = (("outcomes.Purchase", "region_id"),)

register(
    Indicator(
        code="outcomes.bought",
        name=_("购买农产品"),
        definition=_("帮扶单位直接采购帮扶地区农产品的金额,按供货地区和采购日期年度计(责任书“购买农产品”)。"),
        unit=_("元"),
        period=YEAR,
        rows=_purchases(PurchaseKind.BOUGHT),
        code_field="region__code",
        unit_field="unit_id",
        value=_money(),
        period_of=year_of("date"),
        drill=_purchase_drill(PurchaseKind.BOUGHT),
        sources=PURCHASE_SOURCES,
    )
)

register(
    Indicator(
        code="outcomes.sold",
        name=_("帮助销售农产品"),
        definition=_("帮扶单位帮助帮扶地区销售农产品的金额,按供货地区和销售日期年度计(责任书“帮销农产品”)。"),
        unit=_("元"),
        period=YEAR,
        rows=_purchases(PurchaseKind.SOLD),
        code_field="region__code",
        unit_field="unit_id",
        value=_money(),
        period_of=year_of("date"),
        drill=_purchase_drill(PurchaseKind.SOLD),
        sources=PURCHASE_SOURCES,
    )
)

register(
    Indicator(
        code="outcomes.placements",
        name=_("就业帮扶人数"),
        definition=_("帮扶单位帮助就业的人员,按户籍地区和就业日期年度计,按就业类型分列。"),
        unit=_("人"),
        period=YEAR,
        rows=lambda: Placement.objects.all(),
        code_field="region__code",
        unit_field="unit_id",
        value=Count("id"),
        period_of=year_of("date"),
        category_of=Cast("kind", CharField()),
        categories=dict(PlacementKind.choices),
        drill=lambda code, period, category: _url(
            "outcomes:placement_list", division=code, year=period[:4], kind=category
        ),
        sources=(("outcomes.Placement", "region_id"),),
    )
)


# --- the 责任书's funds: budget entries of the unit's own sources -------------------------------

# FundSource.Kind's values (the projects app's): 帮扶单位直接投入, 引进帮扶资金.
UNIT_DIRECT, BROUGHT_IN = "unit_direct", "brought_in"


def _funds(kind: str) -> dict:
    def drill(code, period, category):
        return _url(
            "projects:entry_list",
            kind="budget",
            source_kind=kind,
            source_division=code,
            entry_year=period[:4],
        )

    return {
        "unit": _("元"),
        "period": YEAR,
        "rows": lambda: unit_fund_entries(kind).filter(source__place__isnull=False),
        "code_field": "source__place__code",
        "unit_field": "source__unit_id",
        "value": _money(),
        # A reversal counts in the year of the entry it corrects (unit_fund_totals' rule).
        "period_of": Cast(ExtractYear(Coalesce("reverses__date", "date")), CharField()),
        "drill": drill,
        "sources": (("projects.LedgerEntry", "source__place_id"),),
    }


register(
    Indicator(
        code="outcomes.direct_funds",
        name=_("直接投入帮扶资金"),
        definition=_(
            "帮扶单位“帮扶单位直接投入”资金来源的资金到位分录(冲正抵减),按资金所属区划和业务日期年度计。"
        ),
        **_funds(UNIT_DIRECT),
    )
)
register(
    Indicator(
        code="outcomes.brought_in_funds",
        name=_("引进帮扶资金"),
        definition=_(
            "帮扶单位“引进帮扶资金”资金来源的资金到位分录(冲正抵减),按资金所属区划和业务日期年度计。"
        ),
        **_funds(BROUGHT_IN),
    )
)


# --- the 责任书's training: attendees of the classes the unit organised ---------------------------


def _training(kind: str) -> dict:
    return {
        "unit": _("人次"),
        "period": YEAR,
        "rows": lambda: training_attendees().filter(kind=kind),
        "code_field": "training__region__code",
        "unit_field": "training__organiser_id",
        "value": Sum("count"),
        "period_of": year_of("training__start"),
        # The classes that hold the attendees counted (a class may train several kinds of people).
        "drill": lambda code, period, category: _url(
            "assistance:training_list", division=code, year=period[:4]
        ),
        "sources": (
            ("assistance.TrainingAttendee", "training__region_id"),
            ("assistance.TrainingClass", "region_id"),
        ),
    }


register(
    Indicator(
        code="outcomes.cadres_trained",
        name=_("培训基层干部"),
        definition=_("帮扶单位主办的培训班中学员类别为基层干部的人次,按培训地区和开班日期年度计。"),
        **_training(TrainingKind.GRASSROOTS_CADRE),
    )
)
register(
    Indicator(
        code="outcomes.technicians_trained",
        name=_("培训技术人员"),
        definition=_("帮扶单位主办的培训班中学员类别为技术人员的人次,按培训地区和开班日期年度计。"),
        **_training(TrainingKind.TECHNICIAN),
    )
)
