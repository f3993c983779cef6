"""Work-chat messages through group robots: 企业微信 (WeCom) and 钉钉 (DingTalk, incl. 政务钉钉 deployments).

Both post a text message to one configured group and @-mention the recipient by mobile number, so a user who
chose this channel is alerted in the group the bureau set up (docs/notifications.md):
- 企业微信: POST <webhook>?key=… `{"msgtype": "text", "text": {"content", "mentioned_mobile_list"}}`,
  answer `{"errcode": 0, "errmsg": "ok"}`; at most 20 messages a minute per robot.
- 钉钉: POST <webhook>?access_token=…&timestamp=…&sign=… (加签, rules.dingtalk_signed_url)
  `{"msgtype": "text", "text": {"content"}, "at": {"atMobiles", "isAtAll": false}}`, the same answer shape;
  at most 20 a minute per robot.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings

from kechuang.notifications import rules, selectors
from kechuang.notifications.channels.base import CONSOLE, Channel, DeliveryError, post_json, to_console
from kechuang.notifications.channels.email import absolute

GROUP = "群"  # the address of a recipient without a mobile number: the group sees the message, no @


class _RobotChannel(Channel):
    url_setting = ""
    per_minute_setting = ""

    def address(self, user) -> str:
        phone = "".join(ch for ch in (user.phone or "") if ch.isdigit())
        return phone if len(phone) >= 11 else GROUP

    def busy_until(self, *, now: dt.datetime, address: str) -> dt.datetime | None:
        limit = getattr(settings, self.per_minute_setting)
        if selectors.sent_count(self.name, since=now - dt.timedelta(minutes=1)) >= limit:
            return now + dt.timedelta(minutes=1)
        return None

    def text(self, note) -> str:
        return rules.chat_text(note.title, note.body, absolute(note.url))

    def post(self, url: str, payload: dict) -> str:
        if getattr(settings, self.url_setting) == CONSOLE:
            return to_console(self.name, payload)
        answer = post_json(url, payload)
        if answer.get("errcode") != 0:
            raise DeliveryError(
                f"{self.label}拒绝：{answer.get('errcode')} {answer.get('errmsg', '')}".strip()
            )
        return ""


class WecomChannel(_RobotChannel):
    name = "wecom"
    label = "企业微信"
    url_setting = "NOTIFY_WECOM_URL"
    per_minute_setting = "NOTIFY_WECOM_PER_MINUTE"

    def send(self, note, address: str) -> str:
        text = {"content": self.text(note)}
        if address != GROUP:
            text["mentioned_mobile_list"] = [address]
        return self.post(settings.NOTIFY_WECOM_URL, {"msgtype": "text", "text": text})


class DingtalkChannel(_RobotChannel):
    name = "dingtalk"
    label = "钉钉"
    url_setting = "NOTIFY_DINGTALK_URL"
    per_minute_setting = "NOTIFY_DINGTALK_PER_MINUTE"

    def send(self, note, address: str) -> str:
        content = self.text(note)
        mobiles = [] if address == GROUP else [address]
        if mobiles:
            content += f"\n@{address}"  # 钉钉 shows the mention only when the text carries it
        payload = {
            "msgtype": "text",
            "text": {"content": content},
            "at": {"atMobiles": mobiles, "isAtAll": False},
        }
        url = rules.dingtalk_signed_url(
            settings.NOTIFY_DINGTALK_URL, settings.NOTIFY_DINGTALK_SECRET, int(time.time() * 1000)
        )
        return self.post(url, payload)
