"""The outside channels a deployment turns on (settings.NOTIFY_CHANNELS); in-app messages are always there."""

from __future__ import annotations

from django.conf import settings

from kechuang.notifications.channels.base import Channel, DeliveryError
from kechuang.notifications.channels.email import EmailChannel
from kechuang.notifications.channels.sms import SmsChannel
from kechuang.notifications.channels.workchat import DingtalkChannel, WecomChannel

ALL: dict[str, Channel] = {
    c.name: c for c in (EmailChannel(), SmsChannel(), WecomChannel(), DingtalkChannel())
}
LABELS = {"in_app": "站内消息", **{name: c.label for name, c in ALL.items()}}

__all__ = ["ALL", "LABELS", "Channel", "DeliveryError", "enabled", "get"]


def enabled() -> list[Channel]:
    """The outside channels this deployment delivers through, in a fixed order."""
    return [channel for name, channel in ALL.items() if name in settings.NOTIFY_CHANNELS]


def get(name: str) -> Channel:
    return ALL[name]
