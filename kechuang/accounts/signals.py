from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from kechuang.accounts import services


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    # Fires after the session key was rotated, for the login form, the TOTP step and `Client.force_login`.
    services.login_succeeded(request=request, user=user)


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    services.untrack_session(request.session.session_key)
