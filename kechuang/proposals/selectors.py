"""Reads of proposals for the pages and the API: the same scope (the policy) and the same filters."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kechuang.core import dates
from kechuang.proposals import services
from kechuang.proposals.permissions import proposals


def proposals_for(user, *, status: str = "", kind: str = "", q: str = "", overdue: bool = False) -> QuerySet:
    """The proposals `user` may see, filtered; `overdue` keeps those due soon or late (the 到期提醒 rule)."""
    qs = proposals.queryset(user).select_related("region", "result_class")
    if overdue:
        qs = services.due_soon(user.region, dates.today()).filter(pk__in=qs.values("pk"))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(member_name__icontains=q))
    return qs.order_by("deadline", "number", "pk")
