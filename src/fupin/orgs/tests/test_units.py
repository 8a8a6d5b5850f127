import pytest
from django.urls import reverse

from fupin.accounts.tokens import token_issue
from fupin.testing import xlsx_rows


@pytest.fixture
def county_client(client, cast):
    client.force_login(cast["county"])
    return client


def test_it_lists_the_units_assisting_the_county(county_client):
    """The county officer of 兴海县 sees 大唐青海, which assists the county, and not 泾川县's units."""
    html = county_client.get(reverse("orgs:unit_list")).content.decode()
    assert "大唐青海能源开发有限公司" in html
    assert "泾川县人民政府" not in html


def test_it_filters_by_name_and_kind(county_client):
    html = county_client.get(reverse("orgs:unit_list"), {"q": "不存在的单位"}).content.decode()
    assert "大唐青海能源开发有限公司" not in html
    response = county_client.get(reverse("orgs:unit_list"), {"kind": "not-a-kind"})
    # A refused filter lists nothing and says why under the field, never a 500.
    assert response.status_code == 200 and response.context["page"].count == 0
    assert response.context["form"].errors["kind"]


def test_it_shows_a_unit_with_its_places(county_client, cast):
    html = county_client.get(reverse("orgs:unit_detail", args=[cast["datang"].pk])).content.decode()
    assert "632524" in html and "兴海县" in html


def test_it_hides_a_unit_outside_the_scope_as_missing(client, cast):
    client.force_login(cast["outsider"])
    assert client.get(reverse("orgs:unit_detail", args=[cast["datang"].pk])).status_code == 404


def test_it_exports_the_scoped_list_as_xlsx(county_client):
    rows = xlsx_rows(county_client.get(reverse("orgs:unit_export")))
    assert [row[0] for row in rows[1:]] == ["大唐青海能源开发有限公司"]
    assert rows[1][5] == "兴海县"  # 帮扶地区


def test_it_lists_and_shows_units_in_the_api(client, cast):
    _token, key = token_issue(user=cast["unitofficer"], name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    listing = client.get("/api/orgs/units", **auth).json()
    assert [u["name"] for u in listing["items"]] == ["大唐青海能源开发有限公司"]
    detail = client.get(f"/api/orgs/units/{cast['datang'].pk}", **auth).json()
    assert detail["assisted_places"] == [{"code": "632524", "name": "兴海县"}]
    other = client.get(f"/api/orgs/units/{cast['jingchuan_unit'].pk}", **auth)
    assert other.status_code == 404 and other.json()["detail"]


def test_it_refuses_bad_api_input_with_a_reason(client, cast):
    client.force_login(cast["county"])
    assert client.get("/api/orgs/units", {"limit": 0}).status_code == 422
    assert client.get("/api/orgs/units", {"q": "a\x00b"}).status_code == 422
    assert client.get(f"/api/orgs/units/{2**70}").status_code == 422
    assert client.get("/api/orgs/units").status_code == 200
