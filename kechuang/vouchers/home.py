"""The vouchers module's home-page cards (`core.home`): a firm's vouchers, a provider's services."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from kechuang.core.home import status_counts
from kechuang.vouchers import permissions


def firm_card(request) -> dict | None:
    statuses = status_counts(permissions.vouchers.queryset(request.user, "use"))
    return {"statuses": statuses, "total": sum(s["n"] for s in statuses)}


def provider_card(request) -> dict | None:
    user = request.user
    contracts = permissions.vouchers.queryset(user, "provide").exclude(
        status__in=["claimed", "rejected", "issued"]
    )
    redemptions = permissions.redemptions.queryset(user, "provide")
    live = ~Q(status__in=["rejected", "reversed"])
    counts = redemptions.order_by().aggregate(
        to_confirm=Count("pk", filter=live & Q(provider_confirmed_on__isnull=True)),
        paid=Sum("amount", filter=Q(status="paid")),
    )
    return {
        "contracts_to_confirm": contracts.filter(provider_confirmed_on__isnull=True).count(),
        "redemptions_to_confirm": counts["to_confirm"],
        "paid": counts["paid"] or 0,
    }
