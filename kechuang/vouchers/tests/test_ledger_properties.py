"""A hypothesis state machine drives random claim/issue/contract/redeem/pay/reject/expire/void/reverse
sequences through the real services; after every step the ledger must reconcile and no invariant break."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from kechuang.core.tests.factories import UserFactory
from kechuang.vouchers import services
from kechuang.vouchers.ledger import ledger_check
from kechuang.vouchers.models import FirmAllowance, LedgerEntry, Redemption, Voucher, VoucherProgramme

from .conftest import approved_provider, eligible_firm, files, make_programme

D = Decimal
AMOUNTS = st.sampled_from([D("1000"), D("2500.50"), D("10000"), D("30000"), D("45000")])
PICK = st.integers(min_value=0, max_value=10_000)


class VoucherLedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.staff = UserFactory(staff=True)
        self.staff2 = UserFactory(staff=True)
        self.programme = make_programme(self.staff, budget="150000", cap="60000", validity=90)
        self.firms = [eligible_firm() for _ in range(3)]
        self.provider = approved_provider(self.staff, self.programme)
        self.evidence = files(self.staff, self.firms[0])
        self.today = dt.date(2020, 5, 1)
        self.keys = 0

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _pick(self, qs, n):
        pks = list(qs.order_by("pk").values_list("pk", flat=True))
        return qs.model.objects.get(pk=pks[n % len(pks)]) if pks else None

    def _try(self, fn, **kwargs):
        try:
            return fn(**kwargs)
        except ValidationError:
            return None

    @rule(firm=st.integers(0, 2), amount=AMOUNTS)
    def claim(self, firm, amount):
        self._try(
            services.voucher_claim,
            actor=self.staff,
            programme=self.programme,
            organisation=self.firms[firm],
            amount=amount,
            on=self.today,
        )

    @rule(n=PICK)
    def issue(self, n):
        voucher = self._pick(Voucher.objects.filter(status="claimed"), n)
        if voucher:
            self._try(services.voucher_issue, actor=self.staff, voucher=voucher, on=self.today)

    @rule(n=PICK, contract=AMOUNTS)
    def contract_and_deliver(self, n, contract):
        voucher = self._pick(Voucher.objects.filter(status="issued"), n)
        if voucher and self._try(
            services.voucher_contract,
            actor=self.staff,
            voucher=voucher,
            provider=self.provider,
            contract_amount=contract * 3,
            signed_on=self.today,
        ):
            self._try(services.voucher_deliver, actor=self.staff, voucher=voucher, delivered_on=self.today)

    @rule(n=PICK, amount=AMOUNTS, retry=st.booleans())
    def redeem(self, n, amount, retry):
        voucher = self._pick(Voucher.objects.filter(status="delivered"), n)
        if not voucher:
            return
        self.keys += 1
        for _ in range(2 if retry else 1):  # a retry with the same key must not hold twice
            self._try(
                services.redemption_submit,
                actor=self.staff,
                voucher=voucher,
                amount=amount,
                idempotency_key=f"m{self.keys}",
                on=self.today,
                **self.evidence,
            )

    @rule(n=PICK, twice=st.booleans())
    def pay(self, n, twice):
        redemption = self._pick(Redemption.objects.filter(status="submitted"), n)
        if not redemption:
            return
        if self._try(
            services.redemption_review, actor=self.staff2, redemption=redemption, approve=True, on=self.today
        ):
            services.redemption_request_payout(actor=self.staff, redemption=redemption)
            for _ in range(2 if twice else 1):
                services.redemption_pay(actor=self.staff2, redemption=redemption, on=self.today)

    @rule(n=PICK)
    def reject(self, n):
        redemption = self._pick(Redemption.objects.filter(status="submitted"), n)
        if redemption:
            services.redemption_review(
                actor=self.staff2, redemption=redemption, approve=False, on=self.today, reason="材料不全"
            )

    @rule(n=PICK)
    def reverse(self, n):
        redemption = self._pick(Redemption.objects.filter(status="paid"), n)
        if redemption:
            services.redemption_reverse(actor=self.staff, redemption=redemption, reason="退回", on=self.today)

    @rule(days=st.integers(1, 60))
    def time_passes_and_expiry_runs(self, days):
        self.today += dt.timedelta(days=days)
        services.voucher_expire_due(actor=self.staff, as_of=self.today)
        services.voucher_expire_due(actor=self.staff, as_of=self.today)  # idempotent

    @rule(n=PICK)
    def void(self, n):
        voucher = self._pick(
            Voucher.objects.filter(status__in=["issued", "contracted", "delivered", "settled"]), n
        )
        if voucher:
            services.voucher_void(actor=self.staff, voucher=voucher, reason="弄虚作假", on=self.today)

    @invariant()
    def ledger_reconciles(self):
        result = ledger_check()
        assert result.ok, result.problems

    @invariant()
    def money_is_conserved(self):
        p = VoucherProgramme.objects.get(pk=self.programme.pk)
        outstanding = (
            Voucher.objects.filter(programme=p).aggregate(s=Sum(F("amount") - F("released")))["s"] or 0
        )
        assert p.pool_remaining >= 0
        assert p.pool_remaining + outstanding == p.budget

    @invariant()
    def no_voucher_overpaid_no_firm_over_cap(self):
        assert not Voucher.objects.filter(paid_total__gt=F("amount")).exists()
        assert not FirmAllowance.objects.filter(used__gt=self.programme.cap_per_firm).exists()
        assert (
            LedgerEntry.objects.filter(kind="payout").count()
            == Redemption.objects.filter(status__in=["paid", "reversed"]).count()
        )


@pytest.mark.django_db
def test_random_voucher_histories_keep_the_ledger_consistent():
    run_state_machine_as_test(
        VoucherLedgerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
