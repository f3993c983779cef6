"""Decisions: approve or reject one application (with its letter), or a batch."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kechuang.core import audit, dates
from kechuang.programmes import outcomes, rules
from kechuang.programmes.models import Application, Decision
from kechuang.programmes.services.applications import _apply, _check_transition
from kechuang.programmes.services.common import S


def application_decide(
    *,
    actor,
    application: Application,
    approve: bool,
    reason: str = "",
    now=None,
    outcome_data: dict | None = None,
    amount: Decimal | None = None,
    conditions: str = "",
) -> Decision:
    """Approve or refuse, recording what an approval grants (amount, conditions, the outcome's own fields in
    `outcome_data`: a certificate number, a project's start and years) and issuing the letter as a 公文 with
    its 文号 (`letters`). The amount is what a project is funded with (`fiscal`), never a hidden default."""
    now = now or dates.now()
    if amount is not None and amount < 0:
        raise ValidationError("支持资金不能为负数。")
    if not approve:
        amount, conditions = None, ""
    target = S.APPROVED if approve else S.NOT_APPROVED
    # Guards are checked (and a refusal audited) before the decision's own transaction starts.
    _check_transition(
        actor=actor,
        application=application,
        to=target,
        reason=reason,
        now=now,
        publicity=None,
        as_system=False,
    )
    with transaction.atomic():
        if approve:
            _check_quota(application)
        _apply(
            actor=actor,
            application=application,
            current=application.status,
            to=target,
            reason=reason,
            now=now,
            publicity=None,
        )
        programme = application.call.programme
        from kechuang.programmes.selectors import score_summary

        summary = score_summary(application)
        decision = Decision(
            application=application,
            result=Decision.Result.APPROVED if approve else Decision.Result.NOT_APPROVED,
            letter=rules.render_letter(
                programme.letter_template or DEFAULT_LETTER,
                {
                    "applicant": application.applicant_name,
                    "programme": programme.name,
                    "call": application.call.name,
                    "title": application.title,
                    "result": ("予以" if approve else "不予") + programme.type.decision_label,
                    "decision_label": programme.type.decision_label,
                    "date": f"{timezone.localdate(now).year}年{timezone.localdate(now).month}月{timezone.localdate(now).day}日",
                    "score": summary["trimmed"] if summary["trimmed"] is not None else "—",
                    "reason": reason,
                },
            ),
            decided_by=actor,
            decided_at=now,
            amount=amount,
            conditions=conditions.strip(),
        )
        decision.save()
        if approve:
            data = dict(outcome_data or {})
            if amount is not None:
                data["fiscal"] = amount
            decision.outcome = outcomes.apply(
                application=application, decision=decision, actor=actor, data=data
            )
        _issue_letter(decision, date=timezone.localdate(now))
        decision.save()
        audit.record(
            actor=actor,
            action="application.decide",
            obj=application,
            changes={
                "result": decision.result,
                "outcome": decision.outcome,
                "amount": str(amount) if amount is not None else None,
                "number": decision.number,
            },
        )
    return decision


def _check_quota(application: Application) -> None:
    """名额: a call approves at most `quota` applications (the call's row is locked while counting, so two
    staff approving the last place at once cannot both succeed)."""
    from kechuang.programmes.models import Call

    call = Call.objects.select_for_update().get(pk=application.call_id)
    if call.quota is None:
        return
    approved = call.applications.filter(status=S.APPROVED).count()
    if approved >= call.quota:
        raise ValidationError(f"本批次名额{call.quota}项已满（已批准{approved}项），不能再批准。")


def _issue_letter(decision: Decision, *, date) -> None:
    """The 立项通知/不予立项通知 as a 公文: 文号 allocated now, .docx rendered and kept (never re-rendered)."""
    from kechuang.programmes import letters
    from kechuang.programmes.selectors import bureau_contact
    from kechuang.reports.signoff import number_allocate

    region = decision.application.call.region
    _serial, number = number_allocate(region=region, kind=letters.KIND, year=date.year)
    doc = letters.compose(decision, number=number, contact=bureau_contact(region), date=date)
    decision.number = number
    decision.gongwen = doc.as_dict()
    decision.docx, decision.docx_sha256 = letters.rendered(doc)


def decision_pdf(decision: Decision) -> bytes:
    """The letter's PDF, converted once from the kept .docx (raises docx_layout.PdfUnavailable)."""
    from kechuang.reports import docx_layout

    if decision.pdf:
        return bytes(decision.pdf)
    pdf = docx_layout.to_pdf(bytes(decision.docx))
    Decision.objects.filter(pk=decision.pk, pdf__isnull=True).update(pdf=pdf)
    return pdf


DEFAULT_LETTER = (
    "{applicant}：\n    你单位申报的{programme}（{call}）“{title}”，经形式审查、专家评审和公示，"
    "决定{result}。{reason}\n    特此通知。\n\n{date}"
)


def decide_batch(
    *, actor, applications: list[Application], approve: bool, reason: str = "", now=None
) -> tuple[list[Decision], dict[int, str]]:
    """Decide each application on its own; one refusal does not undo the others (each is audited)."""
    decided, refused = [], {}
    for application in applications:
        try:
            decided.append(
                application_decide(
                    actor=actor, application=application, approve=approve, reason=reason, now=now
                )
            )
        except ValidationError as exc:
            refused[application.pk] = "；".join(exc.messages)
    return decided, refused
