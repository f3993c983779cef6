"""The programmes module's home-page cards (`core.home`): a firm's applications, an expert's reviews."""

from __future__ import annotations

from django.db.models import Count, Q

from kechuang.core.home import status_counts
from kechuang.programmes import permissions


def firm_card(request) -> dict | None:
    statuses = status_counts(permissions.applications.queryset(request.user, "view"))
    return {"statuses": statuses, "total": sum(s["n"] for s in statuses)}


def expert_card(request) -> dict | None:
    rows = permissions.assignments.queryset(request.user, "review")
    counts = rows.order_by().aggregate(
        to_confirm=Count("pk", filter=Q(response="pending")),
        to_score=Count("pk", filter=Q(response="accepted", submitted_at__isnull=True)),
        scored=Count("pk", filter=Q(submitted_at__isnull=False)),
    )
    return counts
