from urllib.parse import urlsplit

import pytest
import requests
from django.core.cache import cache
from django.urls import reverse

from kechuang.signon.tests.cas_server import TestCasServer
from kechuang.signon.tests.idp import TestIdP


@pytest.fixture
def idp(settings):
    """A real OpenID Connect provider on loopback, configured as this deployment's provider."""
    with TestIdP() as provider:
        settings.KECHUANG_LOGIN_METHODS = ["local", "oidc"]
        settings.KECHUANG_OIDC_ISSUER = provider.url
        settings.OIDC_RP_CLIENT_ID = provider.client_id
        settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
        cache.clear()
        yield provider
        cache.clear()


@pytest.fixture(params=["3", "2"], ids=["cas3", "cas2"])
def cas(request, settings):
    """A CAS server on loopback (protocol 3.0 and 2.0), configured as this deployment's CAS server."""
    with TestCasServer() as server:
        settings.KECHUANG_LOGIN_METHODS = ["local", "cas"]
        settings.CAS_SERVER_URL = server.cas_url
        settings.CAS_VERSION = request.param
        yield server


def local(url: str) -> str:
    """The path and query of an absolute URL of the test server (the Django test client takes paths)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def oidc_login(client, idp, login: str, password: str = "pw"):  # noqa: S107 - the test provider's own user
    """Kechuang → the provider's login form → back to Kechuang with a code, as a browser would go."""
    start = client.get(reverse("signon:oidc_start"))
    assert start.status_code == 302 and start["Location"].startswith(f"{idp.url}/authorize?"), start
    at_idp = requests.post(
        start["Location"], data={"login": login, "password": password}, allow_redirects=False, timeout=10
    )
    assert at_idp.status_code == 302, at_idp.text
    return client.get(local(at_idp.headers["Location"]), follow=True)


def cas_login(client, cas, login: str, password: str = "pw"):  # noqa: S107 - the test provider's own user
    start = client.get(reverse("signon:cas_login"))
    assert start.status_code == 302 and start["Location"].startswith(f"{cas.cas_url}login?"), start
    at_cas = requests.post(
        start["Location"], data={"login": login, "password": password}, allow_redirects=False, timeout=10
    )
    assert at_cas.status_code == 302, at_cas.text
    return client.get(local(at_cas.headers["Location"]), follow=True)
