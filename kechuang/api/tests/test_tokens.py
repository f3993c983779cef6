"""API tokens (issue 25): writes with `Authorization: Bearer` work with CSRF checks on (CSRF guards the
cookie session only), tokens expire, their owner and the security administrator revoke them, and a token
never bypasses the second factor."""

import datetime as dt
import json
import urllib.request

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from kechuang.accounts import services as account_services
from kechuang.accounts.models import ApiToken, TotpDevice
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEED = {"title": "需要一台光谱仪", "description": "检测用", "is_published": False}


def _post_need(client, key, **extra):
    return client.post(
        "/api/cooperation/needs",
        data=json.dumps(NEED),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
        **extra,
    )


def test_a_token_writes_with_csrf_checks_on(enterprise_user):
    _token, key = account_services.api_token_create(actor=enterprise_user, user=enterprise_user, name="t")
    response = _post_need(Client(enforce_csrf_checks=True), key)
    assert response.status_code == 201, response.content
    assert response.json()["title"] == NEED["title"]


def test_a_token_write_works_even_beside_a_session_cookie(enterprise_user):
    """A script that also holds a session cookie: the token authenticates, CSRF does not get in the way."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(enterprise_user)
    _token, key = account_services.api_token_create(actor=enterprise_user, user=enterprise_user, name="t")
    assert _post_need(client, key).status_code == 201


def test_the_cookie_session_still_needs_its_csrf_token(enterprise_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(enterprise_user)
    response = client.post("/api/cooperation/needs", data=json.dumps(NEED), content_type="application/json")
    assert response.status_code == 403
    client.get("/accounts/profile/")  # sets the csrftoken cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/cooperation/needs",
        data=json.dumps(NEED),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201


def test_a_bad_token_is_401_not_a_csrf_refusal(enterprise_user):
    response = _post_need(Client(enforce_csrf_checks=True), "kc_not-a-token")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.django_db(transaction=True)
def test_a_token_writes_through_a_live_server(live_server, enterprise_user):
    _token, key = account_services.api_token_create(actor=enterprise_user, user=enterprise_user, name="t")
    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        f"{live_server.url}/api/cooperation/needs",
        data=json.dumps(NEED).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 201
        assert json.load(response)["title"] == NEED["title"]


def test_a_token_expires(enterprise_user, client, settings):
    settings.API_TOKEN_MAX_DAYS = 30
    token, key = account_services.api_token_create(
        actor=enterprise_user, user=enterprise_user, name="t", days=7
    )
    assert dt.timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= dt.timedelta(days=7)
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/cooperation/needs", headers=headers).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/cooperation/needs", headers=headers).status_code == 401
    with pytest.raises(account_services.ValidationError, match="1 至 30 天"):
        account_services.api_token_create(actor=enterprise_user, user=enterprise_user, name="t", days=31)


def test_the_owner_revokes_a_token_on_the_page(enterprise_user, client):
    token, key = account_services.api_token_create(actor=enterprise_user, user=enterprise_user, name="对接")
    client.force_login(enterprise_user)
    page = client.get("/accounts/tokens/")
    assert "对接" in page.content.decode() and token.prefix in page.content.decode()
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert (
        Client().get("/api/cooperation/needs", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    )


def test_someone_else_cannot_revoke_a_token_but_the_security_admin_can(enterprise_user, staff, client):
    token, _key = account_services.api_token_create(actor=enterprise_user, user=enterprise_user, name="t")
    client.force_login(staff)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert "t" not in [t.name for t in client.get("/accounts/tokens/").context["tokens"]]
    secadmin = UserFactory(role=Role.SECADMIN)
    client.force_login(secadmin)
    listed = client.get("/accounts/tokens/")
    assert token in listed.context["tokens"] and enterprise_user.username in listed.content.decode()
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=secadmin).exists()


def test_issuing_a_token_on_the_page_shows_the_secret_once(enterprise_user, client):
    client.force_login(enterprise_user)
    response = client.post("/accounts/tokens/", {"name": "报送系统", "days": "30"})
    secret = response.context["secret"]
    assert secret and secret in response.content.decode()
    assert ApiToken.objects.get(user=enterprise_user).key_hash == ApiToken.hash_key(secret)
    assert secret not in client.get("/accounts/tokens/").content.decode()


def _enrol(user) -> pyotp.TOTP:
    device = account_services.totp_begin_enrolment(user=user)
    totp = pyotp.TOTP(device.secret)
    account_services.totp_confirm(
        actor=user, user=user, code=totp.at(timezone.now() - dt.timedelta(seconds=30))
    )
    return totp


def test_a_token_needs_the_second_factor_where_the_account_has_one(enterprise_user, client):
    totp = _enrol(enterprise_user)
    with pytest.raises(account_services.ValidationError, match="动态口令"):
        account_services.api_token_create(actor=enterprise_user, user=enterprise_user, name="t")
    with pytest.raises(account_services.ValidationError, match="动态口令"):
        account_services.api_token_create(
            actor=enterprise_user, user=enterprise_user, name="t", totp_code="000000"
        )
    client.force_login(enterprise_user)
    refused = client.post("/accounts/tokens/", {"name": "t", "days": "30"})
    assert refused.context["secret"] is None and not ApiToken.objects.exists()
    issued = client.post("/accounts/tokens/", {"name": "t", "days": "30", "code": totp.now()})
    assert issued.context["secret"]


def test_an_account_that_must_have_a_second_factor_gets_no_token_without_one(client):
    sysadmin = UserFactory(role=Role.SYSADMIN)
    assert not TotpDevice.objects.filter(user=sysadmin).exists()
    with pytest.raises(account_services.ValidationError, match="动态口令"):
        account_services.api_token_create(actor=sysadmin, user=sysadmin, name="t")


def test_resetting_the_second_factor_revokes_the_tokens(enterprise_user):
    _token, key = account_services.api_token_create(actor=enterprise_user, user=enterprise_user, name="t")
    sysadmin = UserFactory(role=Role.SYSADMIN)
    account_services.totp_reset(actor=sysadmin, user=enterprise_user)
    assert ApiToken.objects.get(user=enterprise_user).revoked_at is not None


def test_nobody_issues_a_token_for_someone_else(enterprise_user, staff):
    with pytest.raises(PermissionError):
        account_services.api_token_create(actor=staff, user=enterprise_user, name="t")
