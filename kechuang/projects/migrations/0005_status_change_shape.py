"""The status-change history takes the common definitions of core.StatusChangeBase (ADR 0035); no
field is renamed or dropped."""

import django.db.models.deletion
import kechuang.core.dates
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0004_finding_evidence'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='projectstatuschange',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='projectstatuschange',
            name='at',
            field=models.DateTimeField(default=kechuang.core.dates.now, verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='projectstatuschange',
            name='reason',
            field=models.TextField(blank=True, verbose_name='说明'),
        ),
        migrations.AlterField(
            model_name='reservestatuschange',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='reservestatuschange',
            name='at',
            field=models.DateTimeField(default=kechuang.core.dates.now, verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='reservestatuschange',
            name='reason',
            field=models.TextField(blank=True, verbose_name='说明'),
        ),
    ]
