"""The shared shape of every write: workflow tables applied by `transition` (compare-and-set on the
status plus a status-change row), the staff guard, money checks, and the voucher money helpers
(`release` back to the pool, `lock_voucher`, `own_firm`, `reverse_paid`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F

from kechuang.core import audit
from kechuang.core.permissions import is_bureau_staff, is_firm_user
from kechuang.core.workflow import Transition, Workflow
from kechuang.vouchers import rules
from kechuang.vouchers.ledger import give, lock, post, take
from kechuang.vouchers.models import (
    Allocation,
    FirmAllowance,
    Instalment,
    LedgerEntry,
    Redemption,
    StatusChange,
    Voucher,
    VoucherProgramme,
)

V = Voucher.Status
R = Redemption.Status
A = Allocation.Status
INST = Instalment.Status
K = LedgerEntry.Kind

LIVE = (V.ISSUED, V.CONTRACTED, V.DELIVERED)  # vouchers holding money that may still be used
PENDING = (R.SUBMITTED, R.PUBLICITY, R.APPROVED, R.PAYOUT_REQUESTED)  # redemptions holding money


def staff_only(actor) -> str | None:
    return None if is_bureau_staff(actor) else "只有科室工作人员可以办理此操作。"


def _staff(source: str, target: str) -> Transition:
    """A step only the bureau's staff take (checked by `transition` with `staff_only`)."""
    return Transition(source, target, needs=("staff",))


# The four workflows (core.workflow); a step without needs is taken by whoever the calling service allows.
VOUCHER_FLOW = Workflow(
    [
        _staff(V.CLAIMED, V.ISSUED),
        _staff(V.CLAIMED, V.REJECTED),
        Transition(V.ISSUED, V.CONTRACTED),
        Transition(V.ISSUED, V.EXPIRED),
        _staff(V.ISSUED, V.VOID),
        Transition(V.CONTRACTED, V.DELIVERED),
        Transition(V.CONTRACTED, V.EXPIRED),
        _staff(V.CONTRACTED, V.VOID),
        Transition(V.DELIVERED, V.SETTLED),
        Transition(V.DELIVERED, V.EXPIRED),
        _staff(V.DELIVERED, V.VOID),
        _staff(V.SETTLED, V.DELIVERED),  # only when a payout is reversed
        _staff(V.SETTLED, V.VOID),
    ]
)
REDEMPTION_FLOW = Workflow(
    [
        _staff(R.SUBMITTED, R.PUBLICITY),
        _staff(R.SUBMITTED, R.APPROVED),
        _staff(R.SUBMITTED, R.REJECTED),
        _staff(R.PUBLICITY, R.APPROVED),
        _staff(R.PUBLICITY, R.REJECTED),
        _staff(R.APPROVED, R.PAYOUT_REQUESTED),
        _staff(R.APPROVED, R.REJECTED),
        _staff(R.PAYOUT_REQUESTED, R.PAID),
        _staff(R.PAYOUT_REQUESTED, R.REJECTED),
        _staff(R.PAID, R.REVERSED),
    ]
)
ALLOCATION_FLOW = Workflow(
    [
        _staff(A.PROPOSED, A.APPROVED),
        _staff(A.PROPOSED, A.CANCELLED),
        _staff(A.APPROVED, A.PAID),
        _staff(A.APPROVED, A.CANCELLED),
        _staff(A.PAID, A.APPROVED),  # an instalment reversed
    ]
)
INSTALMENT_FLOW = Workflow([_staff(INST.REQUESTED, INST.PAID), _staff(INST.PAID, INST.REVERSED)])
FLOWS = {
    Voucher: VOUCHER_FLOW,
    Redemption: REDEMPTION_FLOW,
    Allocation: ALLOCATION_FLOW,
    Instalment: INSTALMENT_FLOW,
}


def fail(message: str | None) -> None:
    if message:
        raise ValidationError(message)


def transition(obj, to: str, *, actor, note: str = "", **updates) -> None:
    """Move `obj` from its current status to `to` if the table allows it; compare-and-set on the status."""
    old = obj.status
    step = FLOWS[type(obj)].check(old, to, dict(type(obj).Status.choices))
    if "staff" in step.needs:
        fail(staff_only(actor))
    if hasattr(obj, "version"):
        updates["version"] = F("version") + 1
    changed = type(obj).objects.filter(pk=obj.pk, status=old).update(status=to, **updates)
    if changed != 1:
        raise ValidationError("该记录的状态已被他人修改，请刷新后重试。")
    StatusChange.objects.create(
        object_type=type(obj)._meta.model_name,
        object_id=obj.pk,
        from_status=old,
        to_status=to,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=note,
    )
    obj.refresh_from_db()


def check_money(amount: Decimal, what: str = "金额") -> Decimal:
    amount = Decimal(amount)
    fail(rules.check_positive(amount, what))
    return amount


def own_firm(actor, voucher: Voucher) -> None:
    if is_firm_user(actor) and actor.organisation_id != voucher.organisation_id:
        raise ValidationError("企业用户只能办理本企业的创新券。")
    if not (is_firm_user(actor) or is_bureau_staff(actor)):
        raise ValidationError("无权办理创新券。")


def release(*, actor, voucher: Voucher, amount: Decimal, on: dt.date, memo: str) -> None:
    """Unused voucher money back to the pool and the firm's yearly allowance."""
    if amount <= 0:
        return
    if not take(Voucher, voucher.pk, "remaining", amount, released=F("released") + amount):
        raise ValidationError("创新券余额已变化，请刷新后重试。")
    give(VoucherProgramme, voucher.programme_id, "pool_remaining", amount)
    FirmAllowance.objects.filter(
        programme_id=voucher.programme_id, organisation_id=voucher.organisation_id
    ).update(used=F("used") - amount)
    post(
        kind=K.RELEASE,
        amount=amount,
        source=f"voucher:{voucher.pk}",
        target=f"pool:{voucher.programme_id}",
        booked_on=on,
        actor=actor,
        programme_id=voucher.programme_id,
        voucher=voucher,
        organisation_id=voucher.organisation_id,
        memo=memo,
    )
    audit.record(
        actor=actor, action="vouchers.release", obj=voucher, changes={"amount": amount, "memo": memo}
    )


def lock_voucher(voucher: Voucher) -> None:
    lock(VoucherProgramme, voucher.programme_id)
    lock(Voucher, voucher.pk)


def reverse_paid(
    *, actor, paid, to: str, payout_kind: str, owner, reason: str, on: dt.date, **refs
) -> LedgerEntry:
    """Undo a paid request — a redemption (owner: its voucher) or an instalment (owner: its allocation) — by
    a new reversing entry from the payout's target back to the owner's account; the payout entry itself is
    never touched. `paid` moves to `to` (compare-and-set), the owner's `paid_total` goes back to
    `remaining` by conditional UPDATE. The caller holds the locks and handles the owner's own status."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("冲正必须填写原因。")
    name = paid._meta.model_name
    payout = LedgerEntry.objects.filter(kind=payout_kind, **{name: paid}).first()
    if payout is None:
        raise ValidationError("找不到可冲正的拨付分录。")
    extra = {"reason": reason[:200]} if hasattr(paid, "reason") else {}
    transition(paid, to, actor=actor, note=reason, **extra)
    owner_model = type(owner)
    if not take(owner_model, owner.pk, "paid_total", payout.amount, remaining=F("remaining") + payout.amount):
        raise ValidationError("已拨付金额不足，不能冲正。")
    entry = post(
        kind=K.REVERSAL,
        amount=payout.amount,
        source=payout.target,
        target=owner.account,
        booked_on=on,
        actor=actor,
        organisation_id=owner.organisation_id,
        reverses=payout,
        memo=f"冲正：{reason}"[:200],
        **{name: paid, owner_model._meta.model_name: owner},
        **refs,
    )
    audit.record(
        actor=actor,
        action=f"vouchers.{name}_reverse",
        obj=paid,
        changes={"reason": reason, "amount": payout.amount, "entry": entry.pk},
    )
    owner.refresh_from_db()
    return entry
