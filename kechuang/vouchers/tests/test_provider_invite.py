"""Issue 24: staff invite a registered provider organisation from its registry page — an account for the
organisation's contact (or the one it has) and the set-password link through the one invitation path the
experts use (accounts.services.invitation_send); no shell."""

import datetime as dt

import pytest
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import UserFactory
from kechuang.notifications.models import Notification
from kechuang.vouchers import services
from kechuang.vouchers.tests.conftest import approved_provider

pytestmark = pytest.mark.django_db


def test_staff_invite_a_provider_and_its_contact_sets_a_password(client, staff, programme):
    provider = approved_provider(
        staff, programme, name="淄博检测研究院", contact_name="周敏", contact_phone="13805330001"
    )
    org = provider.organisation
    client.force_login(staff)
    detail = reverse("vouchers:provider_detail", args=[provider.pk])
    assert "邀请开通账号" in client.get(detail).content.decode()
    page = client.post(
        reverse("vouchers:provider_action", args=[provider.pk, "invite"]),
        {"email": "zm@example.cn"},
        follow=True,
    ).content.decode()
    user = User.objects.get(organisation=org)
    assert f"用户名 {user.username}" in page and "重新发送邀请" in page
    assert (user.role, user.email, user.phone) == ("enterprise", "zm@example.cn", "13805330001")
    assert user.display_name == "周敏（淄博检测研究院）"
    note = Notification.objects.get(user=user, kind="vouchers.provider_invite")
    assert note.url.startswith("/accounts/invitation/")
    assert AuditEvent.objects.filter(action="vouchers.provider_invite", actor=staff).exists()
    # inviting again links the same account and sends a fresh link (no second account)
    client.post(reverse("vouchers:provider_action", args=[provider.pk, "invite"]), {})
    assert User.objects.filter(organisation=org).count() == 1
    # the contact sets a password through the link, then sees the provider's page
    client.logout()
    assert "账号邀请" in client.get(note.url).content.decode()
    client.post(note.url, {"new_password1": "Zb-8842-kechuang", "new_password2": "Zb-8842-kechuang"})
    user.refresh_from_db()
    assert user.check_password("Zb-8842-kechuang")
    assert client.get(note.url).status_code == 404  # used
    client.force_login(user)
    assert client.get(reverse("vouchers:provided")).status_code == 200


def test_an_existing_organisation_user_is_linked_not_duplicated(staff, programme):
    provider = approved_provider(staff, programme)
    existing = UserFactory(enterprise=True, organisation=provider.organisation)
    assert services.provider_invite(actor=staff, provider=provider) == existing
    assert User.objects.filter(organisation=provider.organisation).count() == 1


def test_only_the_registering_bureau_invites_and_never_a_blacklisted_provider(client, staff, programme):
    from kechuang.core.models import Region

    provider = approved_provider(staff, programme)
    other = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    client.force_login(other)
    response = client.post(reverse("vouchers:provider_action", args=[provider.pk, "invite"]), {})
    assert response.status_code == 404
    firm_user = UserFactory(enterprise=True)
    client.force_login(firm_user)
    assert (
        client.post(reverse("vouchers:provider_action", args=[provider.pk, "invite"]), {}).status_code == 404
    )
    services.provider_blacklist(actor=staff, provider=provider, reason="虚开发票", on=dt.date(2020, 3, 2))
    client.force_login(staff)
    page = client.post(
        reverse("vouchers:provider_action", args=[provider.pk, "invite"]), {}, follow=True
    ).content.decode()
    assert "黑名单" in page
    assert not User.objects.filter(organisation=provider.organisation).exists()
    assert not Notification.objects.filter(kind="vouchers.provider_invite").exists()
