import pytest


@pytest.fixture
def client_in(client, cast):
    client.force_login(cast["county"])
    return client


def test_it_lists_provinces_and_children(client_in):
    """/api/regions/ gives provinces; /{code}/children gives direct children with their child counts."""
    provinces = client_in.get("/api/regions/").json()
    assert [p["code"] for p in provinces] == ["62", "63"]
    children = client_in.get("/api/regions/632524/children").json()
    assert [(c["code"], c["short_name"], c["child_count"]) for c in children] == [
        ("632524101", "河卡镇", 1),
        ("632524203", "唐乃亥乡", 1),
    ]


def test_it_shows_detail_with_the_ancestor_path(client_in):
    """Detail carries the path from the province down and a joined full name."""
    body = client_in.get("/api/regions/632524").json()
    assert body["full_name"] == "青海省 › 海南藏族自治州 › 兴海县"
    assert [p["code"] for p in body["path"]] == ["63", "6325", "632524"]
    assert (body["level"], body["parent_code"]) == (3, "6325")


def test_it_searches_by_name_and_by_initials(client_in):
    """Search matches a short-name substring or a pinyin-initials prefix, filtered by level and area."""
    assert [r["code"] for r in client_in.get("/api/regions/search", {"q": "兴海"}).json()] == ["632524"]
    assert [r["code"] for r in client_in.get("/api/regions/search", {"q": "xhx"}).json()] == ["632524"]
    villages = client_in.get("/api/regions/search", {"q": "村", "level": 5, "within": "632524"}).json()
    assert [r["code"] for r in villages] == ["632524101206", "632524203207"]
    assert len(client_in.get("/api/regions/search", {"q": "c", "limit": 1000}).json()) <= 50


def test_it_answers_unknown_and_malformed_codes_with_json(client_in):
    """An unknown code is a 404, a malformed one a 422 with a Chinese reason; never a 500."""
    missing = client_in.get("/api/regions/639999")
    assert missing.status_code == 404 and "detail" in missing.json()
    for bad in ("6", "63252", "abc", "6325242032071"):
        response = client_in.get(f"/api/regions/{bad}/children")
        assert response.status_code == 422
        assert "位数字" in response.json()["detail"]
    assert client_in.get("/api/regions/search", {"q": "x", "within": "x1"}).status_code == 422
    assert client_in.get("/api/regions/search").status_code == 422


def test_it_lets_any_signed_in_user_read_any_division(client, cast):
    """Division codes are public reference data: the outsider reads 兴海县 too."""
    client.force_login(cast["outsider"])
    assert client.get("/api/regions/632524").status_code == 200


def test_it_refuses_anonymous_callers(client, cast):
    """Without a session or token the API answers 401 in JSON."""
    response = client.get("/api/regions/")
    assert response.status_code == 401
    assert "detail" in response.json()
