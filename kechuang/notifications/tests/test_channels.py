"""Every outside channel delivers to a real server on loopback, with the configured template; failures retry
with back-off and end visible on the 通知投递 page."""

import base64
import hashlib
import hmac
import json
import urllib.parse

import pytest
from django.urls import reverse

from kechuang.core.roles import Role
from kechuang.core.tests.factories import UserFactory
from kechuang.notifications import delivery, rules, services
from kechuang.notifications.models import Delivery
from kechuang.notifications.tests.loopback import HttpGateway, SmtpSink, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway():
    server = HttpGateway().start()
    yield server
    server.stop()


@pytest.fixture
def reachable(staff):
    staff.phone = "13800001234"
    staff.email = "zhang@example.gov.cn"
    staff.save()
    return staff


def _wants(user, **channels):
    services.set_preference(actor=user, kind="system", in_app=True, email=False, **channels)


def _notify(user, capture, title="申报材料待审核"):
    with capture(execute=True):
        return services.notify(
            users=[user], kind="system", title=title, body="请在3个工作日内处理", url="/p/1/"
        )


def test_sms_goes_to_the_gateway_signed_with_the_kinds_template(
    settings, gateway, reachable, django_capture_on_commit_callbacks
):
    settings.NOTIFY_CHANNELS = ["sms"]
    settings.NOTIFY_SMS_URL = gateway.url + "/sms/send"
    settings.NOTIFY_SMS_KEY = "k3y"
    settings.NOTIFY_SMS_SIGN_NAME = "淄川区科技局"
    settings.NOTIFY_SMS_TEMPLATES = {"default": "SMS_0001", "system": "SMS_2024"}
    _wants(reachable, sms=True)
    note = _notify(reachable, django_capture_on_commit_callbacks)[0]

    [got] = gateway.received
    assert got.path == "/sms/send"
    assert got.json == {
        "phone": "13800001234",
        "sign_name": "淄川区科技局",
        "template_id": "SMS_2024",
        "params": {"title": "申报材料待审核"},
        "out_id": str(note.pk),
    }
    stamp = got.headers["X-Kechuang-Timestamp"]
    assert got.headers["X-Kechuang-Signature"] == rules.body_signature("k3y", stamp, got.raw)
    sent = Delivery.objects.get(notification=note)
    assert (sent.channel, sent.status, sent.provider_id, sent.attempts) == ("sms", "sent", "gw-1", 1)


def test_sms_receipt_marks_delivered_only_when_signed(settings, client, reachable):
    settings.NOTIFY_SMS_KEY = "k3y"
    note = services.notify(users=[reachable], kind="system", title="x")[0]
    row = Delivery.objects.create(
        notification=note, channel="sms", address="13800001234", status="sent", provider_id="gw-9"
    )
    body = json.dumps([{"message_id": "gw-9", "status": "DELIVERED"}]).encode()
    url = reverse("notifications:sms_receipt")
    import time

    stamp = str(int(time.time()))
    forged = client.post(
        url,
        body,
        content_type="application/json",
        headers={"X-Kechuang-Timestamp": stamp, "X-Kechuang-Signature": "0" * 64},
    )
    assert forged.status_code == 403
    row.refresh_from_db()
    assert row.status == "sent"
    ok = client.post(
        url,
        body,
        content_type="application/json",
        headers={
            "X-Kechuang-Timestamp": stamp,
            "X-Kechuang-Signature": rules.body_signature("k3y", stamp, body),
        },
    )
    assert ok.json() == {"code": "OK", "updated": 1}
    row.refresh_from_db()
    assert row.status == "delivered"


def test_wecom_robot_gets_text_mentioning_the_recipient(
    settings, gateway, reachable, django_capture_on_commit_callbacks
):
    settings.NOTIFY_CHANNELS = ["wecom"]
    settings.NOTIFY_WECOM_URL = gateway.url + "/cgi-bin/webhook/send?key=robot-key"
    settings.NOTIFY_SITE_URL = "https://kc.example.gov.cn"
    _wants(reachable, wecom=True)
    _notify(reachable, django_capture_on_commit_callbacks)
    [got] = gateway.received
    assert (got.path, got.query) == ("/cgi-bin/webhook/send", {"key": "robot-key"})
    assert got.json == {
        "msgtype": "text",
        "text": {
            "content": "【科创】申报材料待审核\n请在3个工作日内处理\nhttps://kc.example.gov.cn/p/1/",
            "mentioned_mobile_list": ["13800001234"],
        },
    }
    assert Delivery.objects.get().status == "sent"


def test_dingtalk_robot_request_is_signed_and_mentions_by_mobile(
    settings, gateway, reachable, django_capture_on_commit_callbacks
):
    settings.NOTIFY_CHANNELS = ["dingtalk"]
    settings.NOTIFY_DINGTALK_URL = gateway.url + "/robot/send?access_token=tok"
    settings.NOTIFY_DINGTALK_SECRET = "SECabc"
    _wants(reachable, dingtalk=True)
    _notify(reachable, django_capture_on_commit_callbacks)
    [got] = gateway.received
    assert got.path == "/robot/send" and got.query["access_token"] == "tok"
    expected = base64.b64encode(
        hmac.new(b"SECabc", f"{got.query['timestamp']}\nSECabc".encode(), hashlib.sha256).digest()
    ).decode()
    assert got.query["sign"] == expected  # parse_qsl has undone the URL encoding
    assert got.json["msgtype"] == "text"
    assert got.json["text"]["content"].startswith("【科创】申报材料待审核")
    assert got.json["text"]["content"].endswith("@13800001234")
    assert got.json["at"] == {"atMobiles": ["13800001234"], "isAtAll": False}


def test_email_goes_through_a_real_smtp_server(settings, reachable, django_capture_on_commit_callbacks):
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    sink = SmtpSink()
    port = free_port()
    controller = aiosmtpd.Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }
        settings.DEFAULT_FROM_EMAIL = "kechuang@kjj.example.gov.cn"
        settings.NOTIFY_CHANNELS = ["email"]
        settings.NOTIFY_MAX_ATTEMPTS = 3
        services.set_preference(actor=reachable, kind="system", in_app=True, email=True)
        sink.refuse = 1  # the first attempt is refused with a temporary error
        note = _notify(reachable, django_capture_on_commit_callbacks)[0]
        row = Delivery.objects.get(notification=note)
        assert (row.status, row.attempts) == ("retry", 1)
        assert "451" in row.last_error and sink.messages == []

        Delivery.objects.filter(pk=row.pk).update(next_try_at=None)  # its back-off has passed
        assert delivery.deliver(delivery.due_ids()) == {"sent": 1}
        [(sender, rcpts, message)] = sink.messages
        assert (sender, rcpts) == ("kechuang@kjj.example.gov.cn", ["zhang@example.gov.cn"])
        assert message["Subject"] == "【科创】申报材料待审核"
        assert "请在3个工作日内处理" in message.get_content()
        row.refresh_from_db()
        assert row.status == "sent" and row.provider_id == message["Message-ID"]
        note.refresh_from_db()
        assert note.emailed_at is not None
    finally:
        controller.stop()


def test_failures_retry_with_backoff_then_show_on_the_deliveries_page(
    settings, gateway, reachable, client, django_capture_on_commit_callbacks
):
    settings.NOTIFY_CHANNELS = ["wecom"]
    settings.NOTIFY_WECOM_URL = gateway.url + "/cgi-bin/webhook/send?key=k"
    settings.NOTIFY_MAX_ATTEMPTS = 2
    gateway.replies = [(500, {"errcode": -1}), (200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    _wants(reachable, wecom=True)
    _notify(reachable, django_capture_on_commit_callbacks)
    row = Delivery.objects.get()
    assert (row.status, row.attempts) == ("retry", 1)
    assert "HTTP 500" in row.last_error and row.next_try_at is not None
    assert delivery.due_ids() == []  # not before its back-off
    Delivery.objects.filter(pk=row.pk).update(next_try_at=None)
    delivery.deliver(delivery.due_ids())
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 2)
    assert "93000" in row.last_error

    admin = UserFactory(role=Role.SYSADMIN, region=None)
    client.force_login(reachable)
    assert client.get(reverse("notifications:deliveries")).status_code == 403
    client.force_login(admin)
    page = client.get(reverse("notifications:deliveries") + "?status=failed").content.decode()
    assert "发送失败" in page and "invalid webhook url" in page and "重新发送" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:delivery_retry", args=[row.pk]))
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)
    assert len(gateway.received) == 3


def test_sms_rate_limit_per_phone_defers_without_using_an_attempt(
    settings, gateway, reachable, django_capture_on_commit_callbacks
):
    settings.NOTIFY_CHANNELS = ["sms"]
    settings.NOTIFY_SMS_URL = gateway.url + "/sms"
    settings.NOTIFY_SMS_KEY = "k"
    settings.NOTIFY_SMS_PER_PHONE_PER_HOUR = 2
    _wants(reachable, sms=True)
    for n in range(3):
        _notify(reachable, django_capture_on_commit_callbacks, title=f"第{n}条")
    assert len(gateway.received) == 2
    waiting = Delivery.objects.get(status="retry")
    assert waiting.attempts == 0 and "频率限制" in waiting.last_error
    assert waiting.next_try_at is not None


def test_unreachable_users_get_no_delivery_and_console_prints(
    settings, capsys, staff, django_capture_on_commit_callbacks
):
    settings.NOTIFY_CHANNELS = ["sms", "dingtalk"]
    settings.NOTIFY_SMS_URL = "console"
    settings.NOTIFY_DINGTALK_URL = "console"
    staff.phone = ""
    staff.save()
    _wants(staff, sms=True, dingtalk=True)
    _notify(staff, django_capture_on_commit_callbacks)
    # No phone: no SMS; the group robot still posts to the group, without an @.
    assert list(Delivery.objects.values_list("channel", "address", "status")) == [("dingtalk", "群", "sent")]
    out = capsys.readouterr().out
    assert "通知渠道 dingtalk（控制台" in out and '"atMobiles": []' in out


def test_dingtalk_signature_matches_the_documented_example():
    url = rules.dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=x", "this is secret", 1
    )
    sign = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["sign"][0]
    digest = hmac.new(b"this is secret", b"1\nthis is secret", hashlib.sha256).digest()
    assert sign == base64.b64encode(digest).decode()
    assert "&timestamp=1&sign=" in url
