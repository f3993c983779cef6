"""An index on the organisation name in pinyin order (PostgreSQL only).

The firm list sorts by name in pinyin order (`core.collation`, ICU `zh-x-icu`). Without an index in that
collation a province account's first page sorted all 200k firms on every request: 332 ms of the page's 550 ms
(benchmark 3, province scale). With it the page reads the first 50 names from the index (6 ms). SQLite's
`pinyin` collation is a Python function registered per connection, so an index there cannot use it; SQLite
stays the small embedded database.
"""

from django.db import migrations

INDEX = "core_org_name_pinyin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {INDEX} ON core_organisation ((name COLLATE "zh-x-icu"), id)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("core", "0014_importrow_data")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
