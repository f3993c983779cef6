"""Summary templates get an owning bureau (issue 25: 张店区 staff changed 周村区's signature).

Each existing template goes to the region of the drafts written with it; a template drafts of several
unrelated regions used is copied (with its sections), one per region, and those drafts point at their
own copy. A template no draft uses goes to the top of the region tree (no district edits it; each bureau
gets its own copy of the seed template when its staff first open the template list).
"""

from django.db import migrations

def assign_owners(apps, schema_editor):
    from kechuang.core.rules import outermost_paths

    SummaryTemplate = apps.get_model("reports", "SummaryTemplate")
    SummarySection = apps.get_model("reports", "SummarySection")
    SummaryDraft = apps.get_model("reports", "SummaryDraft")
    Region = apps.get_model("core", "Region")
    root = Region.objects.filter(parent__isnull=True).order_by("path").first()
    for template in SummaryTemplate.objects.order_by("pk"):
        paths = SummaryDraft.objects.filter(template=template).order_by("pk").values_list("region__path", flat=True)
        owners = [Region.objects.get(path=p) for p in outermost_paths(paths, keep_order=True)] or [root]
        template.region = owners[0]
        template.save(update_fields=["region"])
        sections = list(SummarySection.objects.filter(template=template).order_by("order"))
        for region in owners[1:]:
            copy = SummaryTemplate.objects.get(pk=template.pk)
            copy.pk, copy.region, copy.version = None, region, 1
            copy.save()
            SummarySection.objects.bulk_create(
                SummarySection(
                    template=copy, order=s.order, key=s.key, heading=s.heading, keywords=s.keywords, blocks=s.blocks
                )
                for s in sections
            )
            SummaryDraft.objects.filter(template=template, region__path__startswith=region.path).update(
                template=copy
            )


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_summary_template_owned_by_a_bureau")]

    operations = [migrations.RunPython(assign_owners, migrations.RunPython.noop)]
