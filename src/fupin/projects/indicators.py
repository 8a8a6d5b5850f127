"""The projects app's figures for the indicator catalogue (core.indicators): projects by status and
by category, money by category and by source, and beneficiaries.

Where a record counts: a project, its allocations and disbursements at the project's place (a
county's project at its county code); a budget entry at its source's place (a unit's source
without a place is on no map and counts nowhere). Money is read from the append-only ledger, net
of reversals: a reversal is a negative entry that counts in the year of the entry it corrects, so
the year it corrects is right and no other year moves (docs/architecture.md, "Figures").
"""

from urllib.parse import urlencode

from django.db.models import CharField, Count, DecimalField, Sum
from django.db.models.functions import Cast, Coalesce, ExtractYear, Round
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.core.indicators import SNAPSHOT, YEAR, Indicator, register
from fupin.projects.models import Beneficiary, Category, FundSource, LedgerEntry, Project, Status

K = LedgerEntry.Kind
MONEY = DecimalField(max_digits=20, decimal_places=2)


def counted_on():
    """The date a ledger entry counts on: its own, or for a reversal the corrected entry's."""
    return Coalesce("reverses__date", "date")


def _entry_year():
    return Cast(ExtractYear(counted_on()), CharField())


def _money():
    # Round: SQLite sums decimals as floats.
    return Round(Sum("amount"), 2, output_field=MONEY)


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in ("", None)})
    return reverse(name) + (f"?{query}" if query else "")


PROJECT_SOURCES = (("projects.Project", "place_id"),)
LEDGER_SOURCES = (("projects.LedgerEntry", "project__place_id"), ("projects.LedgerEntry", "source__place_id"))

register(
    Indicator(
        code="projects.projects",
        name=_("项目数"),
        definition=_("项目库中实施地点在该区划的项目(含草稿),按项目状态分列。"),
        unit=_("个"),
        period=SNAPSHOT,
        rows=lambda: Project.objects.all(),
        code_field="place__code",
        value=Count("id"),
        category_of=Cast("status", CharField()),
        categories=dict(Status.choices),
        drill=lambda code, period, category: _url("projects:project_list", division=code, status=category),
        sources=PROJECT_SOURCES,
    )
)

register(
    Indicator(
        code="projects.projects_by_category",
        name=_("项目数(按类别)"),
        definition=_("项目库中实施地点在该区划的项目(含草稿),按项目类别分列。"),
        unit=_("个"),
        period=SNAPSHOT,
        rows=lambda: Project.objects.all(),
        code_field="place__code",
        value=Count("id"),
        category_of=Cast("category", CharField()),
        categories=dict(Category.choices),
        drill=lambda code, period, category: _url("projects:project_list", division=code, category=category),
        sources=PROJECT_SOURCES,
    )
)


def _ledger(kind: str, by: str):
    """The ledger entries of one kind, as a figure's rows; `by` = 'category' or 'source'."""
    if kind == K.BUDGET:
        code_field = "source__place__code"
    else:
        code_field = "project__place__code"

    def rows():
        return LedgerEntry.objects.filter(kind=kind, **{f"{code_field}__isnull": False})

    def drill(code, period, category):
        params = {"kind": kind, "entry_year": period[:4]}
        params["source_division" if kind == K.BUDGET else "division"] = code
        params["category" if by == "category" else "source_kind"] = category
        return _url("projects:entry_list", **params)

    if by == "category":
        category_of, categories = Cast("project__category", CharField()), dict(Category.choices)
    else:
        category_of, categories = Cast("source__kind", CharField()), dict(FundSource.Kind.choices)
    return {
        "rows": rows,
        "code_field": code_field,
        "value": _money(),
        "period": YEAR,
        "period_of": _entry_year(),
        "category_of": category_of,
        "categories": categories,
        "drill": drill,
        "sources": LEDGER_SOURCES,
        "unit": _("元"),
    }


register(
    Indicator(
        code="projects.funds_budgeted",
        name=_("资金计划(到位)"),
        definition=_("资金来源的预算下达(资金到位)分录,按所属区划和业务日期年度计,冲正抵减;按资金来源分列。"),
        **_ledger(K.BUDGET, "source"),
    )
)
register(
    Indicator(
        code="projects.funds_allocated",
        name=_("资金分配到项目"),
        definition=_("分配到项目的资金分录,按项目实施地点和业务日期年度计,冲正抵减;按项目类别分列。"),
        **_ledger(K.ALLOCATION, "category"),
    )
)
register(
    Indicator(
        code="projects.funds_allocated_by_source",
        name=_("资金分配到项目(按来源)"),
        definition=_("分配到项目的资金分录,按项目实施地点和业务日期年度计,冲正抵减;按资金来源分列。"),
        **_ledger(K.ALLOCATION, "source"),
    )
)
register(
    Indicator(
        code="projects.funds_disbursed",
        name=_("资金拨付支出"),
        definition=_("对项目拨付的资金分录,按项目实施地点和业务日期年度计,冲正抵减;按项目类别分列。"),
        **_ledger(K.DISBURSEMENT, "category"),
    )
)
register(
    Indicator(
        code="projects.funds_disbursed_by_source",
        name=_("资金拨付支出(按来源)"),
        definition=_("对项目拨付的资金分录,按项目实施地点和业务日期年度计,冲正抵减;按资金来源分列。"),
        **_ledger(K.DISBURSEMENT, "source"),
    )
)

BENEFICIARY_SOURCES = (("projects.Beneficiary", "village_id"),)


def _beneficiaries():
    return Beneficiary.objects.filter(household__isnull=False)


register(
    Indicator(
        code="projects.beneficiary_households",
        name=_("项目受益户数"),
        definition=_("作为受益对象登记在项目上的建档立卡户(一户受益于多个项目只计一次),按受益村计。"),
        unit=_("户"),
        period=SNAPSHOT,
        rows=_beneficiaries,
        code_field="village__code",
        value=Count("household_id", distinct=True),
        # The projects that benefit them; each project's page lists its households.
        drill=lambda code, period, category: _url("projects:project_list", benefits=code),
        sources=BENEFICIARY_SOURCES,
    )
)

register(
    Indicator(
        code="projects.beneficiary_people",
        name=_("项目受益人数"),
        definition=_("受益户的家庭成员(一人只计一次),按受益村计。"),
        unit=_("人"),
        period=SNAPSHOT,
        rows=_beneficiaries,
        code_field="village__code",
        value=Count("household__members", distinct=True),
        drill=lambda code, period, category: _url("projects:project_list", benefits=code),
        sources=BENEFICIARY_SOURCES + (("registry.Member", "household__village_id"),),
    )
)
