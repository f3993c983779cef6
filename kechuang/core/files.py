"""Serving and listing stored files through the permission policy of the record that holds them.

A file is reached by the record's URL (`…/<record pk>/files/<uid>/`): the record is fetched through its own
policy (404 when the user may not see it) and the file must be one of that record's files (404 otherwise),
so an expert drawn to an application, the firm and the bureau staff of its region open its files and nobody
else does — whoever uploaded them. Every download is audited (`file.download`). PDFs and images are shown
inline (with `nosniff`; uploads are checked by content, so their type is what it says); every other type is
sent as a download.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.http import FileResponse, Http404

from kechuang.core import exports
from kechuang.core.models import Attachment
from kechuang.core.permissions import Policy, get_object_or_404_for

INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


def attachment_response(request, attachment: Attachment, *, preview: bool = True) -> FileResponse:
    """The file, audited; inline only for PDF and images (and not when `?download=1` or `preview=False`)."""
    inline = preview and attachment.content_type in INLINE_TYPES and request.GET.get("download") != "1"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    exports.record_download(
        request, action="file.download", filename=attachment.original_name, obj=attachment
    )
    return response


def valid_uids(values: Iterable) -> list[str]:
    """The strings among `values` that are UUIDs (an application's data may hold anything a form wrote)."""
    out = []
    for value in values or []:
        try:
            out.append(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return out


def record_file(
    request, *, policy: Policy, pk: int, uid, files_of: Callable[[object], object], action: str = "view"
) -> FileResponse:
    """One of a record's files: the record through `policy` (404), the file among `files_of(record)` (an
    Attachment queryset; 404 when not there)."""
    record = get_object_or_404_for(policy, request.user, action, pk=pk)
    attachment = files_of(record).filter(uid=uid).first()
    if attachment is None:
        raise Http404("文件不存在或无权访问。")
    return attachment_response(request, attachment)
