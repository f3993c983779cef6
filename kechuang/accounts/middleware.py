"""Session rules that apply to every request: idle and absolute lifetime, forced password change.

The idle timeout slides: a session lives `SESSION_COOKIE_AGE` seconds after its last save. Saving it on every
request (`SESSION_SAVE_EVERY_REQUEST`) costs a write transaction per page view, so instead the session records
when it was last saved (`kc_seen`) and is marked modified only when that is `SESSION_TOUCH_SECONDS` (≤ 60 s)
old: the expiry then moves forward with the save, and an idle session still ends between
`SESSION_COOKIE_AGE - SESSION_TOUCH_SECONDS` and `SESSION_COOKIE_AGE` after the last request.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from kechuang.accounts import services
from kechuang.signon.selectors import signed_on_externally

# Paths a user with an expired password may still reach (to change it, or to leave).
_EXEMPT_PREFIXES = ("/static/", "/accounts/profile/", "/accounts/logout/", "/accounts/login/", "/i18n/")
_EXEMPT_EXACT = ("/healthz", "/readyz", "/version")
SEEN_KEY = "kc_seen"


def touch(session, now: float | None = None) -> bool:
    """Move the idle expiry forward if it would move by more than SESSION_TOUCH_SECONDS; True if it did."""
    now = int(time.time() if now is None else now)
    seen = session.get(SEEN_KEY)
    if isinstance(seen, int) and 0 <= now - seen < settings.SESSION_TOUCH_SECONDS:
        return False
    session[SEEN_KEY] = now  # modified → SessionMiddleware saves it with expiry = now + SESSION_COOKIE_AGE
    return True


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
            touch(request.session)
            user = request.user
            path = request.path
            if (
                user.is_authenticated
                and not path.startswith(_EXEMPT_PREFIXES)
                and path not in _EXEMPT_EXACT
                and not signed_on_externally(request)  # no local password in play
                and services.password_expired(user)
            ):
                messages.warning(request, "您的密码已过期或须在首次登录后修改，请先修改密码。")
                return redirect(reverse("accounts:profile"))
        return self.get_response(request)
