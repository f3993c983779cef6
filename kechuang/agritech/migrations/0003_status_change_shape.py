"""The status-change history takes the common shape of core.StatusChangeBase (ADR 0035): the fields are
RENAMED (no column is dropped, every stored row keeps its values), then altered to the common definitions."""

import django.db.models.deletion
import kechuang.core.dates
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agritech', '0002_log_location_confirmation_service_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="pairingstatuschange", old_name="note", new_name="reason"),
        migrations.RenameField(model_name="pairingstatuschange", old_name="changed_at", new_name="at"),
        migrations.AlterModelOptions(
            name='pairingstatuschange',
            options={'ordering': ['at', 'pk'], 'verbose_name': '结对状态变更', 'verbose_name_plural': '结对状态变更'},
        ),
        migrations.AlterField(
            model_name='pairingstatuschange',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='pairingstatuschange',
            name='at',
            field=models.DateTimeField(default=kechuang.core.dates.now, verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='pairingstatuschange',
            name='reason',
            field=models.TextField(blank=True, verbose_name='说明'),
        ),
    ]
