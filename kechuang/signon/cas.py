"""CAS login through django-cas-ng (CAS 2.0 `/serviceValidate` or 3.0 `/p3/serviceValidate`). The ticket is
validated by the library's client; the account is found by `services.sign_on` from the released attributes
(CAS 2 servers must release them in the validation response), never by the CAS user name alone (ADR 0022)."""

from __future__ import annotations

import logging
from xml.etree.ElementTree import ParseError

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django_cas_ng.backends import CASBackend
from django_cas_ng.utils import get_cas_client
from django_cas_ng.views import LoginView

from kechuang.signon import selectors, services

log = logging.getLogger("kechuang.signon")


class TimedSession(requests.Session):
    """python-cas validates tickets without a timeout; a stalled CAS server must not hold a web worker."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", settings.CAS_TIMEOUT)
        return super().request(*args, **kwargs)


class CasBackend(CASBackend):
    def authenticate(self, request, ticket=None, service=None):
        if request is None or not ticket or not service or not selectors.enabled("cas"):
            return None
        client = get_cas_client(service_url=service, request=request)
        try:
            subject, attributes, _ = client.verify_ticket(ticket)
        except (requests.RequestException, ParseError, IndexError, AttributeError) as exc:
            log.warning("CAS ticket validation failed: %s", exc)
            messages.error(request, "统一认证中心暂时无法连接，请稍后再试。")
            return None
        if not subject:
            messages.error(request, "统一认证中心未确认此次登录（票据无效或已使用），请重新登录。")
            return None
        try:
            return services.sign_on(
                provider="cas",
                subject=str(subject),
                claims={"sub": subject, **(attributes or {})},
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            )
        except services.SignOnRefused as exc:
            messages.error(request, str(exc))
            return None


class CasLogin(LoginView):
    """Sends the browser to the CAS server, and takes the ticket it comes back with."""

    def post(self, request):  # the CAS server's single-logout request
        if not selectors.enabled("cas"):
            return redirect("accounts:login")
        return super().post(request)

    def get(self, request):
        if not selectors.enabled("cas"):
            messages.error(request, "本平台未启用统一认证中心（CAS）登录。")
            return redirect("accounts:login")
        try:
            return super().get(request)
        except PermissionDenied:  # the backend refused; its message says why
            return redirect("accounts:login")
