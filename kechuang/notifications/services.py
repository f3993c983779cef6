"""`notify()` is how every module reaches people: in-app always (unless switched off), e-mail by choice."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from kechuang.core import audit
from kechuang.notifications.models import Notification, Preference
from kechuang.notifications.tasks import send_notification_emails


@transaction.atomic
def notify(*, users: Iterable, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    users = [u for u in users if u is not None and u.is_active]
    prefs = {p.user_id: p for p in Preference.objects.filter(user__in=users, kind=kind)}
    created: list[Notification] = []
    email_ids: list[int] = []
    for user in users:
        pref = prefs.get(user.pk)
        if pref is None or pref.in_app or pref.email:
            note = Notification(user=user, kind=kind, title=title[:200], body=body, url=url)
            created.append(note)
    Notification.objects.bulk_create(created)
    for note in created:
        pref = prefs.get(note.user_id)
        if (pref is None or pref.email) and note.user.email:
            email_ids.append(note.pk)
    if email_ids:
        transaction.on_commit(lambda: send_notification_emails.enqueue(email_ids))
    return created


def mark_read(*, user, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk, user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def mark_all_read(*, actor) -> int:
    count = Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
    audit.record(actor=actor, action="notification.mark_all_read", obj=actor, changes={"count": count})
    return count


@transaction.atomic
def set_preference(*, actor, kind: str, in_app: bool, email: bool) -> Preference:
    """A user's own choice of what to receive (users change only their own preferences)."""
    pref, _ = Preference.objects.update_or_create(
        user=actor, kind=kind, defaults={"in_app": in_app, "email": email}
    )
    audit.record(
        actor=actor,
        action="notification.set_preference",
        obj=pref,
        changes={"kind": kind, "in_app": in_app, "email": email},
    )
    return pref
