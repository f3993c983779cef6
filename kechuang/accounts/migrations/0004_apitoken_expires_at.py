import datetime as dt

from django.conf import settings
from django.db import migrations, models


def _expire_existing(apps, schema_editor):
    """Tokens issued before expiry existed get the full lifetime from their creation (issue 25)."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    days = dt.timedelta(days=getattr(settings, "API_TOKEN_MAX_DAYS", 90))
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + days)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_loginlock_totpdevice_passwordhistory_securitypolicy_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="有效期至"),
        ),
        migrations.RunPython(_expire_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="有效期至"),
        ),
    ]
