"""The parts of paging that core.lists (the one list mechanism) builds on: the page parameters,
forgiving of anything a user can type in the address bar, and the capped count."""

PAGE_PARAM = "page"
SIZE_PARAM = "size"
PAGE_SIZES = (10, 20, 50, 100)


def _positive_int(value: str | None) -> int | None:
    """The value as a positive int, or None for anything else ("", "abc", "-1", "1.5", "٣", 10**30)."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 9:
        return None
    number = int(value)
    return number if number > 0 else None


def count_up_to(queryset, cap: int) -> int:
    """How many rows `queryset` has, counting no further than `cap + 1`:
    `SELECT COUNT(*) FROM (… LIMIT cap + 1)`."""
    if queryset.query.group_by is not None or queryset.query.distinct:
        return queryset.order_by()[: cap + 1].count()  # a grouped report counts its groups
    return queryset.order_by().values("pk")[: cap + 1].count()
