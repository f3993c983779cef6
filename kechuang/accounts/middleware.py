"""Session rules that apply to every request: absolute lifetime and forced password change."""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from kechuang.accounts import services

# Paths a user with an expired password may still reach (to change it, or to leave).
_EXEMPT_PREFIXES = ("/static/", "/accounts/profile/", "/accounts/logout/", "/accounts/login/", "/i18n/")
_EXEMPT_EXACT = ("/healthz", "/readyz", "/version")


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only sessions that carry a login are looked at, so anonymous pages cost no extra query.
        if "_auth_user_id" in request.session:
            until = request.session.get("kc_auth_until")
            if until is not None and time.time() > until:
                logout(request)
                messages.info(request, "登录已超过最长时长，请重新登录。")
                return redirect("accounts:login")
            user = request.user
            path = request.path
            if (
                user.is_authenticated
                and not path.startswith(_EXEMPT_PREFIXES)
                and path not in _EXEMPT_EXACT
                and services.password_expired(user)
            ):
                messages.warning(request, "您的密码已过期或须在首次登录后修改，请先修改密码。")
                return redirect(reverse("accounts:profile"))
        return self.get_response(request)
