"""API authentication: a personal bearer token, or the browser session (with CSRF).

The token is tried first. CSRF protects ambient credentials — a cookie the browser attaches on its own — so it
applies to the session only: a request that carries no session cookie is never refused for a missing CSRF
token (django-ninja's `SessionAuth` checks CSRF before looking at the cookie, which refused every token write
with 403 "CSRF check Failed" while the session came first; issue 25).
"""

from django.conf import settings
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from kechuang.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        now = timezone.now()
        token_obj = (
            ApiToken.objects.select_related("user", "user__region")
            .filter(
                key_hash=ApiToken.hash_key(token),
                revoked_at__isnull=True,
                expires_at__gt=now,
                user__is_active=True,
            )
            .first()
        )
        if token_obj is None:
            return None
        ApiToken.objects.filter(pk=token_obj.pk).update(last_used_at=now)
        request.user = token_obj.user
        return token_obj.user


class ActiveSessionAuth(SessionAuth):
    def _get_key(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None  # no cookie, nothing ambient to protect: no CSRF check, no session
        return super()._get_key(request)

    def authenticate(self, request, key):
        if key is None:
            return None
        user = super().authenticate(request, key)
        return user if user and user.is_active else None


AUTH = [TokenAuth(), ActiveSessionAuth()]
