from django.db import migrations


class Migration(migrations.Migration):
    """ReportExport now lives in reports (same table); forget it here, state only."""

    dependencies = [("guidance", "0005_source_moves_to_content"), ("reports", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReportExport")],
            database_operations=[],
        ),
    ]
