from datetime import date

from django.db import migrations, models

# The two elections the installation has always known (stages.0002 already names both):
# Pemilu 2024, active, and Pilkada 2024 beside it. Their contests come with `seed_mataram`.
ELECTIONS = [
    ("pemilu2024", "Pemilu 2024", "pemilu", date(2024, 2, 14), True),
    ("pilkada2024", "Pilkada 2024", "pilkada", date(2024, 11, 27), False),
]


def add_elections(apps, schema_editor):
    Election = apps.get_model("elections", "Election")
    for code, name, kind, day, active in ELECTIONS:
        Election.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "voting_day": day, "active": active}
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Election",
            fields=[
                ("code", models.SlugField(max_length=20, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=120, verbose_name="nama")),
                (
                    "kind",
                    models.CharField(
                        choices=[("pemilu", "Pemilu"), ("pilkada", "Pilkada")],
                        max_length=10,
                        verbose_name="jenis",
                    ),
                ),
                ("voting_day", models.DateField(verbose_name="hari pemungutan suara")),
                ("active", models.BooleanField(default=False, verbose_name="aktif")),
            ],
            options={
                "verbose_name": "pemilihan",
                "verbose_name_plural": "pemilihan",
                "ordering": ["-voting_day", "code"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("active", True)),
                        fields=("active",),
                        name="election_one_active",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["pemilu", "pilkada"])),
                        name="election_kind_valid",
                    ),
                ],
            },
        ),
        migrations.RunPython(add_elections, migrations.RunPython.noop),
    ]
