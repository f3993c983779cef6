"""The system administrator records the staff number an official signs on with (issue 30, ADR 0022)."""

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import UserFactory
from kechuang.signon import selectors
from kechuang.signon.tests.conftest import oidc_login

pytestmark = pytest.mark.django_db


def test_the_sysadmin_records_a_staff_number_on_the_account_page_audited(client):
    sysadmin, official = UserFactory(sysadmin=True), UserFactory(staff=True)
    client.force_login(sysadmin)
    page = client.get(reverse("accounts:user_edit", args=[official.pk])).content.decode()
    assert "统一身份认证" in page and 'name="staff_number"' in page
    client.post(reverse("signon:staff_number", args=[official.pk]), {"staff_number": "ZC-0100"})
    assert selectors.staff_number_of(official) == "ZC-0100"
    event = AuditEvent.objects.get(action="signon.staff_number")
    assert event.actor_id == sysadmin.pk and event.changes == {"staff_number": ["", "ZC-0100"]}
    other = UserFactory(staff=True)
    page = client.post(
        reverse("signon:staff_number", args=[other.pk]), {"staff_number": "ZC-0100"}, follow=True
    )
    assert "已登记在账户" in page.content.decode() and selectors.staff_number_of(other) == ""
    page = client.post(
        reverse("signon:staff_number", args=[other.pk]), {"staff_number": "工号 1"}, follow=True
    )
    assert "工号“工号 1”无效" in page.content.decode()
    client.post(reverse("signon:staff_number", args=[official.pk]), {"staff_number": ""})
    assert selectors.staff_number_of(official) == ""


@pytest.mark.parametrize("who", ["staff", "secadmin", "auditadmin"])
def test_nobody_else_records_staff_numbers(client, who):
    official = UserFactory(staff=True)
    client.force_login(UserFactory(**{who: True}))
    response = client.post(reverse("signon:staff_number", args=[official.pk]), {"staff_number": "X-1"})
    assert response.status_code == 404 and selectors.staff_number_of(official) == ""


def test_no_staff_number_on_an_administrator_or_a_firm_account(client):
    client.force_login(UserFactory(sysadmin=True))
    for target in (UserFactory(secadmin=True), UserFactory(enterprise=True)):
        response = client.post(reverse("signon:staff_number", args=[target.pk]), {"staff_number": "A-1"})
        assert response.status_code == 404 and selectors.staff_number_of(target) == ""


def test_a_signed_on_official_is_not_sent_to_change_an_expired_local_password(client, idp):
    from kechuang.signon import services

    official = UserFactory(staff=True)
    official.password_changed_at = timezone.now() - dt.timedelta(days=400)
    official.save(update_fields=["password_changed_at"])
    services.staff_number_set(actor=None, user=official, number="ZC-0200")
    idp.add_user("wang", "pw", staff_number="ZC-0200")
    page = oidc_login(client, idp, "wang")
    assert int(client.session[SESSION_KEY]) == official.pk
    assert page.redirect_chain[-1][0] == "/" and "请先修改密码" not in page.content.decode()
    # The same account logging in with its (expired) local password is still sent to change it.
    client.logout()
    client.force_login(official, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/")["Location"] == reverse("accounts:profile")
