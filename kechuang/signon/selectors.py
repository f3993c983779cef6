"""Reads of unified sign-on: the login methods offered, and an account's identities."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import reverse

SIGNON_BACKENDS = frozenset({"kechuang.signon.oidc.OidcBackend", "kechuang.signon.cas.CasBackend"})


@dataclass(frozen=True)
class Method:
    key: str
    label: str
    url: str


def enabled(method: str) -> bool:
    return method in settings.KECHUANG_LOGIN_METHODS


def external_methods() -> list[Method]:
    """The sign-on buttons of the login page, in the configured order."""
    found = []
    for key in settings.KECHUANG_LOGIN_METHODS:
        if key == "oidc":
            found.append(Method(key, settings.KECHUANG_OIDC_LABEL, reverse("signon:oidc_start")))
        elif key == "cas":
            found.append(Method(key, settings.KECHUANG_CAS_LABEL, reverse("signon:cas_login")))
    return found


def signed_on_externally(request) -> bool:
    """Whether this session's login came from the unified sign-on service (no local password involved)."""
    return request.session.get(BACKEND_SESSION_KEY) in SIGNON_BACKENDS


def identities_of(user):
    from kechuang.signon.models import Identity

    return Identity.objects.filter(user=user).order_by("kind", "provider", "key")


def staff_number_of(user) -> str:
    from kechuang.signon.models import Identity

    return (
        Identity.objects.filter(user=user, kind=Identity.Kind.OFFICIAL).values_list("key", flat=True).first()
        or ""
    )
