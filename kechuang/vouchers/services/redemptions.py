"""Redemption (兑付): request with evidence (idempotency key), review, 公示, payout with four eyes,
reversal by a reversing entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from kechuang.core import audit, workdays
from kechuang.notifications import kinds
from kechuang.notifications.services import settle
from kechuang.vouchers import rules
from kechuang.vouchers.ledger import lock, post, take
from kechuang.vouchers.models import (
    LedgerEntry,
    Redemption,
    Voucher,
)
from kechuang.vouchers.services.workflow import (
    K,
    R,
    V,
    check_money,
    fail,
    lock_voucher,
    own_firm,
    release,
    reverse_paid,
    transition,
)

kinds.register("vouchers.task", "创新券兑付与拨付待办")

# --- redemption (兑付) --------------------------------------------------------------------------------


@transaction.atomic
def redemption_submit(
    *,
    actor,
    voucher: Voucher,
    amount: Decimal,
    idempotency_key: str,
    on: dt.date,
    contract_file,
    invoice_file,
    payment_file,
    output_file,
    invoice_amount: Decimal | None = None,
) -> Redemption:
    """Request 兑付. The same `idempotency_key` (a form token: double click, retry) returns the first
    request instead of creating a second one. The amount is held on the voucher at once."""
    own_firm(actor, voucher)
    if not idempotency_key:
        raise ValidationError("缺少请求标识，请刷新页面后重新提交。")
    existing = Redemption.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_request(existing, voucher)
    amount = check_money(amount, "兑付金额")
    if invoice_amount is not None:
        invoice_amount = check_money(invoice_amount, "发票金额")
    if None in (contract_file, invoice_file, payment_file, output_file):
        raise ValidationError("兑付申请须附服务合同、发票、付款凭证和服务成果材料。")
    lock_voucher(voucher)
    voucher.refresh_from_db()
    if voucher.status != V.DELIVERED:
        raise ValidationError(f"创新券状态为“{voucher.get_status_display()}”，服务完成后才能申请兑付。")
    fail(rules.check_validity(valid_until=voucher.valid_until, on=on))
    fail(
        rules.check_share(
            amount=amount,
            contract_amount=voucher.contract_amount,
            share_percent=voucher.programme.share_percent,
            already=voucher.held + voucher.paid_total,
        )
    )
    # Partial invoices: each redemption carries the invoice it rests on; together they stay within the
    # contract, and what is redeemed stays within the share of what has been invoiced.
    invoiced_before = invoiced_total(voucher)
    if invoice_amount is None:
        invoice_amount = voucher.contract_amount - invoiced_before
    fail(
        rules.check_invoices(
            invoice_amount=invoice_amount,
            contract_amount=voucher.contract_amount,
            invoiced_before=invoiced_before,
        )
    )
    fail(
        rules.check_invoiced_share(
            amount=amount,
            invoiced=invoiced_before + invoice_amount,
            share_percent=voucher.programme.share_percent,
            already=voucher.held + voucher.paid_total,
        )
    )
    try:
        with transaction.atomic():
            redemption = Redemption.objects.create(
                voucher=voucher,
                idempotency_key=idempotency_key[:64],
                amount=amount,
                invoice_amount=invoice_amount,
                contract_file=contract_file,
                invoice_file=invoice_file,
                payment_file=payment_file,
                output_file=output_file,
                submitted_on=on,
                submitted_by=actor,
            )
    except IntegrityError:
        return _same_request(Redemption.objects.get(idempotency_key=idempotency_key), voucher)
    if not take(Voucher, voucher.pk, "remaining", amount, held=F("held") + amount):
        voucher.refresh_from_db()
        fail(rules.check_available(amount=amount, available=voucher.remaining) or "创新券可用余额不足。")
    post(
        kind=K.HOLD,
        amount=amount,
        source=voucher.account,
        target=f"hold:{voucher.pk}",
        booked_on=on,
        actor=actor,
        programme_id=voucher.programme_id,
        voucher=voucher,
        redemption=redemption,
        organisation_id=voucher.organisation_id,
        memo="兑付申请冻结",
    )
    audit.record(actor=actor, action="vouchers.redemption_submit", obj=redemption, changes={"amount": amount})
    _tell_staff(
        redemption, "to_review", f"兑付申请待审核：{voucher.number}（{rules.yuan(redemption.amount)}）"
    )
    return redemption


def invoiced_total(voucher: Voucher) -> Decimal:
    """The invoices behind the voucher's live redemptions (pending or paid; a rejected or reversed one
    no longer counts)."""
    live = voucher.redemptions.exclude(status__in=[R.REJECTED, R.REVERSED])
    return live.aggregate(total=Sum("invoice_amount"))["total"] or Decimal("0.00")


def _tell_staff(redemption: Redemption, reason: str, title: str, *, exclude=None) -> None:
    """The programme region's staff (but `exclude`): a redemption awaits their step, once per step."""
    from kechuang.notifications.selectors import bureau_users
    from kechuang.notifications.services import notify

    # In the caller's transaction (a rollback takes the notice with it); outside channels go after commit.
    notify(
        users=bureau_users(redemption.voucher.programme.region, exclude=exclude),
        kind="vouchers.task",
        title=title,
        url="/vouchers/redemptions/",
        about=redemption,
        reason=reason,
    )


def _same_request(existing: Redemption, voucher: Voucher) -> Redemption:
    if existing.voucher_id != voucher.pk:
        raise ValidationError("请求标识已被其他兑付申请使用，请刷新页面后重新提交。")
    return existing


def reject_held(*, actor, redemption: Redemption, reason: str, on: dt.date) -> None:
    voucher = redemption.voucher
    transition(redemption, R.REJECTED, actor=actor, note=reason, reason=reason[:200], reviewed_by=actor)
    if not take(Voucher, voucher.pk, "held", redemption.amount, remaining=F("remaining") + redemption.amount):
        raise ValidationError("创新券冻结金额与兑付申请不符，请联系管理员核对台账。")
    post(
        kind=K.UNHOLD,
        amount=redemption.amount,
        source=f"hold:{voucher.pk}",
        target=voucher.account,
        booked_on=on,
        actor=actor,
        programme_id=voucher.programme_id,
        voucher=voucher,
        redemption=redemption,
        organisation_id=voucher.organisation_id,
        memo="兑付未通过解冻",
    )
    audit.record(actor=actor, action="vouchers.redemption_reject", obj=redemption, changes={"reason": reason})
    voucher.refresh_from_db()
    if voucher.status in (V.EXPIRED, V.VOID):
        release(
            actor=actor, voucher=voucher, amount=redemption.amount, on=on, memo="兑付未通过，券已失效释放"
        )


@transaction.atomic
def redemption_review(
    *, actor, redemption: Redemption, approve: bool, on: dt.date, reason: str = ""
) -> Redemption:
    lock_voucher(redemption.voucher)
    redemption.refresh_from_db()
    if redemption.submitted_by_id == actor.pk:
        raise ValidationError("兑付申请人不能审核自己提交的申请。")
    settle(about=redemption, reason="to_review")
    if not approve:
        if not reason.strip():
            raise ValidationError("不予兑付必须填写原因。")
        reject_held(actor=actor, redemption=redemption, reason=reason.strip(), on=on)
        return redemption
    days = redemption.voucher.programme.publicity_days
    if days:
        until = workdays.add_working_days(on, days).date
        transition(
            redemption,
            R.PUBLICITY,
            actor=actor,
            reviewed_by=actor,
            publicity_until=until,
            reason=reason[:200],
        )
    else:
        transition(redemption, R.APPROVED, actor=actor, reviewed_by=actor, reason=reason[:200])
    audit.record(
        actor=actor,
        action="vouchers.redemption_review",
        obj=redemption,
        changes={"status": redemption.status},
    )
    return redemption


@transaction.atomic
def redemption_close_publicity(*, actor, redemption: Redemption, on: dt.date) -> Redemption:
    if redemption.status == R.PUBLICITY and redemption.publicity_until and on <= redemption.publicity_until:
        raise ValidationError(f"公示期至{redemption.publicity_until:%Y年%m月%d日}，期满后才能结束公示。")
    transition(redemption, R.APPROVED, actor=actor, note="公示期满无异议")
    audit.record(actor=actor, action="vouchers.redemption_publicity_close", obj=redemption)
    return redemption


@transaction.atomic
def redemption_request_payout(*, actor, redemption: Redemption) -> Redemption:
    transition(redemption, R.PAYOUT_REQUESTED, actor=actor, payout_requested_by=actor)
    audit.record(
        actor=actor, action="vouchers.payout_request", obj=redemption, changes={"amount": redemption.amount}
    )
    # Four eyes: every other staff member may approve the payout; the requester cannot.
    title = f"拨付待复核：{redemption.voucher.number}（{rules.yuan(redemption.amount)}）"
    _tell_staff(redemption, "payout_approve", title, exclude=actor)
    return redemption


@transaction.atomic
def redemption_pay(*, actor, redemption: Redemption, on: dt.date) -> Redemption:
    """Record the payout. Four eyes: the approver is not who requested it. Paying twice (two staff, a
    retry) pays once: the second call finds the request paid; the ledger's unique key backs that up."""
    voucher = redemption.voucher
    lock_voucher(voucher)
    lock(Redemption, redemption.pk)
    redemption.refresh_from_db()
    if redemption.status == R.PAID:
        return redemption
    if redemption.payout_requested_by_id == actor.pk:
        raise ValidationError("拨付须由经办人以外的另一名工作人员复核（不能复核自己经办的拨付）。")
    transition(redemption, R.PAID, actor=actor, payout_approved_by=actor, paid_on=on)
    settle(about=redemption, reason="payout_approve")
    if not take(
        Voucher, voucher.pk, "held", redemption.amount, paid_total=F("paid_total") + redemption.amount
    ):
        raise ValidationError("创新券冻结金额不足，不能拨付。")
    post(
        kind=K.PAYOUT,
        amount=redemption.amount,
        source=f"hold:{voucher.pk}",
        target=f"paid:{voucher.pk}",
        booked_on=on,
        actor=actor,
        programme_id=voucher.programme_id,
        voucher=voucher,
        redemption=redemption,
        organisation_id=voucher.organisation_id,
        idempotency_key=f"payout:{redemption.pk}",
        memo=f"兑付拨付 {voucher.number}",
    )
    voucher.refresh_from_db()
    if voucher.status == V.DELIVERED and voucher.remaining == 0 and voucher.held == 0:
        transition(voucher, V.SETTLED, actor=actor)
    audit.record(
        actor=actor, action="vouchers.redemption_pay", obj=redemption, changes={"amount": redemption.amount}
    )
    return redemption


@transaction.atomic
def redemption_reverse(*, actor, redemption: Redemption, reason: str, on: dt.date) -> LedgerEntry:
    """Undo a payout with a new reversing entry (`reverse_paid`); the payout entry itself is never touched."""
    voucher = redemption.voucher
    lock_voucher(voucher)
    redemption.refresh_from_db()
    entry = reverse_paid(
        actor=actor,
        paid=redemption,
        to=R.REVERSED,
        payout_kind=K.PAYOUT,
        owner=voucher,
        reason=reason,
        on=on,
        programme_id=voucher.programme_id,
    )
    if voucher.status == V.SETTLED:
        transition(voucher, V.DELIVERED, actor=actor, note="拨付冲正")
    elif voucher.status in (V.EXPIRED, V.VOID):
        release(actor=actor, voucher=voucher, amount=entry.amount, on=on, memo="冲正后券已失效释放")
    return entry
