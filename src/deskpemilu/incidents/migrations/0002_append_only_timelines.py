"""Triggers that refuse UPDATE and DELETE on the timelines of incidents and requests, on SQLite
and PostgreSQL: a step, once written, is history."""

from django.db import migrations

TABLES = ["incidents_timelineevent", "incidents_requestevent"]


def _sqlite_up(table):
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, 'timeline is append-only'); END;""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, 'timeline is append-only'); END;""",
    ]


def _sqlite_down(table):
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update;",
        f"DROP TRIGGER IF EXISTS {table}_no_delete;",
    ]


POSTGRES_FUNCTION = """CREATE OR REPLACE FUNCTION incidents_timeline_refuse_change() RETURNS trigger
    AS $$ BEGIN RAISE EXCEPTION 'timeline is append-only'; END; $$ LANGUAGE plpgsql;"""


def _postgres_up(table):
    return [
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION incidents_timeline_refuse_change();"""
    ]


def _postgres_down(table):
    return [f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};"]


UP = {
    "sqlite": [sql for t in TABLES for sql in _sqlite_up(t)],
    "postgresql": [POSTGRES_FUNCTION] + [sql for t in TABLES for sql in _postgres_up(t)],
}
DOWN = {
    "sqlite": [sql for t in TABLES for sql in _sqlite_down(t)],
    "postgresql": [sql for t in TABLES for sql in _postgres_down(t)]
    + ["DROP FUNCTION IF EXISTS incidents_timeline_refuse_change();"],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
