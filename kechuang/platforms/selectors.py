"""Reads over carriers, scoped through the policies; `valid_on` is the one definition of counting."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from kechuang.platforms import permissions
from kechuang.platforms.models import Membership, Platform, StatusChange


def valid_q(day: dt.date, prefix: str = "") -> Q:
    """Recognised on or before `day` and not revoked by then (a revoked platform stops counting)."""
    return Q(**{f"{prefix}recognised_on__lte": day}) & (
        Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": day})
    )


def _as_of(field: str, day: dt.date, current):
    """The value of `field` ("level" or "status") on `day`, read from the StatusChange history: the
    newest change dated on or before `day`; else the value before the first later change; else the
    current value (never changed). A platform upgraded 市级 → 省级 in 2020 is 市级 for 2019."""
    changes = StatusChange.objects.filter(platform=OuterRef("pk"), field=field)
    return Coalesce(
        Subquery(changes.filter(on__lte=day).order_by("-on", "-pk").values("to_status")[:1]),
        Subquery(changes.filter(on__gt=day).order_by("on", "pk").values("from_status")[:1]),
        current,
    )


def level_on(day: dt.date):
    return _as_of("level", day, F("level"))


def status_on(day: dt.date):
    return _as_of("status", day, F("status"))


def in_region(region):
    return Platform.objects.filter(region__path__startswith=region.path)


def valid_platforms(region, day: dt.date, *, kind: str = "", level: str = ""):
    """Platforms counting on `day`, annotated with `level_then` (their level on that day)."""
    qs = in_region(region).filter(valid_q(day)).annotate(level_then=level_on(day))
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level_then=level)
    return qs.select_related("operator", "region", "industry")


def counts_by_kind_level(region, day: dt.date) -> list[dict]:
    """Counts by kind and by the level each platform had on `day`."""
    rows = (
        valid_platforms(region, day)
        .values("kind", "level_then")
        .annotate(n=Count("pk"))
        .order_by("kind", "level_then")
    )
    return [{"kind": r["kind"], "level": r["level_then"], "n": r["n"]} for r in rows]


def in_progress_on(region, day: dt.date):
    """Platforms being applied for or built on `day` (status from history; not yet existing = '')."""
    return (
        in_region(region)
        .annotate(status_then=status_on(day))
        .filter(status_then__in=["planning", "building"])
        .exclude(recognised_on__lte=day)
        .select_related("operator")
    )


def memberships_on(region, day: dt.date, *, kind: str = "alliance"):
    """Memberships of `kind` platforms in force on `day` (platform valid, joined, not yet left)."""
    return (
        Membership.objects.filter(platform__kind=kind, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .filter(valid_q(day, "platform__"))
        .filter(
            Q(organisation__region__path__startswith=region.path)
            | Q(platform__region__path__startswith=region.path)
        )
        .select_related("platform", "organisation")
    )


def platforms_for(user, *, q="", kind="", level="", status=""):
    qs = permissions.platforms.queryset(user, "view").select_related("operator", "region", "industry")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(operator__name__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    return qs


def published_platforms(*, kind=""):
    qs = permissions.public_platforms.queryset(None).select_related("operator", "industry")
    return qs.filter(kind=kind) if kind else qs
