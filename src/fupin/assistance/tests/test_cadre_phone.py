"""A cadre's phone is personal data: stored only encrypted, masked on every screen, export, API answer
and audit row (the 明白卡 prints it in clear: documents/tests/test_cards.py)."""

from django.db import connection
from django.urls import reverse

from fupin.accounts.tokens import token_issue
from fupin.assistance import services
from fupin.assistance.models import Cadre
from fupin.assistance.tests.matrix import CADRE
from fupin.audit.models import AuditEvent
from fupin.core import crypto
from fupin.testing import xlsx_rows

CLEAR, MASKED = "13812345678", "138****5678"


def _set_phone(world, phone: str) -> Cadre:
    cadre = Cadre.objects.get(name=CADRE)
    return services.cadre_update(
        by=world["county"], cadre=cadre, version=cadre.version, name=cadre.name, level=cadre.level,
        region=cadre.region_id, unit=cadre.unit, title=cadre.title, phone=phone,
    )  # fmt: skip


def _stored_row(cadre: Cadre) -> tuple:
    """Every column of the cadre's row as the database holds it (no model in between)."""
    table = connection.ops.quote_name(Cadre._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [cadre.pk])  # noqa: S608 - the model's own table
        return cursor.fetchone()


def test_the_database_holds_no_clear_phone_of_a_cadre(world):
    cadre = _set_phone(world, "138 1234 5678")  # the form's and the API's rule: normalised first
    row = " ".join(str(value) for value in _stored_row(cadre))
    assert CLEAR not in row and "12345678" not in row.replace(MASKED, "")
    assert MASKED in row and crypto.decrypt(cadre.phone_enc) == CLEAR
    # Two cadres with the same number do not share a ciphertext (a fresh nonce each).
    other = services.cadre_create(
        by=None, name="另一位干部", level="county", region=cadre.region_id, phone=CLEAR
    )
    assert other.phone_enc != cadre.phone_enc and crypto.decrypt(other.phone_enc) == CLEAR


def test_the_list_its_export_and_the_api_show_it_masked(client, world):
    _set_phone(world, CLEAR)
    client.force_login(world["county"])
    listed = client.get(reverse("assistance:cadre_list")).content.decode()
    assert MASKED in listed and CLEAR not in listed
    rows = xlsx_rows(client.get(reverse("assistance:cadre_export")))
    cells = [str(cell) for row in rows for cell in row]
    assert MASKED in cells and not any(CLEAR in cell for cell in cells)
    _token, key = token_issue(user=world["county"], name="test")
    answer = client.get("/api/assistance/cadres", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 200 and MASKED in answer.content.decode()
    assert CLEAR not in answer.content.decode()


def test_the_audit_trail_carries_neither_the_clear_phone_nor_the_ciphertext(world):
    cadre = _set_phone(world, CLEAR)
    cadre = _set_phone(world, "13900001111")
    events = AuditEvent.objects.filter(object_type="assistance.cadre", object_id=str(cadre.pk))
    assert events.exists()
    logged = " ".join(f"{e.changes} {e.detail} {e.object_repr}" for e in events)
    assert CLEAR not in logged and "13900001111" not in logged
    assert cadre.phone_enc not in logged and cadre.phone_enc.split(":")[-1][:16] not in logged
    assert "139****1111" in logged  # the change itself is told, masked


def test_an_edit_that_leaves_the_phone_out_keeps_it_and_an_empty_one_clears_it(world):
    cadre = _set_phone(world, CLEAR)
    sealed = cadre.phone_enc
    kept = services.cadre_update(
        by=world["county"], cadre=cadre, version=cadre.version, name=cadre.name, level=cadre.level,
        region=cadre.region_id, unit=cadre.unit, title="第一书记",
    )  # fmt: skip
    assert kept.phone_enc == sealed and kept.phone_masked == MASKED
    cleared = _set_phone(world, "")
    assert (cleared.phone_enc, cleared.phone_masked) == ("", "")
