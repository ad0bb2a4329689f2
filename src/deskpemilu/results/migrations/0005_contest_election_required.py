from django.db import migrations, models


# A migration of its own: PostgreSQL refuses to alter a table with the data migration's
# deferred foreign-key checks still pending in the same transaction.
class Migration(migrations.Migration):
    dependencies = [("results", "0004_contest_election")]

    operations = [
        migrations.AlterField(
            model_name="contest",
            name="election",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="contests",
                to="elections.election",
            ),
        ),
    ]
