"""Reads over carriers, scoped through the policies; `valid_on` is the one definition of counting."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from kechuang.platforms import permissions
from kechuang.platforms.models import Membership, Platform


def valid_q(day: dt.date, prefix: str = "") -> Q:
    """Recognised on or before `day` and not revoked by then (a revoked platform stops counting)."""
    return Q(**{f"{prefix}recognised_on__lte": day}) & (
        Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": day})
    )


def in_region(region):
    return Platform.objects.filter(region__path__startswith=region.path)


def valid_platforms(region, day: dt.date, *, kind: str = "", level: str = ""):
    qs = in_region(region).filter(valid_q(day))
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    return qs.select_related("operator", "region", "industry")


def counts_by_kind_level(region, day: dt.date) -> list[dict]:
    return list(
        valid_platforms(region, day).values("kind", "level").annotate(n=Count("pk")).order_by("kind", "level")
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
