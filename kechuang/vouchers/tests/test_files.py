"""Redemption files (contract, invoice, payment proof, output) open through the redemption's policy."""

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent, Region
from kechuang.core.services import attachment_store
from kechuang.core.tests.factories import UserFactory

from .conftest import delivered_voucher, eligible_firm, submit

pytestmark = [pytest.mark.django_db]


def test_contract_and_invoice_are_listed_and_open_for_the_firm_and_its_staff_only(client, staff, programme):
    firm = eligible_firm()
    voucher = delivered_voucher(staff, programme, firm)
    user = UserFactory(enterprise=True, organisation=firm)
    redemption = submit(user, voucher, "50000")
    invoice = reverse("vouchers:redemption_file", args=[redemption.pk, redemption.invoice_file.uid])
    contract = reverse("vouchers:redemption_file", args=[redemption.pk, redemption.contract_file.uid])
    client.force_login(staff)
    page = client.get(reverse("vouchers:voucher_detail", args=[voucher.pk])).content.decode()
    assert invoice in page and contract in page and "发票.pdf" in page
    assert client.get(invoice).status_code == 200
    assert AuditEvent.objects.filter(action="file.download", actor=staff).exists()
    client.force_login(user)
    assert client.get(contract).status_code == 200
    client.force_login(UserFactory(enterprise=True, organisation=eligible_firm()))
    assert client.get(invoice).status_code == 404
    client.force_login(UserFactory(staff=True, region=Region.objects.get(code="370303")))
    assert client.get(invoice).status_code == 404
    # The firm's own file that is not this redemption's is not served through it.
    other = attachment_store(actor=user, data=b"%PDF-1.4 x", original_name="别处.pdf", organisation=firm)
    client.force_login(user)
    assert client.get(reverse("vouchers:redemption_file", args=[redemption.pk, other.uid])).status_code == 404
