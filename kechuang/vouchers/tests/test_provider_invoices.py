"""Issue 24: a provider uploads its own invoices on its contracts from /vouchers/provided/ — partial invoices
never beyond the contract, the one upload check, audited, seen by the firm and the bureau, and only on its
own contracts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core import dates
from kechuang.core import services as core_services
from kechuang.core.models import Attachment, AuditEvent
from kechuang.core.tests.factories import UserFactory
from kechuang.vouchers import services
from kechuang.vouchers.models import ProviderInvoice
from kechuang.vouchers.tests.conftest import approved_provider, delivered_voucher

pytestmark = pytest.mark.django_db
D = Decimal
PDF = b"%PDF-1.4\n% invoice\n"


@pytest.fixture
def setup(staff, programme):
    provider = approved_provider(staff, programme)
    voucher = delivered_voucher(staff, programme, provider=provider, contract="200000")
    provider_user = UserFactory(enterprise=True, organisation=provider.organisation)
    return provider_user, voucher


def _post(client, voucher, number, amount, data=PDF, name="发票.pdf"):
    return client.post(
        reverse("vouchers:provided_invoice_upload", args=[voucher.pk]),
        {
            "number": number,
            "amount": amount,
            "issued_on": dates.today().isoformat(),
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
        },
        follow=True,
    )


def test_a_provider_uploads_partial_invoices_up_to_the_contract(client, staff, setup):
    provider_user, voucher = setup
    client.force_login(provider_user)
    page = _post(client, voucher, "No.0001", "120000").content.decode()
    assert "发票 No.0001 已上传" in page
    _post(client, voucher, "No.0002", "80000")
    assert services.provider_invoiced(voucher) == D("200000")
    files_before = Attachment.objects.count()
    page = _post(client, voucher, "No.0003", "0.01").content.decode()
    assert "发票累计金额超过合同金额" in page
    assert Attachment.objects.count() == files_before, "a refused invoice keeps no file"
    assert AuditEvent.objects.filter(action="vouchers.provider_invoice_upload").count() == 2
    # the firm's and the bureau's voucher page lists them, and the file opens for them
    invoice = ProviderInvoice.objects.get(number="No.0001")
    url = reverse("vouchers:provider_invoice_file", args=[voucher.pk, invoice.file.uid])
    for user in (staff, UserFactory(enterprise=True, organisation=voucher.organisation), provider_user):
        client.force_login(user)
        assert "No.0001" in client.get(reverse("vouchers:voucher_detail", args=[voucher.pk])).content.decode()
        assert client.get(url).status_code == 200


def test_the_same_invoice_sent_twice_is_stored_once_and_a_changed_one_refused(client, setup):
    provider_user, voucher = setup
    client.force_login(provider_user)
    _post(client, voucher, "No.0001", "50000")
    _post(client, voucher, "No.0001", "50000")
    assert voucher.provider_invoices.count() == 1
    assert "已上传过" in _post(client, voucher, "No.0001", "60000").content.decode()


def test_the_upload_check_refuses_a_disguised_file(client, setup):
    provider_user, voucher = setup
    client.force_login(provider_user)
    page = _post(client, voucher, "No.0001", "1000", data=b"<html><script>x</script>", name="发票.pdf")
    assert "“发票文件”" in page.content.decode()
    assert not voucher.provider_invoices.exists()


def _upload(actor, voucher, *, issued_on=dt.date(2020, 9, 1)):
    return services.provider_invoice_upload(
        actor=actor,
        voucher=voucher,
        number="N1",
        amount=D("1"),
        issued_on=issued_on,
        file=core_services.attachment_store(actor=None, data=PDF, original_name="x.pdf"),
        on=dt.date(2020, 9, 1),
    )


def test_only_the_contracts_own_provider_uploads(client, staff, programme, setup):
    _, voucher = setup
    other = UserFactory(enterprise=True, organisation=approved_provider(staff, programme).organisation)
    firm_user = UserFactory(enterprise=True, organisation=voucher.organisation)
    for user in (other, firm_user, staff):
        with pytest.raises(PermissionDenied):
            _upload(user, voucher)
        client.force_login(user)
        assert _post(client, voucher, "No.9", "1000").status_code == 404
    assert not voucher.provider_invoices.exists()


def test_an_invoice_dated_in_the_future_is_refused(setup):
    provider_user, voucher = setup
    with pytest.raises(ValidationError, match="开票日期"):
        _upload(provider_user, voucher, issued_on=dt.date(2020, 9, 2))


def test_an_invoice_file_is_a_404_for_another_district_and_another_firm(client, setup, other_district):
    from kechuang.core.tests.factories import OrganisationFactory

    provider_user, voucher = setup
    client.force_login(provider_user)
    _post(client, voucher, "No.0001", "50000")
    invoice = ProviderInvoice.objects.get(number="No.0001")
    url = reverse("vouchers:provider_invoice_file", args=[voucher.pk, invoice.file.uid])
    for outsider in (
        UserFactory(staff=True, region=other_district),
        UserFactory(leader=True, region=other_district),
        UserFactory(enterprise=True, organisation=OrganisationFactory()),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
