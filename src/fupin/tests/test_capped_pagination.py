from django.test import RequestFactory

from fupin.core.pagination import paginate
from fupin.regions.models import Region


def test_it_counts_only_up_to_the_cap(cast):
    """Past the cap the total is cap + 1 (shown as 共 cap+ 条) and the pages stop there."""
    request = RequestFactory().get("/", {"size": "10"})
    page = paginate(request, Region.objects.order_by("code"), default_size=10, count_cap=5)
    assert page.paginator.capped
    assert page.paginator.count == 6
    assert len(page.object_list) == 6


def test_it_counts_exactly_under_the_cap(cast):
    request = RequestFactory().get("/")
    page = paginate(request, Region.objects.order_by("code"), count_cap=1000)
    assert not page.paginator.capped
    assert page.paginator.count == Region.objects.count()


def test_it_says_so_on_the_list_page(client, cast, settings):
    """The household list shows 共 N+ 条 when the cap is passed."""
    from fupin.registry import views
    from fupin.registry.tests.fixtures_screens import make_households

    make_households()
    client.force_login(cast["county"])
    original = views.LIST_COUNT_CAP
    views.LIST_COUNT_CAP = 1
    try:
        html = client.get("/registry/").content.decode()
    finally:
        views.LIST_COUNT_CAP = original
    assert "共 1+ 条" in html
