"""Writes for proposals: register, transition (one service, compare-and-set, status row, audit), co-unit
opinions, reply details, reply draft from the work-summary generator, reminders."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from kechuang.core import audit, dates, workdays
from kechuang.core.indicators import Period, Scope
from kechuang.core.roles import Role
from kechuang.core.services import StaleObject
from kechuang.proposals import rules
from kechuang.proposals.models import CoUnit, Proposal, ProposalItem, ResultClass, StatusChange

DEFAULT_MONTHS = 3


def deadline_for(assigned_on: dt.date, months: int = DEFAULT_MONTHS) -> tuple[dt.date, int, bool]:
    """Assigned date + N calendar months; the working days in between and whether the calendar is provisional."""
    deadline = rules.add_months(assigned_on, months)
    count = workdays.working_days_between(assigned_on, deadline)
    provisional = workdays.add_working_days(assigned_on, max(count, 1)).provisional
    return deadline, count, provisional


@transaction.atomic
def proposal_register(
    *,
    actor,
    region,
    kind: str,
    number: str,
    session: str,
    member_name: str,
    title: str,
    text: str = "",
    lead_unit: str,
    co_units: list[str] = (),
    assigned_on: dt.date,
    months: int = DEFAULT_MONTHS,
    contact: str = "",
) -> Proposal:
    if Proposal.objects.filter(region=region, session=session, number=number.strip()).exists():
        raise ValidationError({"number": f"{session}第{number}号提案已登记。"})
    deadline, count, provisional = deadline_for(assigned_on, months)
    proposal = Proposal(
        kind=kind,
        number=number.strip(),
        session=session.strip(),
        member_name=member_name.strip(),
        title=title.strip(),
        text=text,
        region=region,
        lead_unit=lead_unit.strip(),
        assigned_on=assigned_on,
        deadline=deadline,
        deadline_working_days=count,
        deadline_provisional=provisional,
        contact=contact,
        created_by=actor,
    )
    proposal.full_clean()
    proposal.save()
    names = list(dict.fromkeys(n.strip() for n in co_units if n.strip()))
    CoUnit.objects.bulk_create([CoUnit(proposal=proposal, name=n) for n in names])
    audit.record(
        actor=actor,
        action="proposal.register",
        obj=proposal,
        changes={"deadline": deadline.isoformat(), "co_units": names},
    )
    return proposal


def facts(proposal: Proposal) -> rules.Facts:
    units = list(proposal.co_units.all())
    return rules.Facts(
        has_draft=proposal.reply_draft_id is not None,
        co_units=len(units),
        co_units_with_opinion=sum(1 for u in units if u.submitted_at),
        result_class=proposal.result_class.code if proposal.result_class_id else "",
        reply_number=proposal.reply_number,
        feedback=proposal.feedback,
        round=proposal.round,
        signed=proposal.reply_draft_id is not None and proposal.reply_draft.stage == "signed",
    )


@transaction.atomic
def proposal_transition(
    *,
    actor,
    proposal: Proposal,
    to: str,
    note: str = "",
    feedback: str = "",
    feedback_note: str = "",
    today=None,
) -> Proposal:
    """The one way a proposal changes status."""
    old = proposal.status
    if to == rules.FEEDBACK:
        if feedback not in Proposal.Feedback.values:
            raise ValidationError({"feedback": "请选择委员的满意度。"})
        proposal.feedback = feedback
    f = facts(proposal)
    if to == rules.REPLIED and proposal.reply_draft_id and not f.signed:
        from kechuang.reports.claims import check_draft

        f = dataclasses.replace(f, claims_failed=len(check_draft(proposal.reply_draft).failures))
    reason = rules.check(old, to, f)
    if reason:
        raise ValidationError(reason)
    updates: dict = {"status": to, "version": proposal.version + 1}
    if to == rules.FEEDBACK:
        updates.update(feedback=feedback, feedback_note=feedback_note)
    if to == rules.REPLIED:
        updates["replied_on"] = today or dates.today()
    if to == rules.DRAFTING and old == rules.SECOND_ROUND:
        updates.update(round=proposal.round + 1, feedback="", replied_on=None)
    done = Proposal.objects.filter(pk=proposal.pk, status=old, version=proposal.version).update(**updates)
    if not done:
        raise StaleObject()
    for k, v in updates.items():
        setattr(proposal, k, v)
    StatusChange.objects.create(proposal=proposal, from_status=old, to_status=to, actor=actor, reason=note)
    audit.record(
        actor=actor, action=f"proposal.{to}", obj=proposal, changes={"status": [old, to], "note": note}
    )
    return proposal


@transaction.atomic
def co_unit_opinion(*, actor, unit: CoUnit, opinion: str) -> CoUnit:
    if not opinion.strip():
        raise ValidationError({"opinion": "请填写协办意见。"})
    if unit.proposal.status not in (rules.DRAFTING, rules.COSIGNING, rules.ASSIGNED):
        raise ValidationError("提案已答复，不能再修改协办意见。")
    before = audit.snapshot(unit, ["opinion"])
    unit.opinion, unit.submitted_at = opinion.strip(), dates.now()
    unit.full_clean()
    unit.save(update_fields=["opinion", "submitted_at"])
    audit.record(
        actor=actor,
        action="proposal.co_unit_opinion",
        obj=unit,
        changes=audit.diff(before, audit.snapshot(unit, ["opinion"])),
    )
    return unit


@transaction.atomic
def proposal_reply_details(
    *,
    actor,
    proposal: Proposal,
    version: int,
    result_class: ResultClass | None,
    contact: str,
) -> Proposal:
    """办理结果 and contact; the 文号 is not typed: signing the reply allocates it (`reply_signed`)."""
    if proposal.status not in (rules.ASSIGNED, rules.DRAFTING, rules.COSIGNING):
        raise ValidationError("提案已答复，答复信息不能再修改。")
    if result_class is not None and not result_class.is_active:
        raise ValidationError({"result_class": "该结果分类已停用。"})
    fields = {"result_class": result_class, "contact": contact.strip()}
    before = audit.snapshot(proposal, ["result_class_id", "contact"])
    if not Proposal.objects.filter(pk=proposal.pk, version=version).update(version=version + 1, **fields):
        raise StaleObject()
    for k, v in fields.items():
        setattr(proposal, k, v)
    proposal.version = version + 1
    after = audit.snapshot(proposal, ["result_class_id", "contact"])
    audit.record(
        actor=actor, action="proposal.reply_details", obj=proposal, changes=audit.diff(before, after)
    )
    return proposal


@transaction.atomic
def proposal_items_save(*, actor, proposal: Proposal, version: int, texts: list[str]) -> Proposal:
    """Record the proposal's requests (建议事项), in order, replacing those saved before."""
    items = [t.strip() for t in texts if t.strip()]
    if not items:
        raise ValidationError({"items": "请至少填写一项建议事项。"})
    if len(items) > 20:
        raise ValidationError({"items": "建议事项最多20项，请合并相近的事项。"})
    if proposal.status not in (rules.ASSIGNED, rules.DRAFTING, rules.SECOND_ROUND):
        raise ValidationError("提案已进入会签或答复，建议事项不能再修改。")
    before = list(proposal.items.values_list("text", flat=True))
    if not Proposal.objects.filter(pk=proposal.pk, version=version).update(version=version + 1):
        raise StaleObject()
    proposal.version = version + 1
    proposal.items.all().delete()
    ProposalItem.objects.bulk_create(
        [ProposalItem(proposal=proposal, order=n, text=t) for n, t in enumerate(items, start=1)]
    )
    audit.record(actor=actor, action="proposal.items", obj=proposal, changes={"items": [before, items]})
    return proposal


@transaction.atomic
def proposal_draft_reply(*, actor, proposal: Proposal, as_of: dt.date, template=None) -> Proposal:
    """A reply body from the drafting engine: one part per recorded request (the title when none is
    recorded), the opening naming the body the reply goes to, the next steps; the A/B/C class it suggests
    is kept on the draft for the handler to confirm."""
    from kechuang.proposals import reply
    from kechuang.reports.seed import ensure_seed_template
    from kechuang.reports.services import draft_generate

    if proposal.status not in (rules.ASSIGNED, rules.DRAFTING):
        raise ValidationError("只有交办或办理中的提案可以生成答复稿。")
    template = template or ensure_seed_template(proposal.region)
    scope = Scope(proposal.region, Period(as_of.year), as_of)
    sections, answered = reply.build(proposal, scope, style=template.style)
    kind_word = "提案" if proposal.kind == Proposal.Kind.CPPCC else "建议"
    draft = draft_generate(
        actor=actor,
        template=template,
        scope=scope,
        title=f"对{proposal.session}第{proposal.number}号{kind_word}的答复",
        audience=proposal.kind,
        sections=sections,
    )
    items = max(proposal.items.count(), 1)
    Proposal.objects.filter(pk=proposal.pk).update(reply_draft=draft, version=proposal.version + 1)
    proposal.reply_draft, proposal.version = draft, proposal.version + 1
    audit.record(
        actor=actor,
        action="proposal.draft_reply",
        obj=proposal,
        changes={"draft": draft.pk, "answered": [answered, items]},
    )
    return proposal


def reply_composer(draft):
    """The reply letter is how a proposal's reply draft becomes a 公文 (registered with reports)."""
    from kechuang.proposals import letter
    from kechuang.reports.documents import Composer

    proposal = Proposal.objects.select_related("region", "result_class", "reply_draft").filter(
        reply_draft=draft
    )
    proposal = proposal.first()
    if proposal is None:
        return None
    return Composer(
        kind="函",
        compose=lambda **kw: letter.compose(proposal, **kw),
        after_sign=lambda *, signed, actor: reply_signed(
            actor=actor, proposal=proposal, number=signed.number
        ),
    )


def reply_signed(*, actor, proposal: Proposal, number: str) -> None:
    """The signed reply's 文号 is the proposal's 答复文号 (in the signing's transaction)."""
    Proposal.objects.filter(pk=proposal.pk).update(reply_number=number, version=F("version") + 1)
    proposal.refresh_from_db(fields=["reply_number", "version"])
    audit.record(actor=actor, action="proposal.reply_signed", obj=proposal, changes={"reply_number": number})


def suggested_result_class(proposal: Proposal) -> tuple[str, int, int]:
    """(A/B/C, requests answered from records, requests) read from the reply draft's parts."""
    if not proposal.reply_draft_id:
        return "", 0, 0
    parts = [s for s in proposal.reply_draft.sections if str(s.get("key", "")).startswith("item-")]
    answered = sum(1 for s in parts if any(b["kind"] == "computed" for b in s["blocks"]))
    return rules.result_class_for(answered, len(parts)), answered, len(parts)


def due_soon(region, today: dt.date, within_working_days: int = 10):
    """Open proposals overdue or due within N working days (one query plus one calendar lookup)."""
    limit = workdays.add_working_days(today, within_working_days).date
    return Proposal.objects.filter(
        region__path__startswith=region.path,
        deadline__lte=limit,
        status__in=[rules.ASSIGNED, rules.DRAFTING, rules.COSIGNING, rules.SECOND_ROUND],
    )


def send_reminders(*, today: dt.date) -> int:
    """Notify the staff of each region about proposals overdue or due soon; returns notifications sent."""
    from kechuang.accounts.models import User
    from kechuang.notifications.services import notify

    sent = 0
    open_ = Proposal.objects.filter(
        status__in=[rules.ASSIGNED, rules.DRAFTING, rules.COSIGNING, rules.SECOND_ROUND]
    ).select_related("region")
    limit = workdays.add_working_days(today, 10).date
    for proposal in open_.filter(deadline__lte=limit):
        staff = User.objects.filter(role=Role.STAFF, is_active=True, region__isnull=False)
        staff = [u for u in staff.select_related("region") if proposal.region.path.startswith(u.region.path)]
        overdue = proposal.deadline < today
        title = f"{'已超期' if overdue else '即将到期'}：{proposal.session}第{proposal.number}号提案"
        body = f"答复期限 {proposal.deadline:%Y-%m-%d}，当前状态：{proposal.get_status_display()}。"
        sent += len(
            # One notice per proposal and person, updated when it turns overdue: no daily repeats.
            notify(
                users=staff,
                kind="proposal_due",
                title=title,
                body=body,
                url=f"/proposals/{proposal.pk}/",
                about=proposal,
                reason="deadline",
            )
        )
    return sent
