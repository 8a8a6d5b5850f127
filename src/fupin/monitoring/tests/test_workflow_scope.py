"""The workflow's pages and API operations hold the scope matrix's promises (workflow_matrix.py, to be
merged into the project's matrix): the outsider of 泾川县 gets 404 on each, the county officer of
兴海县 sees each record (a step that is not his answers 403, never 404). Also: every page and API
operation of the workflow is declared there."""

import pytest

from fupin.accounts.tokens import token_issue
from fupin.monitoring.api import cases as api_cases
from fupin.monitoring.api import objects as api_objects
from fupin.monitoring.api import standards as api_standards
from fupin.monitoring.tests import workflow_matrix
from fupin.monitoring.views import cases, objects

WORLD_LAYERS = ("assistance", workflow_matrix.objects)


def test_every_workflow_page_and_operation_is_declared():
    names = {f"monitoring:{p.name}" for p in (*cases.urlpatterns, *objects.urlpatterns)}
    assert names == set(workflow_matrix.PAGES)
    paths = {
        "/api/monitoring" + path.replace("{case_id}", "")
        for area in (api_cases, api_objects, api_standards)
        for path in area.router.path_operations
    }
    assert paths == set(workflow_matrix.API), paths ^ set(workflow_matrix.API)


@pytest.mark.parametrize("name", sorted(workflow_matrix.PAGES))
def test_each_page_keeps_to_the_scope(client, cast, name):
    page = workflow_matrix.PAGES[name]
    url = page.url(cast)
    if page.kind == "post":
        client.force_login(cast["outsider"])
        assert client.post(url, page.data(cast)).status_code == 404
        client.force_login(cast["county"])
        assert client.post(url, page.data(cast)).status_code != 404
        return
    client.force_login(cast["outsider"])
    assert client.get(url).status_code == 404
    client.force_login(cast["county"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("path", sorted(workflow_matrix.API))
def test_each_operation_keeps_to_the_scope(client, cast, path):
    build, kind, *marker = workflow_matrix.API[path]
    url = build(cast)
    answers = {}
    for who in ("outsider", "county"):
        _token, key = token_issue(user=cast[who], name="scope")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if isinstance(kind, tuple):
            method, body = kind
            answers[who] = getattr(client, method.lower())(
                url, data=body(cast), content_type="application/json", **auth
            )
        else:
            answers[who] = client.get(url, **auth)
    if isinstance(kind, tuple):
        assert answers["outsider"].status_code == 404, answers["outsider"].content
        assert answers["county"].status_code != 404
    elif kind == "list":
        assert answers["outsider"].status_code == answers["county"].status_code == 200
        assert marker[0] not in answers["outsider"].content.decode()
        assert marker[0] in answers["county"].content.decode()
    else:
        assert answers["county"].status_code == 200
        assert answers["outsider"].status_code == 404
