"""Support funds and prizes (扶持资金, 奖金): budget line → allocation → instalments, with four eyes and
reversal by a reversing entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum

from kechuang.core import audit
from kechuang.vouchers import rules
from kechuang.vouchers.ledger import TREASURY, give, lock, post, take
from kechuang.vouchers.models import (
    ZERO,
    Allocation,
    BudgetLine,
    Instalment,
    LedgerEntry,
)
from kechuang.vouchers.services.workflow import (
    INST,
    A,
    K,
    check_money,
    fail,
    reverse_paid,
    staff_only,
    transition,
)

# --- support funds and prizes ------------------------------------------------------------------------


@transaction.atomic
def budget_line_create(
    *, actor, name: str, kind: str, year: int, region, budget: Decimal, booked_on: dt.date
):
    fail(staff_only(actor))
    budget = check_money(budget, "预算")
    line = BudgetLine(name=name, kind=kind, year=year, region=region, budget=budget, remaining=budget)
    line.full_clean()
    line.save()
    post(
        kind=K.BUDGET,
        amount=budget,
        source=TREASURY,
        target=line.account,
        booked_on=booked_on,
        actor=actor,
        budget_line=line,
        memo="预算",
    )
    audit.record(actor=actor, action="vouchers.budget_line_create", obj=line, changes={"budget": budget})
    return line


@transaction.atomic
def allocation_propose(
    *,
    actor,
    budget_line: BudgetLine,
    amount: Decimal,
    reference: str,
    on: dt.date,
    organisation=None,
    person=None,
) -> Allocation:
    fail(staff_only(actor))
    amount = check_money(amount)
    if not reference.strip():
        raise ValidationError("请填写项目或事由。")
    allocation = Allocation(
        budget_line=budget_line,
        organisation=organisation,
        person=person,
        reference=reference.strip(),
        amount=amount,
        proposed_by=actor,
        created_on=on,
    )
    allocation.full_clean()
    allocation.save()
    audit.record(
        actor=actor, action="vouchers.allocation_propose", obj=allocation, changes={"amount": amount}
    )
    return allocation


@transaction.atomic
def allocation_approve(*, actor, allocation: Allocation, on: dt.date) -> Allocation:
    if allocation.proposed_by_id == actor.pk:
        raise ValidationError("资金分配须由提出人以外的另一名工作人员审批。")
    lock(BudgetLine, allocation.budget_line_id)
    if not take(BudgetLine, allocation.budget_line_id, "remaining", allocation.amount):
        line = BudgetLine.objects.get(pk=allocation.budget_line_id)
        raise ValidationError(
            f"预算余额不足：余额{rules.yuan(line.remaining)}，本次需{rules.yuan(allocation.amount)}。"
        )
    transition(allocation, A.APPROVED, actor=actor, approved_by=actor, remaining=allocation.amount)
    post(
        kind=K.ALLOCATE,
        amount=allocation.amount,
        source=f"line:{allocation.budget_line_id}",
        target=allocation.account,
        booked_on=on,
        actor=actor,
        budget_line_id=allocation.budget_line_id,
        allocation=allocation,
        organisation_id=allocation.organisation_id,
        memo=allocation.reference[:200],
    )
    audit.record(
        actor=actor,
        action="vouchers.allocation_approve",
        obj=allocation,
        changes={"amount": allocation.amount},
    )
    return allocation


@transaction.atomic
def allocation_cancel(*, actor, allocation: Allocation, reason: str, on: dt.date) -> Allocation:
    if not reason.strip():
        raise ValidationError("撤销必须填写原因。")
    lock(BudgetLine, allocation.budget_line_id)
    lock(Allocation, allocation.pk)
    allocation.refresh_from_db()
    left = allocation.remaining
    if allocation.instalments.filter(status=Instalment.Status.REQUESTED).exists():
        raise ValidationError("尚有待复核的拨付，不能撤销。")
    transition(allocation, A.CANCELLED, actor=actor, note=reason)
    if left > 0:
        if not take(Allocation, allocation.pk, "remaining", left):
            raise ValidationError("分配余额已变化，请刷新后重试。")
        give(BudgetLine, allocation.budget_line_id, "remaining", left)
        post(
            kind=K.RELEASE,
            amount=left,
            source=allocation.account,
            target=f"line:{allocation.budget_line_id}",
            booked_on=on,
            actor=actor,
            budget_line_id=allocation.budget_line_id,
            allocation=allocation,
            memo=f"撤销：{reason}"[:200],
        )
    audit.record(
        actor=actor,
        action="vouchers.allocation_cancel",
        obj=allocation,
        changes={"released": left, "reason": reason},
    )
    return allocation


@transaction.atomic
def instalment_request(
    *, actor, allocation: Allocation, amount: Decimal, idempotency_key: str, on: dt.date
) -> Instalment:
    fail(staff_only(actor))
    existing = Instalment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.allocation_id != allocation.pk:
            raise ValidationError("请求标识已被其他拨付使用，请刷新页面后重新提交。")
        return existing
    amount = check_money(amount, "拨付金额")
    if allocation.status != A.APPROVED:
        raise ValidationError("资金分配批准后才能申请拨付。")
    pending = (
        allocation.instalments.filter(status=Instalment.Status.REQUESTED).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    if pending + amount > allocation.remaining:
        raise ValidationError(
            f"拨付金额超过待拨付余额：待拨付{rules.yuan(allocation.remaining)}，已申请未复核{rules.yuan(pending)}。"
        )
    instalment = Instalment.objects.create(
        allocation=allocation,
        idempotency_key=idempotency_key[:64],
        amount=amount,
        requested_by=actor,
        requested_on=on,
    )
    audit.record(
        actor=actor, action="vouchers.instalment_request", obj=instalment, changes={"amount": amount}
    )
    return instalment


@transaction.atomic
def instalment_pay(*, actor, instalment: Instalment, on: dt.date) -> Instalment:
    fail(staff_only(actor))
    allocation = instalment.allocation
    lock(Allocation, allocation.pk)
    lock(Instalment, instalment.pk)
    instalment.refresh_from_db()
    if instalment.status == INST.PAID:
        return instalment
    if instalment.requested_by_id == actor.pk:
        raise ValidationError("拨付须由经办人以外的另一名工作人员复核（不能复核自己经办的拨付）。")
    transition(instalment, INST.PAID, actor=actor, approved_by=actor, paid_on=on)
    if not take(
        Allocation,
        allocation.pk,
        "remaining",
        instalment.amount,
        paid_total=F("paid_total") + instalment.amount,
    ):
        raise ValidationError("拨付金额超过待拨付余额。")
    post(
        kind=K.INSTALMENT,
        amount=instalment.amount,
        source=allocation.account,
        target=f"paidalloc:{allocation.pk}",
        booked_on=on,
        actor=actor,
        budget_line_id=allocation.budget_line_id,
        allocation=allocation,
        instalment=instalment,
        organisation_id=allocation.organisation_id,
        idempotency_key=f"instalment:{instalment.pk}",
        memo=allocation.reference[:200],
    )
    allocation.refresh_from_db()
    if allocation.remaining == 0 and allocation.status == A.APPROVED:
        transition(allocation, A.PAID, actor=actor)
    audit.record(
        actor=actor, action="vouchers.instalment_pay", obj=allocation, changes={"amount": instalment.amount}
    )
    instalment.refresh_from_db()
    return instalment


@transaction.atomic
def instalment_reverse(*, actor, instalment: Instalment, reason: str, on: dt.date) -> LedgerEntry:
    """Undo a paid instalment with a new reversing entry (`reverse_paid`); a paid-off allocation reopens."""
    fail(staff_only(actor))
    allocation = instalment.allocation
    lock(Allocation, allocation.pk)
    lock(Instalment, instalment.pk)
    instalment.refresh_from_db()
    entry = reverse_paid(
        actor=actor,
        paid=instalment,
        to=INST.REVERSED,
        payout_kind=K.INSTALMENT,
        owner=allocation,
        reason=reason,
        on=on,
        budget_line_id=allocation.budget_line_id,
    )
    if allocation.status == A.PAID:
        transition(allocation, A.APPROVED, actor=actor, note="拨付冲正")
    return entry
