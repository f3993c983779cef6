from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from kechuang.accounts import services


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    services.record_login(user=user, username=user.get_username(), success=True)


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    services.record_login(user=None, username=str(credentials.get("username", "")), success=False)
