"""Schema step of giving shared configuration an owning bureau (issue 25): the owner column, nullable until
`0005_programme_type_owners_assigned` fills it (schema and data in separate migrations: PostgreSQL refuses to build an index in a
transaction that has just updated the table)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_audit_indexes"),
        ("programmes", "0003_config_version"),
    ]

    operations = [
        migrations.AlterField(
            model_name="programmetype",
            name="code",
            field=models.SlugField(max_length=40, verbose_name="代码"),
        ),
        migrations.AddField(
            model_name="programmetype",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="所属区划",
                help_text="维护该类型的科技局；本区及下级区划的项目可以使用",
            ),
        ),
    ]
