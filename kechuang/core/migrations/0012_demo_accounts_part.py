"""The demo's accounts moved from core's part to accounts' own (issue 26: core imports no app). A database
whose demo was built before already holds them: mark accounts' part built wherever core's is, so
`kechuang demo` does not create the accounts a second time."""

from django.db import migrations


def forwards(apps, schema_editor):
    DemoLoad = apps.get_model("core", "DemoLoad")
    built = DemoLoad.objects.filter(app_label__regex=r"^core(@|$)").values_list("app_label", flat=True)
    for label in list(built):  # "core" → "accounts", "core@370303" → "accounts@370303"
        DemoLoad.objects.get_or_create(app_label="accounts" + label[len("core") :])


class Migration(migrations.Migration):
    dependencies = [("core", "0011_import_records")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
