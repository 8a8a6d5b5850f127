"""Export of the scoped registry: scoped, masked unless revealed, formula-escaped, audited."""

import io

from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from fupin.audit.models import AuditEvent
from fupin.registry.importing.importer import run_import
from fupin.registry.tests._import_data import VILLAGE, sample_rows, to_csv
from fupin.testing import response_bytes


def _import(tmp_path, cast, **overrides):
    """Import two households of three members for the county officer."""
    rows = sample_rows()
    for row in rows[:3]:  # the first household's rows all carry its columns
        row.update(overrides)
    path = tmp_path / "a.csv"
    path.write_bytes(to_csv(rows))
    result = run_import(path, user=cast["county"])
    assert result.written, result.errors
    return rows


def _sheet(content: bytes):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_it_exports_only_the_users_scope(client, cast, tmp_path):
    """The outsider's export has none of 632524's households."""
    _import(tmp_path, cast)
    client.force_login(cast["outsider"])
    rows = _sheet(response_bytes(client.get(reverse("registry:household_export"))))
    assert len(rows) == 1  # the header alone
    assert AuditEvent.objects.filter(action="export", actor_username="outsider").exists()


def test_it_masks_personal_data_and_escapes_formulas(client, cast, tmp_path):
    """Masked ID/phone/account and *** for health without reveal; = + - @ cells escaped."""
    cast["cadre"].user_permissions.clear()
    rows = _import(tmp_path, cast, **{"村民小组": "=HYPERLINK(1)", "开户银行": "@bank"})
    client.force_login(cast["cadre"])
    assert not cast["cadre"].has_perm("registry.reveal_household")
    sheet = _sheet(response_bytes(client.get(reverse("registry:household_export"))))
    header, first = sheet[0], sheet[1]
    record = dict(zip(header, first, strict=True))
    assert record["身份证号"] == rows[0]["身份证号"][:4] + "*" * 10 + rows[0]["身份证号"][-4:]
    assert record["联系电话"] == "138****8000"
    assert record["健康状况"] == "***"
    assert record["村民小组"] == "'=HYPERLINK(1)" and record["开户银行"] == "'@bank"
    body = b"".join(
        client.get(reverse("registry:household_export") + "?format=csv").streaming_content
    ).decode()
    assert rows[0]["身份证号"] not in body and "138****8000" in body
    event = AuditEvent.objects.filter(action="export").last()
    assert event.changes["count"] == 6 and event.changes["masked"]


def test_it_reveals_only_on_the_clear_export_form(client, cast, tmp_path):
    """The county officer (registry.reveal_household) gets masked values from 导出 too; the clear
    values come from the 明文导出 form, with a purpose, and the audit says so."""
    rows = _import(tmp_path, cast)
    client.force_login(cast["county"])
    sheet = _sheet(response_bytes(client.get(reverse("registry:household_export"))))
    record = dict(zip(sheet[0], sheet[1], strict=True))
    assert record["身份证号"] != rows[0]["身份证号"] and record["健康状况"] == "***"
    assert AuditEvent.objects.filter(action="export").order_by("-id").first().changes["masked"] is True
    response = client.post(
        reverse("registry:household_export_clear"),
        {"purpose": "医保参保核对", "format": "xlsx", "confirm": "on"},
    )
    sheet = _sheet(response_bytes(response))
    record = dict(zip(sheet[0], sheet[1], strict=True))
    assert record["身份证号"] == rows[0]["身份证号"] and record["健康状况"] == "长期慢性病"
    event = AuditEvent.objects.filter(action="export").order_by("-id").first()
    assert event.changes["masked"] is False and event.changes["purpose"] == "医保参保核对"


def test_it_exports_from_the_command_line(cast, tmp_path):
    """`fupin export households --county … --format csv` writes the county's members, masked by default."""
    rows = _import(tmp_path, cast)
    out = tmp_path / "out.csv"
    call_command("export", "households", "--format", "csv", "--county", "620821", "-o", str(out))
    assert out.read_text(encoding="utf-8-sig").count("\n") == 1
    call_command("export", "households", "--format", "csv", "--county", "632524", "-o", str(out))
    text = out.read_text(encoding="utf-8-sig")
    assert text.count(VILLAGE + "0000") == 6 and "138****8000" in text
    assert rows[0]["身份证号"] not in text
