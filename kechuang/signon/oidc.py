"""OpenID Connect login through mozilla-django-oidc (authorization code flow with PKCE, RS256 id_token checked
against the provider's JWKS, issuer and audience). Endpoints come from the provider's discovery document
unless set one by one; the account is found by `services.sign_on`, never by e-mail or name (ADR 0022)."""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from kechuang.signon import selectors, services

log = logging.getLogger("kechuang.signon")

ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_SECONDS = 3600
UNAVAILABLE = "统一身份认证服务暂时无法连接，请稍后再试。"
FAILED = "统一身份认证未能完成登录（认证结果无效或已过期），请重新登录。"


class ProviderUnavailable(Exception):
    pass


def discovery() -> dict:
    """The provider's discovery document (cached an hour); its issuer must be the configured one."""
    issuer = settings.KECHUANG_OIDC_ISSUER
    key = f"signon:oidc:discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(
                f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
            )
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"discovery failed: {exc}") from exc
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            raise ProviderUnavailable(f"discovery names issuer {document.get('issuer')!r}, not {issuer!r}")
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def setting(attr, *default):
    """mozilla-django-oidc's settings, with the provider's endpoints from discovery where not set."""
    if attr in ENDPOINTS and not getattr(settings, attr, ""):
        return discovery()[ENDPOINTS[attr]]
    return import_from_settings(attr, *default)


class OidcBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every login (local ones too): the provider is asked only when used.
        self.UserModel = get_user_model()

    def _configure(self) -> None:
        for attr in (*ENDPOINTS, "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_RP_SIGN_ALGO"):
            setattr(self, attr, self.get_settings(attr))
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if request is None or not selectors.enabled("oidc") or not {"code", "state"} <= set(request.GET):
            return None
        try:
            self._configure()
            return super().authenticate(request, **kwargs)
        except (ProviderUnavailable, requests.RequestException) as exc:
            log.warning("OIDC sign-on failed: %s", exc)
            messages.error(request, UNAVAILABLE)
        except SuspiciousOperation as exc:
            log.warning("OIDC sign-on refused: %s", exc)
            messages.error(request, FAILED)
        return None

    def _verify_jws(self, payload, key):
        """The id_token's signature (the configured algorithm only), expiry, issuer and audience."""
        try:
            header = jwt.get_unverified_header(payload)
            if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation(f"id_token alg {header.get('alg')!r}")
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=60,
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"id_token: {exc}") from exc
        if str(claims["iss"]).rstrip("/") != settings.KECHUANG_OIDC_ISSUER:
            raise SuspiciousOperation(f"id_token issuer {claims['iss']!r}")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        info = self.get_userinfo(access_token, id_token, payload)
        if info.get("sub") != payload["sub"]:
            raise SuspiciousOperation("userinfo is about another subject")
        try:
            return services.sign_on(
                provider="oidc",
                subject=str(payload["sub"]),
                claims={**payload, **info},
                user_agent=self.request.META.get("HTTP_USER_AGENT", "")[:300],
            )
        except services.SignOnRefused as exc:
            messages.error(self.request, str(exc))
            return None


def _refuse_unless_enabled(request):
    if not selectors.enabled("oidc"):
        messages.error(request, "本平台未启用统一身份认证（OIDC）登录。")
        return redirect("accounts:login")
    return None


class OidcStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's authorization endpoint (state, nonce and PKCE kept in the session)."""

    get_settings = staticmethod(setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoint is looked up per request, not at start-up

    def get(self, request):
        refused = _refuse_unless_enabled(request)
        if refused:
            return refused
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as exc:
            log.warning("OIDC discovery failed: %s", exc)
            messages.error(request, UNAVAILABLE)
            return redirect("accounts:login")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class OidcCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: the code is exchanged and the account found or refused."""

    get_settings = staticmethod(setting)

    @property
    def failure_url(self):
        return reverse("accounts:login")

    def get(self, request):
        refused = _refuse_unless_enabled(request)
        if refused:
            return refused
        if request.GET.get("error"):
            messages.info(request, "统一身份认证未完成登录（已取消或被拒绝），可重试或改用其他方式登录。")
        try:
            return super().get(request)
        except SuspiciousOperation as exc:  # a callback this session did not start (state unknown)
            log.warning("OIDC callback refused: %s", exc)
            messages.error(request, FAILED)
            return redirect("accounts:login")
