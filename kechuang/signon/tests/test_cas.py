"""CAS sign-on (protocol 2.0 and 3.0) against a CAS server on loopback (issue 30, ADR 0022)."""

import pytest
from django.contrib.auth import SESSION_KEY

from kechuang.accounts.models import User
from kechuang.core.roles import Role
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.signon import services
from kechuang.signon.models import Identity
from kechuang.signon.tests.conftest import cas_login, local

pytestmark = pytest.mark.django_db


def _session_user(client):
    key = client.session.get(SESSION_KEY)
    return User.objects.get(pk=key) if key else None


def test_a_firm_signs_on_through_cas_by_its_credit_code(client, cas, town):
    firm = OrganisationFactory(region=town)
    cas.add_user("jinyu", "pw", credit_code=firm.credit_code, name="金宇钢构经办人")
    page = cas_login(client, cas, "jinyu")
    user = _session_user(client)
    assert user.role == Role.ENTERPRISE and user.organisation == firm and page.status_code == 200
    assert Identity.objects.get(user=user).provider == "cas"
    client.logout()
    cas_login(client, cas, "jinyu")
    assert _session_user(client) == user


def test_an_official_signs_on_through_cas_by_staff_number(client, cas):
    official = UserFactory(staff=True)
    services.staff_number_set(actor=None, user=official, number="ZC-0012")
    cas.add_user("zhang", "pw", staff_number="ZC-0012")
    cas_login(client, cas, "zhang")
    assert _session_user(client) == official


def test_a_changed_attribute_never_moves_a_cas_account(client, cas, town):
    first, second = OrganisationFactory(region=town), OrganisationFactory(region=town)
    cas.add_user("jingban", "pw", credit_code=first.credit_code)
    cas_login(client, cas, "jingban")
    account = _session_user(client)
    client.logout()
    cas.users["jingban"]["claims"]["credit_code"] = second.credit_code
    cas_login(client, cas, "jingban")
    account.refresh_from_db()
    assert account.organisation == first and _session_user(client).organisation == second


def test_a_replayed_ticket_is_refused(client, cas, town):
    import requests

    firm = OrganisationFactory(region=town)
    cas.add_user("jinyu", "pw", credit_code=firm.credit_code)
    from django.urls import reverse

    start = client.get(reverse("signon:cas_login"))
    back = requests.post(
        start["Location"], data={"login": "jinyu", "password": "pw"}, allow_redirects=False, timeout=10
    )
    client.get(local(back.headers["Location"]))
    assert _session_user(client) is not None
    client.logout()
    page = client.get(local(back.headers["Location"]), follow=True)
    assert _session_user(client) is None and "票据无效或已使用" in page.content.decode()


def test_an_unknown_staff_number_is_refused_in_chinese(client, cas):
    cas.add_user("nobody", "pw", staff_number="ZC-9999")
    page = cas_login(client, cas, "nobody")
    assert _session_user(client) is None and "工号 ZC-9999 尚未在科创开通账户" in page.content.decode()
