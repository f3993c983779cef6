"""Voucher programmes (rules as data), batches, the service catalogue, approved providers (vetting,
blacklist) and recorded affiliations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.core import audit
from kechuang.vouchers.ledger import TREASURY, post
from kechuang.vouchers.models import (
    Affiliation,
    Provider,
    ServiceItem,
    VoucherBatch,
    VoucherProgramme,
)
from kechuang.vouchers.services.workflow import (
    K,
    check_money,
    fail,
    staff_only,
)

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
def provider_register(*, actor, organisation, services=()) -> Provider:
    fail(staff_only(actor))
    if Provider.objects.filter(organisation=organisation).exists():
        raise ValidationError(f"“{organisation}”已登记为服务机构。")
    provider = Provider.objects.create(organisation=organisation)
    provider.services.set(services)
    audit.record(actor=actor, action="vouchers.provider_register", obj=provider)
    return provider


@transaction.atomic
def provider_vet(*, actor, provider: Provider, approve: bool, on: dt.date) -> Provider:
    fail(staff_only(actor))
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
    fail(staff_only(actor))
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
    fail(staff_only(actor))
    if organisation_a.pk == organisation_b.pk:
        raise ValidationError("关联关系的两方不能是同一单位。")
    a, b = sorted([organisation_a, organisation_b], key=lambda o: o.pk)
    affiliation, _ = Affiliation.objects.get_or_create(
        organisation_a=a, organisation_b=b, kind=kind, defaults={"note": note}
    )
    audit.record(actor=actor, action="vouchers.affiliation_record", obj=affiliation, changes={"kind": kind})
    return affiliation
