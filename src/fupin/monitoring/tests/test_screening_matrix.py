"""Department screening's scope-matrix entries (matrix_screening.py), checked the central matrix's way
until the monitoring matrix merges them: the county officer sees 兴海县's batch, the outsider (泾川县,
the same role) does not, on each page, export and API operation."""

import io

import openpyxl
import pytest

from fupin.accounts.tokens import token_issue
from fupin.monitoring.tests import matrix_screening
from fupin.testing import response_bytes

WORLD_LAYERS = ("households", matrix_screening.objects)


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(response_bytes(response)), read_only=True)
        return str([list(r) for r in book.active.iter_rows(values_only=True)])
    return response.content.decode()


@pytest.mark.parametrize("name", sorted(matrix_screening.PAGES))
def test_the_outsider_sees_nothing_on_each_page(client, cast, name):
    page = matrix_screening.PAGES[name]
    url = page.url(cast)
    client.force_login(cast["outsider"])
    outsider = client.get(url)
    client.force_login(cast["county"])
    county = client.get(url)
    assert county.status_code == 200
    if page.kind == "detail":
        assert outsider.status_code == 404
        return
    assert outsider.status_code == 200
    assert page.marker not in _text(outsider)
    if page.kind in ("list", "export"):
        assert page.marker in _text(county)


@pytest.mark.parametrize("path", sorted(matrix_screening.API))
def test_the_outsider_gets_nothing_from_each_api_operation(client, cast, path):
    build, kind, *marker = matrix_screening.API[path]
    answers = {}
    for who in ("outsider", "county"):
        _token, key = token_issue(user=cast[who], name="matrix")
        answers[who] = client.get(build(cast), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answers["county"].status_code == 200
    if kind == "detail":
        assert answers["outsider"].status_code == 404
    else:
        assert answers["outsider"].status_code == 200
        assert marker[0] in answers["county"].content.decode()
        assert marker[0] not in answers["outsider"].content.decode()
