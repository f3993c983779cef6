"""Commissioners' service logs over JSON (the field app): list and create, scoped by the same policy."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from kechuang.agritech import permissions, selectors, services
from kechuang.agritech.models import Pairing
from kechuang.api.paging import BoundedLimitOffset
from kechuang.core.permissions import get_object_or_404_for

router = Router(tags=["agritech"])


class LogOut(Schema):
    id: int
    pairing_id: int
    date: dt.date
    place: str
    content: str
    people_trained: int
    technologies: str
    rating: int | None
    version: int


class LogIn(Schema):
    pairing_id: int
    date: dt.date
    place: str
    content: str
    people_trained: int = 0
    technologies: str = ""


def _out(log) -> dict:
    return {
        "id": log.pk,
        "pairing_id": log.pairing_id,
        "date": log.date,
        "place": log.place,
        "content": log.content,
        "people_trained": log.people_trained,
        "technologies": log.technologies,
        "rating": log.rating,
        "version": log.version,
    }


@router.get("/logs", response=list[LogOut])
@paginate(BoundedLimitOffset)
def logs(request, year: int | None = Query(None, ge=1900, le=2100), pairing: int | None = None):
    if not permissions.logs.may(request.auth, "view"):
        raise PermissionDenied
    return [
        _out(log)
        for log in selectors.logs_for(request.auth, year=year, pairing=pairing).order_by("-date", "-pk")
    ]


@router.get("/logs/{log_id}", response=LogOut)
def log(request, log_id: int):
    return _out(get_object_or_404_for(permissions.logs, request.auth, "view", pk=log_id))


@router.post("/logs", response={201: LogOut})
def log_create(request, payload: LogIn):
    if not permissions.logs.may(request.auth, "create"):
        raise PermissionDenied
    pairing = get_object_or_404_for(
        permissions.pairings, request.auth, "change", qs=Pairing.objects.all(), pk=payload.pairing_id
    )
    data = payload.dict(exclude={"pairing_id"})
    return Status(201, _out(services.log_create(actor=request.auth, pairing=pairing, **data)))
