"""Pagination for list pages: `?page=N&size=M`, forgiving of anything a user can type in the address bar.

Usage in a view: `page = paginate(request, queryset)` (the queryset must be ordered), then in the
template `{% include "core/_pagination.html" with page=page %}`, which shows 共 N 条, page links and
a page-size choice while keeping the other query parameters (the query form's filters).
"""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

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
    return queryset.order_by().values("pk")[: cap + 1].count()


class CappedPaginator(Paginator):
    """Counts no further than `cap + 1` rows: on a national-scale list an exact 共 N 条 would cost as
    much as reading every match. Past the cap the bar says 共 1000+ 条 and offers the pages up to it."""

    def __init__(self, object_list, per_page, *, cap: int, counter=None):
        super().__init__(object_list, per_page)
        self.cap = cap
        self.counter = counter

    @cached_property
    def count(self):
        return (self.counter or count_up_to)(self.object_list, self.cap)

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def paginate(
    request, queryset, *, default_size: int = 20, count_cap: int | None = None, counter=None
) -> Page:
    """One page of `queryset`; a bad page number gives the first page, one past the end the last page.

    With `count_cap`, the total is counted only up to the cap (see CappedPaginator), by
    `counter(queryset, cap)` if given (a list that knows a cheaper way)."""
    size = _positive_int(request.GET.get(SIZE_PARAM))
    if size not in PAGE_SIZES:
        size = default_size
    paginator = (
        CappedPaginator(queryset, size, cap=count_cap, counter=counter)
        if count_cap
        else Paginator(queryset, size)
    )
    number = _positive_int(request.GET.get(PAGE_PARAM)) or 1
    page = paginator.page(min(number, paginator.num_pages))
    page.size = size
    page.size_choices = sorted({*PAGE_SIZES, default_size})
    page.elided_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    # Everything in the query string but the page and size, for the page-size form's hidden fields.
    page.query = request.GET  # for {% querystring page.query page=n %}: links keep the filters
    page.kept_params = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in (PAGE_PARAM, SIZE_PARAM)
        for value in values
    ]
    return page
