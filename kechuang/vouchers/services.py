"""Writes for vouchers, support funds and prizes. Every money movement posts a ledger entry, moves the
balance rows by conditional UPDATE and records an audit event, all in one transaction.

Workflows are the explicit tables below, applied by `_transition` with a compare-and-set on the status.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum

from kechuang.accounts.roles import Role
from kechuang.core import audit, workdays
from kechuang.enterprises.models import Qualification
from kechuang.vouchers import rules
from kechuang.vouchers.ledger import TREASURY, give, lock, post, take
from kechuang.vouchers.models import (
    ZERO,
    Affiliation,
    Allocation,
    BudgetLine,
    FirmAllowance,
    Instalment,
    LedgerEntry,
    Provider,
    Redemption,
    ServiceItem,
    StatusChange,
    Voucher,
    VoucherBatch,
    VoucherProgramme,
)

V = Voucher.Status
R = Redemption.Status
A = Allocation.Status
K = LedgerEntry.Kind

LIVE = (V.ISSUED, V.CONTRACTED, V.DELIVERED)  # vouchers holding money that may still be used
PENDING = (R.SUBMITTED, R.PUBLICITY, R.APPROVED, R.PAYOUT_REQUESTED)  # redemptions holding money


def _staff(actor) -> str | None:
    return None if getattr(actor, "role", None) == Role.STAFF else "只有科室工作人员可以办理此操作。"


def _any(actor) -> str | None:
    return None


VOUCHER_TRANSITIONS = {
    V.CLAIMED: {V.ISSUED: _staff, V.REJECTED: _staff},
    V.ISSUED: {V.CONTRACTED: _any, V.EXPIRED: _any, V.VOID: _staff},
    V.CONTRACTED: {V.DELIVERED: _any, V.EXPIRED: _any, V.VOID: _staff},
    V.DELIVERED: {V.SETTLED: _any, V.EXPIRED: _any, V.VOID: _staff},
    V.SETTLED: {V.DELIVERED: _staff, V.VOID: _staff},  # back to DELIVERED only when a payout is reversed
    V.REJECTED: {},
    V.EXPIRED: {},
    V.VOID: {},
}
REDEMPTION_TRANSITIONS = {
    R.SUBMITTED: {R.PUBLICITY: _staff, R.APPROVED: _staff, R.REJECTED: _staff},
    R.PUBLICITY: {R.APPROVED: _staff, R.REJECTED: _staff},
    R.APPROVED: {R.PAYOUT_REQUESTED: _staff, R.REJECTED: _staff},
    R.PAYOUT_REQUESTED: {R.PAID: _staff, R.REJECTED: _staff},
    R.PAID: {R.REVERSED: _staff},
    R.REJECTED: {},
    R.REVERSED: {},
}
ALLOCATION_TRANSITIONS = {
    A.PROPOSED: {A.APPROVED: _staff, A.CANCELLED: _staff},
    A.APPROVED: {A.PAID: _staff, A.CANCELLED: _staff},
    A.PAID: {A.APPROVED: _staff},  # an instalment reversed
    A.CANCELLED: {},
}
TABLES = {
    Voucher: VOUCHER_TRANSITIONS,
    Redemption: REDEMPTION_TRANSITIONS,
    Allocation: ALLOCATION_TRANSITIONS,
}


def _fail(message: str | None) -> None:
    if message:
        raise ValidationError(message)


def _transition(obj, to: str, *, actor, note: str = "", **updates) -> None:
    """Move `obj` from its current status to `to` if the table allows it; compare-and-set on the status."""
    table = TABLES[type(obj)]
    old = obj.status
    guard = table.get(old, {}).get(to)
    if guard is None:
        labels = type(obj).Status
        raise ValidationError(f"不能从“{labels(old).label}”变为“{labels(to).label}”。")
    _fail(guard(actor))
    changed = (
        type(obj).objects.filter(pk=obj.pk, status=old).update(status=to, version=F("version") + 1, **updates)
    )
    if changed != 1:
        raise ValidationError("该记录的状态已被他人修改，请刷新后重试。")
    StatusChange.objects.create(
        object_type=type(obj)._meta.model_name,
        object_id=obj.pk,
        from_status=old,
        to_status=to,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=note[:200],
    )
    obj.refresh_from_db()


def _check_money(amount: Decimal, what: str = "金额") -> Decimal:
    amount = Decimal(amount)
    _fail(rules.check_positive(amount, what))
    return amount


# --- programmes, providers, affiliations -------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    actor,
    name: str,
    year: int,
    region,
    share_percent: Decimal,
    cap_per_firm: Decimal,
    budget: Decimal,
    validity_days: int = 365,
    publicity_days: int = 0,
    eligible_kinds=(),
    services: tuple[tuple[str, str], ...] = (),
    booked_on: dt.date | None = None,
) -> VoucherProgramme:
    _fail(_staff(actor))
    budget = _check_money(budget, "年度资金池")
    programme = VoucherProgramme(
        name=name,
        year=year,
        region=region,
        share_percent=share_percent,
        cap_per_firm=cap_per_firm,
        budget=budget,
        pool_remaining=budget,
        validity_days=validity_days,
        publicity_days=publicity_days,
    )
    programme.full_clean()
    programme.save()
    programme.eligible_kinds.set(eligible_kinds)
    for item_name, category in services:
        ServiceItem.objects.create(programme=programme, name=item_name, category=category)
    post(
        kind=K.BUDGET,
        amount=budget,
        source=TREASURY,
        target=programme.account,
        booked_on=booked_on or dt.date(year, 1, 1),
        actor=actor,
        programme=programme,
        memo="年度资金池",
    )
    audit.record(
        actor=actor,
        action="vouchers.programme_create",
        obj=programme,
        changes={"budget": budget, "share": share_percent, "cap": cap_per_firm},
    )
    return programme


@transaction.atomic
def batch_create(*, actor, programme: VoucherProgramme, name: str, opens_on: dt.date, closes_on: dt.date):
    _fail(_staff(actor))
    batch = VoucherBatch(programme=programme, name=name, opens_on=opens_on, closes_on=closes_on)
    batch.full_clean()
    batch.save()
    audit.record(actor=actor, action="vouchers.batch_create", obj=batch)
    return batch


@transaction.atomic
def provider_register(*, actor, organisation, services=()) -> Provider:
    _fail(_staff(actor))
    if Provider.objects.filter(organisation=organisation).exists():
        raise ValidationError(f"“{organisation}”已登记为服务机构。")
    provider = Provider.objects.create(organisation=organisation)
    provider.services.set(services)
    audit.record(actor=actor, action="vouchers.provider_register", obj=provider)
    return provider


@transaction.atomic
def provider_vet(*, actor, provider: Provider, approve: bool, on: dt.date) -> Provider:
    _fail(_staff(actor))
    if provider.status == Provider.Status.BLACKLISTED:
        raise ValidationError("已列入黑名单的服务机构不能重新审核入库。")
    new = Provider.Status.APPROVED if approve else Provider.Status.REJECTED
    Provider.objects.filter(pk=provider.pk).update(status=new, vetted_on=on)
    audit.record(
        actor=actor, action="vouchers.provider_vet", obj=provider, changes={"status": [provider.status, new]}
    )
    provider.refresh_from_db()
    return provider


@transaction.atomic
def provider_blacklist(*, actor, provider: Provider, reason: str, on: dt.date) -> Provider:
    _fail(_staff(actor))
    if not reason.strip():
        raise ValidationError("列入黑名单必须填写原因。")
    old = provider.status
    Provider.objects.filter(pk=provider.pk).update(
        status=Provider.Status.BLACKLISTED, blacklisted_on=on, blacklist_reason=reason.strip()[:200]
    )
    audit.record(
        actor=actor,
        action="vouchers.provider_blacklist",
        obj=provider,
        changes={"status": [old, "blacklisted"], "reason": reason},
    )
    provider.refresh_from_db()
    return provider


@transaction.atomic
def affiliation_record(*, actor, organisation_a, organisation_b, kind: str, note: str = "") -> Affiliation:
    _fail(_staff(actor))
    if organisation_a.pk == organisation_b.pk:
        raise ValidationError("关联关系的两方不能是同一单位。")
    a, b = sorted([organisation_a, organisation_b], key=lambda o: o.pk)
    affiliation, _ = Affiliation.objects.get_or_create(
        organisation_a=a, organisation_b=b, kind=kind, defaults={"note": note}
    )
    audit.record(actor=actor, action="vouchers.affiliation_record", obj=affiliation, changes={"kind": kind})
    return affiliation


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
) -> Voucher:
    if actor.role == Role.ENTERPRISE and actor.organisation_id != organisation.pk:
        raise ValidationError("企业用户只能为本企业申领创新券。")
    if actor.role not in (Role.ENTERPRISE, Role.STAFF):
        raise ValidationError("无权申领创新券。")
    amount = _check_money(amount, "申领金额")
    if not programme.is_active:
        raise ValidationError(f"{programme}已停止申领。")
    if batch is not None and not (batch.opens_on <= on <= batch.closes_on):
        raise ValidationError(f"不在{batch.name}申领时间内（{batch.opens_on}至{batch.closes_on}）。")
    _fail(eligibility_problem(programme, organisation, on))
    used = FirmAllowance.objects.filter(programme=programme, organisation=organisation).values_list(
        "used", flat=True
    )
    _fail(
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
    amount = _check_money(voucher.requested_amount if amount is None else amount, "发放金额")
    if amount > voucher.requested_amount:
        raise ValidationError(f"发放金额不能超过申领金额 {rules.yuan(voucher.requested_amount)}。")
    allowance, _ = FirmAllowance.objects.get_or_create(programme=programme, organisation=voucher.organisation)
    lock(VoucherProgramme, programme.pk)
    lock(FirmAllowance, allowance.pk)
    if not take(VoucherProgramme, programme.pk, "pool_remaining", amount):
        programme.refresh_from_db()
        _fail(rules.check_pool(remaining=programme.pool_remaining, amount=amount) or "年度资金池余额不足。")
    cap_left = FirmAllowance.objects.filter(
        pk=allowance.pk, used__lte=programme.cap_per_firm - amount
    ).update(used=F("used") + amount)
    if cap_left != 1:
        allowance.refresh_from_db()
        _fail(
            rules.check_cap(
                used=allowance.used, amount=amount, cap=programme.cap_per_firm, year=programme.year
            )
            or "超过每家企业年度上限。"
        )
    valid_until = on + dt.timedelta(days=programme.validity_days - 1)
    _transition(
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


@transaction.atomic
def voucher_reject(*, actor, voucher: Voucher, reason: str) -> Voucher:
    if not reason.strip():
        raise ValidationError("不予发放必须填写原因。")
    _transition(voucher, V.REJECTED, actor=actor, note=reason, reason=reason.strip()[:200])
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
    _own_firm(actor, voucher)
    contract_amount = _check_money(contract_amount, "合同金额")
    _fail(contract_problem(voucher, provider, service_item, signed_on))
    _transition(
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
    _own_firm(actor, voucher)
    if voucher.contract_signed_on and delivered_on < voucher.contract_signed_on:
        raise ValidationError("服务完成日期不能早于合同签订日期。")
    _fail(rules.check_validity(valid_until=voucher.valid_until, on=delivered_on))
    _transition(voucher, V.DELIVERED, actor=actor, delivered_on=delivered_on)
    audit.record(
        actor=actor, action="vouchers.voucher_deliver", obj=voucher, changes={"delivered_on": delivered_on}
    )
    return voucher


def _own_firm(actor, voucher: Voucher) -> None:
    if actor.role == Role.ENTERPRISE and actor.organisation_id != voucher.organisation_id:
        raise ValidationError("企业用户只能办理本企业的创新券。")
    if actor.role not in (Role.ENTERPRISE, Role.STAFF):
        raise ValidationError("无权办理创新券。")


def _release(*, actor, voucher: Voucher, amount: Decimal, on: dt.date, memo: str) -> None:
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


def _lock_voucher(voucher: Voucher) -> None:
    lock(VoucherProgramme, voucher.programme_id)
    lock(Voucher, voucher.pk)


@transaction.atomic
def voucher_expire_due(*, actor, as_of: dt.date) -> list[Voucher]:
    """Expire every live voucher whose validity ended before `as_of` and release what is unused.
    Idempotent: a second run finds nothing live and past its date. Amounts held by redemption requests
    stay held until those are decided (the service was delivered in time)."""
    expired = []
    for voucher in Voucher.objects.filter(status__in=LIVE, valid_until__lt=as_of).order_by("pk"):
        _lock_voucher(voucher)
        voucher.refresh_from_db()
        if voucher.status not in LIVE:
            continue
        _transition(voucher, V.EXPIRED, actor=actor, note=f"{as_of} 到期")
        _release(actor=actor, voucher=voucher, amount=voucher.remaining, on=as_of, memo="到期释放")
        audit.record(actor=actor, action="vouchers.voucher_expire", obj=voucher, changes={"as_of": as_of})
        expired.append(voucher)
    return expired


@transaction.atomic
def voucher_void(
    *, actor, voucher: Voucher, reason: str, on: dt.date, blacklist_provider: bool = False
) -> Voucher:
    """Void for fraud: pending redemptions are rejected, unused money released; paid amounts stay paid
    until reversed by their own reversing entries."""
    if not reason.strip():
        raise ValidationError("作废必须填写原因。")
    _lock_voucher(voucher)
    voucher.refresh_from_db()
    _transition(voucher, V.VOID, actor=actor, note=reason, reason=reason.strip()[:200])
    for redemption in voucher.redemptions.filter(status__in=PENDING).order_by("pk"):
        _redemption_reject(actor=actor, redemption=redemption, reason=f"创新券作废：{reason}", on=on)
    voucher.refresh_from_db()
    _release(actor=actor, voucher=voucher, amount=voucher.remaining, on=on, memo="作废释放")
    if blacklist_provider and voucher.provider_id:
        provider_blacklist(actor=actor, provider=voucher.provider, reason=reason, on=on)
    audit.record(actor=actor, action="vouchers.voucher_void", obj=voucher, changes={"reason": reason})
    voucher.refresh_from_db()
    return voucher


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
    _own_firm(actor, voucher)
    if not idempotency_key:
        raise ValidationError("缺少请求标识，请刷新页面后重新提交。")
    existing = Redemption.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_request(existing, voucher)
    amount = _check_money(amount, "兑付金额")
    if None in (contract_file, invoice_file, payment_file, output_file):
        raise ValidationError("兑付申请须附服务合同、发票、付款凭证和服务成果材料。")
    _lock_voucher(voucher)
    voucher.refresh_from_db()
    if voucher.status != V.DELIVERED:
        raise ValidationError(f"创新券状态为“{voucher.get_status_display()}”，服务完成后才能申请兑付。")
    _fail(rules.check_validity(valid_until=voucher.valid_until, on=on))
    _fail(
        rules.check_share(
            amount=amount,
            contract_amount=voucher.contract_amount,
            share_percent=voucher.programme.share_percent,
            already=voucher.held + voucher.paid_total,
        )
    )
    if invoice_amount is not None and Decimal(invoice_amount) < voucher.contract_amount:
        raise ValidationError("发票金额低于合同金额，请按实际付款金额核对合同。")
    try:
        with transaction.atomic():
            redemption = Redemption.objects.create(
                voucher=voucher,
                idempotency_key=idempotency_key[:64],
                amount=amount,
                invoice_amount=invoice_amount or voucher.contract_amount,
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
        _fail(rules.check_available(amount=amount, available=voucher.remaining) or "创新券可用余额不足。")
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
    return redemption


def _same_request(existing: Redemption, voucher: Voucher) -> Redemption:
    if existing.voucher_id != voucher.pk:
        raise ValidationError("请求标识已被其他兑付申请使用，请刷新页面后重新提交。")
    return existing


def _redemption_reject(*, actor, redemption: Redemption, reason: str, on: dt.date) -> None:
    voucher = redemption.voucher
    _transition(redemption, R.REJECTED, actor=actor, note=reason, reason=reason[:200], reviewed_by=actor)
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
        _release(
            actor=actor, voucher=voucher, amount=redemption.amount, on=on, memo="兑付未通过，券已失效释放"
        )


@transaction.atomic
def redemption_review(
    *, actor, redemption: Redemption, approve: bool, on: dt.date, reason: str = ""
) -> Redemption:
    _lock_voucher(redemption.voucher)
    redemption.refresh_from_db()
    if redemption.submitted_by_id == actor.pk:
        raise ValidationError("兑付申请人不能审核自己提交的申请。")
    if not approve:
        if not reason.strip():
            raise ValidationError("不予兑付必须填写原因。")
        _redemption_reject(actor=actor, redemption=redemption, reason=reason.strip(), on=on)
        return redemption
    days = redemption.voucher.programme.publicity_days
    if days:
        until = workdays.add_working_days(on, days).date
        _transition(
            redemption,
            R.PUBLICITY,
            actor=actor,
            reviewed_by=actor,
            publicity_until=until,
            reason=reason[:200],
        )
    else:
        _transition(redemption, R.APPROVED, actor=actor, reviewed_by=actor, reason=reason[:200])
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
    _transition(redemption, R.APPROVED, actor=actor, note="公示期满无异议")
    audit.record(actor=actor, action="vouchers.redemption_publicity_close", obj=redemption)
    return redemption


@transaction.atomic
def redemption_request_payout(*, actor, redemption: Redemption) -> Redemption:
    _transition(redemption, R.PAYOUT_REQUESTED, actor=actor, payout_requested_by=actor)
    audit.record(
        actor=actor, action="vouchers.payout_request", obj=redemption, changes={"amount": redemption.amount}
    )
    return redemption


@transaction.atomic
def redemption_pay(*, actor, redemption: Redemption, on: dt.date) -> Redemption:
    """Record the payout. Four eyes: the approver is not who requested it. Paying twice (two staff, a
    retry) pays once: the second call finds the request paid; the ledger's unique key backs that up."""
    voucher = redemption.voucher
    _lock_voucher(voucher)
    lock(Redemption, redemption.pk)
    redemption.refresh_from_db()
    if redemption.status == R.PAID:
        return redemption
    if redemption.payout_requested_by_id == actor.pk:
        raise ValidationError("拨付须由经办人以外的另一名工作人员复核（不能复核自己经办的拨付）。")
    _transition(redemption, R.PAID, actor=actor, payout_approved_by=actor, paid_on=on)
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
        _transition(voucher, V.SETTLED, actor=actor)
    audit.record(
        actor=actor, action="vouchers.redemption_pay", obj=redemption, changes={"amount": redemption.amount}
    )
    return redemption


@transaction.atomic
def redemption_reverse(*, actor, redemption: Redemption, reason: str, on: dt.date) -> LedgerEntry:
    """Undo a payout with a new reversing entry; the payout entry itself is never touched."""
    if not reason.strip():
        raise ValidationError("冲正必须填写原因。")
    voucher = redemption.voucher
    _lock_voucher(voucher)
    payout = LedgerEntry.objects.filter(redemption=redemption, kind=K.PAYOUT).first()
    _transition(redemption, R.REVERSED, actor=actor, note=reason, reason=reason[:200])
    if payout is None or not take(
        Voucher, voucher.pk, "paid_total", redemption.amount, remaining=F("remaining") + redemption.amount
    ):
        raise ValidationError("找不到可冲正的拨付分录。")
    entry = post(
        kind=K.REVERSAL,
        amount=payout.amount,
        source=payout.target,
        target=voucher.account,
        booked_on=on,
        actor=actor,
        programme_id=voucher.programme_id,
        voucher=voucher,
        redemption=redemption,
        organisation_id=voucher.organisation_id,
        reverses=payout,
        memo=f"冲正：{reason}"[:200],
    )
    voucher.refresh_from_db()
    if voucher.status == V.SETTLED:
        _transition(voucher, V.DELIVERED, actor=actor, note="拨付冲正")
    elif voucher.status in (V.EXPIRED, V.VOID):
        _release(actor=actor, voucher=voucher, amount=payout.amount, on=on, memo="冲正后券已失效释放")
    audit.record(
        actor=actor, action="vouchers.redemption_reverse", obj=redemption, changes={"reason": reason}
    )
    return entry


# --- support funds and prizes ------------------------------------------------------------------------


@transaction.atomic
def budget_line_create(
    *, actor, name: str, kind: str, year: int, region, budget: Decimal, booked_on: dt.date
):
    _fail(_staff(actor))
    budget = _check_money(budget, "预算")
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
    _fail(_staff(actor))
    amount = _check_money(amount)
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
    _transition(allocation, A.APPROVED, actor=actor, approved_by=actor, remaining=allocation.amount)
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
    _transition(allocation, A.CANCELLED, actor=actor, note=reason)
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
    _fail(_staff(actor))
    existing = Instalment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.allocation_id != allocation.pk:
            raise ValidationError("请求标识已被其他拨付使用，请刷新页面后重新提交。")
        return existing
    amount = _check_money(amount, "拨付金额")
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
    _fail(_staff(actor))
    allocation = instalment.allocation
    lock(Allocation, allocation.pk)
    lock(Instalment, instalment.pk)
    instalment.refresh_from_db()
    if instalment.status == Instalment.Status.PAID:
        return instalment
    if instalment.requested_by_id == actor.pk:
        raise ValidationError("拨付须由经办人以外的另一名工作人员复核（不能复核自己经办的拨付）。")
    changed = Instalment.objects.filter(pk=instalment.pk, status=Instalment.Status.REQUESTED).update(
        status=Instalment.Status.PAID, approved_by=actor, paid_on=on
    )
    if changed != 1:
        raise ValidationError("该拨付的状态已被他人修改，请刷新后重试。")
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
        _transition(allocation, A.PAID, actor=actor)
    audit.record(
        actor=actor, action="vouchers.instalment_pay", obj=allocation, changes={"amount": instalment.amount}
    )
    instalment.refresh_from_db()
    return instalment


@transaction.atomic
def instalment_reverse(*, actor, instalment: Instalment, reason: str, on: dt.date) -> LedgerEntry:
    _fail(_staff(actor))
    if not reason.strip():
        raise ValidationError("冲正必须填写原因。")
    allocation = instalment.allocation
    lock(Allocation, allocation.pk)
    changed = Instalment.objects.filter(pk=instalment.pk, status=Instalment.Status.PAID).update(
        status=Instalment.Status.REVERSED
    )
    if changed != 1:
        raise ValidationError("只有已拨付的款项可以冲正。")
    payout = LedgerEntry.objects.get(instalment=instalment, kind=K.INSTALMENT)
    if not take(
        Allocation, allocation.pk, "paid_total", payout.amount, remaining=F("remaining") + payout.amount
    ):
        raise ValidationError("已拨付金额不足，不能冲正。")
    entry = post(
        kind=K.REVERSAL,
        amount=payout.amount,
        source=payout.target,
        target=payout.source,
        booked_on=on,
        actor=actor,
        budget_line_id=allocation.budget_line_id,
        allocation=allocation,
        instalment=instalment,
        organisation_id=allocation.organisation_id,
        reverses=payout,
        memo=f"冲正：{reason}"[:200],
    )
    allocation.refresh_from_db()
    if allocation.status == A.PAID:
        _transition(allocation, A.APPROVED, actor=actor, note="拨付冲正")
    audit.record(
        actor=actor, action="vouchers.instalment_reverse", obj=instalment, changes={"reason": reason}
    )
    return entry
