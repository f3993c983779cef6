"""The projects module's home-page card (`core.home`): a firm's projects by status."""

from __future__ import annotations

from kechuang.core.home import status_counts
from kechuang.projects import permissions


def firm_card(request) -> dict | None:
    statuses = status_counts(permissions.projects.queryset(request.user, "view"))
    return {"statuses": statuses, "total": sum(s["n"] for s in statuses)}
