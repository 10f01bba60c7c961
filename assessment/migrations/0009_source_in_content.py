import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Question.source now points at content.Source: the same table, so state only."""

    dependencies = [("assessment", "0008_audit_export"), ("content", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="question",
                    name="source",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="content.source",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
