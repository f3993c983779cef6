from django.db import migrations


def seed(apps, schema_editor):
    from kechuang.core.seed import seed_reference_data

    seed_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
