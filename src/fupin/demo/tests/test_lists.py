"""Every declared list (fupin.core.lists.LISTS), over the demo world, the way a person uses it: the
page answers, the export holds exactly the page's rows with numbers as numbers and dates as dates,
someone with the same role elsewhere sees none of it, and a refused filter lists nothing."""

import datetime

import pytest
from django.urls import reverse

from fupin.accounts.models import User, UserRole
from fupin.audit.models import AuditEvent
from fupin.core import lists
from fupin.testing import make_user, xlsx_rows

# The demo accounts, widest first: the first who may open a list and sees rows in it reads it.
READERS = ("viewer_qinghai", "county_xinghai", "unit_chnenergy", "unit_datang", "fs_changliu", "cadre_minzu")


def _all_lists():
    from django.urls import get_resolver

    get_resolver().url_patterns  # importing the URLs declares every list  # noqa: B018
    return sorted(lists.LISTS)


def _reader(client, spec):
    for username in READERS:
        user = User.objects.get(username=username)
        if not all(user.has_perm(p) for p in spec.permissions):
            continue
        client.force_login(user)
        page = client.get(reverse(f"{spec.url}_list"))
        if page.status_code == 200 and page.context["page"].count:
            return user, page
    return None, None


@pytest.mark.parametrize("name", _all_lists())
def test_each_list_pages_exports_and_scopes_alike(client, demo, name):
    spec = lists.LISTS[name]
    user, page = _reader(client, spec)
    if user is None:
        pytest.skip(f"no demo account sees rows in {name}")
    count = page.context["page"].count

    export = client.get(reverse(f"{spec.url}_export"))
    assert export.status_code == 200, name
    rows = xlsx_rows(export)
    audit = AuditEvent.objects.filter(
        action="export", object_type__startswith=spec.name.split(".")[0]
    ).latest("id")
    assert audit.changes["masked"] is True and audit.changes["count"] == len(rows) - 1
    if not spec.export:  # a file shaped otherwise (the household list's members) has its own tests
        assert rows[0] == [str(c.header) for c in spec.columns]
        if not page.context["page"].capped and not spec.export_rows:
            assert len(rows) - 1 == count, name
        for i, column in enumerate(spec.columns):
            cells = [r[i] for r in rows[1:] if r[i] is not None]
            if column.kind in lists.NUMERIC:
                assert all(isinstance(v, int | float) for v in cells), (name, column.header, cells[:3])
            if column.kind in (lists.DATE, lists.DATETIME):
                assert all(isinstance(v, datetime.datetime) for v in cells), (name, column.header, cells[:3])

    # Someone with the same roles in another province (新疆: nothing of the demo is there) sees nothing.
    outsider = make_user(f"outsider_{name}", scopes=["65"])
    for role in UserRole.objects.filter(user=user).values_list("role", flat=True):
        UserRole.objects.create(user=outsider, role=role)
    client.force_login(outsider)
    away = client.get(reverse(f"{spec.url}_list"))
    assert away.status_code == 200, name
    # National reference lists apart (the indicator catalogue and the shipped 报表: definitions, no
    # place's data; a county's own forms are not shown there: reports/tests/test_tabulations.py).
    if name not in {"reports.indicator", "reports.tabulation"}:
        assert away.context["page"].count == 0, name
        assert len(xlsx_rows(client.get(reverse(f"{spec.url}_export")))) == 1

    # A refused filter lists nothing and says why, on the page and in the export.
    client.force_login(user)
    refused = _refused_filter(spec)
    if refused:
        answer = client.get(reverse(f"{spec.url}_list"), refused)
        assert answer.context["page"].count == 0 and answer.context["form"].errors, name
        assert client.get(reverse(f"{spec.url}_export"), refused).status_code == 400


def _refused_filter(spec) -> dict | None:
    """A value the list's form refuses: a division that does not exist, a choice not offered, a
    number out of range."""
    from django import forms

    for field_name, field in spec.filters.base_fields.items():
        if field_name in getattr(spec.filters, "region_fields", ()):
            return {field_name: "999999999999"}
        if isinstance(field, forms.ChoiceField):
            return {field_name: "no-such-choice"}
        if isinstance(field, forms.IntegerField):
            return {field_name: "abc"}
    return None


def test_sorting_by_a_column_orders_page_and_export_alike(client, demo):
    spec = lists.LISTS["assistance.activity"]
    client.force_login(User.objects.get(username="county_xinghai"))
    url = reverse(f"{spec.url}_list")
    up = [r["cells"][6][0] for r in client.get(url, {"sort": "value", "size": 100}).context["rows"]]
    exported = [r[6] for r in xlsx_rows(client.get(reverse(f"{spec.url}_export"), {"sort": "-value"}))[1:]]
    assert exported == sorted(exported, key=lambda v: v or 0, reverse=True)
    assert len(up) == len(exported)
