"""Providers: the registering bureau is required, one registration per organisation and bureau (after
0004's data migration, in its own transaction for PostgreSQL)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("vouchers", "0004_provider_registries_assigned")]

    operations = [
        migrations.AlterField(
            model_name="provider",
            name="region",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="登记科技局（区划）",
            ),
        ),
        migrations.AddConstraint(
            model_name="provider",
            constraint=models.UniqueConstraint(fields=("organisation", "region"), name="vprovider_unique_per_region"),
        ),
    ]
