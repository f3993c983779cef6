"""Reload the shipped score tables (`insights.schemes`): the definitions of the inputs that now come from the
firms' yearly figures (`FirmYearFact`), and where the weights come from."""

from django.db import migrations

from kechuang.insights.schemes import SCHEMES


def reload(apps, schema_editor):
    Scheme = apps.get_model("insights", "ScoreScheme")
    Indicator = apps.get_model("insights", "ScoreIndicator")
    for data in SCHEMES:
        scheme = Scheme.objects.filter(code=data["code"]).first()
        if scheme is None:
            continue
        scheme.weights_source = data.get("weights_source", "")
        scheme.save(update_fields=["weights_source"])
        for code, _klass, name, *_rest, definition in data["indicators"]:
            Indicator.objects.filter(scheme=scheme, code=code).update(name=name, definition=definition)


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_firm_year_facts")]
    operations = [migrations.RunPython(reload, migrations.RunPython.noop)]
