"""Voucher programmes (rules as data), batches, the service catalogue, approved providers (vetting,
blacklist) and recorded affiliations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max

from kechuang.core import audit
from kechuang.core.services import StaleObject
from kechuang.vouchers import rules
from kechuang.vouchers.ledger import TREASURY, give, lock, post, take
from kechuang.vouchers.models import (
    Affiliation,
    FirmAllowance,
    Provider,
    ServiceItem,
    Voucher,
    VoucherBatch,
    VoucherProgramme,
)
from kechuang.vouchers.services.workflow import (
    K,
    check_money,
    fail,
    staff_only,
)


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
    second_approval_above: Decimal | None = None,
    eligible_kinds=(),
    services: tuple[tuple[str, str], ...] = (),
    booked_on: dt.date | None = None,
) -> VoucherProgramme:
    fail(staff_only(actor))
    budget = check_money(budget, "年度资金池")
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
        second_approval_above=second_approval_above,
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
    fail(staff_only(actor))
    batch = VoucherBatch(programme=programme, name=name, opens_on=opens_on, closes_on=closes_on)
    batch.full_clean()
    batch.save()
    audit.record(actor=actor, action="vouchers.batch_create", obj=batch)
    return batch


@transaction.atomic
def provider_register(*, actor, organisation, services=(), region=None) -> Provider:
    """Register `organisation` in the provider registry of `region` (default: the actor's bureau)."""
    fail(staff_only(actor))
    region = region or getattr(actor, "region", None)
    if region is None:
        raise ValidationError("服务机构须登记在一个科技局（区划）的服务机构库中。")
    if Provider.objects.filter(organisation=organisation, region=region).exists():
        raise ValidationError(f"“{organisation}”已登记为{region.name}的服务机构。")
    provider = Provider.objects.create(organisation=organisation, region=region)
    provider.services.set(services)
    audit.record(actor=actor, action="vouchers.provider_register", obj=provider)
    return provider


def _own_registry(actor, provider: Provider) -> None:
    """A provider's registration is its bureau's: only staff the policy lets change it vet, blacklist or
    set its services (the demo and the command line act for the system)."""
    from kechuang.accounts.models import User
    from kechuang.vouchers import permissions

    if isinstance(actor, User) and not permissions.providers.allows(actor, "change", provider):
        raise ValidationError("只能办理本区科技局服务机构库中的服务机构。")


@transaction.atomic
def provider_vet(*, actor, provider: Provider, approve: bool, on: dt.date) -> Provider:
    fail(staff_only(actor))
    _own_registry(actor, provider)
    if provider.status == Provider.Status.BLACKLISTED:
        raise ValidationError("已列入黑名单的服务机构不能重新审核入库。")
    new = Provider.Status.APPROVED if approve else Provider.Status.REJECTED
    Provider.objects.filter(pk=provider.pk).update(status=new, vetted_on=on, version=F("version") + 1)
    audit.record(
        actor=actor, action="vouchers.provider_vet", obj=provider, changes={"status": [provider.status, new]}
    )
    provider.refresh_from_db()
    return provider


@transaction.atomic
def provider_blacklist(*, actor, provider: Provider, reason: str, on: dt.date) -> Provider:
    fail(staff_only(actor))
    _own_registry(actor, provider)
    if not reason.strip():
        raise ValidationError("列入黑名单必须填写原因。")
    old = provider.status
    Provider.objects.filter(pk=provider.pk).update(
        status=Provider.Status.BLACKLISTED,
        blacklisted_on=on,
        blacklist_reason=reason.strip()[:200],
        version=F("version") + 1,
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
    fail(staff_only(actor))
    if organisation_a.pk == organisation_b.pk:
        raise ValidationError("关联关系的两方不能是同一单位。")
    a, b = sorted([organisation_a, organisation_b], key=lambda o: o.pk)
    affiliation, _ = Affiliation.objects.get_or_create(
        organisation_a=a, organisation_b=b, kind=kind, defaults={"note": note}
    )
    audit.record(actor=actor, action="vouchers.affiliation_record", obj=affiliation, changes={"kind": kind})
    return affiliation


EDITABLE = (
    "name",
    "share_percent",
    "cap_per_firm",
    "second_approval_above",
    "validity_days",
    "publicity_days",
    "is_active",
)


@transaction.atomic
def programme_update(
    *,
    actor,
    programme: VoucherProgramme,
    expected_version: int,
    budget: Decimal,
    eligible_kinds=None,
    services: tuple[tuple[str, str], ...] | None = None,
    on: dt.date,
    **fields,
) -> VoucherProgramme:
    """Change a programme's rules. Year and region are fixed once money has moved. A budget change posts
    its own ledger entry (top-up `treasury → pool`, cut `pool → treasury`); a cut can only take what is
    still unissued, and the yearly cap cannot drop below what a firm has already been issued."""
    fail(staff_only(actor))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    lock(VoucherProgramme, programme.pk)
    current = VoucherProgramme.objects.get(pk=programme.pk)
    if current.version != expected_version:
        raise StaleObject()
    before = audit.snapshot(current, [*EDITABLE, "budget"])
    old_budget = current.budget
    for name, value in fields.items():
        setattr(current, name, value)
    budget = check_money(budget, "年度资金池")
    current.budget = budget
    current.full_clean(exclude=["pool_remaining"])
    top_used = FirmAllowance.objects.filter(programme=current).aggregate(m=Max("used"))["m"]
    if top_used is not None and current.cap_per_firm < top_used:
        raise ValidationError(f"已有企业本项目已发放{rules.yuan(top_used)}，每家企业年度上限不能低于该金额。")
    delta = budget - old_budget
    if delta < 0 and not take(VoucherProgramme, current.pk, "pool_remaining", -delta):
        current.refresh_from_db(fields=["pool_remaining"])
        raise ValidationError(
            f"资金池只剩{rules.yuan(current.pool_remaining)}未发放，最多可调减该金额"
            f"（本次调减{rules.yuan(-delta)}）。"
        )
    if delta > 0:
        give(VoucherProgramme, current.pk, "pool_remaining", delta)
    if delta:
        post(
            kind=K.BUDGET if delta > 0 else K.BUDGET_CUT,
            amount=abs(delta),
            source=TREASURY if delta > 0 else current.account,
            target=current.account if delta > 0 else TREASURY,
            booked_on=on,
            actor=actor,
            programme=current,
            memo="年度资金池调增" if delta > 0 else "年度资金池调减",
        )
    VoucherProgramme.objects.filter(pk=current.pk).update(
        **{name: getattr(current, name) for name in EDITABLE},
        budget=budget,
        version=F("version") + 1,
    )
    if eligible_kinds is not None:
        current.eligible_kinds.set(eligible_kinds)
    if services is not None:
        _sync_services(current, services)
    current.refresh_from_db()
    audit.record(
        actor=actor,
        action="vouchers.programme_update",
        obj=current,
        changes=audit.diff(before, audit.snapshot(current, [*EDITABLE, "budget"])),
    )
    return current


def _sync_services(programme: VoucherProgramme, services: tuple[tuple[str, str], ...]) -> None:
    """Make the catalogue match `services`: add new items, update categories, delete dropped ones
    unless a voucher already bought them."""
    wanted = dict(services)
    for item in programme.service_items.all():
        if item.name not in wanted:
            if Voucher.objects.filter(service_item=item).exists():
                raise ValidationError(f"服务项目“{item.name}”已有创新券使用，不能从服务目录中删除。")
            item.delete()
        elif item.category != wanted[item.name]:
            ServiceItem.objects.filter(pk=item.pk).update(category=wanted[item.name])
    have = set(programme.service_items.values_list("name", flat=True))
    for name, category in services:
        if name not in have:
            ServiceItem.objects.create(programme=programme, name=name, category=category)


@transaction.atomic
def provider_set_services(*, actor, provider: Provider, services, expected_version: int) -> Provider:
    fail(staff_only(actor))
    _own_registry(actor, provider)
    changed = Provider.objects.filter(pk=provider.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if changed != 1:
        raise StaleObject()
    before = sorted(provider.services.values_list("pk", flat=True))
    provider.services.set(services)
    audit.record(
        actor=actor,
        action="vouchers.provider_set_services",
        obj=provider,
        changes={"services": [before, sorted(s.pk for s in services)]},
    )
    provider.refresh_from_db()
    return provider
