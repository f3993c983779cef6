"""Real-name objections to an award batch's 公示, and their answers (as in programmes' 公示)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kechuang.core import audit, dates
from kechuang.policies import permissions
from kechuang.policies.models import Award, AwardBatch, AwardObjection
from kechuang.policies.services.awards import award_withdraw
from kechuang.programmes.services.publicity import new_receipt


@transaction.atomic
def objection_submit(
    *,
    actor=None,
    batch: AwardBatch,
    name: str,
    contact: str,
    reason: str,
    award: Award | None = None,
    now=None,
):
    """A public, real-name objection within the 公示 period. `actor` is the signed-in user when there is one
    (the public need not sign in); `now` is the business clock (default: now)."""
    now = now or dates.now()
    today = timezone.localdate(now)
    if batch.status != AwardBatch.Status.PUBLICITY or not (
        batch.publicity_starts_on <= today <= batch.publicity_ends_on
    ):
        raise ValidationError("该名单不在公示期内，不能提出异议。")
    if award is not None and award.batch_id != batch.pk:
        raise ValidationError({"award": "所选企业不在该名单中。"})
    errors = {
        k: "请填写该项（异议须实名）。" for k, v in (("name", name), ("contact", contact)) if not v.strip()
    }
    if len(reason.strip()) < 5:
        errors["reason"] = "请写明异议理由（至少5个字）。"
    if errors:
        raise ValidationError(errors)
    objection = AwardObjection.objects.create(
        batch=batch,
        award=award,
        receipt=new_receipt(today),
        name=name.strip(),
        contact=contact.strip(),
        reason=reason.strip(),
        submitted_at=now,
    )
    audit.record(actor=actor, action="policies.objection_submit", obj=objection, changes={"batch": batch.pk})
    return objection


@transaction.atomic
def objection_answer(*, actor, objection: AwardObjection, upheld: bool, answer: str) -> AwardObjection:
    """Answer an objection; an upheld one about a listed firm takes that firm off the list."""
    if not permissions.batches.allows(actor, "change", objection.batch):
        raise PermissionDenied("无权答复该异议。")
    if not answer.strip():
        raise ValidationError({"answer": "请填写答复意见。"})
    status = AwardObjection.Status.UPHELD if upheld else AwardObjection.Status.REJECTED
    if (
        AwardObjection.objects.filter(pk=objection.pk, status=AwardObjection.Status.OPEN).update(
            status=status, answer=answer.strip(), answered_by=actor
        )
        != 1
    ):
        raise ValidationError("该异议已答复。")
    objection.refresh_from_db()
    audit.record(actor=actor, action="policies.objection_answer", obj=objection, changes={"upheld": upheld})
    if upheld and objection.award and objection.award.status == Award.Status.LISTED:
        award_withdraw(
            actor=actor, award=objection.award, reason=f"异议成立（{objection.receipt}）：{answer}"
        )
    return objection
