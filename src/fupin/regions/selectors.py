"""Reads of the division tree, shared by the API, the picker widget and the browse page."""

import re

from django.db.models import Count, Q

from fupin.regions.models import CODE_LENGTHS, Region

_CODE = re.compile(r"\d{2}|\d{4}|\d{6}|\d{9}|\d{12}")
SEARCH_LIMIT_MAX = 50


def is_wellformed_code(code: str) -> bool:
    """2, 4, 6, 9 or 12 ASCII digits (a province, city, county, township or village code)."""
    return bool(_CODE.fullmatch(code or "")) and code.isascii()


def ancestor_codes(code: str) -> list[str]:
    """Codes above `code`, top first: the tree is encoded in the code itself, so no recursion is needed."""
    return [code[:n] for n in CODE_LENGTHS.values() if n < len(code)]


def covers_every_province(prefixes) -> bool:
    """Whether the division codes `prefixes` name every province of the tree (a national viewer's
    scope): one small read, asked only when every prefix is a province's."""
    if len(prefixes) < 2 or any(len(p) != CODE_LENGTHS[Region.Level.PROVINCE] for p in prefixes):
        return False
    # The roots of the tree, by the parent's index (a filter on the level reads every division).
    provinces = Region.objects.filter(parent__isnull=True).values_list("code", flat=True)
    return set(provinces) <= set(prefixes)


def path_of(region: Region) -> list[Region]:
    """The region's ancestors and itself, top first, in one query."""
    codes = [*ancestor_codes(region.code), region.code]
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def with_child_counts(queryset):
    return queryset.annotate(child_count=Count("children"))


def children_of(code: str | None):
    """Provinces when `code` is None, else the direct children, each with its own number of children."""
    queryset = (
        Region.objects.filter(parent__isnull=True) if code is None else Region.objects.filter(parent_id=code)
    )
    return with_child_counts(queryset).order_by("code")


def search(q: str, *, level: int | None = None, within: str | None = None, limit: int = 20):
    """Short-name substring or pinyin-initials prefix (xhx -> 兴海县), shallow levels first."""
    q = q.strip()
    match = Q(short_name__contains=q)
    if q.isascii() and q.isalnum():
        match |= Q(initials__startswith=q.lower())
    queryset = Region.objects.filter(match)
    if level:
        queryset = queryset.filter(level=level)
    if within:
        queryset = queryset.filter(code__startswith=within)
    return queryset.order_by("level", "code")[: max(1, min(limit, SEARCH_LIMIT_MAX))]
