"""API authentication: the browser session (with CSRF) or a personal bearer token."""

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from kechuang.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        token_obj = (
            ApiToken.objects.select_related("user", "user__region")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token_obj is None:
            return None
        ApiToken.objects.filter(pk=token_obj.pk).update(last_used_at=timezone.now())
        request.user = token_obj.user
        return token_obj.user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user and user.is_active else None


AUTH = [ActiveSessionAuth(), TokenAuth()]
