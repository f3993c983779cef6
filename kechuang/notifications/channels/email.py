"""E-mail through Django's configured mailer (settings.MAILERS: SMTP in production, console in the demo)."""

from __future__ import annotations

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage

from kechuang.notifications.channels.base import Channel, DeliveryError


class EmailChannel(Channel):
    name = "email"
    label = "电子邮件"

    def address(self, user) -> str:
        return user.email or ""

    def send(self, note, address: str) -> str:
        message_id = make_msgid(domain=settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "kechuang")
        message = EmailMessage(
            subject=f"【科创】{note.title}",
            body=f"{note.body}\n\n{absolute(note.url)}".strip(),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={"Message-ID": message_id},
        )
        try:
            message.send()
        except OSError as exc:  # smtplib's errors are OSErrors: refused, timed out, connection lost
            raise DeliveryError(f"邮件服务器拒收或无法连接：{exc}") from None
        return message_id


def absolute(url: str) -> str:
    """A notice's link as the recipient can open it from outside the site (settings.NOTIFY_SITE_URL)."""
    if not url or "://" in url:
        return url
    base = settings.NOTIFY_SITE_URL.rstrip("/")
    return f"{base}{url}" if base else url
