"""Issue 24 item 5: two-person issue above the programme's threshold, partial invoices that never let the
ledger pay beyond the invoiced share, and providers' own users confirming their contracts and redemptions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import UserFactory
from kechuang.notifications.models import Notification
from kechuang.vouchers import services
from kechuang.vouchers.models import LedgerEntry, Voucher
from kechuang.vouchers.tests.conftest import (
    ISSUE_DAY,
    approved_provider,
    delivered_voucher,
    eligible_firm,
    files,
    new_key,
    pay,
)

pytestmark = pytest.mark.django_db
D = Decimal


def claim(staff, programme, amount):
    return services.voucher_claim(
        actor=staff, programme=programme, organisation=eligible_firm(), amount=D(amount), on=ISSUE_DAY
    )


@pytest.fixture
def guarded(programme):
    programme.second_approval_above = D("50000")
    programme.save(update_fields=["second_approval_above"])
    return programme


def test_above_the_threshold_one_person_proposes_and_another_issues(staff, staff2, guarded):
    voucher = claim(staff, guarded, "80000")
    services.voucher_issue(actor=staff, voucher=voucher, on=ISSUE_DAY, amount=D("80000"))
    voucher.refresh_from_db()
    assert voucher.status == "claimed" and voucher.issue_proposed_by == staff
    assert not LedgerEntry.objects.filter(voucher=voucher).exists()
    assert Notification.objects.filter(user=staff2, reason="issue_confirm").exists()
    assert not Notification.objects.filter(user=staff, reason="issue_confirm").exists()
    with pytest.raises(ValidationError, match="另一名工作人员"):
        services.voucher_issue(actor=staff, voucher=voucher, on=ISSUE_DAY, amount=D("80000"))
    with pytest.raises(ValidationError, match="不一致"):
        services.voucher_issue(actor=staff2, voucher=voucher, on=ISSUE_DAY, amount=D("70000"))
    services.voucher_issue(actor=staff2, voucher=voucher, on=ISSUE_DAY, amount=D("80000"))
    voucher.refresh_from_db()
    assert voucher.status == "issued" and voucher.issued_by == staff2 and voucher.amount == D("80000")
    assert AuditEvent.objects.filter(
        action="vouchers.voucher_issue_propose", object_id=str(voucher.pk)
    ).exists()


def test_at_or_below_the_threshold_one_person_issues(staff, guarded):
    voucher = claim(staff, guarded, "50000")
    services.voucher_issue(actor=staff, voucher=voucher, on=ISSUE_DAY)
    assert Voucher.objects.get(pk=voucher.pk).status == "issued"


def test_the_database_refuses_one_person_in_both_roles(staff, guarded):
    from django.db import IntegrityError, transaction

    voucher = claim(staff, guarded, "80000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Voucher.objects.filter(pk=voucher.pk).update(issue_proposed_by=staff, issued_by=staff)


def test_the_proposer_no_longer_sees_the_claim_as_their_task(client, staff, staff2, guarded):
    from kechuang.vouchers import permissions

    voucher = claim(staff, guarded, "80000")
    services.voucher_issue(actor=staff, voucher=voucher, on=ISSUE_DAY)
    assert not permissions.vouchers.allows(staff, "review", voucher)
    assert permissions.vouchers.allows(staff2, "review", voucher)
    client.force_login(staff)
    page = client.get(reverse("vouchers:voucher_detail", args=[voucher.pk])).content.decode()
    assert "须另一名工作人员复核发放" in page and "复核发放</button>" not in page
    client.force_login(staff2)
    assert (
        "复核发放</button>"
        in client.get(reverse("vouchers:voucher_detail", args=[voucher.pk])).content.decode()
    )


def redeem(actor, voucher, amount, invoice):
    return services.redemption_submit(
        actor=actor,
        voucher=voucher,
        amount=D(amount),
        invoice_amount=D(invoice),
        idempotency_key=new_key(),
        on=dt.date(2020, 8, 10),
        **files(actor, voucher.organisation),
    )


def test_a_contract_is_redeemed_over_partial_invoices_and_never_overpaid(staff, staff2, programme):
    voucher = delivered_voucher(staff, programme, amount="100000", contract="200000")  # 50% share
    first = redeem(staff, voucher, "30000", "60000")
    with pytest.raises(ValidationError, match="已开票金额的补助比例"):
        redeem(staff, voucher, "10000", "10000")  # 30000 + 10000 > 50% of 70000
    pay(staff, staff2, first)
    second = redeem(staff, voucher, "50000", "100000")
    with pytest.raises(ValidationError, match="发票累计金额超过合同金额"):
        redeem(staff, voucher, "10000", "40001")
    pay(staff, staff2, second)
    last = redeem(staff, voucher, "20000", "40000")
    pay(staff, staff2, last)
    voucher.refresh_from_db()
    assert services.invoiced_total(voucher) == D("200000")
    assert voucher.paid_total == D("100000") == voucher.contract_amount / 2
    with pytest.raises(ValidationError):
        redeem(staff, voucher, "0.01", "0.01")


def test_a_rejected_redemption_frees_its_invoice(staff, staff2, programme):
    voucher = delivered_voucher(staff, programme, amount="100000", contract="200000")
    first = redeem(staff, voucher, "100000", "200000")
    services.redemption_review(
        actor=staff2, redemption=first, approve=False, reason="发票不清晰", on=dt.date(2020, 8, 20)
    )
    assert services.invoiced_total(voucher) == D("0")
    redeem(staff, voucher, "100000", "200000")


@pytest.fixture
def provider_setup(staff, programme):
    provider = approved_provider(staff, programme)
    voucher = delivered_voucher(staff, programme, provider=provider)
    redemption = redeem(staff, voucher, "100000", "200000")
    provider_user = UserFactory(enterprise=True, organisation=provider.organisation)
    return provider_user, voucher, redemption


def test_a_provider_sees_and_confirms_its_own_contracts_and_redemptions(client, provider_setup):
    provider_user, voucher, redemption = provider_setup
    client.force_login(provider_user)
    page = client.get(reverse("vouchers:provided")).content.decode()
    assert voucher.organisation.name in page and "确认合同属实" in page
    client.post(reverse("vouchers:provided_contract_confirm", args=[voucher.pk]))
    client.post(reverse("vouchers:provided_redemption_confirm", args=[redemption.pk]))
    voucher.refresh_from_db()
    redemption.refresh_from_db()
    assert voucher.provider_confirmed_by == provider_user and redemption.provider_confirmed_on is not None
    with pytest.raises(ValidationError, match="已确认"):
        services.provider_confirm_contract(actor=provider_user, voucher=voucher, on=dt.date(2020, 9, 1))
    # The provider reads the voucher but never acts as the firm on it.
    assert client.get(reverse("vouchers:voucher_detail", args=[voucher.pk])).status_code == 200
    resp = client.post(reverse("vouchers:voucher_action", args=[voucher.pk, "void"]), {"reason": "x"})
    assert resp.status_code == 404


def test_another_provider_and_the_firm_cannot_confirm(client, staff, programme, provider_setup):
    _, voucher, redemption = provider_setup
    other = UserFactory(enterprise=True, organisation=approved_provider(staff, programme).organisation)
    firm_user = UserFactory(enterprise=True, organisation=voucher.organisation)
    for user in (other, firm_user, staff):
        with pytest.raises(PermissionDenied):
            services.provider_confirm_contract(actor=user, voucher=voucher, on=dt.date(2020, 9, 1))
        with pytest.raises(PermissionDenied):
            services.provider_confirm_redemption(actor=user, redemption=redemption, on=dt.date(2020, 9, 1))
    client.force_login(other)
    assert voucher.organisation.name not in client.get(reverse("vouchers:provided")).content.decode()
    assert client.post(reverse("vouchers:provided_contract_confirm", args=[voucher.pk])).status_code == 404
    assert (
        client.post(reverse("vouchers:provided_redemption_confirm", args=[redemption.pk])).status_code == 404
    )
    assert client.get(reverse("vouchers:voucher_detail", args=[voucher.pk])).status_code == 404
