"""Programme types get an owning bureau (issue 25: 张店区 staff changed a type 周村区 used).

Each existing type goes to the region of the programmes using it; a type used by programmes of several
unrelated regions is copied, one per region, and those programmes point at their own copy. A type no
programme uses goes to the top of the region tree (every district reads it; none changes it).
"""

from django.db import migrations

def assign_owners(apps, schema_editor):
    from kechuang.core.rules import outermost_paths

    ProgrammeType = apps.get_model("programmes", "ProgrammeType")
    Programme = apps.get_model("programmes", "Programme")
    Region = apps.get_model("core", "Region")
    root = Region.objects.filter(parent__isnull=True).order_by("path").first()
    for ptype in ProgrammeType.objects.order_by("pk"):
        paths = Programme.objects.filter(type=ptype).order_by("pk").values_list("region__path", flat=True)
        owners = [Region.objects.get(path=p) for p in outermost_paths(paths, keep_order=True)] or [root]
        ptype.region = owners[0]
        ptype.save(update_fields=["region"])
        for region in owners[1:]:
            copy = ProgrammeType.objects.get(pk=ptype.pk)
            copy.pk, copy.region, copy.version = None, region, 1
            copy.save()
            Programme.objects.filter(type=ptype, region__path__startswith=region.path).update(type=copy)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0004_programme_type_owned_by_a_bureau")]

    operations = [migrations.RunPython(assign_owners, migrations.RunPython.noop)]
