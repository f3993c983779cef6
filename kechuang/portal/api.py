"""The portal's published notices and policy documents over JSON (issue 26: every app that holds data has an
API), for the public and for other government sites that syndicate them: exactly what the public pages show
(published, not dated in the future), with attachment links that obey the same public rule. Drafts, items
under review and withdrawn items do not exist here."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from kechuang.api.paging import BoundedLimitOffset
from kechuang.portal import selectors
from kechuang.portal.models import Notice

router = Router(tags=["portal"])


class Filter(Schema):
    category: Notice.Category | None = None


class FileOut(Schema):
    name: str
    content_type: str
    size: int
    url: str


class NoticeOut(Schema):
    id: int
    title: str
    category: str
    category_label: str
    doc_number: str
    published_at: dt.datetime
    url: str

    @staticmethod
    def resolve_category_label(obj):
        return obj.get_category_display()

    @staticmethod
    def resolve_url(obj):
        return reverse("portal:notice_detail", args=[obj.pk])


class NoticeDetail(NoticeOut):
    body: str
    files: list[FileOut]

    @staticmethod
    def resolve_files(obj):
        return [
            {
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "url": reverse("portal:notice_file", args=[obj.pk, a.uid]),
            }
            for a in obj.attachments.all()
        ]


@router.get("/notices", response=list[NoticeOut], auth=None)
@paginate(BoundedLimitOffset)
def notice_list(request, filters: Query[Filter]):
    """Published notices and policy documents, newest first (public)."""
    return selectors.published_notices(filters.category or "").order_by("-published_at", "-pk")


@router.get("/notices/{pk}", response=NoticeDetail, auth=None)
def notice_detail(request, pk: int):
    """One published notice with its attachments (public); anything unpublished is a 404."""
    return get_object_or_404(selectors.published_notices().prefetch_related("attachments"), pk=pk)
