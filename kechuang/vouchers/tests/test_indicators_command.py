import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kechuang.core.indicators import Period, Scope, compute
from kechuang.vouchers import services
from kechuang.vouchers.models import LedgerEntry, Voucher

from .conftest import ISSUE_DAY, delivered_voucher, issued_voucher, pay, submit

D = Decimal
pytestmark = pytest.mark.django_db


def test_paid_indicators_net_reversals_and_add_support_funds(staff, staff2, programme, district):
    voucher = delivered_voucher(staff, programme)
    pay(staff, staff2, submit(staff, voucher, "30000"))
    reversed_ = pay(staff, staff2, submit(staff, voucher, "5000"))
    services.redemption_reverse(actor=staff, redemption=reversed_, reason="退回", on=dt.date(2020, 9, 3))
    line = services.budget_line_create(
        actor=staff,
        name="校城融合项目扶持资金",
        kind="support",
        year=2020,
        region=district,
        budget=D("100000"),
        booked_on=ISSUE_DAY,
    )
    alloc = services.allocation_propose(
        actor=staff, budget_line=line, amount=D("40000"), reference="合作项目", on=ISSUE_DAY
    )
    services.allocation_approve(actor=staff2, allocation=alloc, on=ISSUE_DAY)
    inst = services.instalment_request(
        actor=staff, allocation=alloc, amount=D("40000"), idempotency_key="x", on=ISSUE_DAY
    )
    services.instalment_pay(actor=staff2, instalment=inst, on=ISSUE_DAY)
    scope = Scope(district, Period(2020), dt.date(2020, 12, 31))
    assert compute("voucher_funds_paid", scope).value == D("30000")
    assert compute("support_funds_paid", scope).value == D("40000")
    combined = compute("vouchers_and_funds_paid", scope)
    assert (
        combined.value == D("70000") and len(list(combined.rows())) == 4
    )  # 2 payouts, 1 reversal, 1 instalment
    assert compute("vouchers_issued_count", scope).value == 1
    assert compute("voucher_funds_paid", Scope(district, Period(2021), dt.date(2021, 12, 31))).value == 0


def test_indicator_is_scoped_to_the_region(staff, staff2, programme, other_district):
    pay(staff, staff2, submit(staff, delivered_voucher(staff, programme), "1000"))
    assert (
        compute("voucher_funds_paid", Scope(other_district, Period(2020), dt.date(2020, 12, 31))).value == 0
    )


def test_expire_command_is_idempotent(staff, programme):
    voucher = issued_voucher(staff, programme, amount="1000")
    after = (voucher.valid_until + dt.timedelta(days=1)).isoformat()
    out = StringIO()
    call_command("vouchers", "expire", "--as-of", after, stdout=out)
    assert "到期失效 1 张" in out.getvalue() and voucher.number in out.getvalue()
    call_command("vouchers", "expire", "--as-of", after, stdout=out)
    assert "到期失效 0 张" in out.getvalue()
    assert Voucher.objects.get().status == "expired"
    assert LedgerEntry.objects.filter(kind="release").count() == 1
    call_command("vouchers", "check", stdout=out)
    assert "台账核对通过" in out.getvalue()


def test_expire_command_rejects_a_bad_date(db):
    with pytest.raises(CommandError, match="日期格式应为"):
        call_command("vouchers", "expire", "--as-of", "2020-13-01")


def test_check_command_fails_on_a_tampered_pool(staff, programme):
    type(programme).objects.filter(pk=programme.pk).update(pool_remaining=D("1"))
    with pytest.raises(CommandError, match="台账核对未通过"):
        call_command("vouchers", "check", stdout=StringIO(), stderr=StringIO())
