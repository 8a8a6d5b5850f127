"""The ledger's invariants as database triggers (this migration).

On PostgreSQL one BEFORE INSERT trigger locks the source row (and the allocation for a
disbursement) and checks the balances including the new row, so even concurrent writers that
bypass the services cannot overspend; a second trigger refuses UPDATE and DELETE. SQLite
serialises writers, so plain BEFORE INSERT triggers suffice there; it refuses UPDATE in a trigger
and DELETE in code (Django's test flush empties SQLite tables with DELETE).
"""

from django.db import migrations

PG_CHECK = """
CREATE OR REPLACE FUNCTION projects_ledgerentry_check() RETURNS trigger AS $$
DECLARE
    orig projects_ledgerentry%ROWTYPE;
    alloc projects_ledgerentry%ROWTYPE;
    total numeric;
BEGIN
    PERFORM 1 FROM projects_fundsource WHERE id = NEW.source_id FOR UPDATE;
    IF NEW.reverses_id IS NOT NULL THEN
        SELECT * INTO orig FROM projects_ledgerentry WHERE id = NEW.reverses_id;
        IF orig.reverses_id IS NOT NULL OR orig.kind <> NEW.kind OR orig.source_id <> NEW.source_id
           OR orig.project_id IS DISTINCT FROM NEW.project_id
           OR orig.allocation_id IS DISTINCT FROM NEW.allocation_id
           OR NEW.amount <> -orig.amount THEN
            RAISE EXCEPTION 'projects ledger: a reversal must negate one entry exactly'
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF NEW.kind IN ('budget', 'allocation') THEN
        SELECT COALESCE(SUM(CASE WHEN kind = 'budget' THEN amount
                                 WHEN kind = 'allocation' THEN -amount ELSE 0 END), 0)
          INTO total FROM projects_ledgerentry WHERE source_id = NEW.source_id;
        total := total + CASE WHEN NEW.kind = 'budget' THEN NEW.amount ELSE -NEW.amount END;
        IF total < 0 THEN
            RAISE EXCEPTION 'projects ledger: allocations would exceed the budget of the source'
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF NEW.kind = 'allocation' AND NEW.reverses_id IS NOT NULL THEN
        SELECT COALESCE(SUM(amount), 0) INTO total FROM projects_ledgerentry
         WHERE allocation_id = NEW.reverses_id;
        IF total > 0 THEN
            RAISE EXCEPTION 'projects ledger: an allocation with disbursements cannot be reversed'
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF NEW.kind = 'disbursement' THEN
        SELECT * INTO alloc FROM projects_ledgerentry WHERE id = NEW.allocation_id FOR UPDATE;
        IF alloc.kind <> 'allocation' OR alloc.reverses_id IS NOT NULL
           OR alloc.source_id <> NEW.source_id OR alloc.project_id <> NEW.project_id
           OR EXISTS (SELECT 1 FROM projects_ledgerentry WHERE reverses_id = alloc.id) THEN
            RAISE EXCEPTION 'projects ledger: a disbursement needs an allocation in force'
                USING ERRCODE = 'check_violation';
        END IF;
        SELECT COALESCE(SUM(amount), 0) + NEW.amount INTO total FROM projects_ledgerentry
         WHERE allocation_id = NEW.allocation_id;
        IF total > alloc.amount OR total < 0 THEN
            RAISE EXCEPTION 'projects ledger: disbursements would exceed the allocation'
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER projects_ledgerentry_check
BEFORE INSERT ON projects_ledgerentry
FOR EACH ROW EXECUTE FUNCTION projects_ledgerentry_check();

CREATE OR REPLACE FUNCTION projects_ledgerentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'projects_ledgerentry is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER projects_ledgerentry_append_only
BEFORE UPDATE OR DELETE ON projects_ledgerentry
FOR EACH ROW EXECUTE FUNCTION projects_ledgerentry_append_only();
"""

PG_DROP = """
DROP TRIGGER IF EXISTS projects_ledgerentry_check ON projects_ledgerentry;
DROP TRIGGER IF EXISTS projects_ledgerentry_append_only ON projects_ledgerentry;
DROP FUNCTION IF EXISTS projects_ledgerentry_check();
DROP FUNCTION IF EXISTS projects_ledgerentry_append_only();
"""

# SQLite stores these decimals as numbers; ROUND(…, 2) keeps float noise out of the comparisons.
SQLITE_TRIGGERS = [
    """
CREATE TRIGGER projects_entry_no_update BEFORE UPDATE ON projects_ledgerentry
BEGIN SELECT RAISE(ABORT, 'projects_ledgerentry is append-only'); END;
""",
    """
CREATE TRIGGER projects_entry_reversal BEFORE INSERT ON projects_ledgerentry
WHEN NEW.reverses_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM projects_ledgerentry o
     WHERE o.id = NEW.reverses_id AND o.reverses_id IS NULL AND o.kind = NEW.kind
       AND o.source_id = NEW.source_id AND o.project_id IS NEW.project_id
       AND o.allocation_id IS NEW.allocation_id AND ROUND(o.amount + NEW.amount, 2) = 0)
BEGIN SELECT RAISE(ABORT, 'projects ledger: a reversal must negate one entry exactly'); END;
""",
    """
CREATE TRIGGER projects_entry_source_balance BEFORE INSERT ON projects_ledgerentry
WHEN NEW.kind IN ('budget', 'allocation') AND ROUND(
    (SELECT COALESCE(SUM(CASE kind WHEN 'budget' THEN amount WHEN 'allocation' THEN -amount ELSE 0 END), 0)
       FROM projects_ledgerentry WHERE source_id = NEW.source_id)
    + CASE NEW.kind WHEN 'budget' THEN NEW.amount ELSE -NEW.amount END, 2) < 0
BEGIN SELECT RAISE(ABORT, 'projects ledger: allocations would exceed the budget of the source'); END;
""",
    """
CREATE TRIGGER projects_entry_allocation_reversal BEFORE INSERT ON projects_ledgerentry
WHEN NEW.kind = 'allocation' AND NEW.reverses_id IS NOT NULL AND ROUND(
    (SELECT COALESCE(SUM(amount), 0) FROM projects_ledgerentry WHERE allocation_id = NEW.reverses_id), 2) > 0
BEGIN SELECT RAISE(ABORT, 'projects ledger: an allocation with disbursements cannot be reversed'); END;
""",
    """
CREATE TRIGGER projects_entry_disbursement_target BEFORE INSERT ON projects_ledgerentry
WHEN NEW.kind = 'disbursement' AND NOT EXISTS (
    SELECT 1 FROM projects_ledgerentry a
     WHERE a.id = NEW.allocation_id AND a.kind = 'allocation' AND a.reverses_id IS NULL
       AND a.source_id = NEW.source_id AND a.project_id = NEW.project_id
       AND NOT EXISTS (SELECT 1 FROM projects_ledgerentry r WHERE r.reverses_id = a.id))
BEGIN SELECT RAISE(ABORT, 'projects ledger: a disbursement needs an allocation in force'); END;
""",
    """
CREATE TRIGGER projects_entry_disbursement_balance BEFORE INSERT ON projects_ledgerentry
WHEN NEW.kind = 'disbursement' AND (
    ROUND((SELECT COALESCE(SUM(amount), 0) FROM projects_ledgerentry WHERE allocation_id = NEW.allocation_id)
          + NEW.amount - (SELECT amount FROM projects_ledgerentry WHERE id = NEW.allocation_id), 2) > 0
    OR ROUND((SELECT COALESCE(SUM(amount), 0) FROM projects_ledgerentry WHERE allocation_id = NEW.allocation_id)
          + NEW.amount, 2) < 0)
BEGIN SELECT RAISE(ABORT, 'projects ledger: disbursements would exceed the allocation'); END;
""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "projects_entry_no_update",
        "projects_entry_reversal",
        "projects_entry_source_balance",
        "projects_entry_allocation_reversal",
        "projects_entry_disbursement_target",
        "projects_entry_disbursement_balance",
    )
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # params=None: the function bodies hold a literal % that must not be read as a placeholder.
        schema_editor.execute(PG_CHECK, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
