"""Each bureau keeps its own provider registry and blacklist (issue 25: 张店区 staff had blacklisted a
provider 周村区 used).

An existing provider goes to the region of the voucher programmes it served (contracts and registered
services); one that served programmes of several unrelated regions is copied, one registration per region
with the same status, blacklist and dates, and each region's vouchers and services go with its copy. A
provider that served nothing goes to the district of its organisation (the top of the region tree when
the organisation has no region).
"""

from django.db import migrations

DISTRICT = 3


def _district_of(region):
    while region is not None and region.level > DISTRICT:
        region = region.parent
    return region


def assign_owners(apps, schema_editor):
    from kechuang.core.rules import outermost_paths

    Provider = apps.get_model("vouchers", "Provider")
    Voucher = apps.get_model("vouchers", "Voucher")
    Region = apps.get_model("core", "Region")
    root = Region.objects.filter(parent__isnull=True).order_by("path").first()
    for provider in Provider.objects.select_related("organisation__region").order_by("pk"):
        # the services registered with the provider first (its home registry), then the contracts
        paths = list(provider.services.order_by("pk").values_list("programme__region__path", flat=True))
        paths += Voucher.objects.filter(provider=provider).order_by("pk").values_list(
            "programme__region__path", flat=True
        )
        owners = [Region.objects.get(path=p) for p in outermost_paths(paths, keep_order=True)]
        owners = owners or [_district_of(provider.organisation.region) or root]
        provider.region = owners[0]
        provider.save(update_fields=["region"])
        services = list(provider.services.select_related("programme__region"))
        for region in owners[1:]:
            mine = [s for s in services if s.programme.region.path.startswith(region.path)]
            copy = Provider.objects.get(pk=provider.pk)
            copy.pk, copy.region = None, region
            copy.save()
            copy.services.set(mine)
            provider.services.remove(*mine)
            Voucher.objects.filter(provider=provider, programme__region__path__startswith=region.path).update(
                provider=copy
            )


class Migration(migrations.Migration):
    dependencies = [("vouchers", "0003_provider_registry_per_bureau")]

    operations = [migrations.RunPython(assign_owners, migrations.RunPython.noop)]
