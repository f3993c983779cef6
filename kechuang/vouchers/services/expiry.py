"""Expiry: live vouchers past their validity release their unused amount back to the pool."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kechuang.core import audit
from kechuang.vouchers.models import (
    Voucher,
)
from kechuang.vouchers.services.workflow import (
    LIVE,
    V,
    lock_voucher,
    release,
    transition,
)


@transaction.atomic
def voucher_expire_due(*, actor, as_of: dt.date) -> list[Voucher]:
    """Expire every live voucher whose validity ended before `as_of` and release what is unused.
    Idempotent: a second run finds nothing live and past its date. Amounts held by redemption requests
    stay held until those are decided (the service was delivered in time)."""
    expired = []
    for voucher in Voucher.objects.filter(status__in=LIVE, valid_until__lt=as_of).order_by("pk"):
        lock_voucher(voucher)
        voucher.refresh_from_db()
        if voucher.status not in LIVE:
            continue
        transition(voucher, V.EXPIRED, actor=actor, note=f"{as_of} 到期")
        release(actor=actor, voucher=voucher, amount=voucher.remaining, on=as_of, memo="到期释放")
        audit.record(actor=actor, action="vouchers.voucher_expire", obj=voucher, changes={"as_of": as_of})
        expired.append(voucher)
    return expired
