from django.db import migrations, models


# The stage's election was a fixed choice (`pemilu2024`, `pilkada2024`); it is now a row of
# `elections.Election` (same codes, made by elections.0001), in the same column.
class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0001_initial"),
        ("stages", "0002_election_stages"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="stage", name="stage_election_valid"),
        migrations.AlterField(
            model_name="stage",
            name="election",
            field=models.ForeignKey(
                db_column="election",
                on_delete=models.deletion.PROTECT,
                related_name="stages",
                to="elections.election",
                verbose_name="pemilihan",
            ),
        ),
    ]
