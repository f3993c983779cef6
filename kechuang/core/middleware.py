import contextlib

from django.conf import settings

from kechuang.core.context import client_ip


def _ip_of(request) -> str | None:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        # Behind our own nginx: it sets X-Forwarded-For; take the address it saw, not what a client claims.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_ip.set(_ip_of(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)


class CookieLanguageMiddleware:
    """Chinese unless the user chose otherwise: the language cookie decides, never the browser's
    Accept-Language (a bureau's machines often run English-language browsers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        codes = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class DatabaseOutageMiddleware:
    """The database going away gives a plain 503 page (no traceback), and the broken connection is
    dropped so the next request reconnects once the database is back. Services run in
    `transaction.atomic`, so a write interrupted by the outage is rolled back, never half-applied — but
    the error may also come after the commit (the session save, a later read), so the page never claims
    the operation was not carried out.

    A database error raised inside another middleware (the session check reads the session and the user)
    never reaches `__call__`: Django turns it into a response at that middleware's boundary, through
    `handler500`, which therefore answers with this page too (`core.views.errors.server_error`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import InterfaceError, OperationalError

        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as exc:  # raised by a middleware below this one
            return self._unavailable(request, exc)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError

        if isinstance(exception, (OperationalError, InterfaceError)):
            return self._unavailable(request, exception)
        return None

    @staticmethod
    def is_outage(exc) -> bool:
        from django.db import InterfaceError, OperationalError

        return isinstance(exc, (OperationalError, InterfaceError))

    @staticmethod
    def _unavailable(request, exc):
        import logging

        from django.db import connections
        from django.template.loader import render_to_string

        logging.getLogger("kechuang.db").error("数据库不可用：%s %s: %s", request.method, request.path, exc)
        for conn in connections.all(initialized_only=True):
            # The connection is already broken; closing it is best effort so the next request reconnects.
            with contextlib.suppress(Exception):
                conn.close()
        from django.http import HttpResponse

        response = HttpResponse(render_to_string("errors/503.html"), status=503)
        response["Retry-After"] = "30"
        return response
