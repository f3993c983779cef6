import re

import pytest
from django.core import mail
from django.urls import reverse

from kechuang.core.tests.factories import UserFactory
from kechuang.notifications import services
from kechuang.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_notify_puts_a_message_in_the_inbox_and_emails_those_who_want_it(
    staff, django_capture_on_commit_callbacks
):
    staff.email = "a@example.gov.cn"
    staff.save()
    quiet = UserFactory(email="b@example.gov.cn")
    services.set_preference(actor=quiet, kind="system", in_app=True, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            users=[staff, quiet], kind="system", title="高企申报截止提醒", body="还有3个工作日", url="/"
        )
    assert Notification.objects.filter(title="高企申报截止提醒").count() == 2
    assert [m.to for m in mail.outbox] == [["a@example.gov.cn"]]
    assert "高企申报截止提醒" in mail.outbox[0].subject


def test_user_can_switch_a_kind_off_entirely(staff):
    services.set_preference(actor=staff, kind="system", in_app=False, email=False)
    assert services.notify(users=[staff], kind="system", title="x") == []


def test_another_users_message_is_a_404(client, staff):
    other = UserFactory()
    note = services.notify(users=[other], kind="system", title="私信")[0]
    client.force_login(staff)
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert Notification.objects.get(pk=note.pk).read_at is None


def test_opening_marks_read_and_refuses_offsite_redirects(client, staff):
    note = services.notify(users=[staff], kind="system", title="x", url="https://evil.example.com/")[0]
    client.force_login(staff)
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("notifications:inbox")
    note.refresh_from_db()
    assert note.read_at is not None


def test_preferences_page_saves_each_channel_and_disables_unreachable_ones(client, staff, settings):
    settings.NOTIFY_CHANNELS = ["email", "sms", "wecom"]
    staff.email, staff.phone = "a@example.gov.cn", ""
    staff.save()
    client.force_login(staff)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "未登记手机号，无法接收" in page
    assert re.search(r'name="sms_system"[^>]*disabled', page)  # no phone: SMS cannot be chosen
    assert not re.search(r'name="email_system"[^>]*disabled', page)
    assert "钉钉" not in page  # not turned on in this deployment
    client.post(reverse("notifications:preferences"), {"in_app_system": "on", "wecom_system": "on"})
    pref = staff.notification_preferences.get(kind="system")
    assert (pref.in_app, pref.email, pref.sms, pref.wecom, pref.dingtalk) == (True, False, False, True, False)


def test_switching_the_inbox_off_keeps_the_record_read(staff, settings):
    settings.NOTIFY_CHANNELS = ["email"]
    staff.email = "a@example.gov.cn"
    staff.save()
    services.set_preference(actor=staff, kind="system", in_app=False, email=True)
    [note] = services.notify(users=[staff], kind="system", title="只发邮件")
    assert note.read_at is not None and note.deliveries.get().channel == "email"


def test_the_responsible_bureau_is_told_not_every_bureau_above_it(db, district, town):
    """A district's step goes to the district's staff; the city's staff (who may see it) are not told. A
    region without staff of its own (a town) falls back to the nearest bureau above it."""
    from kechuang.core.tests.factories import UserFactory
    from kechuang.notifications.selectors import bureau_users

    zhoucun = UserFactory(staff=True)
    city = UserFactory(city=True)
    assert bureau_users(district) == [zhoucun]
    assert bureau_users(town) == [zhoucun]
    assert bureau_users(district, exclude=zhoucun) == [city]  # nobody left in the district: the city
    assert bureau_users(city.region) == [city]
