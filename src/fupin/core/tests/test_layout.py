import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

ROLES = ["county", "cadre", "outsider", "unitofficer", "sysadmin", "secadmin", "auditadmin"]


@pytest.mark.parametrize("who", ROLES)
def test_it_draws_the_layout_for_every_role(cast, sign_in, who):
    """Each role gets the shell: product name, sidebar, language switch, sign-out and tab bar."""
    response = sign_in(cast[who]).get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "党建引领帮扶管理平台" in html
    assert 'class="sidebar"' in html
    assert f'action="{reverse("set_language")}"' in html
    assert f'action="{reverse("accounts:logout")}"' in html
    assert 'class="tabbar"' in html
    assert "fupin/vendor/htmx.min.js" in html


def test_it_shows_the_county_officer_where_they_work_in_the_top_bar(cast, sign_in):
    """The top bar names the area and role, e.g. 兴海县 · 县级干部."""
    html = sign_in(cast["county"]).get(reverse("core:home")).content.decode()
    assert '<span class="where-area">兴海县</span>' in html
    assert '<span class="where-role">县级干部</span>' in html


def test_it_marks_the_current_module_active(cast, sign_in):
    """The menu entry of the page being viewed is highlighted, and only that one."""
    menu = sign_in(cast["county"]).get(reverse("core:home")).context["menu"]
    assert [str(item["label"]) for item in menu if item["active"]] == ["首页"]


def test_it_hides_menu_modules_the_user_may_not_open(cast, sign_in):
    """A village cadre has no back office and no audit log in the menu."""
    menu = sign_in(cast["cadre"]).get(reverse("core:home")).context["menu"]
    labels = [str(item["label"]) for item in menu]
    assert "审计日志" not in labels
    assert "后台管理" not in labels
    assert "行政区划" in labels


def test_it_disables_tabs_whose_pages_are_not_built(cast, sign_in):
    """A phone tab links only to a page that exists; the others are drawn disabled."""
    response = sign_in(cast["county"]).get(reverse("core:home"))
    tabs = {str(tab["label"]): tab["url"] for tab in response.context["tabs"]}
    assert tabs["首页"] == reverse("core:home")
    assert list(tabs) == ["首页", "走访", "农户", "我的"]
    html = response.content.decode()
    for label, url in tabs.items():
        if url is None:
            assert 'aria-disabled="true" title="即将开放"' in html, label


def test_it_leaves_the_shell_out_for_anonymous_visitors(rf):
    """A page rendered for nobody has no menu, no user menu and no tab bar."""
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    html = render_to_string("404.html", request=request)
    assert "页面不存在" in html
    assert 'class="sidebar"' not in html
    assert 'class="tabbar"' not in html


def test_it_renders_the_500_page_without_a_request():
    """The server-error page needs no request, no context processors and no static files."""
    html = render_to_string("500.html")
    assert "系统错误" in html
    assert "/static/" not in html


def test_it_answers_a_missing_page_with_the_chinese_404(cast, sign_in, settings):
    """An unknown address gets the project's 404 page inside the layout."""
    settings.DEBUG = False
    response = sign_in(cast["county"]).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert 'class="sidebar"' in html


def test_it_renders_the_403_page(cast):
    """The permission-denied page explains whom to ask."""
    request = RequestFactory().get("/")
    request.user = cast["county"]
    html = render_to_string("403.html", request=request)
    assert "无权访问" in html
    assert "安全管理员" in html


def test_it_confirms_destructive_actions_with_a_default_question(cast, sign_in):
    """[data-confirm] buttons fall back to the page's translated default question."""
    html = sign_in(cast["county"]).get(reverse("core:home")).content.decode()
    assert 'data-confirm-default="确定要执行此操作吗?"' in html


def test_it_counts_every_place_of_a_wide_scope_in_the_top_bar(cast, sign_in):
    """A unit assisting nine counties reads "<first county> 等 9 地": the count is of all the places."""
    from fupin import testing
    from fupin.accounts.roles import Role
    from fupin.orgs.models import AssistedPlace, Unit
    from fupin.regions.models import Region

    unit = Unit.objects.create(name="国家能源集团", kind=Unit.Kind.CENTRAL_ENTERPRISE, region_id="63")
    codes = [f"6325{n:02d}" for n in range(21, 30)]
    for code in codes:
        Region.objects.get_or_create(
            code=code,
            defaults={"name": f"县{code}", "short_name": f"县{code}", "level": 3, "parent_id": "6325"},
        )
        AssistedPlace.objects.create(unit=unit, region_id=code)
    officer = testing.make_user("nine", roles=[Role.UNIT_OFFICER], unit=unit)
    html = sign_in(officer).get(reverse("core:home")).content.decode()
    assert f"{Region.objects.get(code=codes[0]).name} 等 9 地" in html
    assert "等 8 地" not in html
