"""Summary templates: the owning bureau is required and a code is unique within it (after 0004's data
migration, in its own transaction for PostgreSQL)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_summary_template_owners_assigned")]

    operations = [
        migrations.AlterField(
            model_name="summarytemplate",
            name="region",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT, related_name="+", to="core.region", verbose_name="所属区划"
            ),
        ),
        migrations.AddConstraint(
            model_name="summarytemplate",
            constraint=models.UniqueConstraint(fields=("region", "code"), name="summary_template_region_code"),
        ),
    ]
