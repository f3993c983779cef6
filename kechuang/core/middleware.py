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
