"""The rules' scope-matrix entries (matrix_rules.py), checked the central matrix's way until the
monitoring matrix merges them: the county officer sees 兴海县's run, the outsider (泾川县, the same
role) does not, on each page and API operation."""

import pytest

from fupin.accounts.tokens import token_issue
from fupin.monitoring.tests import matrix_rules

WORLD_LAYERS = ("households", matrix_rules.objects)


@pytest.mark.parametrize("name", sorted(matrix_rules.PAGES))
def test_the_outsider_sees_nothing_on_each_page(client, cast, name):
    page = matrix_rules.PAGES[name]
    url = page.url(cast)
    client.force_login(cast["outsider"])
    outsider = client.get(url)
    client.force_login(cast["county"])
    county = client.get(url)
    assert county.status_code == 200
    if page.kind == "detail":
        assert outsider.status_code == 404
    else:
        assert outsider.status_code == 200
        assert page.marker in county.content.decode() and page.marker not in outsider.content.decode()


@pytest.mark.parametrize("path", sorted(matrix_rules.API))
def test_the_outsider_gets_nothing_from_each_api_operation(client, cast, path):
    build, kind = matrix_rules.API[path]
    answers = {}
    for who in ("outsider", "county"):
        _token, key = token_issue(user=cast[who], name="matrix")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if isinstance(kind, tuple):
            method, body = kind
            answers[who] = getattr(client, method.lower())(
                build(cast), data=body(cast), content_type="application/json", **auth
            )
        else:
            answers[who] = client.get(build(cast), **auth)
    assert answers["outsider"].status_code == 404
    assert answers["county"].status_code in (200, 202)
