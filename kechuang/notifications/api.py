"""The signed-in user's own messages over JSON (issue 26: every app that holds data has an API): list them,
newest first, mark one or all read. Nobody reads another user's messages: the owner is the only scope."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kechuang.api.paging import BoundedLimitOffset
from kechuang.notifications import services
from kechuang.notifications.models import Notification

router = Router(tags=["notifications"])


class Filter(Schema):
    unread: bool = Field(False, description="只列未读")


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class MarkedOut(Schema):
    marked: int


@router.get("/notifications", response=list[NotificationOut])
@paginate(BoundedLimitOffset)
def notification_list(request, filters: Query[Filter]):
    qs = Notification.objects.filter(user=request.auth)
    if filters.unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


@router.post("/notifications/{pk}/read", response=NotificationOut)
def notification_read(request, pk: int):
    note = get_object_or_404(Notification, pk=pk, user=request.auth)
    services.mark_read(user=request.auth, notification=note)
    note.refresh_from_db()
    return note


@router.post("/notifications/read-all", response=MarkedOut)
def notification_read_all(request):
    return {"marked": services.mark_all_read(actor=request.auth)}
