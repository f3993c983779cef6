"""SMS through an HTTP gateway (the bureau's 政务短信平台 or a carrier's; docs/notifications.md has the contract).

A request is a JSON POST signed with HMAC-SHA256 (headers X-Kechuang-Timestamp and X-Kechuang-Signature):
`{"phone", "sign_name", "template_id", "params": {"title"}, "out_id"}`; the gateway answers
`{"code": "OK", "message_id": ...}` or `{"code": <error>, "message": ...}`, and later posts delivery receipts
to /notifications/sms/receipt/. Only approved provider templates can be sent, so each kind of notice maps to a
template id (NOTIFY_SMS_TEMPLATES); a kind without one and no default is not sent by SMS. Rate limits: per
phone per hour and per minute overall, counted from the deliveries already sent.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings

from kechuang.notifications import rules, selectors
from kechuang.notifications.channels.base import CONSOLE, Channel, DeliveryError, post_json, to_console


class SmsChannel(Channel):
    name = "sms"
    label = "短信"

    def address(self, user) -> str:
        phone = "".join(ch for ch in (user.phone or "") if ch.isdigit() or ch == "+")
        return phone if len(phone) >= 11 else ""

    def busy_until(self, *, now: dt.datetime, address: str) -> dt.datetime | None:
        hour_ago = now - dt.timedelta(hours=1)
        if (
            selectors.sent_count(self.name, since=hour_ago, address=address)
            >= settings.NOTIFY_SMS_PER_PHONE_PER_HOUR
        ):
            return selectors.oldest_sent(self.name, since=hour_ago, address=address) + dt.timedelta(hours=1)
        minute_ago = now - dt.timedelta(minutes=1)
        if selectors.sent_count(self.name, since=minute_ago) >= settings.NOTIFY_SMS_PER_MINUTE:
            return now + dt.timedelta(minutes=1)
        return None

    def send(self, note, address: str) -> str:
        template_id = rules.sms_template(settings.NOTIFY_SMS_TEMPLATES, note.kind)
        if not template_id:
            raise DeliveryError(f"未配置“{note.kind}”类消息的短信模板（NOTIFY_SMS_TEMPLATES）。", retry=False)
        payload = {
            "phone": address,
            "sign_name": settings.NOTIFY_SMS_SIGN_NAME,
            "template_id": template_id,
            "params": rules.sms_params(note.title),
            "out_id": str(note.pk),
        }
        if settings.NOTIFY_SMS_URL == CONSOLE:
            return to_console(self.name, payload)

        def sign(body: bytes) -> dict:
            timestamp = str(int(time.time()))
            return {
                "X-Kechuang-Timestamp": timestamp,
                "X-Kechuang-Signature": rules.body_signature(settings.NOTIFY_SMS_KEY, timestamp, body),
            }

        answer = post_json(settings.NOTIFY_SMS_URL, payload, sign=sign)
        if str(answer.get("code", "")).upper() != "OK":
            raise DeliveryError(f"短信网关拒绝：{answer.get('code')} {answer.get('message', '')}".strip())
        return str(answer.get("message_id", ""))[:100]
