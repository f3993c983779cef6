"""`notify()` is how every module reaches people: in-app always (unless switched off), and the outside
channels the deployment turned on (e-mail, SMS, 企业微信, 钉钉) as each user chose. docs/notifications.md."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kechuang.core import audit, dates
from kechuang.notifications import channels, permissions, rules, selectors
from kechuang.notifications.models import Delivery, Notification, Preference

CHANNEL_FIELDS = ("in_app", "email", "sms", "wecom", "dingtalk")


@transaction.atomic
def notify(
    *,
    users: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    about=None,
    reason: str = "",
) -> list[Notification]:
    """Tell `users` something of `kind`; return the notices created or changed.

    `about` (a model instance or a key string) makes the notice one per recipient, object and `reason`
    (default: the kind): notifying again with the same text changes nothing and sends nothing; with new text
    (an escalation) it updates that one notice, marks it unread and sends it again. Outside channels are
    delivered by the task worker after the transaction commits."""
    seen: set[int] = set()
    users = [u for u in users if u is not None and u.is_active and not (u.pk in seen or seen.add(u.pk))]
    prefs = {p.user_id: p for p in Preference.objects.filter(user__in=users, kind=kind)}
    key = rules.object_key(about)
    reason = (reason or kind)[:60] if key else ""
    title = title[:200]
    now = dates.now()
    changed: list[Notification] = []
    fresh: list[Notification] = []
    for user in users:
        wanted = selectors.wanted_channels(prefs.get(user.pk))
        if not wanted:
            continue
        # Switched off in the inbox but wanted elsewhere: kept as the record of what was sent, already read.
        read_at = None if "in_app" in wanted else now
        note = Notification(
            user=user,
            kind=kind,
            title=title,
            body=body,
            url=url,
            object_key=key,
            reason=reason,
            read_at=read_at,
        )
        if not key:
            fresh.append(note)
            continue
        note = _upsert(note)
        if note is not None:
            changed.append(note)
    Notification.objects.bulk_create(fresh)
    changed += fresh
    _queue_deliveries(changed, prefs)
    return changed


def _upsert(note: Notification) -> Notification | None:
    """Create the one notice for (user, object, reason), or update it when its text changed; None = a repeat."""
    try:
        with transaction.atomic():
            note.save()
            return note
    except IntegrityError:
        pass  # the notice exists (maybe written a moment ago by a concurrent run)
    current = Notification.objects.select_for_update().get(
        user=note.user, object_key=note.object_key, reason=note.reason
    )
    if (current.title, current.body, current.url, current.kind) == (
        note.title,
        note.body,
        note.url,
        note.kind,
    ):
        return None
    Notification.objects.filter(pk=current.pk).update(
        title=note.title,
        body=note.body,
        url=note.url,
        kind=note.kind,
        read_at=note.read_at,
        created_at=dates.now(),
    )
    current.refresh_from_db()
    return current


def _queue_deliveries(notes: list[Notification], prefs: dict) -> list[Delivery]:
    outside = channels.enabled()
    deliveries = []
    for note in notes:
        wanted = selectors.wanted_channels(prefs.get(note.user_id))
        for channel in outside:
            address = channel.address(note.user) if channel.name in wanted else ""
            if address:
                deliveries.append(Delivery(notification=note, channel=channel.name, address=address))
    Delivery.objects.bulk_create(deliveries)
    ids = [d.pk for d in deliveries]
    if ids:
        from kechuang.notifications.tasks import deliver_notifications

        transaction.on_commit(lambda: deliver_notifications.enqueue(ids))
    return deliveries


def settle(*, about, reason: str) -> int:
    """The step a notice asked for is done (by whoever did it): everyone's unread notice about `about` for
    `reason` is marked read, so the others' inboxes do not keep asking. Returns the notices settled."""
    return Notification.objects.filter(
        object_key=rules.object_key(about), reason=reason, read_at__isnull=True
    ).update(read_at=dates.now())


def mark_read(*, user, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk, user=user, read_at__isnull=True).update(
        read_at=dates.now()
    )


@transaction.atomic
def mark_all_read(*, actor) -> int:
    count = Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=dates.now())
    audit.record(actor=actor, action="notification.mark_all_read", obj=actor, changes={"count": count})
    return count


@transaction.atomic
def set_preference(
    *,
    actor,
    kind: str,
    in_app: bool,
    email: bool,
    sms: bool = False,
    wecom: bool = False,
    dingtalk: bool = False,
) -> Preference:
    """A user's own choice of what to receive (users change only their own preferences)."""
    choice = {"in_app": in_app, "email": email, "sms": sms, "wecom": wecom, "dingtalk": dingtalk}
    pref, _ = Preference.objects.update_or_create(user=actor, kind=kind, defaults=choice)
    audit.record(
        actor=actor, action="notification.set_preference", obj=pref, changes={"kind": kind, **choice}
    )
    return pref


@transaction.atomic
def retry_delivery(*, actor, delivery: Delivery) -> Delivery:
    """The administrator sends a failed delivery again (after fixing the gateway or the address)."""
    if not permissions.may_manage_deliveries(actor):
        raise PermissionDenied
    if delivery.status != Delivery.Status.FAILED:
        raise ValidationError("只有发送失败的投递可以重新发送。")
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.PENDING, attempts=0, next_try_at=None
    )
    audit.record(
        actor=actor, action="notification.retry_delivery", obj=delivery, changes={"channel": delivery.channel}
    )
    from kechuang.notifications.tasks import deliver_notifications

    transaction.on_commit(lambda: deliver_notifications.enqueue([delivery.pk]))
    delivery.refresh_from_db()
    return delivery


@transaction.atomic
def record_sms_receipts(*, actor, receipts) -> int:
    """The SMS gateway's delivery receipts (a signed callback): `[{"message_id", "status", "error"}]`, status
    DELIVERED or anything else (not delivered, with the error); returns the deliveries updated."""
    from kechuang.notifications import delivery

    if isinstance(receipts, dict):
        receipts = [receipts]
    if not isinstance(receipts, list) or not all(
        isinstance(r, dict) and r.get("message_id") for r in receipts
    ):
        raise ValidationError("回执应为 JSON 对象或数组，每条须含 message_id。")
    updated = sum(
        delivery.record_receipt(
            provider_id=str(r["message_id"]),
            delivered=str(r.get("status", "")).upper() == "DELIVERED",
            error=str(r.get("error", "")),
        )
        for r in receipts
    )
    audit.record(
        actor=actor,
        action="notification.sms_receipt",
        changes={"receipts": len(receipts), "updated": updated},
    )
    return updated
