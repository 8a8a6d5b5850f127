"""The screens' scope-matrix entries (matrix_screens.py), checked the central matrix's way until the
monitoring matrix merges them: the county officer sees 兴海县's records, the outsider (泾川县, the same
role) does not, on every list, export and back-office screen of the screens."""

import pytest
from django.urls import reverse

from fupin.monitoring.tests import matrix_screens
from fupin.testing import xlsx_rows

WORLD_LAYERS = ("households", matrix_screens.objects)


def _text(response) -> str:
    return "\n".join(str(c) for row in xlsx_rows(response) for c in row)


@pytest.mark.parametrize("name", sorted(matrix_screens.PAGES))
def test_the_outsider_sees_nothing_on_each_page(client, cast, name):
    page = matrix_screens.PAGES[name]
    url = page.url(cast)
    client.force_login(cast["outsider"])
    outsider = client.get(url)
    client.force_login(cast["county"])
    county = client.get(url)
    assert outsider.status_code == county.status_code == 200
    if page.kind == "export":
        assert page.marker in _text(county) and page.marker not in _text(outsider)
        return
    assert page.marker not in outsider.content.decode()
    if page.kind == "list":
        assert page.marker in county.content.decode()


@pytest.mark.parametrize("label", sorted(matrix_screens.ADMIN_OBJECTS))
def test_the_outsider_sees_nothing_in_each_admin_screen(client, cast, label):
    app_label, model_name = label.split(".")
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    build = matrix_screens.ADMIN_OBJECTS[label]
    client.force_login(cast["county"])
    assert client.get(changelist).status_code == 200
    if build is None:
        return
    obj = build(cast)
    change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    assert change in client.get(changelist).content.decode()
    assert client.get(change).status_code == 200
    client.force_login(cast["outsider"])
    assert change not in client.get(changelist).content.decode()
    assert client.get(change).status_code in (302, 404)
