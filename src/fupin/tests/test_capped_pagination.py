from django.test import RequestFactory

from fupin.core.lists import page_of
from fupin.regions.models import Region
from fupin.registry.lists import HOUSEHOLDS


def paginate(request, rows, *, default_size: int = 20, count_cap: int):
    return page_of(request.GET, rows, cap=count_cap, default_size=default_size)


WORLD_LAYERS = ("households",)


def test_it_counts_only_up_to_the_cap(cast):
    """Past the cap the total is cap + 1 (shown as 共 cap+ 条) and the pages stop there."""
    request = RequestFactory().get("/", {"size": "10"})
    page = paginate(request, Region.objects.order_by("code"), default_size=10, count_cap=5)
    assert page.paginator.capped
    assert page.paginator.count == 6
    assert len(page.object_list) == 10  # the page is full; the count alone stops at the cap


def test_it_counts_exactly_under_the_cap(cast):
    request = RequestFactory().get("/")
    page = paginate(request, Region.objects.order_by("code"), count_cap=1000)
    assert not page.paginator.capped
    assert page.paginator.count == Region.objects.count()


def test_it_says_so_on_the_list_page(client, cast, households, settings):
    """The household list shows 共 N+ 条 when the cap is passed."""
    client.force_login(cast["county"])
    original = HOUSEHOLDS.count_cap
    object.__setattr__(HOUSEHOLDS, "count_cap", 1)  # a declaration is frozen: set for this test only
    try:
        html = client.get("/registry/").content.decode()
    finally:
        object.__setattr__(HOUSEHOLDS, "count_cap", original)
    assert "共 1+ 条" in html
