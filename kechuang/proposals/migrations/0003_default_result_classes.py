from django.db import migrations

DEFAULTS = [
    ("A", "已解决或基本解决", 1),
    ("B", "正在解决或列入计划解决", 2),
    ("C", "因条件限制暂时不能解决", 3),
]


def seed(apps, schema_editor):
    ResultClass = apps.get_model("proposals", "ResultClass")
    for code, label, order in DEFAULTS:
        ResultClass.objects.get_or_create(code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("proposals", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
