"""Real threads against one voucher and one pool. Each thread has its own database connection and
transaction; on PostgreSQL the row locks and conditional UPDATEs decide, on SQLite the IMMEDIATE
transactions serialise writers. Run on PostgreSQL with DATABASE_URL=postgres://… (see docs/vouchers.md)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kechuang.core.tests.factories import UserFactory
from kechuang.vouchers import services
from kechuang.vouchers.ledger import ledger_check
from kechuang.vouchers.models import LedgerEntry, Redemption, Voucher, VoucherProgramme

from .conftest import delivered_voucher, eligible_firm, files, make_programme

D = Decimal
THREADS = 20


def run_threads(target, n=THREADS):
    """Start `n` threads at once (a barrier) and collect what each returned or raised."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i):
        try:
            barrier.wait()
            results[i] = ("ok", target(i))
        except ValidationError as exc:
            results[i] = ("refused", exc.messages[0])
        except Exception as exc:  # noqa: BLE001 - an unexpected error must fail the test, reported below
            results[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not [r for r in results if r is None or r[0] == "error"], results
    return results


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_redeeming_one_voucher_hold_exactly_what_it_has(staff):
    programme = make_programme(staff, budget="100000")
    voucher = delivered_voucher(staff, programme, amount="50000", contract="200000")
    evidence = files(staff, voucher.organisation)

    def redeem(i):
        return services.redemption_submit(
            actor=staff,
            voucher=voucher,
            amount=D("5000"),
            idempotency_key=f"k{i}",
            on=dt.date(2020, 8, 10),
            **evidence,
        ).pk

    results = run_threads(redeem)
    ok = [r for r in results if r[0] == "ok"]
    assert len(ok) == 10  # 50,000 / 5,000
    assert all("可用余额" in r[1] for r in results if r[0] == "refused")
    voucher.refresh_from_db()
    assert (voucher.remaining, voucher.held) == (0, D("50000"))
    assert Redemption.objects.count() == 10
    check = ledger_check()
    assert check.ok, check.problems


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_paying_the_same_request_pay_once(staff, staff2):
    programme = make_programme(staff, budget="100000")
    voucher = delivered_voucher(staff, programme, amount="50000", contract="200000")
    redemption = services.redemption_submit(
        actor=staff,
        voucher=voucher,
        amount=D("20000"),
        idempotency_key="same",
        on=dt.date(2020, 8, 10),
        **files(staff, voucher.organisation),
    )
    services.redemption_review(actor=staff2, redemption=redemption, approve=True, on=dt.date(2020, 8, 11))
    services.redemption_request_payout(actor=staff, redemption=redemption)
    approvers = [UserFactory(staff=True) for _ in range(THREADS)]

    def approve(i):
        return services.redemption_pay(
            actor=approvers[i], redemption=Redemption.objects.get(pk=redemption.pk), on=dt.date(2020, 8, 12)
        ).status

    results = run_threads(approve)
    assert all(r == ("ok", "paid") for r in results), results
    assert LedgerEntry.objects.filter(kind="payout").count() == 1
    voucher.refresh_from_db()
    assert voucher.paid_total == D("20000")
    assert ledger_check().ok


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_issuing_from_one_pool_never_overdraw_it(staff):
    programme = make_programme(staff, budget="100000", cap="100000")
    claims = [
        services.voucher_claim(
            actor=staff,
            programme=programme,
            organisation=eligible_firm(),
            amount=D("10000"),
            on=dt.date(2020, 5, 6),
        )
        for _ in range(THREADS)
    ]

    def issue(i):
        return services.voucher_issue(
            actor=staff, voucher=Voucher.objects.get(pk=claims[i].pk), on=dt.date(2020, 5, 7)
        ).pk

    results = run_threads(issue)
    assert len([r for r in results if r[0] == "ok"]) == 10
    assert all("资金池余额不足" in r[1] for r in results if r[0] == "refused")
    programme.refresh_from_db()
    assert programme.pool_remaining == 0
    assert Voucher.objects.filter(status="issued").count() == 10
    check = ledger_check()
    assert check.ok, check.problems


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_issuing_to_one_firm_never_exceed_its_cap(staff):
    programme = make_programme(staff, budget="1000000", cap="60000")
    firm = eligible_firm()
    claims = [
        services.voucher_claim(
            actor=staff, programme=programme, organisation=firm, amount=D("10000"), on=dt.date(2020, 5, 6)
        )
        for _ in range(THREADS)
    ]

    def issue(i):
        return services.voucher_issue(
            actor=staff, voucher=Voucher.objects.get(pk=claims[i].pk), on=dt.date(2020, 5, 7)
        ).pk

    results = run_threads(issue)
    assert len([r for r in results if r[0] == "ok"]) == 6
    assert all("年度上限" in r[1] for r in results if r[0] == "refused")
    assert VoucherProgramme.objects.get(pk=programme.pk).pool_remaining == D("940000")
    assert ledger_check().ok
