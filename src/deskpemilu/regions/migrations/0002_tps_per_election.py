"""TPS belong to an election. The TPS already stored are Pemilu 2024's and keep their code as
key; another election's TPS are keyed `<code>@<election>` (hence the longer key)."""

import django.db.models.deletion
from django.db import migrations, models


def split_counts(apps, schema_editor):
    """The counts already kept are Pemilu 2024's (every TPS so far is)."""
    Region = apps.get_model("regions", "Region")
    rows = list(Region.objects.filter(tps_count__gt=0).only("tps_count", "dpt_l", "dpt_p"))
    for r in rows:
        r.election_counts = {"pemilu2024": [r.tps_count, r.dpt_l, r.dpt_p]}
    Region.objects.bulk_update(rows, ["election_counts"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0001_initial"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="tps", name="tps_number_unique"),
        # Every row present is a Pemilu 2024 TPS: the default fills them (elections.0001 made
        # the row it points at).
        migrations.AddField(
            model_name="tps",
            name="election",
            field=models.ForeignKey(
                default="pemilu2024",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tps_set",
                to="elections.election",
            ),
        ),
        migrations.AlterField(
            model_name="tps",
            name="code",
            field=models.CharField(max_length=34, primary_key=True, serialize=False),
        ),
        migrations.AddField(
            model_name="region",
            name="election_counts",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(split_counts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="tps",
            constraint=models.UniqueConstraint(
                fields=("election", "kelurahan", "number"), name="tps_number_unique"
            ),
        ),
    ]
