from django.db import migrations, models


class Migration(migrations.Migration):
    """Source moves here from guidance; its table (guidance_source) stays where it is."""

    initial = True
    dependencies = [("guidance", "0004_texts_hash")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Source",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.SlugField(max_length=60, unique=True, verbose_name="key")),
                        ("citation", models.TextField(verbose_name="citation")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        ("url", models.URLField(blank=True, verbose_name="URL")),
                    ],
                    options={
                        "verbose_name": "source",
                        "verbose_name_plural": "sources",
                        "db_table": "guidance_source",
                        "ordering": ["key"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
