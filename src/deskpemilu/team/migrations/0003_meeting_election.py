from django.db import migrations, models


# Meetings (and so their action items) now belong to an election. The rows made before it were Pemilu 2024's (the only
# election the desk ran with this software); new rows get the active one from the service.
class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0001_initial"),
        ("team", "0002_shifts_and_demo_team"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="election",
            field=models.ForeignKey(
                default="pemilu2024",
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="elections.election",
                verbose_name="pemilihan",
            ),
            preserve_default=False,
        ),
    ]
