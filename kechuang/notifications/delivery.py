"""Sending deliveries through their channels, in the task worker: claim, send, record the outcome.

A failure is retried with back-off (rules.BACKOFF_MINUTES) up to settings.NOTIFY_MAX_ATTEMPTS, then marked
failed for the administrators' 通知投递 page; a rate-limited delivery waits for its window without using up
an attempt. `kechuang notifications retry` (scheduled every few minutes) queues the deliveries that are due.
Timestamps here are system records (the real clock), not business dates.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import F, Q
from django.utils import timezone

from kechuang.notifications import channels, rules
from kechuang.notifications.models import Delivery, Notification

log = logging.getLogger("kechuang.notifications")
STALE_SENDING = dt.timedelta(minutes=10)


def deliver(ids: list[int]) -> dict[str, int]:
    """Attempt each due delivery among `ids`; return how many ended in each outcome."""
    outcome: dict[str, int] = {}
    for delivery in Delivery.objects.filter(pk__in=ids).select_related("notification", "notification__user"):
        result = attempt(delivery)
        outcome[result] = outcome.get(result, 0) + 1
    return outcome


def attempt(delivery: Delivery) -> str:
    from django.conf import settings

    now = timezone.now()
    if delivery.status not in (Delivery.Status.PENDING, Delivery.Status.RETRY):
        return "skipped"
    if delivery.next_try_at and delivery.next_try_at > now:
        return "later"
    if delivery.channel not in settings.NOTIFY_CHANNELS:
        _finish(delivery, Delivery.Status.FAILED, error="该渠道已停用（NOTIFY_CHANNELS）。")
        return Delivery.Status.FAILED
    channel = channels.get(delivery.channel)
    busy = channel.busy_until(now=now, address=delivery.address)
    if busy is not None:
        Delivery.objects.filter(pk=delivery.pk, status=delivery.status).update(
            status=Delivery.Status.RETRY,
            next_try_at=busy,
            last_error=f"超出发送频率限制，顺延至 {timezone.localtime(busy):%Y-%m-%d %H:%M}",
        )
        return "rate_limited"
    # Claim it: a concurrent worker that read the same row finds the status changed and leaves it.
    if not Delivery.objects.filter(pk=delivery.pk, status=delivery.status, attempts=delivery.attempts).update(
        status=Delivery.Status.SENDING, attempts=F("attempts") + 1, updated_at=now
    ):
        return "skipped"
    attempts = delivery.attempts + 1
    try:
        provider_id = channel.send(delivery.notification, delivery.address)
    except channels.DeliveryError as exc:
        return _failed(delivery, attempts, str(exc), retry=exc.retry)
    except Exception as exc:  # a bug or an unexpected answer: recorded and retried like a gateway failure
        log.exception("delivery %s through %s failed", delivery.pk, delivery.channel)
        return _failed(delivery, attempts, f"系统错误：{exc}", retry=True)
    _finish(
        delivery, Delivery.Status.SENT, provider_id=provider_id or "", sent_at=timezone.now(), last_error=""
    )
    if delivery.channel == "email":
        Notification.objects.filter(pk=delivery.notification_id).update(emailed_at=timezone.now())
    return Delivery.Status.SENT


def _failed(delivery: Delivery, attempts: int, error: str, *, retry: bool) -> str:
    from django.conf import settings

    if not retry or rules.gives_up(attempts, settings.NOTIFY_MAX_ATTEMPTS):
        _finish(delivery, Delivery.Status.FAILED, error=error)
        log.warning("delivery %s through %s failed for good: %s", delivery.pk, delivery.channel, error)
        return Delivery.Status.FAILED
    _finish(
        delivery, Delivery.Status.RETRY, error=error, next_try_at=rules.next_try(timezone.now(), attempts)
    )
    return Delivery.Status.RETRY


def _finish(delivery: Delivery, status: str, *, error: str | None = None, **fields) -> None:
    if error is not None:
        fields["last_error"] = error[:2000]
    Delivery.objects.filter(pk=delivery.pk).update(status=status, updated_at=timezone.now(), **fields)


def due_ids(limit: int = 500) -> list[int]:
    """Deliveries to (re)try now: waiting ones whose time has come, and ones left "sending" by a worker that
    died mid-send (after STALE_SENDING they count as a failed attempt's retry)."""
    now = timezone.now()
    Delivery.objects.filter(status=Delivery.Status.SENDING, updated_at__lt=now - STALE_SENDING).update(
        status=Delivery.Status.RETRY, next_try_at=now, last_error="发送中断（后台任务进程退出），将重试。"
    )
    waiting = Q(status__in=(Delivery.Status.PENDING, Delivery.Status.RETRY)) & (
        Q(next_try_at__isnull=True) | Q(next_try_at__lte=now)
    )
    return list(Delivery.objects.filter(waiting).order_by("id").values_list("pk", flat=True)[:limit])


def record_receipt(*, provider_id: str, delivered: bool, error: str = "") -> int:
    """A gateway's delivery receipt (SMS 状态报告): mark the delivery delivered, or failed with the reason."""
    qs = Delivery.objects.filter(channel="sms", provider_id=provider_id, status=Delivery.Status.SENT)
    if delivered:
        return qs.update(status=Delivery.Status.DELIVERED, updated_at=timezone.now())
    return qs.update(status=Delivery.Status.FAILED, last_error=f"运营商回执：{error or '未送达'}"[:2000])
