import datetime as dt

from django.tasks import task

from kechuang.vouchers import services


@task()
def expire_vouchers(as_of: str) -> list[str]:
    """Daily: expire vouchers past their validity and release what is unused (idempotent)."""
    expired = services.voucher_expire_due(actor=None, as_of=dt.date.fromisoformat(as_of))
    return [v.number for v in expired]
