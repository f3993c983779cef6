"""Demo: mobile numbers and channel choices for the demo accounts (so later modules' notices go out by
e-mail, SMS and work chat — printed to the console in `make run`), and a past gateway outage on 通知投递."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kechuang.accounts.models import User
from kechuang.notifications import services
from kechuang.notifications.models import Delivery, Notification

PHONES = {"staff": "13905331201", "staff2": "13905331202", "leader": "13905331203", "qiye": "13853361208"}
CHOICES = {
    # username: {kind: channels}
    "staff": {
        "vouchers.task": {"in_app", "email", "sms", "wecom"},
        "programmes.task": {"in_app", "email", "wecom"},
        "project_warning": {"in_app", "email", "dingtalk"},
    },
    "staff2": {"vouchers.task": {"in_app", "sms", "wecom"}},
    "leader": {"project_warning": {"in_app", "sms"}, "digest": {"in_app", "dingtalk"}},
    "qiye": {"programmes.status": {"in_app", "sms"}, "project_warning": {"in_app", "sms"}},
}


def build(ctx) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=PHONES)}
    for username, phone in PHONES.items():
        if username in users:
            User.objects.filter(pk=users[username].pk).update(phone=phone)
            users[username].phone = phone
    for username, kinds in CHOICES.items():
        if username not in users:
            continue
        for kind, wanted in kinds.items():
            services.set_preference(
                actor=users[username], kind=kind, **{c: c in wanted for c in services.CHANNEL_FIELDS}
            )
    staff = users.get("staff")
    if staff is None:
        return
    # A gateway outage the administrator sees on 通知投递: one SMS gave up after five attempts, one was
    # delivered after the gateway came back.
    note = Notification.objects.create(
        user=staff,
        kind="system",
        title="系统通知：短信网关维护期间的消息已补发",
        body="11月27日 09:00—09:40 短信网关维护，期间未能发出的短信已由系统自动重试。",
        object_key="demo:sms-outage-2020-11-27",
        reason="system",
    )
    when = timezone.make_aware(dt.datetime(2020, 11, 27, 9, 40))
    Delivery.objects.bulk_create(
        [
            Delivery(
                notification=note,
                channel="sms",
                address=staff.phone,
                status=Delivery.Status.FAILED,
                attempts=5,
                last_error="HTTP 503 Service Unavailable",
                next_try_at=when,
            ),
            Delivery(
                notification=note,
                channel="sms",
                address=staff.phone,
                status=Delivery.Status.DELIVERED,
                attempts=2,
                provider_id="SMS-20201127-000231",
                sent_at=when,
            ),
        ]
    )
