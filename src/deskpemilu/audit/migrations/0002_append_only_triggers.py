"""Database triggers that refuse UPDATE and DELETE on the audit log, on SQLite and PostgreSQL.

Only the hash chain (verify_audit) can catch someone who drops these with direct database
access; the triggers stop the application and ordinary mistakes from ever changing history.
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update;",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete;",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change();""",
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change();""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_entry_no_change ON audit_auditentry;",
    "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;",
    "DROP FUNCTION IF EXISTS audit_entry_refuse_change();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
