"""The agritech module's home-page card (`core.home`): a commissioner's pairings and this year's service."""

from __future__ import annotations

from django.db.models import Count, Q

from kechuang.agritech import permissions
from kechuang.core import dates


def commissioner_card(request) -> dict | None:
    user, year = request.user, dates.today().year
    pairings = permissions.pairings.queryset(user, "view").count()
    logs = (
        permissions.logs.queryset(user, "view")
        .order_by()
        .aggregate(
            this_year=Count("pk", filter=Q(date__year=year)),
            unconfirmed=Count("pk", filter=Q(date__year=year, confirmed_at__isnull=True)),
        )
    )
    return {"pairings": pairings, "year": year, **logs}
