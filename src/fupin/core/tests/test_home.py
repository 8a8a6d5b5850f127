from django.urls import reverse


def test_it_shows_the_county_officer_their_county_with_its_full_path(cast, sign_in):
    """The county officer sees 兴海县 with the divisions above it, its level and their role."""
    response = sign_in(cast["county"]).get(reverse("core:home"))
    assert response.status_code == 200
    places = response.context["scope_places"]
    assert [(p.code, p.path, p.level_label) for p in places] == [
        ("632524", ["青海省", "海南藏族自治州", "兴海县"], "县级")
    ]
    html = response.content.decode()
    assert "兴海县" in html
    assert "县级干部" in html
    assert "泾川县" not in html


def test_it_shows_the_outsider_only_their_own_county(cast, sign_in):
    """The outsider of 泾川县 sees nothing of 兴海县 on their start page."""
    html = sign_in(cast["outsider"]).get(reverse("core:home")).content.decode()
    assert "甘肃省" in html and "泾川县" in html
    assert "兴海县" not in html
    assert "632524" not in html


def test_it_shows_a_village_cadre_their_village(cast, sign_in):
    """A village cadre's scope is one village, five levels deep."""
    response = sign_in(cast["cadre"]).get(reverse("core:home"))
    (place,) = response.context["scope_places"]
    assert place.path == ["青海省", "海南藏族自治州", "兴海县", "唐乃亥乡", "民族村村民委员会"]
    assert place.level_label == "村级"


def test_it_shows_a_unit_officer_their_unit_and_the_places_it_assists(cast, sign_in):
    """A unit officer sees their unit and, through it, the county it assists."""
    html = sign_in(cast["unitofficer"]).get(reverse("core:home")).content.decode()
    assert "大唐青海能源开发有限公司" in html
    assert "兴海县" in html
    assert "帮扶单位干部" in html


def test_it_explains_why_an_administrator_has_no_data_scope(cast, sign_in):
    """Administrators manage the system, not data: the page says so instead of an empty list."""
    response = sign_in(cast["sysadmin"]).get(reverse("core:home"))
    assert response.status_code == 200
    assert response.context["scope_places"] == []
    assert "三员分立" in response.content.decode()


def test_it_asks_a_user_without_scope_to_get_one(cast, sign_in):
    """A business user with no scope yet is told whom to ask."""
    from fupin.accounts.roles import Role
    from fupin.testing import make_user

    newcomer = make_user("newcomer", roles=[Role.COUNTY_OFFICER])
    html = sign_in(newcomer).get(reverse("core:home")).content.decode()
    assert "还没有数据范围" in html


def test_it_links_the_menu_modules_as_quick_links(cast, sign_in):
    """The quick links are the menu's modules other than the home page itself."""
    response = sign_in(cast["county"]).get(reverse("core:home"))
    labels = [str(item["label"]) for item in response.context["quick_links"]]
    assert "行政区划" in labels
    assert "首页" not in labels


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    """The start page needs a signed-in user."""
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
