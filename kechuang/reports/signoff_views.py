"""The sign-off panel of a draft page (拟稿 → 核稿 → 签发, comments, versions) and the signed files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.core import exports
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.services import StaleObject
from kechuang.reports import docx_layout, permissions, rules, signoff
from kechuang.reports.models import SignedDocument, Stage

STEPS = {
    "submit": signoff.draft_submit,
    "check": signoff.draft_check,
    "return": signoff.draft_return,
    "sign": signoff.draft_sign,
}


def panel(user, draft, failures: int) -> dict:
    """What the page shows of the sign-off: stage, the steps this user may take (with why one is not possible
    now), versions, comments, the signed document."""
    steps = []
    for action, label in rules.ACTIONS.items():
        if not permissions.drafts.allows(user, action, draft):
            continue
        facts = signoff.facts(draft, user, comment="-", claims_failed=failures)
        reason = rules.check(action, facts)
        if reason == "稿件当前所处环节不能进行该操作。":
            continue
        steps.append(
            {"action": action, "label": label, "reason": reason, "needs_comment": action == "return"}
        )
    return {
        "stages": Stage.choices,
        "steps": steps,
        "may_comment": permissions.drafts.allows(user, "comment", draft),
        "versions": draft.versions.select_related("created_by"),
        "comments": draft.comments.select_related("author", "version"),
        "signed": SignedDocument.objects.filter(draft=draft)
        .select_related("checked_by", "signed_by")
        .first(),
    }


@login_required
@require_POST
def draft_signoff(request, pk: int):
    from kechuang.reports.views import detail_error

    draft = get_object_or_404_for(permissions.drafts, request.user, "view", pk=pk)
    action = request.POST.get("action", "")
    comment = request.POST.get("comment", "")
    try:
        if action == "comment":
            signoff.draft_comment(actor=request.user, draft=draft, text=comment)
        elif action in STEPS:
            STEPS[action](
                actor=request.user, draft=draft, version=int(request.POST.get("version", "")), comment=comment
            )
        else:
            return detail_error(request, draft, ["未知的操作。"], status=400)
    except PermissionDenied:
        raise
    except StaleObject:
        return detail_error(request, draft, ["该稿已被他人处理，请刷新后再试。"], status=409)
    except (ValidationError, ValueError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else ["提交的数据不完整。"]
        return detail_error(request, draft, messages, status=400)
    return redirect("reports:draft_detail", draft.pk)


@login_required
def signed_download(request, pk: int, fmt: str):
    """The files stored at signing, byte for byte (the PDF is converted once from the stored .docx)."""
    draft = get_object_or_404_for(permissions.drafts, request.user, "export", pk=pk)
    signed = SignedDocument.objects.filter(draft=draft).first()
    if signed is None:
        raise Http404("该稿尚未签发。")
    if fmt == "docx":
        data = bytes(signed.docx)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "pdf":
        try:
            data, content_type = signoff.signed_pdf(signed.pk), "application/pdf"
        except docx_layout.PdfUnavailable as exc:
            from kechuang.reports.views import pdf_unavailable

            return pdf_unavailable(request, str(exc), reverse("reports:draft_detail", args=[draft.pk]))
    else:
        raise Http404("不支持的格式。")
    name = f"signed-{signed.pk}.{fmt}"
    exports.record_download(request, action="file.download", filename=name, obj=draft)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
