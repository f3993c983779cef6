"""免申即享 award batches: frozen list → second-person approval → 公示 → payment through the funds ledger.

Transitions (compare-and-set on the status): draft → approved → publicity → paying → paid (or cancelled).
Payment reuses the funds ledger of `kechuang.vouchers` (allocation proposed by one person, approved by
another, an instalment per award with the award's idempotency key, paid by a third hand): the same
guarantees as every other payment. An award is listed once per item and period (DB constraint).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.core import audit, dates
from kechuang.core.roles import Role
from kechuang.core.workdays import add_working_days
from kechuang.notifications.services import notify
from kechuang.policies import matching, permissions, rules
from kechuang.policies.models import Award, AwardBatch, Confirmation, Policy, PolicyItem
from kechuang.vouchers.models import Allocation, Instalment
from kechuang.vouchers.services import funds

B = AwardBatch.Status


def _move(batch: AwardBatch, frm: str, to: str, **fields) -> None:
    if AwardBatch.objects.filter(pk=batch.pk, status=frm).update(status=to, **fields) != 1:
        raise ValidationError("批次状态已变化，请刷新后重试。")
    batch.refresh_from_db()


def _tell(batch: AwardBatch, awards, title: str, body: str = "") -> None:
    orgs = {a.organisation_id for a in awards}
    users = {}
    for u in User.objects.filter(organisation_id__in=orgs, role=Role.ENTERPRISE, is_active=True):
        users.setdefault(u.organisation_id, []).append(u)
    for award in awards:
        if award.organisation_id not in users:
            continue
        notify(
            users=users.get(award.organisation_id, []),
            kind="policies.award",
            title=title,
            body=body or f"{batch.item.policy.name}·{batch.item.title}：{award.amount}元",
            url=reverse("policies:mine"),
            about=award,
            reason=f"award:{batch.status}",
        )


def _scaled(amounts: dict[int, Decimal], budget: Decimal | None) -> tuple[dict[int, Decimal], bool]:
    """Amounts within `budget`: when the formula asks for more, every award is cut by the same ratio (按比例
    核减), rounded down to whole 元 so the total never exceeds the budget."""
    total = sum(amounts.values(), Decimal(0))
    if budget is None or total <= budget:
        return amounts, False
    ratio = budget / total
    return {k: (v * ratio).quantize(Decimal(1), rounding=ROUND_DOWN) for k, v in amounts.items()}, True


@transaction.atomic
def batch_create(
    *, actor, item: PolicyItem, period: int, as_of: dt.date, budget_line, publicity_days: int = 5
):
    """Freeze the item's eligible firms on `as_of` (for 快申快享, those that confirmed), each with its evidence,
    amounts by the item's formula."""
    if not permissions.batches.allows_create(actor) or not permissions.policies.allows(
        actor, "change", item.policy
    ):
        raise PermissionDenied("无权为该政策生成兑现批次。")
    if item.delivery == PolicyItem.Delivery.CALL:
        raise ValidationError("“申报评审”条款按申报批次办理，不能直接生成兑现名单。")
    if item.policy.status != Policy.Status.ACTIVE:
        raise ValidationError("政策未施行，不能兑现。")
    if not item.policy.document.region.path.startswith(budget_line.region.path):
        raise ValidationError({"budget_line": "资金预算不属于该政策的区域。"})
    compiled = matching.compile_items([item])[0]
    taken = set(
        Award.objects.filter(item_key=item.key, period=period)
        .exclude(status=Award.Status.WITHDRAWN)
        .values_list("organisation_id", flat=True)
    )
    found: dict[int, tuple] = {}
    firms = matching.firms(compiled.region_path)
    if item.delivery == PolicyItem.Delivery.QUICK:  # 快申快享: only firms that confirmed for the period
        confirmed = Confirmation.objects.filter(item_key=item.key, period=period).values("organisation_id")
        firms = firms.filter(pk__in=confirmed)
    for chunk in matching.keyset(firms, 500):
        for org, firm in zip(chunk, matching.load_records(chunk, as_of, [compiled]), strict=True):
            v = compiled.evaluate(firm, as_of)
            if v.verdict == rules.ELIGIBLE and v.amount and org.pk not in taken:
                found[org.pk] = (org, firm, v)
    if not found:
        raise ValidationError("截至该日期没有新的符合条件企业（已列入其他批次的企业不重复列入）。")
    budget = min(x for x in (item.budget, budget_line.remaining) if x is not None)
    amounts, scaled = _scaled({k: v.amount for k, (_, _, v) in found.items()}, budget)
    batch = AwardBatch.objects.create(
        item=item,
        period=period,
        as_of=as_of,
        budget_line=budget_line,
        created_by=actor,
        publicity_days=publicity_days,
        scaled=scaled,
        total=sum(amounts.values(), Decimal(0)),
    )
    Award.objects.bulk_create(
        Award(
            batch=batch,
            organisation=org,
            item_key=item.key,
            policy_code=item.policy.code,
            period=period,
            formula_amount=v.amount,
            amount=amounts[org.pk],
            evidence={
                **v.to_dict(),
                "as_of": as_of.isoformat(),
                "policy_version": item.policy.version,
                "records": dict(firm.versions),
            },
        )
        for org, firm, v in found.values()
        if amounts[org.pk] > 0
    )
    audit.record(
        actor=actor,
        action="policies.batch_create",
        obj=batch,
        changes={"firms": len(found), "total": batch.total, "scaled": scaled, "as_of": as_of},
    )
    return batch


@transaction.atomic
def batch_approve(*, actor, batch: AwardBatch) -> AwardBatch:
    if batch.created_by_id == actor.pk:
        raise ValidationError("兑现名单须由生成人以外的另一名工作人员审核。")
    if not permissions.batches.allows(actor, "approve", batch):
        raise PermissionDenied("无权审核该批次。")
    _move(batch, B.DRAFT, B.APPROVED, approved_by=actor)
    audit.record(actor=actor, action="policies.batch_approve", obj=batch)
    return batch


@transaction.atomic
def publicity_open(
    *, actor, batch: AwardBatch, starts_on: dt.date, today: dt.date | None = None
) -> AwardBatch:
    """Publish the list from `starts_on` (today or later: the public gets every day of it); `today` is the
    business date of publication (default: `core.dates.today()`)."""
    if not permissions.batches.allows(actor, "change", batch):
        raise PermissionDenied("无权发布该批次的公示。")
    if starts_on < (today or dates.today()):
        raise ValidationError({"starts_on": "公示开始日期不能早于今天：公示期须从发布之日起计算。"})
    end = add_working_days(starts_on, batch.publicity_days, include_start=True)
    _move(batch, B.APPROVED, B.PUBLICITY, publicity_starts_on=starts_on, publicity_ends_on=end.date)
    audit.record(actor=actor, action="policies.publicity_open", obj=batch, changes={"ends_on": end.date})
    listed = list(batch.awards.filter(status=Award.Status.LISTED))
    _tell(batch, listed, f"贵企业列入“{batch.item.title}”免申即享拟兑现名单公示（至{end.date:%m月%d日}）")
    return batch


@transaction.atomic
def award_withdraw(*, actor, award: Award, reason: str) -> Award:
    batch = award.batch
    if not permissions.batches.allows(actor, "change", batch):
        raise PermissionDenied("无权调整该批次。")
    if not reason.strip():
        raise ValidationError({"reason": "撤出名单必须填写原因。"})
    if batch.status not in (B.DRAFT, B.APPROVED, B.PUBLICITY):
        raise ValidationError("拨付开始后不能再调整名单。")
    if (
        Award.objects.filter(pk=award.pk, status=Award.Status.LISTED).update(
            status=Award.Status.WITHDRAWN, withdraw_reason=reason.strip()[:200]
        )
        != 1
    ):
        raise ValidationError("该企业已不在名单中。")
    award.refresh_from_db()
    AwardBatch.objects.filter(pk=batch.pk).update(
        total=sum(
            batch.awards.filter(status=Award.Status.LISTED).values_list("amount", flat=True), Decimal(0)
        )
    )
    audit.record(actor=actor, action="policies.award_withdraw", obj=award, changes={"reason": reason})
    _tell(batch, [award], f"贵企业已撤出“{batch.item.title}”兑现名单", reason)
    return award


@transaction.atomic
def pay_request(*, actor, batch: AwardBatch, on: dt.date) -> AwardBatch:
    """After the 公示, with every objection answered: one allocation per listed award (proposed)."""
    if not permissions.batches.allows(actor, "change", batch):
        raise PermissionDenied("无权办理该批次的拨付。")
    if batch.status == B.PUBLICITY:
        if on <= batch.publicity_ends_on:
            raise ValidationError(f"公示期至{batch.publicity_ends_on:%Y年%m月%d日}，期满后才能拨付。")
        if batch.objections.filter(status="open").exists():
            raise ValidationError("尚有未答复的异议，答复后才能拨付。")
        _move(batch, B.PUBLICITY, B.PAYING, pay_requested_by=actor)
    elif batch.status != B.PAYING:
        raise ValidationError("该批次当前不能申请拨付。")
    reference = f"{batch.item.policy.name}·{batch.item.title}（{batch.period}年度免申即享）"[:120]
    for award in batch.awards.filter(status=Award.Status.LISTED, allocation__isnull=True).select_related(
        "organisation"
    ):
        allocation = funds.allocation_propose(
            actor=actor,
            budget_line=batch.budget_line,
            amount=award.amount,
            reference=reference,
            on=on,
            organisation=award.organisation,
        )
        Award.objects.filter(pk=award.pk).update(allocation=allocation)
    audit.record(actor=actor, action="policies.pay_request", obj=batch)
    return batch


def _instalment_key(award: Award) -> str:
    return f"policy-award:{award.pk}"


@transaction.atomic
def pay_approve(*, actor, batch: AwardBatch, on: dt.date) -> AwardBatch:
    """A second person approves each allocation (the budget is taken there) and orders its payment."""
    if batch.status != B.PAYING:
        raise ValidationError("该批次当前不能审批拨付。")
    if not permissions.batches.allows(actor, "pay_approve", batch):
        raise ValidationError("拨付须由申请人以外的另一名工作人员审批。")
    awards = batch.awards.filter(status=Award.Status.LISTED, allocation__isnull=False).select_related(
        "allocation"
    )
    for award in awards:
        if award.allocation.status == Allocation.Status.PROPOSED:
            funds.allocation_approve(actor=actor, allocation=award.allocation, on=on)
        funds.instalment_request(
            actor=actor,
            allocation=award.allocation,
            amount=award.amount,
            idempotency_key=_instalment_key(award),
            on=on,
        )
    audit.record(actor=actor, action="policies.pay_approve", obj=batch)
    return batch


@transaction.atomic
def pay_confirm(*, actor, batch: AwardBatch, on: dt.date) -> AwardBatch:
    """Pay every ordered instalment (not the approver's own: four eyes in the ledger); re-running pays
    nothing twice — each award has one instalment under its idempotency key."""
    if batch.status == B.PAID:
        return batch
    if not permissions.batches.allows(actor, "pay_confirm", batch):
        raise PermissionDenied("无权确认该批次的拨付。")
    paid = []
    for award in batch.awards.filter(status=Award.Status.LISTED).select_related("organisation"):
        instalment = Instalment.objects.filter(idempotency_key=_instalment_key(award)).first()
        if instalment is None:
            raise ValidationError(f"“{award.organisation}”的拨付尚未审批。")
        funds.instalment_pay(actor=actor, instalment=instalment, on=on)
        Award.objects.filter(pk=award.pk, status=Award.Status.LISTED).update(status=Award.Status.PAID)
        award.status = Award.Status.PAID
        paid.append(award)
    if not batch.awards.filter(status=Award.Status.LISTED).exists():
        _move(batch, B.PAYING, B.PAID)
    audit.record(actor=actor, action="policies.pay_confirm", obj=batch, changes={"paid": len(paid)})
    _tell(batch, paid, f"“{batch.item.title}”免申即享资金已拨付")
    return batch
