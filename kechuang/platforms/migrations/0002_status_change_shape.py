"""The status-change history takes the common shape of core.StatusChangeBase (ADR 0035): the fields are
RENAMED (no column is dropped, every stored row keeps its values), then altered to the common definitions."""

import django.db.models.deletion
import kechuang.core.dates
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('platforms', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="statuschange", old_name="old", new_name="from_status"),
        migrations.RenameField(model_name="statuschange", old_name="new", new_name="to_status"),
        migrations.RenameField(model_name="statuschange", old_name="changed_by", new_name="actor"),
        migrations.RenameField(model_name="statuschange", old_name="created_at", new_name="at"),
        migrations.RenameField(model_name="statuschange", old_name="note", new_name="reason"),
        migrations.AlterField(
            model_name='statuschange',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='at',
            field=models.DateTimeField(default=kechuang.core.dates.now, verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='from_status',
            field=models.CharField(blank=True, max_length=12, verbose_name='原值'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='platform',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='status_changes', to='platforms.platform'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='reason',
            field=models.TextField(blank=True, verbose_name='说明'),
        ),
    ]
