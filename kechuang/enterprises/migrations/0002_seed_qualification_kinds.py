"""Seed the qualification kinds (data, editable later): ladder tier, validity and number pattern of each."""

from django.db import migrations

KINDS = [
    # code, name, tier, validity years, number pattern, example, issuing level, calendar-year validity, sort
    ("hnte", "高新技术企业", 3, 3, r"GR\d{4}\d{2}\d{6}", "GR202037005133", "national", False, 10),
    ("tech_sme", "科技型中小企业", 1, 1, r"\d{4}\d{6}A\d{7}", "2020370306A0000123", "national", True, 20),
    ("city_hnte_pool", "市级高新技术企业培育库", 2, 1, "", "", "municipal", True, 30),
    ("growth", "创新型高成长企业", 2, 1, "", "", "municipal", True, 40),
    ("zhuanjingtexin", "专精特新中小企业", 2, 3, "", "", "provincial", False, 50),
    ("gazelle", "瞪羚企业", 2, 3, "", "", "provincial", False, 60),
    ("leader", "科技创新领军企业", 4, 3, "", "", "municipal", False, 70),
]


def seed(apps, schema_editor):
    Kind = apps.get_model("enterprises", "QualificationKind")
    for code, name, tier, years, pattern, example, level, calendar_year, sort in KINDS:
        Kind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "tier": tier,
                "validity_years": years,
                "number_pattern": pattern,
                "number_example": example,
                "issuing_level": level,
                "calendar_year": calendar_year,
                "sort": sort,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("enterprises", "QualificationKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
