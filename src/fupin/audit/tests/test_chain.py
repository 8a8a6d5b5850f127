from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from fupin.audit.models import AuditEvent, AuditImmutableError
from fupin.audit.services import GENESIS_HASH, _append, audit_purge, audit_record, audit_verify

SQLITE_TRIGGER = (
    "CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only (UPDATE refused)'); END;"
)


def _events(n=3):
    return [audit_record(action=AuditEvent.Action.OTHER, object_repr=f"事件{i}") for i in range(n)]


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _with_triggers_off(sql, params=()):
    """Tamper the way an attacker with database access would: with the guards switched off."""
    if connection.vendor == "postgresql":
        _raw("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
        _raw(sql, params)
        _raw("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")
    else:
        _raw("DROP TRIGGER audit_auditevent_no_update")
        _raw(sql, params)
        _raw(SQLITE_TRIGGER)


@pytest.mark.django_db
def test_it_chains_each_row_to_the_previous_one():
    """The first row starts from the genesis hash; each later row carries its predecessor's hash."""
    first, second = _events(2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash


@pytest.mark.django_db
def test_it_verifies_an_intact_chain(capsys):
    """verify walks every row (across batches) and reports OK with the count."""
    _events(5)
    assert audit_verify(batch_size=2) == (5, None, "")
    call_command("audit", "verify")
    assert "OK: 5" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_detects_an_edited_row():
    """An edit made behind the application's back is found, at the edited row, with exit code 1."""
    events = _events(4)
    _with_triggers_off("UPDATE audit_auditevent SET detail = %s WHERE id = %s", ["改过", events[2].id])
    checked, bad, why = audit_verify()
    assert bad.id == events[2].id and checked == 2
    assert "修改" in why
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1


@pytest.mark.django_db
def test_it_detects_a_deleted_middle_row():
    """Removing a row breaks the link from the next one."""
    events = _events(4)
    _with_triggers_off("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    checked, bad, why = audit_verify()
    assert bad.id == events[2].id
    assert "删除" in why


@pytest.mark.django_db
def test_it_detects_deleted_oldest_rows_without_a_purge():
    """Cutting the head of the chain off is caught unless the retention purge recorded the cut."""
    events = _events(3)
    _with_triggers_off("DELETE FROM audit_auditevent WHERE id = %s", [events[0].id])
    _checked, bad, _why = audit_verify()
    assert bad.id == events[1].id


@pytest.mark.django_db
def test_it_refuses_orm_updates_and_deletes():
    """save() of an existing row, delete(), QuerySet.update() and QuerySet.delete() all refuse."""
    event = _events(1)[0]
    event.detail = "改过"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="改过")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


@pytest.mark.django_db
def test_it_refuses_raw_sql_updates():
    """The database trigger refuses an UPDATE that bypasses the ORM (PostgreSQL and SQLite)."""
    event = _events(1)[0]
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        _raw("UPDATE audit_auditevent SET detail = 'x' WHERE id = %s", [event.id])
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


@pytest.mark.django_db
def test_it_refuses_raw_sql_deletes_on_postgresql():
    """On PostgreSQL the trigger refuses a raw DELETE of a row inside the retention period.

    (SQLite has no delete trigger because Django's test flush deletes rows; there a raw delete is
    caught by `verify` instead, see test_it_detects_a_deleted_middle_row.)"""
    if connection.vendor != "postgresql":
        pytest.skip("the delete trigger is PostgreSQL-only")
    event = _events(1)[0]
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.id])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_it_refuses_a_retention_under_183_days(capsys):
    """Purging with fewer than 183 days is refused, by the service and the command."""
    with pytest.raises(ValidationError, match="183"):
        audit_purge(days=182)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="183"):
        call_command("audit", "purge", "--days", "100")


@pytest.mark.django_db
def test_it_purges_only_rows_older_than_the_retention():
    """Rows older than N days go, newer ones stay, and the shortened chain still verifies."""
    now = timezone.now()
    old = [_append(action=AuditEvent.Action.OTHER, at=now - timedelta(days=400 - i)) for i in range(3)]
    recent = [_append(action=AuditEvent.Action.OTHER, at=now - timedelta(days=10))]
    recent += _events(2)
    assert audit_purge(days=365) == 3
    remaining = set(AuditEvent.objects.values_list("id", flat=True))
    assert not remaining & {e.id for e in old}
    assert {e.id for e in recent} <= remaining
    purge = AuditEvent.objects.get(action=AuditEvent.Action.PURGE)
    assert purge.object_id == old[-1].hash
    assert audit_verify()[1] is None


@pytest.mark.django_db
def test_it_purges_with_the_command_and_the_default_retention(capsys, settings):
    """`fupin audit purge` uses AUDIT_RETENTION_DAYS when --days is not given."""
    settings.AUDIT_RETENTION_DAYS = 200
    now = timezone.now()
    _append(action=AuditEvent.Action.OTHER, at=now - timedelta(days=201))
    keep = _append(action=AuditEvent.Action.OTHER, at=now - timedelta(days=199))
    call_command("audit", "purge")
    assert "1" in capsys.readouterr().out
    assert AuditEvent.objects.filter(pk=keep.pk).exists()
    assert audit_verify()[1] is None
