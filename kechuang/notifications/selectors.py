"""Reads of the notifications module: inboxes, preferences, deliveries (the admins' 通知投递 page)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Min

from kechuang.notifications.kinds import KINDS
from kechuang.notifications.models import Delivery, Preference

SENT = (Delivery.Status.SENT, Delivery.Status.DELIVERED)


def wanted_channels(pref: Preference | None) -> set[str]:
    """The channels (in_app, email, sms, wecom, dingtalk) a user receives a kind on."""
    if pref is None:
        return set(settings.NOTIFY_DEFAULT_CHANNELS)
    return {name for name in ("in_app", "email", "sms", "wecom", "dingtalk") if getattr(pref, name)}


def preference_rows(user) -> list[dict]:
    """One row per kind of notice with the user's choice on each channel (absent = the defaults)."""
    current = {p.kind: p for p in Preference.objects.filter(user=user)}
    return [
        {"kind": kind, "label": label, "wanted": wanted_channels(current.get(kind))}
        for kind, label in KINDS.items()
    ]


def sent_count(channel: str, *, since: dt.datetime, address: str | None = None) -> int:
    qs = Delivery.objects.filter(channel=channel, status__in=SENT, sent_at__gte=since)
    if address is not None:
        qs = qs.filter(address=address)
    return qs.count()


def oldest_sent(channel: str, *, since: dt.datetime, address: str) -> dt.datetime:
    return Delivery.objects.filter(
        channel=channel, status__in=SENT, sent_at__gte=since, address=address
    ).aggregate(first=Min("sent_at"))["first"]


def deliveries(*, status: str = "", channel: str = ""):
    qs = Delivery.objects.select_related("notification", "notification__user")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    return qs


def delivery_counts() -> dict[str, int]:
    """How many deliveries are in each status (the page's filter chips)."""
    return dict(Delivery.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def bureau_users(region, *, roles=("staff",), exclude=None) -> list:
    """Active bureau users of the bureau responsible for `region`: who a module tells that something there
    awaits the bureau's action. That is the region's own bureau; only where it has no such users (a town, a
    district without accounts) the nearest bureau above it — a city's staff are not told of every district's
    steps, which they may see but are not theirs to take."""
    from kechuang.accounts.models import User

    parts = [p for p in region.path.split("/") if p]
    paths = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    qs = User.objects.filter(role__in=roles, is_active=True, region__path__in=paths).select_related("region")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    users = list(qs)
    nearest = max((len(u.region.path) for u in users), default=0)
    return [u for u in users if len(u.region.path) == nearest]
