"""The demo district shows issue 24 item 5: a provider's account with confirmed contracts, its own uploaded
invoice and its to-dos, a claim waiting for the second person, and a redemption on a partial invoice."""

import pytest
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.core import todos
from kechuang.vouchers import services
from kechuang.vouchers.models import ProviderInvoice, Redemption, Voucher

pytestmark = pytest.mark.django_db


def test_demo_provider_two_people_and_partial_invoice(demo, client):
    fuwu = User.objects.get(username="fuwu")
    client.force_login(fuwu)
    page = client.get(reverse("vouchers:provided")).content.decode()
    assert "已于" in page and "确认合同" in page
    assert Voucher.objects.filter(
        provider__organisation=fuwu.organisation, provider_confirmed_on__isnull=False
    )
    waiting = Voucher.objects.get(status="claimed", issue_proposed_by__username="staff")
    assert waiting.issue_proposed_amount > waiting.programme.second_approval_above
    client.force_login(User.objects.get(username="staff2"))
    assert (
        "复核发放</button>"
        in client.get(reverse("vouchers:voucher_detail", args=[waiting.pk])).content.decode()
    )
    # fuwu's own invoice, and its to-do list (contracts to confirm, delivered services to invoice)
    invoice = ProviderInvoice.objects.get(uploaded_by=fuwu)
    assert invoice.amount < invoice.voucher.contract_amount
    client.force_login(fuwu)
    assert invoice.number in client.get(reverse("vouchers:provided")).content.decode()
    kinds = {k.key: k for k in todos.kinds_for(fuwu)}
    ctx = todos.TaskContext(fuwu)
    for key in ("vouchers.provider_confirm", "vouchers.provider_invoice"):
        assert kinds[key].records(ctx).exists(), f"fuwu has no {key} task in the demo"
    assert not kinds["vouchers.provider_invoice"].records(ctx).filter(pk=invoice.voucher_id).exists()
    partial = Redemption.objects.get(invoice_amount=90000)
    assert services.invoiced_total(partial.voucher) < partial.voucher.contract_amount
