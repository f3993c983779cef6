"""The status-change history takes the common definitions of core.StatusChangeBase (ADR 0035); no
field is renamed or dropped."""

import django.db.models.deletion
import kechuang.core.dates
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0010_call_max_per_org'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='statuschange',
            options={'ordering': ['at', 'pk'], 'verbose_name': '状态变更', 'verbose_name_plural': '状态变更'},
        ),
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
            model_name='programmetype',
            name='transition_key',
            field=models.CharField(default='default', help_text='使用哪一张状态流转表（见 rules.FLOWS）', max_length=20, verbose_name='流程'),
        ),
    ]
