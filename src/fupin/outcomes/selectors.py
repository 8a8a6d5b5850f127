"""Reads of the outcomes app, always through the scoping choke point (`visible_to`).

`indicator_actuals` is the one place the six 责任书 actuals are computed: produce bought and sold
from this app's records, funds from the projects app, training person-times from the assistance app.
"""

from decimal import Decimal

from django.db.models import CharField, Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, ExtractYear, NullIf, Substr

from fupin.assistance.choices import TrainingKind
from fupin.assistance.selectors import training_person_times
from fupin.outcomes.models import IndicatorTarget, Placement, PlacementKind, Purchase, PurchaseKind
from fupin.projects.selectors import unit_fund_totals
from fupin.regions.models import Region

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
INDICATORS = ("direct_funds", "brought_in_funds", "cadres_trained", "technicians_trained", "bought", "sold")
MONEY_INDICATORS = frozenset({"direct_funds", "brought_in_funds", "bought", "sold"})
_MONEY = DecimalField(max_digits=16, decimal_places=2)


# --- lists --------------------------------------------------------------------------------------


def _common_filters(records, filters: dict):
    if filters.get("unit"):
        records = records.filter(unit=filters["unit"])
    if filters.get("division"):
        division = filters["division"]
        records = records.filter(region__code__startswith=getattr(division, "code", division))
    if filters.get("year"):
        records = records.filter(date__year=filters["year"])
    if filters.get("kind"):
        records = records.filter(kind=filters["kind"])
    return records


def purchase_list(*, user, filters: dict | None = None):
    """The purchases and sales on behalf the user may see, newest first, optionally filtered."""
    filters = filters or {}
    purchases = _common_filters(Purchase.objects.visible_to(user), filters)
    if filters.get("q"):
        q = filters["q"]
        purchases = purchases.filter(Q(supplier__contains=q) | Q(product__contains=q))
    return purchases.select_related("unit", "region")


def placement_list(*, user, filters: dict | None = None):
    filters = filters or {}
    placements = _common_filters(Placement.objects.visible_to(user), filters)
    if filters.get("q"):
        q = filters["q"]
        placements = placements.filter(Q(name__contains=q) | Q(employer__contains=q))
    return placements.select_related("unit", "region")


# --- totals -------------------------------------------------------------------------------------


def purchase_totals(purchases) -> dict:
    """{"bought": Decimal, "sold": Decimal, "count": int} of a purchase queryset."""
    rows = purchases.order_by().values("kind").annotate(total=Sum("amount"), n=Count("id"))
    totals = {"bought": ZERO, "sold": ZERO, "count": 0}
    for row in rows:
        totals[row["kind"]] = (row["total"] or ZERO).quantize(CENT)  # SQLite sums drop trailing zeros
        totals["count"] += row["n"]
    return totals


def _county_names(codes) -> dict[str, str]:
    return {r.code: str(r) for r in Region.objects.filter(code__in=set(codes))}


def purchase_totals_by(purchases, by: str) -> list[dict]:
    """Bought and sold per unit, county (the first six digits of the place) or year, largest first."""
    if by == "unit":
        key, label = "unit_id", "unit__name"
        grouped = purchases.order_by().values(key, label)
    elif by == "county":
        grouped = purchases.order_by().annotate(county=Substr("region_id", 1, 6)).values("county")
        key, label = "county", None
    elif by == "year":
        grouped = purchases.order_by().annotate(year=ExtractYear("date")).values("year")
        key, label = "year", None
    else:
        raise ValueError(by)
    grouped = grouped.annotate(
        bought=Sum("amount", filter=Q(kind=PurchaseKind.BOUGHT)),
        sold=Sum("amount", filter=Q(kind=PurchaseKind.SOLD)),
        n=Count("id"),
    )
    rows = []
    for row in grouped:
        bought, sold = (row["bought"] or ZERO).quantize(CENT), (row["sold"] or ZERO).quantize(CENT)
        rows.append(
            {
                "key": row[key],
                "label": row[label] if label else row[key],
                "bought": bought,
                "sold": sold,
                "total": bought + sold,
                "count": row["n"],
            }
        )
    if by == "county":
        names = _county_names(r["key"] for r in rows)
        for row in rows:
            row["label"] = names.get(row["key"], row["key"])
    if by == "year":
        return sorted(rows, key=lambda r: r["key"])
    return sorted(rows, key=lambda r: (-r["total"], str(r["key"])))


def placement_totals(placements) -> dict:
    """{"count": all, <kind>: count per kind}."""
    totals = {"count": 0, **{kind: 0 for kind in PlacementKind.values}}
    for row in placements.order_by().values("kind").annotate(n=Count("id")):
        totals[row["kind"]] = row["n"]
        totals["count"] += row["n"]
    return totals


def placement_totals_by(placements, by: str) -> list[dict]:
    if by == "unit":
        grouped = placements.order_by().values("unit_id", "unit__name")
        key, label = "unit_id", "unit__name"
    elif by == "county":
        grouped = placements.order_by().annotate(county=Substr("region_id", 1, 6)).values("county")
        key, label = "county", None
    elif by == "year":
        grouped = placements.order_by().annotate(year=ExtractYear("date")).values("year")
        key, label = "year", None
    else:
        raise ValueError(by)
    grouped = grouped.annotate(
        n=Count("id"),
        **{kind: Count("id", filter=Q(kind=kind)) for kind in PlacementKind.values},
    )
    rows = [
        {
            "key": row[key],
            "label": row[label] if label else row[key],
            "count": row["n"],
            **{kind: row[kind] for kind in PlacementKind.values},
        }
        for row in grouped
    ]
    if by == "county":
        names = _county_names(r["key"] for r in rows)
        for row in rows:
            row["label"] = names.get(row["key"], row["key"])
    if by == "year":
        return sorted(rows, key=lambda r: r["key"])
    return sorted(rows, key=lambda r: (-r["count"], str(r["key"])))


def _key(by: str):
    """The expression a summary groups by: the unit, the county (the place's first six digits), the year."""
    return {"unit": F("unit_id"), "county": Substr("region_id", 1, 6), "year": ExtractYear("date")}[by]


def _label(by: str):
    if by == "unit":
        return F("unit__name")
    if by == "county":
        county = Region.objects.filter(code=OuterRef("key"))
        return Subquery(county.values(shown=Coalesce(NullIf("short_name", Value("")), "name"))[:1])
    return Cast("key", CharField())


SUMMARY_COLUMNS = ("key", "label", "bought", "sold", "total", "count", "placed", "graduates")


def summary_rows(*, user, filters: dict | None = None, by: str = "unit"):
    """Per unit, county or year: produce bought and sold for the assisted places (and the number of
    records) beside the people placed in work, one row per key found in either kind of record,
    largest first (years in order). The ORM has no full outer join, so it is spelled as the
    purchases' groups with their placements beside them, plus the groups of placements whose key
    has no purchase; a grouped queryset of dicts (SUMMARY_COLUMNS), paged and exported as any list."""
    filters = filters or {}
    key = _key(by)
    purchases = purchase_list(user=user, filters=filters).order_by().annotate(key=key)
    placements = placement_list(user=user, filters=filters).order_by().annotate(key=key)
    placed = placements.filter(key=OuterRef("key")).values("key")
    no_money, no_one = Value(ZERO, output_field=_MONEY), Value(0)
    by_purchases = (
        purchases.values("key")
        .annotate(
            label=_label(by),
            bought=Coalesce(Sum("amount", filter=Q(kind=PurchaseKind.BOUGHT)), no_money, output_field=_MONEY),
            sold=Coalesce(Sum("amount", filter=Q(kind=PurchaseKind.SOLD)), no_money, output_field=_MONEY),
            total=Coalesce(Sum("amount"), no_money, output_field=_MONEY),
            count=Count("id"),
            placed=Coalesce(Subquery(placed.annotate(n=Count("id")).values("n")), no_one),
            graduates=Coalesce(
                Subquery(placed.filter(kind=PlacementKind.GRADUATE).annotate(n=Count("id")).values("n")),
                no_one,
            ),
        )
        .values(*SUMMARY_COLUMNS)
    )
    by_placements = (
        placements.exclude(key__in=purchases.values("key"))
        .values("key")
        .annotate(
            label=_label(by),
            bought=no_money,
            sold=no_money,
            total=no_money,
            count=no_one,
            placed=Count("id"),
            graduates=Count("id", filter=Q(kind=PlacementKind.GRADUATE)),
        )
        .values(*SUMMARY_COLUMNS)
    )
    order = ("key",) if by == "year" else ("-total", "-placed", "key")
    return by_purchases.union(by_placements, all=True).order_by(*order)


def record_years(user) -> list[int]:
    """The years that hold a visible purchase, placement or target (newest first), for year pickers."""
    years = set(
        Purchase.objects.visible_to(user)
        .annotate(y=ExtractYear("date"))
        .values_list("y", flat=True)
        .distinct()
    )
    years |= set(
        Placement.objects.visible_to(user)
        .annotate(y=ExtractYear("date"))
        .values_list("y", flat=True)
        .distinct()
    )
    years |= set(IndicatorTarget.objects.visible_to(user).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


# --- 定点帮扶责任书 ------------------------------------------------------------------------------


def indicator_actuals(*, unit_id: int, year: int) -> dict:
    """The six 责任书 actuals of a unit in a year, computed from records.

    They are the unit's own totals (not limited by who is looking): a pledge is the unit's whole,
    and who may see the pledge is decided on the target row. Funds come from the projects app's
    ledger (`unit_fund_totals`: the unit's own sources), training person-times from the assistance
    app (`training_person_times`: classes the unit or a unit under it organised), produce bought and
    sold from this app's purchases by the unit.
    """
    funds = unit_fund_totals(unit_id=unit_id, year=year)
    produce = purchase_totals(Purchase.objects.filter(unit_id=unit_id, date__year=year))
    return {
        "direct_funds": funds["direct"],
        "brought_in_funds": funds["brought_in"],
        "cadres_trained": training_person_times(
            unit_id=unit_id, year=year, kind=TrainingKind.GRASSROOTS_CADRE
        ),
        "technicians_trained": training_person_times(
            unit_id=unit_id, year=year, kind=TrainingKind.TECHNICIAN
        ),
        "bought": produce["bought"],
        "sold": produce["sold"],
    }


def completion(actual, target) -> Decimal | None:
    """Actual as a percentage of target, one decimal; None when nothing was pledged."""
    if not target:
        return None
    return (Decimal(actual) * 100 / Decimal(target)).quantize(Decimal("0.1"))


def target_list(*, user, filters: dict | None = None):
    filters = filters or {}
    targets = IndicatorTarget.objects.visible_to(user).select_related("unit")
    if filters.get("unit"):
        targets = targets.filter(unit=filters["unit"])
    if filters.get("year"):
        targets = targets.filter(year=filters["year"])
    return targets.order_by("-year", "unit__name", "id")


def indicator_rows(targets) -> list[dict]:
    """Per target row: the unit, year and each indicator's target, actual and completion %."""
    rows = []
    for target in targets:
        actuals = indicator_actuals(unit_id=target.unit_id, year=target.year)
        items = []
        for name in INDICATORS:
            goal, actual = getattr(target, name), actuals[name]
            items.append(
                {
                    "name": name,
                    "target": goal,
                    "actual": actual,
                    "rate": completion(actual, goal),
                    "money": name in MONEY_INDICATORS,
                }
            )
        met = all(i["rate"] >= 100 for i in items if i["rate"] is not None)
        rows.append({"target": target, "items": items, "met": met})
    return rows


# --- for the documents app (the assisting unit's results report) --------------------------------


def unit_purchases(*, unit_ids, years):
    """The units' purchases and sales on behalf dated in `years`, unscoped: a unit's report is its
    whole, as its 责任书 actuals are (who may print it is decided on the unit)."""
    return Purchase.objects.filter(unit_id__in=list(unit_ids), date__year__in=list(years))


def purchase_totals_by_channel(purchases) -> list[dict]:
    """Bought and sold per channel (渠道), in the channels' declared order, only those used."""
    from fupin.outcomes.models import Channel

    grouped = {
        row["channel"]: row
        for row in purchases.order_by()
        .values("channel")
        .annotate(
            bought=Sum("amount", filter=Q(kind=PurchaseKind.BOUGHT)),
            sold=Sum("amount", filter=Q(kind=PurchaseKind.SOLD)),
            n=Count("id"),
        )
    }
    rows = []
    for value, label in Channel.choices:
        if value in grouped:
            row = grouped[value]
            bought, sold = (row["bought"] or ZERO).quantize(CENT), (row["sold"] or ZERO).quantize(CENT)
            rows.append(
                {"key": value, "label": str(label), "bought": bought, "sold": sold, "count": row["n"]}
            )
    return rows


def unit_placements(*, unit_ids, years):
    """The units' job placements dated in `years`, unscoped (as unit_purchases)."""
    return Placement.objects.filter(unit_id__in=list(unit_ids), date__year__in=list(years))


def unit_targets(*, unit_id: int, years):
    """The unit's 责任书 rows of `years`, unscoped (the report's 目标与完成 table, read with
    indicator_rows)."""
    return IndicatorTarget.objects.filter(unit_id=unit_id, year__in=list(years)).order_by("year")
