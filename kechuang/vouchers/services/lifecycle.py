"""The voucher lifecycle: claim → issue → contract → delivery, reject, void."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q

from kechuang.core import audit, dates
from kechuang.core.permissions import is_bureau_staff, is_firm_user, serves
from kechuang.enterprises.models import Qualification
from kechuang.vouchers import rules
from kechuang.vouchers.ledger import lock, post, take
from kechuang.vouchers.models import (
    ZERO,
    Affiliation,
    FirmAllowance,
    Provider,
    ServiceItem,
    Voucher,
    VoucherBatch,
    VoucherProgramme,
)
from kechuang.vouchers.services.programmes import provider_blacklist
from kechuang.vouchers.services.redemptions import reject_held
from kechuang.vouchers.services.workflow import (
    PENDING,
    K,
    V,
    check_money,
    fail,
    lock_voucher,
    own_firm,
    release,
    staff_only,
    transition,
)

# --- the voucher lifecycle ---------------------------------------------------------------------------


def eligibility_problem(programme: VoucherProgramme, organisation, on: dt.date) -> str | None:
    if organisation.region_id is None or not organisation.region.path.startswith(programme.region.path):
        return f"“{organisation}”注册地不在{programme.region}，不能申领本项目创新券。"
    kinds = list(programme.eligible_kinds.all())
    if kinds:
        held = Qualification.objects.valid_on(on).filter(organisation=organisation, kind__in=kinds)
        if not held.exists():
            names = "或".join(k.name for k in kinds)
            return f"“{organisation}”在{on:%Y年%m月%d日}不是有效的{names}，不符合申领条件。"
    return None


@transaction.atomic
def voucher_claim(
    *,
    actor,
    programme: VoucherProgramme,
    organisation,
    amount: Decimal,
    on: dt.date,
    purpose: str = "",
    batch: VoucherBatch | None = None,
    key: str | None = None,
) -> Voucher:
    """A firm's claim. With `key` (the claim form's one-time key) a second submission of the same form
    returns the voucher the first one created instead of claiming again."""
    if is_firm_user(actor) and actor.organisation_id != organisation.pk:
        raise ValidationError("企业用户只能为本企业申领创新券。")
    if not (is_firm_user(actor) or is_bureau_staff(actor)):
        raise ValidationError("无权申领创新券。")
    if key:
        Voucher.objects.select_for_update().filter(claim_key=key).first()  # wait for a concurrent twin
        earlier = Voucher.objects.filter(claim_key=key).first()
        if earlier is not None:
            if earlier.organisation_id != organisation.pk or earlier.programme_id != programme.pk:
                raise ValidationError("申领表单已用于另一次申领，请刷新页面后重新填写。")
            return earlier
    amount = check_money(amount, "申领金额")
    if not programme.is_active:
        raise ValidationError(f"{programme}已停止申领。")
    if batch is not None and not (batch.opens_on <= on <= batch.closes_on):
        raise ValidationError(f"不在{batch.name}申领时间内（{batch.opens_on}至{batch.closes_on}）。")
    fail(eligibility_problem(programme, organisation, on))
    used = FirmAllowance.objects.filter(programme=programme, organisation=organisation).values_list(
        "used", flat=True
    )
    fail(
        rules.check_cap(
            used=next(iter(used), ZERO), amount=amount, cap=programme.cap_per_firm, year=programme.year
        )
    )
    voucher = Voucher.objects.create(
        programme=programme,
        batch=batch,
        organisation=organisation,
        number=uuid.uuid4().hex[:30],
        requested_amount=amount,
        purpose=purpose[:200],
        claimed_on=on,
        claimed_by=actor,
        claim_key=key or None,
    )
    voucher.number = f"KJQ{programme.year}{voucher.pk:06d}"
    Voucher.objects.filter(pk=voucher.pk).update(number=voucher.number)
    audit.record(actor=actor, action="vouchers.voucher_claim", obj=voucher, changes={"requested": amount})
    return voucher


@transaction.atomic
def voucher_issue(*, actor, voucher: Voucher, on: dt.date, amount: Decimal | None = None) -> Voucher:
    """Approve a claim and issue the voucher: the pool and the firm's yearly cap are both checked by
    conditional UPDATE, so concurrent issues can never overdraw either."""
    programme = voucher.programme
    amount = check_money(voucher.requested_amount if amount is None else amount, "发放金额")
    if amount > voucher.requested_amount:
        raise ValidationError(f"发放金额不能超过申领金额 {rules.yuan(voucher.requested_amount)}。")
    second = rules.needs_second_person(amount=amount, threshold=programme.second_approval_above)
    if second and _propose_or_check(actor=actor, voucher=voucher, amount=amount):
        return voucher  # proposed: waits for a colleague to confirm
    allowance, _ = FirmAllowance.objects.get_or_create(programme=programme, organisation=voucher.organisation)
    lock(VoucherProgramme, programme.pk)
    lock(FirmAllowance, allowance.pk)
    if not take(VoucherProgramme, programme.pk, "pool_remaining", amount):
        programme.refresh_from_db()
        fail(rules.check_pool(remaining=programme.pool_remaining, amount=amount) or "年度资金池余额不足。")
    cap_left = FirmAllowance.objects.filter(
        pk=allowance.pk, used__lte=programme.cap_per_firm - amount
    ).update(used=F("used") + amount)
    if cap_left != 1:
        allowance.refresh_from_db()
        fail(
            rules.check_cap(
                used=allowance.used, amount=amount, cap=programme.cap_per_firm, year=programme.year
            )
            or "超过每家企业年度上限。"
        )
    valid_until = on + dt.timedelta(days=programme.validity_days - 1)
    transition(
        voucher,
        V.ISSUED,
        actor=actor,
        amount=amount,
        remaining=amount,
        issued_on=on,
        valid_until=valid_until,
        issued_by=actor,
    )
    post(
        kind=K.ISSUE,
        amount=amount,
        source=programme.account,
        target=voucher.account,
        booked_on=on,
        actor=actor,
        programme=programme,
        voucher=voucher,
        organisation=voucher.organisation,
        memo=f"发放创新券 {voucher.number}",
    )
    audit.record(
        actor=actor,
        action="vouchers.voucher_issue",
        obj=voucher,
        changes={"amount": amount, "valid_until": valid_until},
    )
    return voucher


def _propose_or_check(*, actor, voucher: Voucher, amount: Decimal) -> bool:
    """Two-person issue. The first staff member proposes the amount (True: nothing is issued yet, the other
    staff are told); a second one, never the proposer, confirms that same amount (False: go on and issue)."""
    from kechuang.vouchers import permissions

    fail(staff_only(actor))
    current = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if current.status != V.CLAIMED:
        raise ValidationError(f"创新券状态为“{current.get_status_display()}”，不能发放。")
    if current.issue_proposed_by_id is None:
        Voucher.objects.filter(pk=voucher.pk, issue_proposed_by__isnull=True).update(
            issue_proposed_by=actor, issue_proposed_amount=amount, version=F("version") + 1
        )
        voucher.refresh_from_db()
        audit.record(
            actor=actor, action="vouchers.voucher_issue_propose", obj=voucher, changes={"amount": amount}
        )
        _tell_second_person(voucher, actor)
        return True
    if not permissions.vouchers.allows(actor, "review", current):
        raise ValidationError("发放金额超过两人发放起点，须由经办人以外的另一名工作人员复核发放。")
    if amount != current.issue_proposed_amount:
        raise ValidationError(
            f"复核发放金额 {rules.yuan(amount)} 与经办拟发放金额 {rules.yuan(current.issue_proposed_amount)} "
            "不一致；如需调整，请先不予发放或与经办人核对。"
        )
    return False


def _tell_second_person(voucher: Voucher, proposer) -> None:
    from kechuang.notifications.selectors import bureau_users
    from kechuang.notifications.services import notify

    notify(
        users=bureau_users(voucher.programme.region, exclude=proposer),
        kind="vouchers.task",
        title=f"创新券待复核发放：{voucher.number}（{rules.yuan(voucher.issue_proposed_amount)}）",
        url=f"/vouchers/v/{voucher.pk}/",
        about=voucher,
        reason="issue_confirm",
    )


@transaction.atomic
def voucher_reject(*, actor, voucher: Voucher, reason: str) -> Voucher:
    if not reason.strip():
        raise ValidationError("不予发放必须填写原因。")
    transition(voucher, V.REJECTED, actor=actor, note=reason, reason=reason.strip()[:200])
    audit.record(actor=actor, action="vouchers.voucher_reject", obj=voucher, changes={"reason": reason})
    return voucher


def _affiliations(org_a, org_b) -> list[str]:
    rows = Affiliation.objects.filter(
        Q(organisation_a=org_a, organisation_b=org_b) | Q(organisation_a=org_b, organisation_b=org_a)
    )
    return [r.get_kind_display() for r in rows]


def contract_problem(
    voucher: Voucher, provider: Provider, service_item: ServiceItem | None, on: dt.date
) -> str | None:
    firm, org = voucher.organisation, provider.organisation
    return (
        rules.check_validity(valid_until=voucher.valid_until, on=on)
        or (
            None
            if serves(provider.region.path, voucher.programme.region.path)
            else f"服务机构“{org.name}”未在本项目所在地科技局的服务机构库中登记，不得承接本项目的创新券服务。"
        )
        or rules.check_provider_status(
            status=provider.status, name=org.name, reason=provider.blacklist_reason
        )
        or (
            "所选服务项目不在本项目服务目录中。"
            if service_item is not None and service_item.programme_id != voucher.programme_id
            else None
        )
        or (
            f"服务机构“{org.name}”未登记提供“{service_item}”服务。"
            if service_item is not None and not provider.services.filter(pk=service_item.pk).exists()
            else None
        )
        or rules.check_affiliation(
            firm_id=firm.pk,
            provider_id=org.pk,
            firm_code=firm.credit_code,
            provider_code=org.credit_code,
            firm_legal_rep=firm.legal_representative,
            provider_legal_rep=org.legal_representative,
            recorded=_affiliations(firm, org),
        )
    )


@transaction.atomic
def voucher_contract(
    *,
    actor,
    voucher: Voucher,
    provider: Provider,
    contract_amount: Decimal,
    signed_on: dt.date,
    contract_number: str = "",
    service_item: ServiceItem | None = None,
) -> Voucher:
    own_firm(actor, voucher)
    contract_amount = check_money(contract_amount, "合同金额")
    fail(rules.check_not_future(on=signed_on, today=dates.today(), what="合同签订日期"))
    fail(contract_problem(voucher, provider, service_item, signed_on))
    transition(
        voucher,
        V.CONTRACTED,
        actor=actor,
        provider=provider,
        service_item=service_item,
        contract_amount=contract_amount,
        contract_signed_on=signed_on,
        contract_number=contract_number[:40],
    )
    audit.record(
        actor=actor,
        action="vouchers.voucher_contract",
        obj=voucher,
        changes={"provider": provider.organisation_id, "contract_amount": contract_amount},
    )
    return voucher


@transaction.atomic
def voucher_deliver(*, actor, voucher: Voucher, delivered_on: dt.date) -> Voucher:
    own_firm(actor, voucher)
    fail(rules.check_not_future(on=delivered_on, today=dates.today(), what="服务完成日期"))
    if voucher.contract_signed_on and delivered_on < voucher.contract_signed_on:
        raise ValidationError("服务完成日期不能早于合同签订日期。")
    fail(rules.check_validity(valid_until=voucher.valid_until, on=delivered_on))
    transition(voucher, V.DELIVERED, actor=actor, delivered_on=delivered_on)
    audit.record(
        actor=actor, action="vouchers.voucher_deliver", obj=voucher, changes={"delivered_on": delivered_on}
    )
    return voucher


@transaction.atomic
def voucher_void(
    *, actor, voucher: Voucher, reason: str, on: dt.date, blacklist_provider: bool = False
) -> Voucher:
    """Void for fraud: pending redemptions are rejected, unused money released; paid amounts stay paid
    until reversed by their own reversing entries."""
    if not reason.strip():
        raise ValidationError("作废必须填写原因。")
    lock_voucher(voucher)
    voucher.refresh_from_db()
    transition(voucher, V.VOID, actor=actor, note=reason, reason=reason.strip()[:200])
    for redemption in voucher.redemptions.filter(status__in=PENDING).order_by("pk"):
        reject_held(actor=actor, redemption=redemption, reason=f"创新券作废：{reason}", on=on)
    voucher.refresh_from_db()
    release(actor=actor, voucher=voucher, amount=voucher.remaining, on=on, memo="作废释放")
    if blacklist_provider and voucher.provider_id:
        provider_blacklist(actor=actor, provider=voucher.provider, reason=reason, on=on)
    audit.record(actor=actor, action="vouchers.voucher_void", obj=voucher, changes={"reason": reason})
    voucher.refresh_from_db()
    return voucher
