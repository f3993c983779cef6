"""Schema step of giving shared configuration an owning bureau (issue 25): the owner column, nullable until
`0004_summary_template_owners_assigned` fills it (schema and data in separate migrations: PostgreSQL refuses to build an index in a
transaction that has just updated the table)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_audit_indexes"),
        ("reports", "0002_template_version"),
    ]

    operations = [
        migrations.AlterField(
            model_name="summarytemplate",
            name="code",
            field=models.SlugField(max_length=40, verbose_name="代码"),
        ),
        migrations.AddField(
            model_name="summarytemplate",
            name="region",
            field=models.ForeignKey(
                null=True, on_delete=models.deletion.PROTECT, related_name="+", to="core.region", verbose_name="所属区划"
            ),
        ),
    ]
