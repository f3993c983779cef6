import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.vouchers import services
from kechuang.vouchers.ledger import ledger_check
from kechuang.vouchers.models import LedgerEntry, Redemption, Voucher

from .conftest import (
    ISSUE_DAY,
    approved_provider,
    delivered_voucher,
    eligible_firm,
    files,
    issued_voucher,
    make_programme,
    pay,
    submit,
)

D = Decimal
pytestmark = pytest.mark.django_db


def test_full_lifecycle_pays_once_and_balances_add_up(staff, staff2, programme):
    voucher = delivered_voucher(staff, programme)
    redemption = submit(staff, voucher, "60000")
    voucher.refresh_from_db()
    assert (voucher.remaining, voucher.held) == (D("40000"), D("60000"))
    pay(staff, staff2, redemption)
    voucher.refresh_from_db()
    programme.refresh_from_db()
    assert voucher.paid_total == D("60000") and voucher.held == 0
    assert programme.pool_remaining == D("900000")
    assert ledger_check().ok
    kinds = list(LedgerEntry.objects.values_list("kind", flat=True))
    assert kinds == ["budget", "issue", "hold", "payout"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"vouchers.voucher_issue", "vouchers.redemption_submit", "vouchers.redemption_pay"} <= actions


def test_ineligible_firm_cannot_claim(staff, programme):
    firm = OrganisationFactory()  # no tech-SME or HNTE qualification
    with pytest.raises(ValidationError, match="不符合申领条件"):
        services.voucher_claim(
            actor=staff, programme=programme, organisation=firm, amount=D("1000"), on=ISSUE_DAY
        )
    assert not Voucher.objects.exists()


def test_firm_outside_the_district_cannot_claim(staff, programme, other_district):
    firm = eligible_firm(region=other_district)
    with pytest.raises(ValidationError, match="注册地不在"):
        services.voucher_claim(
            actor=staff, programme=programme, organisation=firm, amount=D("1000"), on=ISSUE_DAY
        )


def test_yearly_cap_per_firm_blocks_the_second_voucher(staff, programme):
    firm = eligible_firm()
    issued_voucher(staff, programme, firm, amount="150000")
    with pytest.raises(ValidationError, match="超过每家企业年度上限.*最多还可发放50,000.00元"):
        services.voucher_claim(
            actor=staff, programme=programme, organisation=firm, amount=D("60000"), on=ISSUE_DAY
        )


def test_cap_is_checked_again_at_issue_time(staff, programme):
    firm = eligible_firm()
    first = services.voucher_claim(
        actor=staff, programme=programme, organisation=firm, amount=D("150000"), on=ISSUE_DAY
    )
    second = services.voucher_claim(
        actor=staff, programme=programme, organisation=firm, amount=D("100000"), on=ISSUE_DAY
    )
    services.voucher_issue(actor=staff, voucher=first, on=ISSUE_DAY)
    with pytest.raises(ValidationError, match="超过每家企业年度上限"):
        services.voucher_issue(actor=staff, voucher=second, on=ISSUE_DAY)
    second.refresh_from_db()
    assert second.status == Voucher.Status.CLAIMED
    assert ledger_check().ok


def test_pool_never_goes_negative(staff):
    programme = make_programme(staff, budget="120000")
    issued_voucher(staff, programme, amount="100000")
    firm = eligible_firm()
    claim = services.voucher_claim(
        actor=staff, programme=programme, organisation=firm, amount=D("30000"), on=ISSUE_DAY
    )
    with pytest.raises(ValidationError, match="年度资金池余额不足：余额20,000.00元"):
        services.voucher_issue(actor=staff, voucher=claim, on=ISSUE_DAY)
    programme.refresh_from_db()
    assert programme.pool_remaining == D("20000")


def test_redemption_cannot_exceed_share_of_contract(staff, programme):
    voucher = delivered_voucher(staff, programme, amount="100000", contract="100000")  # 50% → 50,000
    with pytest.raises(ValidationError, match="超过合同金额的补助比例"):
        submit(staff, voucher, "50000.01")
    submit(staff, voucher, "30000")
    with pytest.raises(ValidationError, match="此前已申请30,000.00元"):
        submit(staff, voucher, "20000.01")
    assert Redemption.objects.count() == 1


def test_voucher_never_pays_more_than_its_amount(staff, programme):
    voucher = delivered_voucher(staff, programme, amount="10000", contract="200000")
    with pytest.raises(ValidationError, match="超过创新券可用余额"):
        submit(staff, voucher, "10000.01")


def test_expired_voucher_cannot_be_contracted_or_redeemed(staff, programme):
    voucher = issued_voucher(staff, programme)
    provider = approved_provider(staff, programme)
    late = voucher.valid_until + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="已于2021年05月05日到期"):
        services.voucher_contract(
            actor=staff, voucher=voucher, provider=provider, contract_amount=D("1000"), signed_on=late
        )


def test_affiliated_provider_is_blocked_by_shared_legal_representative(staff, programme):
    firm = eligible_firm(legal_representative="张三")
    voucher = issued_voucher(staff, programme, firm)
    provider = approved_provider(staff, programme, legal_representative="张三")
    with pytest.raises(ValidationError, match="法定代表人相同（张三）"):
        services.voucher_contract(
            actor=staff, voucher=voucher, provider=provider, contract_amount=D("1000"), signed_on=ISSUE_DAY
        )


def test_affiliated_provider_is_blocked_by_recorded_shareholding(staff, programme):
    voucher = issued_voucher(staff, programme)
    provider = approved_provider(staff, programme)
    services.affiliation_record(
        actor=staff,
        organisation_a=provider.organisation,
        organisation_b=voucher.organisation,
        kind="shareholder",
    )
    with pytest.raises(ValidationError, match="已登记的关联关系（股东/投资关系）"):
        services.voucher_contract(
            actor=staff, voucher=voucher, provider=provider, contract_amount=D("1000"), signed_on=ISSUE_DAY
        )


def test_firm_cannot_be_its_own_provider(staff, programme):
    voucher = issued_voucher(staff, programme)
    provider = services.provider_register(actor=staff, organisation=voucher.organisation)
    services.provider_vet(actor=staff, provider=provider, approve=True, on=ISSUE_DAY)
    provider.refresh_from_db()
    with pytest.raises(ValidationError, match="同一单位"):
        services.voucher_contract(
            actor=staff, voucher=voucher, provider=provider, contract_amount=D("1000"), signed_on=ISSUE_DAY
        )


def test_blacklisted_provider_cannot_take_a_contract(staff, programme):
    voucher = issued_voucher(staff, programme)
    provider = approved_provider(staff, programme)
    services.provider_blacklist(actor=staff, provider=provider, reason="虚开发票", on=ISSUE_DAY)
    with pytest.raises(ValidationError, match="已被列入黑名单（虚开发票）"):
        services.voucher_contract(
            actor=staff, voucher=voucher, provider=provider, contract_amount=D("1000"), signed_on=ISSUE_DAY
        )
    voucher.refresh_from_db()
    assert voucher.status == Voucher.Status.ISSUED


def test_same_redemption_submitted_twice_creates_one_request(staff, programme):
    voucher = delivered_voucher(staff, programme)
    evidence = files(staff, voucher.organisation)
    first = submit(staff, voucher, "1000", key="form-token-1", evidence=evidence)
    again = submit(staff, voucher, "1000", key="form-token-1", evidence=evidence)
    assert first.pk == again.pk
    voucher.refresh_from_db()
    assert voucher.held == D("1000")


def test_paying_twice_pays_once(staff, staff2, programme):
    voucher = delivered_voucher(staff, programme)
    redemption = pay(staff, staff2, submit(staff, voucher, "1000"))
    services.redemption_pay(actor=staff2, redemption=redemption, on=dt.date(2020, 9, 2))
    assert LedgerEntry.objects.filter(kind="payout").count() == 1
    assert ledger_check().ok


def test_payout_requester_cannot_approve_it(staff, programme):
    voucher = delivered_voucher(staff, programme)
    redemption = submit(staff, voucher, "1000")
    reviewer = UserFactory(staff=True)
    services.redemption_review(actor=reviewer, redemption=redemption, approve=True, on=ISSUE_DAY)
    services.redemption_request_payout(actor=staff, redemption=redemption)
    with pytest.raises(ValidationError, match="另一名工作人员复核"):
        services.redemption_pay(actor=staff, redemption=redemption, on=ISSUE_DAY)
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.PAYOUT_REQUESTED
    assert not LedgerEntry.objects.filter(kind="payout").exists()


def test_applicant_cannot_review_own_redemption(staff, programme):
    voucher = delivered_voucher(staff, programme)
    redemption = submit(staff, voucher, "1000")
    with pytest.raises(ValidationError, match="不能审核自己"):
        services.redemption_review(actor=staff, redemption=redemption, approve=True, on=ISSUE_DAY)


def test_paid_entry_is_reversed_only_by_a_new_entry(staff, staff2, programme):
    voucher = delivered_voucher(staff, programme)
    redemption = pay(staff, staff2, submit(staff, voucher, "1000"))
    payout = LedgerEntry.objects.get(kind="payout")
    entry = services.redemption_reverse(
        actor=staff, redemption=redemption, reason="重复报销", on=dt.date(2020, 9, 5)
    )
    assert entry.reverses_id == payout.pk and entry.pk != payout.pk
    payout.refresh_from_db()
    assert payout.amount == D("1000")  # untouched
    voucher.refresh_from_db()
    assert voucher.paid_total == 0 and voucher.remaining == D("100000")
    with pytest.raises(ValidationError):
        services.redemption_reverse(actor=staff, redemption=redemption, reason="再次", on=dt.date(2020, 9, 5))
    assert ledger_check().ok


def test_rejected_redemption_releases_the_hold(staff, staff2, programme):
    voucher = delivered_voucher(staff, programme)
    redemption = submit(staff, voucher, "5000")
    services.redemption_review(
        actor=staff2, redemption=redemption, approve=False, on=ISSUE_DAY, reason="发票不符"
    )
    voucher.refresh_from_db()
    assert (voucher.remaining, voucher.held) == (D("100000"), 0)
    assert ledger_check().ok


def test_expiry_releases_unused_amount_and_is_idempotent(staff, programme):
    voucher = issued_voucher(staff, programme, amount="80000")
    after = voucher.valid_until + dt.timedelta(days=1)
    assert [v.pk for v in services.voucher_expire_due(actor=staff, as_of=voucher.valid_until)] == []
    assert len(services.voucher_expire_due(actor=staff, as_of=after)) == 1
    assert services.voucher_expire_due(actor=staff, as_of=after) == []
    programme.refresh_from_db()
    voucher.refresh_from_db()
    assert programme.pool_remaining == D("1000000") and voucher.released == D("80000")
    assert LedgerEntry.objects.filter(kind="release").count() == 1
    assert ledger_check().ok


def test_void_rejects_pending_redemptions_releases_and_blacklists(staff, programme):
    voucher = delivered_voucher(staff, programme)
    submit(staff, voucher, "5000")
    services.voucher_void(
        actor=staff, voucher=voucher, reason="伪造服务成果", on=ISSUE_DAY, blacklist_provider=True
    )
    voucher.refresh_from_db()
    assert voucher.status == Voucher.Status.VOID
    assert voucher.remaining == 0 and voucher.held == 0 and voucher.released == D("100000")
    assert voucher.provider.status == "blacklisted" and voucher.provider.blacklist_reason == "伪造服务成果"
    assert Redemption.objects.get().status == Redemption.Status.REJECTED
    assert ledger_check().ok


def test_void_needs_a_reason(staff, programme):
    voucher = issued_voucher(staff, programme)
    with pytest.raises(ValidationError, match="作废必须填写原因"):
        services.voucher_void(actor=staff, voucher=voucher, reason=" ", on=ISSUE_DAY)


def test_illegal_transition_is_refused(staff, programme):
    voucher = issued_voucher(staff, programme)
    with pytest.raises(ValidationError, match="已经是“已发放”状态，无需重复操作"):
        services.voucher_issue(actor=staff, voucher=voucher, on=ISSUE_DAY)
    assert ledger_check().ok


def test_enterprise_user_claims_only_for_own_firm(programme):
    own = eligible_firm()
    user = UserFactory(enterprise=True, organisation=own)
    other = eligible_firm()
    with pytest.raises(ValidationError, match="只能为本企业申领"):
        services.voucher_claim(
            actor=user, programme=programme, organisation=other, amount=D("1000"), on=ISSUE_DAY
        )
    assert services.voucher_claim(
        actor=user, programme=programme, organisation=own, amount=D("1000"), on=ISSUE_DAY
    )


def test_enterprise_user_cannot_issue(programme):
    firm = eligible_firm()
    user = UserFactory(enterprise=True, organisation=firm)
    claim = services.voucher_claim(
        actor=user, programme=programme, organisation=firm, amount=D("1000"), on=ISSUE_DAY
    )
    with pytest.raises(ValidationError, match="只有科室工作人员"):
        services.voucher_issue(actor=user, voucher=claim, on=ISSUE_DAY)


def test_publicity_must_run_its_working_days(staff, staff2, calendar_2020_2027):
    programme = make_programme(staff, publicity=5)
    voucher = delivered_voucher(staff, programme)
    redemption = submit(staff, voucher, "1000")
    services.redemption_review(actor=staff2, redemption=redemption, approve=True, on=dt.date(2020, 9, 28))
    redemption.refresh_from_db()
    # 5 working days from Monday 28 Sep 2020 run into the National Day holiday (1–8 Oct).
    assert redemption.publicity_until == dt.date(2020, 10, 12)
    with pytest.raises(ValidationError, match="期满后才能结束公示"):
        services.redemption_close_publicity(actor=staff2, redemption=redemption, on=dt.date(2020, 10, 12))
    services.redemption_close_publicity(actor=staff2, redemption=redemption, on=dt.date(2020, 10, 13))
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.APPROVED


def test_support_fund_instalments_with_four_eyes_and_reversal(staff, staff2, district):
    line = services.budget_line_create(
        actor=staff,
        name="校城融合项目扶持资金",
        kind="support",
        year=2020,
        region=district,
        budget=D("500000"),
        booked_on=ISSUE_DAY,
    )
    alloc = services.allocation_propose(
        actor=staff,
        budget_line=line,
        amount=D("300000"),
        reference="山东理工大学合作项目",
        on=ISSUE_DAY,
        organisation=OrganisationFactory(),
    )
    with pytest.raises(ValidationError, match="另一名工作人员审批"):
        services.allocation_approve(actor=staff, allocation=alloc, on=ISSUE_DAY)
    services.allocation_approve(actor=staff2, allocation=alloc, on=ISSUE_DAY)
    first = services.instalment_request(
        actor=staff, allocation=alloc, amount=D("200000"), idempotency_key="i1", on=ISSUE_DAY
    )
    assert (
        services.instalment_request(
            actor=staff, allocation=alloc, amount=D("200000"), idempotency_key="i1", on=ISSUE_DAY
        )
        == first
    )
    with pytest.raises(ValidationError, match="超过待拨付余额"):
        services.instalment_request(
            actor=staff, allocation=alloc, amount=D("100000.01"), idempotency_key="i2", on=ISSUE_DAY
        )
    with pytest.raises(ValidationError, match="另一名工作人员复核"):
        services.instalment_pay(actor=staff, instalment=first, on=ISSUE_DAY)
    services.instalment_pay(actor=staff2, instalment=first, on=ISSUE_DAY)
    services.instalment_pay(actor=staff2, instalment=first, on=ISSUE_DAY)  # second click: no second payment
    second = services.instalment_request(
        actor=staff, allocation=alloc, amount=D("100000"), idempotency_key="i3", on=ISSUE_DAY
    )
    services.instalment_pay(actor=staff2, instalment=second, on=ISSUE_DAY)
    alloc.refresh_from_db()
    assert alloc.status == "paid" and alloc.paid_total == D("300000")
    services.instalment_reverse(actor=staff, instalment=second, reason="账户错误退回", on=ISSUE_DAY)
    alloc.refresh_from_db()
    line.refresh_from_db()
    assert alloc.status == "approved" and alloc.remaining == D("100000") and line.remaining == D("200000")
    assert ledger_check().ok


def test_allocation_beyond_budget_is_refused(staff, staff2, district):
    line = services.budget_line_create(
        actor=staff,
        name="周村区科技先锋奖金",
        kind="prize",
        year=2020,
        region=district,
        budget=D("100000"),
        booked_on=ISSUE_DAY,
    )
    alloc = services.allocation_propose(
        actor=staff, budget_line=line, amount=D("100000.01"), reference="科技先锋", on=ISSUE_DAY
    )
    with pytest.raises(ValidationError, match="预算余额不足"):
        services.allocation_approve(actor=staff2, allocation=alloc, on=ISSUE_DAY)


def test_ledger_check_finds_a_tampered_balance(staff, programme):
    voucher = issued_voucher(staff, programme)
    Voucher.objects.filter(pk=voucher.pk).update(remaining=D("99999"), released=D("1"))
    result = ledger_check()
    assert not result.ok and any(voucher.number in p for p in result.problems)
