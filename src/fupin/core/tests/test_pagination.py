import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from fupin.core.lists import page_of
from fupin.regions.models import Region


def _rows(n: int):
    """n divisions numbered 1…n (their codes sort as their numbers)."""
    for i in range(1, n + 1):
        Region.objects.create(code=f"{i:04d}", name=f"地{i}", short_name=f"地{i}", level=2, initials="d")
    return Region.objects.order_by("code")


def paginate(request, rows, *, default_size: int = 20, count_cap: int = 10_000):
    return page_of(request.GET, rows, cap=count_cap, default_size=default_size)


def _numbers(page) -> list[int]:
    return [int(r.code) for r in page.object_list]


@pytest.fixture
def _page(db):
    rows = _rows(95)

    def page(query: str = "", **kwargs):
        request = RequestFactory().get("/list/" + (f"?{query}" if query else ""))
        return request, paginate(request, rows, **kwargs)

    return page


def test_it_gives_the_first_page_of_twenty_by_default(_page):
    """No parameters: page 1, 20 rows."""
    _request, page = _page()
    assert page.number == 1
    assert page.size == 20
    assert _numbers(page) == list(range(1, 21))
    assert page.paginator.count == 95


@pytest.mark.parametrize(
    "value", ["abc", "0", "-1", "1.5", "", " 2", "٣", "1e3", "99999999999999999999999999", "%00"]
)
def test_it_gives_the_first_page_for_a_bad_page_number(_page, value):
    """Whatever is typed in the address bar, a bad page number is page 1, never an error."""
    _request, page = _page(f"page={value}")
    assert page.number == 1


def test_it_gives_the_last_page_past_the_end(_page):
    """A page number past the end shows the last page (e.g. after rows were deleted)."""
    _request, page = _page("page=999")
    assert page.number == 5
    assert _numbers(page) == list(range(81, 96))


@pytest.mark.parametrize(
    "value,expected", [("50", 50), ("100", 100), ("10", 10), ("7", 20), ("1000", 20), ("x", 20)]
)
def test_it_accepts_only_the_offered_page_sizes(_page, value, expected):
    """Sizes are 10/20/50/100; anything else falls back to the default."""
    _request, page = _page(f"size={value}")
    assert page.size == expected


def test_it_offers_a_view_specific_default_size(_page):
    """A view may choose its default size; it is offered in the choice too."""
    _request, page = _page(default_size=15)
    assert page.size == 15
    assert page.size_choices == [10, 15, 20, 50, 100]


def test_it_paginates_an_empty_list_as_one_empty_page(db):
    """No rows: page 1 of 1, 共 0 条."""
    request = RequestFactory().get("/list/?page=3")
    page = paginate(request, Region.objects.none())
    assert page.number == 1
    assert page.paginator.count == 0


def test_it_keeps_the_query_filters_in_links_and_the_size_form(db):
    """Page links and the page-size form keep the other query parameters."""
    for code in range(10, 40):
        Region.objects.create(code=str(code), name=f"省{code}", short_name=f"省{code}", level=1, initials="s")
    request = RequestFactory().get("/list/?q=%E5%85%B4&kind=a&kind=b&page=2&size=10")
    page = paginate(request, Region.objects.order_by("code"))
    html = render_to_string("core/_pagination.html", {"page": page, "request": request})
    assert "共 30 条" in html
    assert 'href="?q=%E5%85%B4&amp;kind=a&amp;kind=b&amp;page=3&amp;size=10"' in html
    assert '<input type="hidden" name="q" value="兴">' in html
    assert '<input type="hidden" name="kind" value="b">' in html
    assert 'name="page"' not in html
    assert '<option value="10" selected>' in html


def test_it_elides_long_page_ranges(db):
    """Many pages show the ends and a window around the current page."""
    request = RequestFactory().get("/list/?page=25&size=10")
    page = paginate(request, _rows(1000))
    html = render_to_string("core/_pagination.html", {"page": page, "request": request})
    assert "…" in html
    assert 'aria-current="page">25<' in html
    assert ">100</a>" in html
