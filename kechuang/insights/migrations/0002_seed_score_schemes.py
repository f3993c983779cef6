"""Load the innovation-score tables shipped with Kechuang (`insights.schemes`); editable data afterwards."""

from django.db import migrations

from kechuang.insights.schemes import SCHEMES


def seed(apps, schema_editor):
    Scheme = apps.get_model("insights", "ScoreScheme")
    Indicator = apps.get_model("insights", "ScoreIndicator")
    for data in SCHEMES:
        scheme, _ = Scheme.objects.update_or_create(
            code=data["code"], defaults={"name": data["name"], "source": data["source"]}
        )
        for sort, (code, klass, name, unit, weight, bands, definition) in enumerate(data["indicators"]):
            Indicator.objects.update_or_create(
                scheme=scheme,
                code=code,
                defaults={
                    "klass": klass,
                    "name": name,
                    "unit": unit,
                    "weight": weight,
                    "bands": [[str(lo), str(share)] for lo, share in bands],
                    "definition": definition,
                    "sort": sort,
                },
            )


def unseed(apps, schema_editor):
    apps.get_model("insights", "ScoreScheme").objects.filter(code__in=[s["code"] for s in SCHEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
