"""Writes of a draft's sign-off (拟稿 → 核稿 → 签发): one service per step, each locking the draft's row,
checking the policy's guard (`reports/rules.py`) and the draft's claims, keeping a version and a comment and
auditing. Signing allocates the 发文字号 (`number_allocate`) and stores the rendered 公文, so the signed file
never changes afterwards; its PDF is converted once from that stored .docx and kept (`signed_pdf`)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from kechuang.core import audit, dates
from kechuang.core.services import StaleObject
from kechuang.reports import documents, rules
from kechuang.reports.models import (
    DocumentCounter,
    DraftComment,
    DraftVersion,
    SignedDocument,
    SummaryDraft,
)
from kechuang.reports.permissions import drafts as policy


def number_allocate(*, region, kind: str, year: int) -> tuple[int, str]:
    """The next 发文字号 of the bureau serving `region` for `kind` and `year`: (serial, 周科函〔2020〕16号).
    The counter row's UPDATE locks it until the caller's transaction ends, so two signings never get the
    same serial; a number is never given back (a failed signing rolls the counter back with it)."""
    from kechuang.core.bureau import bureau_region, identity

    bureau = bureau_region(region)
    with transaction.atomic():
        if not DocumentCounter.objects.filter(region=bureau, kind=kind, year=year).exists():
            try:
                with transaction.atomic():
                    used = SignedDocument.objects.filter(region=bureau, kind=kind, year=year)
                    last = max(used.values_list("serial", flat=True), default=0)
                    DocumentCounter.objects.create(region=bureau, kind=kind, year=year, last=last)
            except IntegrityError:
                pass  # created meanwhile by another signing: use it
        DocumentCounter.objects.filter(region=bureau, kind=kind, year=year).update(last=F("last") + 1)
        serial = DocumentCounter.objects.get(region=bureau, kind=kind, year=year).last
    return serial, identity(bureau).number(kind, year, serial)


def _locked(draft: SummaryDraft, version: int) -> SummaryDraft:
    fresh = SummaryDraft.objects.select_for_update().select_related("region", "template").get(pk=draft.pk)
    if fresh.version != version:
        raise StaleObject()
    return fresh


def _current_version(draft: SummaryDraft) -> DraftVersion | None:
    return draft.versions.order_by("-number").first()


def _keep_version(draft: SummaryDraft, actor, stage: str) -> DraftVersion:
    last = _current_version(draft)
    return DraftVersion.objects.create(
        draft=draft,
        number=(last.number + 1) if last else 1,
        stage=stage,
        title=draft.title,
        opening=draft.opening,
        closing=draft.closing,
        sections=draft.sections,
        created_by=actor,
    )


def facts(draft: SummaryDraft, actor, *, comment: str = "", claims_failed: int = 0) -> rules.Facts:
    submitted = draft.comments.filter(action="submit").order_by("-pk").first()
    checked = draft.comments.filter(action="check").order_by("-pk").first()
    return rules.Facts(
        stage=draft.stage,
        actor_is_drafter=bool(submitted and submitted.author_id == actor.pk),
        actor_is_checker=bool(checked and checked.author_id == actor.pk and draft.stage == rules.CHECKED),
        comment=comment,
        claims_failed=claims_failed,
    )


def _step(actor, draft: SummaryDraft, action: str, comment: str, claims_failed: int = 0) -> None:
    if not policy.allows(actor, action, draft):
        raise PermissionDenied("无权进行该操作。")
    reason = rules.check(action, facts(draft, actor, comment=comment, claims_failed=claims_failed))
    if reason:
        raise ValidationError(reason)


def _failures(draft: SummaryDraft) -> int:
    from kechuang.reports.claims import check_draft

    return len(check_draft(draft).failures)


def _sync(original: SummaryDraft, fresh: SummaryDraft) -> SummaryDraft:
    """The caller's instance sees the step (its stage and version), as after any other service."""
    original.stage, original.version = fresh.stage, fresh.version
    return original


def _move(actor, draft, action: str, comment: str, version_row=None, **extra) -> SummaryDraft:
    to = rules.target(action)
    old = draft.stage
    SummaryDraft.objects.filter(pk=draft.pk).update(stage=to, version=draft.version + 1)
    draft.stage, draft.version = to, draft.version + 1
    DraftComment.objects.create(
        draft=draft,
        version=version_row or _current_version(draft),
        author=actor,
        action=action,
        text=comment.strip() or rules.ACTIONS[action],
    )
    audit.record(
        actor=actor, action=f"summary_draft.{action}", obj=draft, changes={"stage": [old, to], **extra}
    )
    return draft


@transaction.atomic
def draft_submit(*, actor, draft: SummaryDraft, version: int, comment: str = "") -> SummaryDraft:
    """拟稿人 sends the draft to 核稿: its text becomes a numbered version."""
    fresh = _locked(draft, version)
    _step(actor, fresh, "submit", comment, _failures(fresh))
    kept = _keep_version(fresh, actor, rules.CHECKING)
    return _sync(draft, _move(actor, fresh, "submit", comment, kept, version_number=kept.number))


@transaction.atomic
def draft_check(*, actor, draft: SummaryDraft, version: int, comment: str = "") -> SummaryDraft:
    """核稿人 passes the version sent to 核稿 on to 签发."""
    fresh = _locked(draft, version)
    _step(actor, fresh, "check", comment)
    return _sync(draft, _move(actor, fresh, "check", comment))


@transaction.atomic
def draft_return(*, actor, draft: SummaryDraft, version: int, comment: str) -> SummaryDraft:
    """核稿人 or 签发人 send the draft back to 拟稿 with what to change."""
    fresh = _locked(draft, version)
    _step(actor, fresh, "return", comment)
    return _sync(draft, _move(actor, fresh, "return", comment))


@transaction.atomic
def draft_comment(*, actor, draft: SummaryDraft, text: str) -> DraftComment:
    if not policy.allows(actor, "comment", draft):
        raise PermissionDenied("无权填写意见。")
    if not text.strip():
        raise ValidationError({"text": "请填写意见。"})
    comment = DraftComment.objects.create(
        draft=draft, version=_current_version(draft), author=actor, action="comment", text=text.strip()[:2000]
    )
    audit.record(actor=actor, action="summary_draft.comment", obj=draft)
    return comment


def issuer_name(user) -> str:
    return (getattr(user, "display_name", "") or user.get_full_name() or user.get_username()).strip()


@transaction.atomic
def draft_sign(*, actor, draft: SummaryDraft, version: int, comment: str = "", on=None) -> SignedDocument:
    """签发: the claims must hold; the 文号 is allocated; the 公文 (with 签发人) is rendered and stored with
    the version signed (the PDF is converted from that .docx on first download and kept). The draft is
    frozen from now on; its claims are still checked on its page (a figure
    that changes later is flagged there), the signed file stays as it was."""
    original, draft = draft, _locked(draft, version)
    _step(actor, draft, "sign", comment, _failures(draft))
    on = on or dates.today()
    composer = documents.composer_for(draft)
    serial, number = number_allocate(region=draft.region, kind=composer.kind, year=on.year)
    issuer = issuer_name(actor)
    doc = composer.compose(number=number, issuer=issuer, date=on, draft_mark="")
    from kechuang.core.bureau import bureau_region
    from kechuang.reports import gongwen

    data = gongwen.render_docx(doc)
    kept = _keep_version(draft, actor, rules.SIGNED)
    checked = draft.comments.filter(action="check").order_by("-pk").first()
    signed = SignedDocument.objects.create(
        draft=draft,
        version=kept,
        region=bureau_region(draft.region),
        kind=composer.kind,
        year=on.year,
        serial=serial,
        number=number,
        checked_by_id=checked.author_id,
        signed_by=actor,
        issuer_name=issuer,
        signed_on=on,
        gongwen=doc.as_dict(),
        docx=data,
        docx_sha256=hashlib.sha256(data).hexdigest(),
    )
    _sync(original, _move(actor, draft, "sign", comment, kept, number=number, version_number=kept.number))
    if composer.after_sign is not None:
        composer.after_sign(signed=signed, actor=actor)
    return signed


def signed_pdf(pk: int, *, quiet: bool = False) -> bytes | None:
    """The signed document's PDF: stored, or converted once from its stored .docx (the same bytes every time
    it is downloaded afterwards). `quiet`: return None where LibreOffice is missing instead of raising."""
    from kechuang.reports import docx_layout

    signed = SignedDocument.objects.get(pk=pk)
    if signed.pdf:
        return bytes(signed.pdf)
    try:
        pdf = docx_layout.to_pdf(bytes(signed.docx))
    except docx_layout.PdfUnavailable:
        if quiet:
            return None
        raise
    SignedDocument.objects.filter(pk=pk, pdf__isnull=True).update(pdf=pdf)
    return bytes(SignedDocument.objects.get(pk=pk).pdf)
