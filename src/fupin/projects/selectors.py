"""Reads of projects and funds. Lists go through the scoping choke point; every balance is a sum of
ledger entries (nothing is stored twice), so each figure on a screen links down to its entries.

`public_*` are the 公示 reads (no login): an allow-list of fields, never a person's data.
`unit_fund_totals` is the outcomes app's window on a unit's money.
"""

from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear, Round
from django.utils.translation import gettext as _

from fupin.projects.models import (
    CENT,
    PUBLIC_STATUSES,
    Beneficiary,
    Category,
    CountyPublicity,
    FundSource,
    LedgerEntry,
    Project,
)

ZERO = Decimal("0.00")
K = LedgerEntry.Kind


def _sum(field: str, kind: str):
    """A correlated sum of the entries of one kind on the outer row (a subquery: no join fan-out)."""
    total = (
        LedgerEntry.objects.filter(**{field: OuterRef("pk")}, kind=kind)
        .order_by()
        .values(field)
        .annotate(total=Sum("amount"))
        .values("total")
    )
    # Round: SQLite sums decimals as floats, and Django does not quantize an expression's result.
    return Round(
        Coalesce(Subquery(total), Value(ZERO)), 2, output_field=DecimalField(max_digits=16, decimal_places=2)
    )


def _q(value) -> Decimal:
    return (value or ZERO).quantize(CENT)


# --- projects -----------------------------------------------------------------------------------


def with_money(projects):
    """Annotate `allocated` and `disbursed` (net of reversals) on a Project queryset."""
    return projects.annotate(
        allocated=_sum("project", K.ALLOCATION),
        disbursed=_sum("project", K.DISBURSEMENT),
    )


def project_list(*, user, filters: dict | None = None):
    filters = filters or {}
    projects = Project.objects.visible_to(user).select_related("place", "unit")
    division = filters.get("division")
    if division:
        projects = projects.filter(place__code__startswith=getattr(division, "code", division))
    for field in ("category", "status", "year"):
        if filters.get(field):
            projects = projects.filter(**{field: filters[field]})
    if filters.get("q"):
        projects = projects.filter(name__contains=filters["q"])
    return with_money(projects).order_by("-year", "place_id", "id")


def project_money(project: Project) -> dict:
    """A project's figures from its ledger entries: allocated, disbursed, remaining, by source."""
    rows = (
        LedgerEntry.objects.filter(project=project)
        .values("source_id", "source__name", "source__kind", "kind")
        .annotate(total=Sum("amount"))
        .order_by("source_id")
    )
    by_source: dict[int, dict] = {}
    for row in rows:
        item = by_source.setdefault(
            row["source_id"],
            {
                "source_id": row["source_id"],
                "name": row["source__name"],
                "kind": FundSource.Kind(row["source__kind"]).label,
                "allocated": ZERO,
                "disbursed": ZERO,
            },
        )
        key = "allocated" if row["kind"] == K.ALLOCATION else "disbursed"
        item[key] = _q(row["total"])
    allocated = sum((s["allocated"] for s in by_source.values()), ZERO)
    disbursed = sum((s["disbursed"] for s in by_source.values()), ZERO)
    return {
        "allocated": allocated,
        "disbursed": disbursed,
        "undisbursed": allocated - disbursed,
        "gap": max(project.budget - allocated, ZERO),
        "sources": list(by_source.values()),
    }


def allocations_in_force(project: Project) -> list[dict]:
    """The project's allocations that are not reversed, with what is left to disburse on each."""
    result = []
    allocations = (
        LedgerEntry.objects.filter(project=project, kind=K.ALLOCATION, reverses__isnull=True)
        .filter(reversed_by__isnull=True)
        .select_related("source")
        .order_by("id")
    )
    for entry in allocations:
        disbursed = _q(LedgerEntry.objects.filter(allocation=entry).aggregate(total=Sum("amount"))["total"])
        result.append({"entry": entry, "disbursed": disbursed, "remaining": entry.amount - disbursed})
    return result


def allocation_remaining(allocation: LedgerEntry) -> Decimal:
    """What may still be disbursed on an allocation (0 once it is reversed)."""
    if LedgerEntry.objects.filter(reverses=allocation).exists():
        return ZERO
    disbursed = _q(LedgerEntry.objects.filter(allocation=allocation).aggregate(total=Sum("amount"))["total"])
    return allocation.amount - disbursed


def beneficiary_counts(project: Project) -> dict:
    counts = Beneficiary.objects.filter(project=project).aggregate(
        households=Count("id", filter=Q(household__isnull=False)),
        villages=Count("village", distinct=True),
    )
    return counts


# --- sources ------------------------------------------------------------------------------------


def with_balances(sources):
    """Annotate `budgeted`, `allocated`, `disbursed` and `available` (net of reversals)."""
    sources = sources.annotate(
        budgeted=_sum("source", K.BUDGET),
        allocated=_sum("source", K.ALLOCATION),
        disbursed=_sum("source", K.DISBURSEMENT),
    )
    return sources.annotate(
        available=Round(
            F("budgeted") - F("allocated"), 2, output_field=DecimalField(max_digits=16, decimal_places=2)
        )
    )


def source_list(*, user, filters: dict | None = None):
    filters = filters or {}
    sources = FundSource.objects.visible_to(user).select_related("place", "unit")
    for field in ("kind", "year"):
        if filters.get(field):
            sources = sources.filter(**{field: filters[field]})
    return with_balances(sources).order_by("-year", "kind", "id")


def source_available(source: FundSource) -> Decimal:
    totals = LedgerEntry.objects.filter(source=source).aggregate(
        budget=Sum("amount", filter=Q(kind=K.BUDGET)), allocated=Sum("amount", filter=Q(kind=K.ALLOCATION))
    )
    return _q(totals["budget"]) - _q(totals["allocated"])


# --- ledger -------------------------------------------------------------------------------------


def entry_list(*, user, filters: dict | None = None):
    filters = filters or {}
    entries = LedgerEntry.objects.visible_to(user).select_related("source", "project", "actor")
    for field in ("kind", "source", "project", "allocation"):
        if filters.get(field):
            entries = entries.filter(**{field: filters[field]})
    # The summary's figures link here by the project's category, year and division.
    if filters.get("category"):
        entries = entries.filter(project__category=filters["category"])
    if filters.get("year"):
        entries = entries.filter(project__year=filters["year"])
    if filters.get("division"):
        entries = entries.filter(project__place__code__startswith=filters["division"])
    return entries.order_by("-id")


def ledger_heading(*, user, filters: dict) -> dict:
    """What a filtered ledger is about: the project, the source (if the user may see them) and the
    allocation its filters name."""
    heading = {}
    if filters.get("project"):
        heading["project"] = Project.objects.visible_to(user).filter(pk=filters["project"]).first()
    if filters.get("source"):
        heading["source"] = FundSource.objects.visible_to(user).filter(pk=filters["source"]).first()
    if filters.get("allocation"):
        heading["allocation"] = filters["allocation"]
    return heading


def category_summary(*, user=None, prefix: str = "", year: int | None = None):
    """Per category, in the order of the categories: the number of projects, their planned money
    and the money allocated to them net of reversals (the 项目 × 资金 summary). A grouped queryset
    of dicts, so the page pages it and the export walks it like any list."""
    projects = Project.objects.visible_to(user) if user is not None else Project.objects.all()
    if prefix:
        projects = projects.filter(place__code__startswith=prefix)
    if year:
        projects = projects.filter(year=year)
    allocated = (
        LedgerEntry.objects.filter(
            project__in=projects.values("pk"), project__category=OuterRef("category"), kind=K.ALLOCATION
        )
        .order_by()
        .values("project__category")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=16, decimal_places=2)
    order = Case(*(When(category=value, then=i) for i, value in enumerate(Category.values)))
    return (
        projects.order_by()
        .values("category")
        .annotate(
            count=Count("id", distinct=True),
            # Round: SQLite sums decimals as floats.
            budget=Round(Coalesce(Sum("budget"), Value(ZERO)), 2, output_field=money),
            allocated=Round(Coalesce(Subquery(allocated), Value(ZERO)), 2, output_field=money),
        )
        .order_by(order)
    )


def category_totals(*, user=None, prefix: str = "", year: int | None = None) -> list[dict]:
    """category_summary as a list, each row with its category's label."""
    return [
        {
            **row,
            "label": Category(row["category"]).label,
            "budget": _q(row["budget"]),
            "allocated": _q(row["allocated"]),
        }
        for row in category_summary(user=user, prefix=prefix, year=year)
    ]


# --- for the outcomes app -----------------------------------------------------------------------


def unit_fund_totals(*, unit_id: int, year: int) -> dict:
    """The assisting unit's direct investment and funds brought in for `year`, from the ledger.

    Both are the net budget entries (资金到位) of the unit's sources of that kind (帮扶单位直接投入 /
    引进帮扶资金) whose business date falls in `year` — the year the money was put in, whatever
    the source's own 年度 says (a source can receive money over several years); a reversal counts in
    the year of the entry it corrects. Staff donations are a kind of their own and count in neither.
    The rule is docs/architecture.md's "Figures".
    """
    in_year = Q(reverses__isnull=True, date__year=year) | Q(reverses__date__year=year)
    totals = (
        unit_fund_entries()
        .filter(in_year, source__unit_id=unit_id)
        .aggregate(
            direct=Sum("amount", filter=Q(source__kind=FundSource.Kind.UNIT_DIRECT)),
            brought_in=Sum("amount", filter=Q(source__kind=FundSource.Kind.BROUGHT_IN)),
        )
    )
    return {"direct": _q(totals["direct"]), "brought_in": _q(totals["brought_in"])}


def unit_fund_entries(kind: str | None = None):
    """The entries unit_fund_totals adds up, unscoped (the outcomes app's 责任书 figures in the
    indicator catalogue count the same rows): budget entries of units' sources, of `kind`
    (帮扶单位直接投入 / 引进帮扶资金) or of both."""
    kinds = [kind] if kind else [FundSource.Kind.UNIT_DIRECT, FundSource.Kind.BROUGHT_IN]
    return LedgerEntry.objects.filter(kind=K.BUDGET, source__unit__isnull=False, source__kind__in=kinds)


# --- 公示 (public, no login) ----------------------------------------------------------------------


def public_projects(code: str):
    """Approved and later projects under a division code, with money sums and beneficiaries as
    counts: households and villages (no person's data)."""
    projects = Project.objects.filter(place__code__startswith=code, status__in=PUBLIC_STATUSES)
    return (
        with_money(projects)
        .annotate(
            households=Count(
                "beneficiaries", filter=Q(beneficiaries__household__isnull=False), distinct=True
            ),
            villages=Count("beneficiaries__village", distinct=True),
        )
        .select_related("place", "unit")
        .order_by("-year", "place_id", "id")
    )


def public_project_sources(project_ids) -> dict[int, list[dict]]:
    """Each public project's money by source (name and kind of the source, allocated, disbursed),
    in one query for the whole page."""
    rows = (
        LedgerEntry.objects.filter(project_id__in=list(project_ids), kind__in=[K.ALLOCATION, K.DISBURSEMENT])
        .values("project_id", "source_id", "source__name", "source__kind", "kind")
        .annotate(total=Sum("amount"))
        .order_by("project_id", "source_id")
    )
    found: dict[tuple[int, int], dict] = {}
    for row in rows:
        item = found.setdefault(
            (row["project_id"], row["source_id"]),
            {
                "name": row["source__name"],
                "kind": FundSource.Kind(row["source__kind"]).label,
                "allocated": ZERO,
                "disbursed": ZERO,
            },
        )
        item["allocated" if row["kind"] == K.ALLOCATION else "disbursed"] = _q(row["total"])
    result: dict[int, list[dict]] = {}
    for (project_id, _source_id), item in found.items():
        if item["allocated"] or item["disbursed"]:  # a source reversed in full no longer funds it
            result.setdefault(project_id, []).append(item)
    return result


def county_publicity(code: str) -> CountyPublicity | None:
    """The 公示 settings (监督举报电话) of the county of `code` (a county or a place under it)."""
    return CountyPublicity.objects.filter(county_id=code[:6]).first() if len(code) >= 6 else None


def public_fund_use(code: str) -> list[dict]:
    """Money of the public projects under `code`, per kind of source: allocated and disbursed."""
    rows = (
        LedgerEntry.objects.filter(
            project__place__code__startswith=code,
            project__status__in=PUBLIC_STATUSES,
            kind__in=[K.ALLOCATION, K.DISBURSEMENT],
        )
        .values("source__kind", "kind")
        .annotate(total=Sum("amount"))
    )
    by_kind: dict[str, dict] = {}
    for row in rows:
        item = by_kind.setdefault(
            row["source__kind"],
            {"label": FundSource.Kind(row["source__kind"]).label, "allocated": ZERO, "disbursed": ZERO},
        )
        item["allocated" if row["kind"] == K.ALLOCATION else "disbursed"] = _q(row["total"])
    return [by_kind[k] for k in FundSource.Kind.values if k in by_kind]


def entries_total(entries) -> Decimal:
    """The net sum of a list of entries of ONE kind (what the figure that linked here said); a list
    that mixes kinds has no single total: see ledger_totals."""
    return _q(entries.order_by().aggregate(total=Sum("amount"))["total"])


def ledger_totals(entries) -> dict:
    """Per kind, net of reversals, and the balances between kinds: a budget, the money allocated
    out of it and the money paid out of that are three stages of the same yuan, so adding them
    together counts it up to three times (a 600,000 元 project once showed 1,700,000 元)."""
    sums = entries.order_by().aggregate(
        budget=Sum("amount", filter=Q(kind=K.BUDGET)),
        allocation=Sum("amount", filter=Q(kind=K.ALLOCATION)),
        disbursement=Sum("amount", filter=Q(kind=K.DISBURSEMENT)),
    )
    budget, allocation, disbursement = (_q(sums[k]) for k in ("budget", "allocation", "disbursement"))
    return {
        "budget": budget,
        "allocation": allocation,
        "disbursement": disbursement,
        "unallocated": budget - allocation,
        "undisbursed": allocation - disbursement,
    }


def ledger_figures(totals: dict, filters: dict) -> list[dict]:
    """The figures a filtered ledger can honestly show, labelled: the kinds its filters can contain
    (a project's entries hold no budget, an allocation's only disbursements), and a balance only
    where both of its kinds are in the list."""
    kinds = [K.BUDGET, K.ALLOCATION, K.DISBURSEMENT]
    if any(filters.get(f) for f in ("project", "category", "year", "division")):
        kinds.remove(K.BUDGET)  # budget entries belong to a source, never to a project
    if filters.get("allocation"):
        kinds = [K.DISBURSEMENT]
    if filters.get("kind"):
        kinds = [k for k in kinds if k == filters["kind"]]
    labels = {
        K.BUDGET: _("预算合计"),
        K.ALLOCATION: _("已分配到项目合计"),
        K.DISBURSEMENT: _("已拨付合计"),
    }
    figures = [{"key": str(k), "label": labels[k], "amount": totals[str(k)]} for k in kinds]
    if K.BUDGET in kinds and K.ALLOCATION in kinds:
        figures.append(
            {"key": "unallocated", "label": _("未分配结余(预算−已分配)"), "amount": totals["unallocated"]}
        )
    if K.ALLOCATION in kinds and K.DISBURSEMENT in kinds:
        figures.append(
            {"key": "undisbursed", "label": _("未拨付结余(已分配−已拨付)"), "amount": totals["undisbursed"]}
        )
    return figures


# --- for the documents app (the assisting unit's results report) --------------------------------


def _counted_in(years) -> Q:
    """Entries counted in one of `years`: their own date's year, a reversal's the corrected entry's."""
    years = list(years)
    return Q(reverses__isnull=True, date__year__in=years) | Q(reverses__date__year__in=years)


def unit_category_totals(*, unit_ids, years) -> list[dict]:
    """The units' direct investment by project category over `years`: the money allocated to
    projects from the units' own sources (帮扶单位直接投入), net of reversals, each entry counted in
    its year (unit_fund_totals' rule), and the number of projects that received it. Categories in
    their declared order, only those with money or projects; each row: category, label, amount,
    projects."""
    entries = LedgerEntry.objects.filter(
        _counted_in(years),
        kind=K.ALLOCATION,
        source__unit_id__in=list(unit_ids),
        source__kind=FundSource.Kind.UNIT_DIRECT,
    )
    rows = {
        row["project__category"]: row
        for row in entries.order_by()
        .values("project__category")
        .annotate(amount=Sum("amount"), projects=Count("project_id", distinct=True))
    }
    return [
        {
            "category": value,
            "label": str(label),
            "amount": _q(rows[value]["amount"]),
            "projects": rows[value]["projects"],
        }
        for value, label in Category.choices
        if value in rows and (rows[value]["amount"] or rows[value]["projects"])
    ]


def unit_projects(*, unit_ids, years) -> list[Project]:
    """The projects the units' own sources (帮扶单位直接投入) funded with an allocation counted in
    `years`, each with `allocated` (that money, net) — largest first: the report's notable
    projects. Two queries: the sums per project, then those projects."""
    funded = LedgerEntry.objects.filter(
        _counted_in(years),
        kind=K.ALLOCATION,
        source__unit_id__in=list(unit_ids),
        source__kind=FundSource.Kind.UNIT_DIRECT,
    )
    amounts = {
        row["project_id"]: _q(row["total"])
        for row in funded.order_by().values("project_id").annotate(total=Sum("amount"))
    }
    found = list(Project.objects.filter(pk__in=list(amounts)).select_related("place"))
    for project in found:
        project.allocated = amounts[project.pk]
    return sorted(found, key=lambda p: (-p.allocated, p.pk))


def unit_donations(*, unit_ids, years) -> dict[int, Decimal]:
    """The units' donation sources (捐赠资金: staff donations, 扶贫日 campaigns): the net budget
    entries (资金到位) per year of `years`, counted as unit_fund_totals counts."""
    entries = LedgerEntry.objects.filter(
        _counted_in(years),
        kind=K.BUDGET,
        source__unit_id__in=list(unit_ids),
        source__kind=FundSource.Kind.DONATION,
    )
    found = dict(
        entries.order_by()
        .annotate(y=ExtractYear(Coalesce("reverses__date", "date")))
        .values_list("y")
        .annotate(total=Sum("amount"))
        .values_list("y", "total")
    )
    return {year: _q(found.get(year)) for year in years}


# --- a household's projects (the documents app's 一户一档) -------------------------------------------


def household_benefits(household, user) -> list[Beneficiary]:
    """The projects `household` benefits from, as far as `user` may see them (the scoping choke
    point on the projects): those that name the household as a beneficiary, and those whose
    beneficiary is its whole village (`household_id` None on those rows). Newest year first, with
    `project`, its `place` and `unit` fetched."""
    return list(
        Beneficiary.objects.visible_to(user)
        .filter(Q(household=household) | Q(household__isnull=True, village_id=household.village_id))
        .select_related("project", "project__place", "project__unit")
        .order_by("-project__year", "project_id", "id")
    )
