"""贫困发生率 (poverty incidence) and the exit eligibility of a village or county (reads only).

Incidence = poor people / registered rural population of the area. The registry holds registered
households, not the census, so the population is a proxy: the members of all registered
households in the area (每户家庭人口 `member_count`, kept in step by the services). Poor people are
the members of households whose status is 未脱贫 or 返贫. For a past `year`, a household counts as
poor when it was identified and had not exited by the end of that year (exit_year > year, or no
exit yet); statuses are not reconstructed further back than that.

Every figure is one GROUP BY over households on a prefix of the village code (Substr), never a
loop over villages, read from the covering index `registry_hh_incidence` (village, status, exit
year, members) without visiting the table. These are live counts: an exit decision
(`exit_eligibility`) must judge the records as they are, not a rollup up to a minute old. Today's
incidence as a figure to show (`/api/registry/incidence` without a year) is the rollup's 登记人数
by status instead (`from_counts`), the same definition read from a few rows.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext as _

from fupin.regions.models import Region
from fupin.registry.choices import Status
from fupin.registry.models import ExitThreshold, Household

RATE_PLACES = Decimal("0.0001")
POOR_STATUSES = (Status.POOR, Status.RETURNED)


@dataclass(frozen=True)
class Incidence:
    poor_people: int
    registered_people: int
    rate: Decimal  # a fraction: Decimal("0.0153") is 1.53%; 0 when nobody is registered


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    rate: Decimal
    threshold: Decimal
    reasons: list[str] = field(default_factory=list)


def _rate(poor: int, registered: int) -> Decimal:
    if not registered:
        return Decimal(0)
    return (Decimal(poor) / Decimal(registered)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def _poor_q(year: int | None) -> Q:
    if year is None:
        return Q(status__in=POOR_STATUSES)
    return Q(status__in=POOR_STATUSES) | Q(status=Status.EXITED, exit_year__gt=year)


def _under(code_prefix: str):
    # No filter for the whole country: `LIKE '%'` would still test every row.
    households = Household._base_manager.all()
    return households.filter(village__code__startswith=code_prefix) if code_prefix else households


def from_counts(poor_people: int, registered_people: int) -> Incidence:
    """The incidence of counts made elsewhere (the rollup's 登记人数 by status)."""
    return Incidence(poor_people, registered_people, _rate(poor_people, registered_people))


def incidence_by(*, code_prefix: str, length: int, year: int | None = None) -> dict[str, Incidence]:
    """Incidence of every division of code `length` (6 county, 9 township, 12 village) under a prefix."""
    rows = (
        _under(code_prefix)
        .annotate(area=Substr("village_id", 1, length))
        .values("area")
        .annotate(
            registered=Coalesce(Sum("member_count"), 0),
            poor=Coalesce(Sum("member_count", filter=_poor_q(year)), 0),
        )
        .order_by("area")
    )
    return {
        row["area"]: Incidence(row["poor"], row["registered"], _rate(row["poor"], row["registered"]))
        for row in rows
    }


def incidence(*, code_prefix: str, year: int | None = None) -> Incidence:
    """Incidence of one area (any division code or prefix)."""
    totals = _under(code_prefix).aggregate(
        registered=Coalesce(Sum("member_count"), 0),
        poor=Coalesce(Sum("member_count", filter=_poor_q(year)), 0),
    )
    return Incidence(totals["poor"], totals["registered"], _rate(totals["poor"], totals["registered"]))


def exit_threshold(code: str) -> Decimal:
    """The province's threshold from ExitThreshold (3% in the west), else the national 2%."""
    value = ExitThreshold.objects.filter(province_code=code[:2]).values_list("threshold", flat=True).first()
    return value if value is not None else ExitThreshold.DEFAULT


def exit_eligibility(*, code: str, year: int | None = None) -> Eligibility:
    """May a village (12 digits) or county (6 digits) exit? Incidence below the threshold.

    A county's exit also needs 错退率 and 漏评率 below 2% and 群众认可度 of at least 90%; those come
    from the third-party assessment, which the registry does not hold, so only incidence is judged.
    """
    threshold = exit_threshold(code)
    reasons: list[str] = []
    region = Region.objects.filter(code=code).first()
    if region is None or region.level not in (Region.Level.COUNTY, Region.Level.VILLAGE):
        reasons.append(_("只能判断行政村或县的退出条件"))
        return Eligibility(False, Decimal(0), threshold, reasons)
    figures = incidence(code_prefix=code, year=year)
    if figures.registered_people == 0:
        reasons.append(_("%(place)s没有登记人口数据") % {"place": region})
    elif figures.rate >= threshold:
        reasons.append(
            _("贫困发生率%(rate)s,未低于退出标准%(threshold)s(贫困人口%(poor)d人,登记人口%(people)d人)")
            % {
                "rate": f"{figures.rate:.2%}",
                "threshold": f"{threshold:.0%}"
                if threshold * 100 == int(threshold * 100)
                else f"{threshold:.2%}",
                "poor": figures.poor_people,
                "people": figures.registered_people,
            }
        )
    return Eligibility(not reasons, figures.rate, threshold, reasons)
