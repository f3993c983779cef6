"""The demo district shows issue 24 item 5: a provider's account with confirmed contracts, a claim waiting
for the second person, and a redemption on a partial invoice."""

import pytest
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.vouchers import services
from kechuang.vouchers.models import Redemption, Voucher

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
    partial = Redemption.objects.get(invoice_amount=90000)
    assert services.invoiced_total(partial.voucher) < partial.voucher.contract_amount
