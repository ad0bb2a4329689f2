"""The empty rollup row of every region × contest × kind, made once for a database loaded before
the loaders made them (issue 16): sheet writes then only lock and update rows that exist, and
never insert one while holding other writers' locks (the PostgreSQL deadlock)."""

from django.db import migrations

KINDS = ("sementara", "terverifikasi", "ditahan")


def make_rows(apps, schema_editor):  # type: ignore[no-untyped-def]
    kinds = " UNION ALL ".join("SELECT %s AS kind" for _ in KINDS)
    sql = (
        "INSERT INTO results_rollup (region_id, contest_id, kind, totals, suara_sah,"  # noqa: S608
        " suara_tidak_sah, surat_suara_digunakan, pemilih_dpt, tps_reported, updated_at)"
        " SELECT r.code, c.code, k.kind, '{}', 0, 0, 0, 0, 0, NULL"
        f" FROM regions_region r CROSS JOIN results_contest c CROSS JOIN ({kinds}) k"
        " WHERE c.is_active ON CONFLICT (region_id, contest_id, kind) DO NOTHING"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql, list(KINDS))


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0005_contest_election_required"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunPython(make_rows, migrations.RunPython.noop)]
