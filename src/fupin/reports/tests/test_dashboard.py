"""The 驾驶舱 (reports/views/dashboard.py): its figures are the rollup's, scoped to the reader."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from fupin.testing import MINZU_VILLAGE, XINGHAI


def _refresh(made: dict) -> dict:
    from fupin.reports import services

    services.refresh()
    return {}


WORLD_LAYERS = (
    "party",
    "assistance",
    "projects",
    "outcomes",
    "monitoring",
    "supervision",
    "reports",
    _refresh,
)


@pytest.fixture
def sign_in(client):
    """Sign a cast member in; administrators also pass two-factor (as core/tests/conftest.py)."""

    def sign_in(user):
        client.force_login(user)
        if user.is_administrator:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return sign_in


@pytest.fixture
def county(cast, sign_in):
    return sign_in(cast["county"])


def test_it_shows_the_county_officer_the_figures_of_the_rollup(cast, county):
    """Each key figure is reports.selectors.figure for 兴海县, with its trend and drill list."""
    from fupin.reports import selectors

    response = county.get("/")
    assert response.status_code == 200
    assert "reports/dashboard.html" in [t.name for t in response.templates]
    figures = response.context["figures"]
    assert 8 <= len(figures) <= 10
    user = cast["county"]
    for f in figures:
        assert f.value == selectors.figure(user, f.code, division=XINGHAI, period=f.period), f.code
        assert f.url == selectors.drill_url(f.code, division=XINGHAI, period=f.period)
    html = response.content.decode()
    households = next(f for f in figures if f.code == "registry.households")
    assert households.value >= 2  # 扎西 and 王芳
    assert f'href="{households.url}"' in html.replace("&amp;", "&")
    assert "数据更新于" in html
    assert 'id="dashboard-data"' in html and "fupin/vendor/echarts.min.js" in html


def test_it_breaks_the_county_down_by_township_and_the_rows_add_up(cast, county):
    """The table under the map lists 兴海县's townships; their sum is the county's figure."""
    response = county.get("/")
    rows, figure = response.context["rows"], response.context["figure"]
    assert {row["code"] for row in rows} >= {"632524203", "632524101"}
    assert sum(row["value"] or 0 for row in rows) == figure.value
    html = response.content.decode()
    assert '<a href="?division=632524203">唐乃亥乡</a>' in html


def test_it_drills_down_to_a_village(cast, county):
    from fupin.reports import selectors

    response = county.get("/", {"division": MINZU_VILLAGE})
    assert response.status_code == 200
    assert response.context["area"].code == MINZU_VILLAGE
    assert len(response.context["figures"]) >= 8  # the county officer's set, at every level
    for f in response.context["figures"]:
        assert f.value == selectors.figure(cast["county"], f.code, division=MINZU_VILLAGE, period=f.period)
    crumbs = [r.code for r in response.context["crumbs"]]
    assert crumbs == [XINGHAI, "632524203", MINZU_VILLAGE]  # from the scope's root, not above it


def test_it_colours_the_breakdown_by_the_chosen_figure(cast, county):
    response = county.get("/", {"figure": "registry.people"})
    assert response.context["figure"].code == "registry.people"
    assert response.context["dashboard_data"]["figure"]["code"] == "registry.people"


@pytest.mark.parametrize("division", [XINGHAI, MINZU_VILLAGE, "632524203", "abc", "99"])
def test_it_answers_404_for_a_division_outside_the_scope(cast, sign_in, division):
    """The outsider of 泾川县 gets nothing of 兴海县 (nor of a malformed code)."""
    assert sign_in(cast["outsider"]).get("/", {"division": division}).status_code == 404


def test_it_shows_the_outsider_their_own_county_only(cast, sign_in):
    html = sign_in(cast["outsider"]).get("/").content.decode()
    assert "泾川县" in html
    assert "兴海县" not in html and "632524" not in html


def test_it_lists_a_cadres_todo_first_on_the_phone(cast, sign_in):
    """A village cadre gets the short set of figures; 待办 comes first in the markup (the phone's
    order; the wide screen's grid moves the figures up)."""
    response = sign_in(cast["cadre"]).get("/")
    assert response.status_code == 200
    assert response.context["narrow"]
    assert len(response.context["figures"]) <= 5
    html = response.content.decode()
    assert html.index('id="todo"') < html.index('id="figures"')


def test_it_colours_todo_by_level(cast, sign_in):
    """Each 待办 line carries its level (overdue red, soon orange) and links to its list."""
    from fupin.core.todo import todos_for

    response = sign_in(cast["county"]).get("/")
    html = response.content.decode()
    todos = todos_for(cast["county"])
    for item in todos:
        assert f'class="todo-item todo-{item.level}" href="{item.url}"'.replace("&", "&amp;") in html
    if not todos:
        assert "暂无待办" in html


def test_it_has_a_wall_screen(cast, county):
    """?screen=wall: dark, no menu, reloading itself; also from the menu's 驾驶舱大屏."""
    for response in (county.get("/", {"screen": "wall"}), county.get(reverse("reports:dashboard_wall"))):
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="wall"' in html
        assert 'class="sidebar"' not in html
        assert re.search(r'<meta http-equiv="refresh" content="\d+">', html)
        assert "兴海县" in html
        assert response.context["figures"]
    link = re.search(
        r'<a class="btn btn-small" href="([^"]+)" id="wall-link">', county.get("/").content.decode()
    )
    assert link and "screen=wall" in link.group(1)


def test_it_keeps_the_profile_card_for_administrators(cast, sign_in):
    response = sign_in(cast["sysadmin"]).get("/")
    assert response.status_code == 200
    assert "core/home.html" in [t.name for t in response.templates]


def test_it_shows_the_profile_on_the_dashboard(cast, county):
    html = county.get("/").content.decode()
    assert 'id="profile"' in html and "我的数据范围" in html and 'data-code="632524"' in html


def test_it_draws_the_map_of_a_province(cast, sign_in):
    """A province's viewer gets its cities' boundaries (the province's file); below the county,
    no map (the ranked chart)."""
    from fupin.accounts.roles import Role
    from fupin.testing import make_user

    viewer = make_user("qinghai", roles=[Role.COUNTY_OFFICER], scopes=["63"])
    client = sign_in(viewer)
    data = client.get("/").context["dashboard_data"]
    assert data["map"]["url"].endswith("reports/maps/63.json") and data["map"]["level"] == "city"
    data = client.get("/", {"division": "6325"}).context["dashboard_data"]
    assert data["map"]["level"] == "county" and data["map"]["within"] == "6325"
    assert client.get("/", {"division": XINGHAI}).context["dashboard_data"]["map"] is None


def test_the_figures_are_numbers(cast, county):
    for f in county.get("/").context["figures"]:
        assert f.value is None or isinstance(f.value, Decimal)
