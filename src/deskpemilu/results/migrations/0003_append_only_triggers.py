"""Database triggers that refuse UPDATE and DELETE on sheet versions, their photo links and
verifications, on SQLite and PostgreSQL (the audit log's approach, audit/0002).

A version is the record of what was typed from one paper form; a verification the record of
who checked it. Only new rows are ever written. Someone with direct database access can drop
these triggers: `verify_audit` then catches changed numbers through the content hashes that the
versions' audit entries recorded.
"""

from django.db import migrations

TABLES = ["results_sheetversion", "results_sheetversion_photos", "results_verification"]
MESSAGE = "sheet versions and verifications are append-only"


def _sqlite_up(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
        for op in ("UPDATE", "DELETE")
    ]


def _sqlite_down(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for op in ("update", "delete")]


def _postgres_up(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION results_refuse_change();""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION results_refuse_change();""",
    ]


def _postgres_down(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
    ]


SQLITE_UP = [sql for t in TABLES for sql in _sqlite_up(t)]
SQLITE_DOWN = [sql for t in TABLES for sql in _sqlite_down(t)]
POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION results_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;""",
    *[sql for t in TABLES for sql in _postgres_up(t)],
]
POSTGRES_DOWN = [
    *[sql for t in TABLES for sql in _postgres_down(t)],
    "DROP FUNCTION IF EXISTS results_refuse_change();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("results", "0002_counted_sheets")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
