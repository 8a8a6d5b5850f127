"""Make the audit table append-only in the database itself, not only in the ORM.

PostgreSQL: a row trigger refuses every UPDATE, and every DELETE except of rows older than the
183-day minimum retention (the retention purge). There is deliberately no TRUNCATE trigger: the
test runner empties tables with TRUNCATE, and production's application role is granted no
TRUNCATE (nor ALTER/DROP) privilege on this table, so it cannot use that way round.

SQLite (the embedded demo database): a trigger refuses UPDATE. There is no DELETE trigger because
Django's test flush empties tables with DELETE on SQLite; deletes are refused in code instead
(AuditEvent.delete and AuditQuerySet.delete) and a deleted row breaks the hash chain.
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '183 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
PG_TRIGGER = """
CREATE TRIGGER audit_auditevent_append_only
BEFORE UPDATE OR DELETE ON audit_auditevent
FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_append_only();
"""

SQLITE_TRIGGER = """
CREATE TRIGGER audit_auditevent_no_update
BEFORE UPDATE ON audit_auditevent
BEGIN
    SELECT RAISE(ABORT, 'audit_auditevent is append-only (UPDATE refused)');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_auditevent_no_update;"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # params=None: the function body holds a literal % that must not be read as a placeholder.
        schema_editor.execute(PG_FUNCTION, params=None)
        schema_editor.execute(PG_TRIGGER, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_auditevent_action_purge"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
