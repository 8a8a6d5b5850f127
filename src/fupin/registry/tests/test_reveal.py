import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import RequestFactory

from fupin.audit.models import AuditEvent
from fupin.registry.reveal import reveal
from fupin.registry.services import member_update
from fupin.testing import person_id

WORLD_LAYERS = ("minzu",)


def _request(user):
    request = RequestFactory().get("/registry/households/1/")
    request.user = user
    return request


def test_it_reveals_to_the_county_officer_and_audits_it_masked(minzu, cast):
    """The county officer sees the full number; a REVEAL row names the field with the value masked."""
    head = minzu[0].members.get(relation="head")
    value = reveal(by=cast["county"], request=_request(cast["county"]), obj=head, field="id_number")
    assert value == person_id(1)
    row = AuditEvent.objects.filter(action="reveal").get()
    assert row.changes == {"id_number": head.id_number_masked}
    assert person_id(1) not in str(row.changes) + row.detail + row.object_repr
    assert reveal(by=cast["county"], request=None, obj=minzu[0], field="phone") == "13800138000"


def test_it_refuses_without_the_permission_or_outside_the_scope(minzu, cast):
    """The cadre (no reveal permission) and the outsider (other county) are refused and audited."""
    head = minzu[0].members.get(relation="head")
    for user in (cast["cadre"], cast["outsider"]):
        with pytest.raises(PermissionDenied):
            reveal(by=user, request=_request(user), obj=head, field="id_number")
    assert AuditEvent.objects.filter(action="reveal").count() == 0
    assert AuditEvent.objects.filter(action="denied").count() == 2


def test_it_leaves_no_plaintext_id_number_in_a_dump(minzu, cast):
    """Every text column of every registry table (and the audit trail) is free of the plaintext numbers."""
    numbers = [person_id(1), person_id(2, male=False), person_id(3)]
    reveal(by=cast["county"], request=None, obj=minzu[0].members.first(), field="id_number")
    tables = [t for t in connection.introspection.table_names() if t.startswith(("registry_", "audit_"))]
    dump = []
    with connection.cursor() as cursor:
        for table in tables:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            dump += [str(v) for row in cursor.fetchall() for v in row]
    text = "\n".join(dump)
    assert "才让东智" in text  # the dump did read the rows
    for number in numbers:
        assert number not in text
        assert "13800138000" not in text


def test_it_leaves_nothing_to_rebuild_an_id_number_from(minzu, cast):
    """The reconstruction attack: county code (from the village) + birth date + last four digits
    (sequence and check digit) ARE the number. The registry's tables hold no birth date and no last
    four in clear, and no table at all (audit trail included) holds a birth date."""
    import re

    numbers = [person_id(1), person_id(2, male=False), person_id(3)]
    head = minzu[0].members.get(relation="head")
    member_update(by=cast["county"], member=head, version=head.version, ethnicity="藏族")  # an audited change
    cells = {"registry": set(), "audit": set()}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            kind = (
                "registry"
                if table.startswith("registry_")
                else "audit"
                if table.startswith("audit_")
                else None
            )
            if kind is None:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    cells[kind].add(str(value))
                    # JSON columns (the audit trail's changes) hold values inside: split them out.
                    cells[kind].update(re.findall(r"[0-9X*-]{4,}", str(value)))
    assert any("6325" in c for c in cells["registry"])  # the dump did read the rows
    for number in numbers:
        birth = (number[6:14], f"{number[6:10]}-{number[10:12]}-{number[12:14]}")
        last4 = number[-4:]
        for kind, found in cells.items():
            assert not set(birth) & found, f"a birth date in the {kind} tables"
        assert last4 not in cells["registry"]
        assert not any(re.fullmatch(rf".*\*{{2,}}{last4}", c) for c in cells["registry"])


def test_it_shows_only_masked_values_in_the_admin(minzu, cast, client):
    """The back office lists and opens a household with masked values only; the outsider gets nothing."""
    from django.urls import reverse

    household = minzu[0]
    client.force_login(cast["county"])
    listing = client.get(reverse("admin:registry_household_changelist"))
    assert listing.status_code == 200 and household.number in listing.content.decode()
    page = client.get(reverse("admin:registry_household_change", args=[household.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "138****8000" in html and household.members.first().id_number_masked in html
    assert "13800138000" not in html and person_id(1) not in html and "v1:" not in html
    client.force_login(cast["outsider"])
    assert household.number not in client.get(reverse("admin:registry_household_changelist")).content.decode()
    assert client.get(reverse("admin:registry_household_change", args=[household.pk])).status_code in (
        302,
        404,
    )
