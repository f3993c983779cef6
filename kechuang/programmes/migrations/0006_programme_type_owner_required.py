"""Programme types: the owning bureau is required, and a type's code is unique within its bureau
(separate from 0005 so PostgreSQL alters the table after the data migration's transaction)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("programmes", "0005_programme_type_owners_assigned")]

    operations = [
        migrations.AlterField(
            model_name="programmetype",
            name="region",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="所属区划",
                help_text="维护该类型的科技局；本区及下级区划的项目可以使用",
            ),
        ),
        migrations.AddConstraint(
            model_name="programmetype",
            constraint=models.UniqueConstraint(fields=("region", "code"), name="programme_type_region_code"),
        ),
    ]
