"""A service provider's own users confirm, on their side, the contracts signed with them and the redemptions
resting on their invoices (ADR 0028). A confirmation is a record the staff see when they review; it moves no
money and changes nothing of the firm's voucher."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kechuang.core import audit
from kechuang.vouchers import permissions
from kechuang.vouchers.models import Redemption, Voucher
from kechuang.vouchers.services.workflow import R, V

CONTRACTED = (V.CONTRACTED, V.DELIVERED, V.SETTLED)


@transaction.atomic
def provider_confirm_contract(*, actor, voucher: Voucher, on: dt.date) -> Voucher:
    if not permissions.vouchers.allows(actor, "provide", voucher):
        raise PermissionDenied("只有该服务机构的用户可以确认合同。")
    if voucher.status not in CONTRACTED:
        raise ValidationError(f"创新券状态为“{voucher.get_status_display()}”，登记服务合同后才能确认。")
    _stamp(voucher, actor=actor, on=on, already="该合同已确认，无需重复操作。")
    audit.record(
        actor=actor,
        action="vouchers.provider_confirm_contract",
        obj=voucher,
        changes={"contract": voucher.contract_number, "amount": voucher.contract_amount},
    )
    return voucher


@transaction.atomic
def provider_confirm_redemption(*, actor, redemption: Redemption, on: dt.date) -> Redemption:
    """The provider confirms the service was delivered and the invoice behind this redemption is its own."""
    if not permissions.redemptions.allows(actor, "provide", redemption):
        raise PermissionDenied("只有该服务机构的用户可以确认兑付。")
    if redemption.status in (R.REJECTED, R.REVERSED):
        raise ValidationError(f"兑付申请为“{redemption.get_status_display()}”，无需确认。")
    _stamp(redemption, actor=actor, on=on, already="该兑付申请已确认，无需重复操作。")
    audit.record(
        actor=actor,
        action="vouchers.provider_confirm_redemption",
        obj=redemption,
        changes={"invoice_amount": redemption.invoice_amount, "amount": redemption.amount},
    )
    return redemption


def _stamp(obj: Voucher | Redemption, *, actor, on: dt.date, already: str) -> None:
    """The provider's confirmation, once (a conditional UPDATE: a second tap or a concurrent one is told so)."""
    stamped = type(obj).objects.filter(pk=obj.pk, provider_confirmed_on__isnull=True)
    if not stamped.update(provider_confirmed_on=on, provider_confirmed_by=actor):
        raise ValidationError(already)
    obj.refresh_from_db()
