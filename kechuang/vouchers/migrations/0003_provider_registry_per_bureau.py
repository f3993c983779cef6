"""Schema step of giving shared configuration an owning bureau (issue 25): the owner column, nullable until
`0004_provider_registries_assigned` fills it (schema and data in separate migrations: PostgreSQL refuses to build an index in a
transaction that has just updated the table)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_audit_indexes"),
        ("vouchers", "0002_programme_provider_version"),
    ]

    operations = [
        migrations.AlterField(
            model_name="provider",
            name="organisation",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="voucher_providers",
                to="core.organisation",
                verbose_name="服务机构",
            ),
        ),
        migrations.AddField(
            model_name="provider",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="登记科技局（区划）",
            ),
        ),
    ]
