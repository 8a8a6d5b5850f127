"""The lists of reports, declared once (fupin.core.lists): 村情画像 (the village profile).

One row per village (regions.Region, level 5) in the user's scope: the party-building inputs (a
serving first secretary, 三会一课 held and due, the branch's standardisation score, pairings,
training) beside the household outcomes (monitoring objects, income growth, exits, returns, new
identifications, eliminations), so an organisation department sees where strong branches and good
outcomes go together and where they do not (抓党建促脱贫).

Every value is the rollup's (reports.Rollup), one correlated subquery per column on the village's
code (the `rollup_code_period` index): the page sorts and filters on them in SQL like any list, and
the export is the list's. A column whose indicator is not declared shows empty (None), never 0.
"""

from decimal import Decimal

from django import forms
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core import indicators as declared
from fupin.core.lists import BOOL, DECIMAL, INT, Column, FilterForm, ListSpec
from fupin.core.scoping import scope_of
from fupin.regions.forms import RegionField
from fupin.regions.models import Region
from fupin.reports.models import Rollup

PROFILE_PERM = "reports.view_dashboard"
AMOUNT = DecimalField(max_digits=20, decimal_places=2)
VILLAGE_LEVEL = 5

# The indicators behind the columns: (annotation, indicator code, category, which year).
# "year": the year chosen; "last": the year before it (a branch is scored after its year ends, so
# the score that stands during a year is the previous year's); "": a snapshot (as things stand).
SOURCES = (
    ("secretary_n", "assistance.covered_villages", "", ""),
    ("meetings", "party.meetings_held", "", "year"),
    ("meetings_due", "party.meetings_due", "", "year"),
    ("score_total", "party.score_sum", "", "last"),
    ("scored", "party.branches_scored", "", "last"),
    ("pairings", "assistance.paired_households", "", ""),
    ("trained", "assistance.training", "", "year"),
    ("objects", "monitoring.objects_by_type", "", ""),
    ("income", "registry.income_per_capita", "", "year"),
    ("income_before", "registry.income_per_capita", "", "last"),
    ("exited", "registry.households", "exited", ""),
    ("returned", "registry.households", "returned", ""),
    ("identified", "monitoring.identified", "", "year"),
    ("eliminated", "monitoring.eliminated", "", "year"),
)


def this_year() -> int:
    return timezone.localdate().year


def _period_q(ind: declared.Indicator, year: int) -> Q:
    if ind.period == declared.SNAPSHOT:
        return Q(period="")
    if ind.period == declared.MONTH:
        return Q(period__gte=f"{year}-01", period__lte=f"{year}-12")
    return Q(period=str(year))


def _value(code: str, category: str, year: int | None):
    """The rollup's figure of `code` for the row's village: a subquery (0 where nothing was counted;
    None where the indicator is not declared, or is a ratio, which is read from its parts)."""
    ind = declared.catalogue().get(code)
    if ind is None:
        return Cast(Value(None), AMOUNT)  # typed: PostgreSQL takes no arithmetic on a bare NULL
    if ind.kind == declared.RATIO:
        numerator, denominator = (_value(part, category, year) for part in ind.parts)
        return ExpressionWrapper(
            numerator * Value(Decimal(ind.scale)) / NullIf(denominator, Value(0)), output_field=AMOUNT
        )
    rows = Rollup.objects.filter(
        _period_q(ind, year or 0), indicator=code, category=category, code=OuterRef("code")
    )
    summed = rows.order_by().values("code").annotate(v=Sum("value")).values("v")
    return Coalesce(Subquery(summed, output_field=AMOUNT), Value(Decimal(0)), output_field=AMOUNT)


def village_rows(user, filters: dict):
    """The villages in the user's scope under `division`, each with the profile's values annotated
    (`secretary_n` … `eliminated`, `score`, `growth`), filtered by the conditions chosen."""
    f = filters
    year = f.get("year") or this_year()
    villages = Region.objects.filter(level=VILLAGE_LEVEL).filter(scope_of(user).region_q("code"))
    if f.get("division"):
        villages = villages.filter(code__startswith=f["division"])
    values = {
        name: _value(code, category, {"year": year, "last": year - 1}.get(when))
        for name, code, category, when in SOURCES
    }
    rows = villages.select_related("parent").annotate(**values)
    rows = rows.annotate(
        # × 1.0 first: SQLite divides two whole numbers as integers.
        score=ExpressionWrapper(
            F("score_total") * Value(Decimal("1.0")) / NullIf(F("scored"), Value(0)), output_field=AMOUNT
        ),
        # 人均纯收入 growth on the year, in per cent (None without last year's figure).
        growth=ExpressionWrapper(
            (F("income") - F("income_before"))
            * Value(Decimal("100.0"))
            / NullIf(F("income_before"), Value(0)),
            output_field=AMOUNT,
        ),
    )
    if f.get("secretary") == "1":
        rows = rows.filter(secretary_n__gt=0)
    elif f.get("secretary") == "0":
        rows = rows.filter(secretary_n=0)
    for field, name in (
        ("score", "score"),
        ("objects", "objects"),
        ("meetings", "meetings"),
        ("returned", "returned"),
        ("growth", "growth"),
    ):
        if f.get(f"{name}_min") is not None:
            rows = rows.filter(**{f"{field}__gte": f[f"{name}_min"]})
        if f.get(f"{name}_max") is not None:
            rows = rows.filter(**{f"{field}__lte": f[f"{name}_max"]})
    return rows.order_by("code")


# --- the query form -----------------------------------------------------------------------------


def _years():
    now = this_year()
    return [(year, str(year)) for year in range(now, now - 10, -1)]


def _bound(label, *, decimal: bool = False):
    if decimal:
        return forms.DecimalField(label=label, required=False, max_digits=12, decimal_places=2)
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=10_000_000)


class ProfileQueryForm(FilterForm):
    """The area (a township, or any division in scope), the year, and conditions on the values:
    "strong branch, weak outcomes" is score_min with objects_min, or returned_min, and so on."""

    region_fields = ("division",)
    division = RegionField(label=_("乡镇"), required=False)
    year = forms.TypedChoiceField(
        label=_("年度"), required=False, coerce=int, empty_value=None, choices=_years
    )
    secretary = forms.ChoiceField(
        label=_("在岗第一书记"), required=False, choices=[("", _("全部")), ("1", _("有")), ("0", _("无"))]
    )
    score_min = _bound(_("支部评分不低于"), decimal=True)
    score_max = _bound(_("支部评分不高于"), decimal=True)
    meetings_min = _bound(_("三会一课不少于"))
    meetings_max = _bound(_("三会一课不多于"))
    objects_min = _bound(_("监测对象不少于(户)"))
    objects_max = _bound(_("监测对象不多于(户)"))
    returned_min = _bound(_("返贫户不少于"))
    returned_max = _bound(_("返贫户不多于"))
    growth_min = _bound(_("收入增长不低于(%)"), decimal=True)
    growth_max = _bound(_("收入增长不高于(%)"), decimal=True)


# --- the list -----------------------------------------------------------------------------------


def _number(name: str, whole: bool = True):
    """A column's value: counts as int (the rollup keeps decimals), None kept (not declared)."""

    def value(r):
        found = getattr(r, name)
        if found is None:
            return None
        return int(found) if whole else Decimal(found).quantize(Decimal("0.01"))

    return value


def _yes(r):
    return None if r.secretary_n is None else r.secretary_n > 0


VILLAGE_PROFILE = ListSpec(
    name="reports.village_profile",
    url="reports:village_profile",
    title=_("村情画像"),
    filters=ProfileQueryForm,
    rows=village_rows,
    columns=[
        Column(_("乡镇"), lambda r: r.parent.name if r.parent else "", sort="parent__name"),
        Column(_("村"), lambda r: r.name, sort="name"),
        Column(_("区划代码"), lambda r: r.code, sort="code"),
        Column(_("在岗第一书记"), _yes, BOOL, sort="secretary_n"),
        Column(_("三会一课(已开)"), _number("meetings"), INT, sort="meetings"),
        Column(_("三会一课(应开)"), _number("meetings_due"), INT, sort="meetings_due"),
        Column(_("支部标准化评分(上年)"), _number("score", whole=False), DECIMAL, sort="score"),
        Column(_("结对帮扶户数"), _number("pairings"), INT, sort="pairings"),
        Column(_("培训人次"), _number("trained"), INT, sort="trained"),
        Column(_("监测对象户数"), _number("objects"), INT, sort="objects"),
        Column(_("人均纯收入增长(%)"), _number("growth", whole=False), DECIMAL, sort="growth"),
        Column(_("脱贫户"), _number("exited"), INT, sort="exited"),
        Column(_("返贫户"), _number("returned"), INT, sort="returned"),
        Column(_("新识别监测对象"), _number("identified"), INT, sort="identified"),
        Column(_("风险消除"), _number("eliminated"), INT, sort="eliminated"),
    ],
    permission=PROFILE_PERM,
    notes=[
        _(
            "每村一行:党建投入(在岗第一书记、三会一课、支部标准化评分、结对帮扶、培训)与农户成效并列;"
            "数值取自统计汇总(最近一次更新),三会一课、培训、新识别、风险消除和收入按所选年度,其余为当前时点。"
        )
    ],
    extra={"empty": _("范围内没有符合条件的行政村")},
)
