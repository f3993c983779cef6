"""Reads on core records, already scoped to the user through the permission policy."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kechuang.core import permissions
from kechuang.core.models import AuditEvent, Organisation, Region


def organisations_for(user, *, q: str = "", kind: str = "", region_code: str = "") -> QuerySet[Organisation]:
    qs = permissions.organisations.queryset(user, "view").select_related("region", "industry")
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__contains=q) | Q(credit_code__startswith=q.upper()))
    if kind:
        qs = qs.filter(kind=kind)
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        qs = qs.filter(region__path__startswith=region.path) if region else qs.none()
    return qs


def people_for(user, *, q: str = ""):
    qs = permissions.people.queryset(user, "view").select_related("organisation")
    if q:
        qs = qs.filter(Q(name__contains=q.strip()) | Q(organisation__name__contains=q.strip()))
    return qs


def audit_events_for(
    user, *, action: str = "", actor: str = "", object_type: str = "", date_from=None, date_to=None
):
    qs: QuerySet[AuditEvent] = permissions.audit_events.queryset(user, "view")
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_label__contains=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if date_from:
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_at__date__lte=date_to)
    return qs
