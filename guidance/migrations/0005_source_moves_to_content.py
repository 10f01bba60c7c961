from django.db import migrations


class Migration(migrations.Migration):
    """Source now lives in content (same table); forget it here, state only."""

    dependencies = [("guidance", "0004_texts_hash"), ("assessment", "0009_source_in_content")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Source")],
            database_operations=[],
        ),
    ]
