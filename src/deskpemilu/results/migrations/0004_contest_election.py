from django.db import migrations, models


def to_pemilu2024(apps, schema_editor):
    """Every contest loaded before elections were data is a Pemilu 2024 contest."""
    Contest = apps.get_model("results", "Contest")
    Contest.objects.filter(election__isnull=True).update(election_id="pemilu2024")


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0001_initial"),
        ("results", "0003_append_only_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="contest",
            name="election",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="contests",
                to="elections.election",
            ),
        ),
        migrations.RunPython(to_pemilu2024, migrations.RunPython.noop),
    ]
