import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.core.exports import XLSX_TYPE
from kechuang.core.tests.factories import UserFactory
from kechuang.enterprises.tests.factories import QualificationFactory
from kechuang.vouchers import services
from kechuang.vouchers.models import LedgerEntry, Redemption, Voucher

from .conftest import approved_provider, delivered_voucher, eligible_firm, issued_voucher, submit

D = Decimal
pytestmark = pytest.mark.django_db


def test_voucher_list_shows_vouchers_in_constant_queries(
    client, staff, programme, django_assert_max_num_queries
):
    for _ in range(3):
        issued_voucher(staff, programme, amount="1000")
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("vouchers:voucher_list"))
    assert response.status_code == 200
    assert response.content.decode().count("KJQ2020") == 3
    for _ in range(5):
        issued_voucher(staff, programme, amount="1000")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("vouchers:voucher_list"), {"status": "issued"}).status_code == 200


def test_voucher_export_is_xlsx(client, staff, programme):
    issued_voucher(staff, programme, amount="1000")
    client.force_login(staff)
    response = client.get(reverse("vouchers:voucher_export"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE


def test_programme_page_has_burn_down_chart(client, staff, programme):
    issued_voucher(staff, programme, amount="1000")
    client.force_login(staff)
    html = client.get(reverse("vouchers:programme_detail", args=[programme.pk])).content.decode()
    assert 'data-chart-json="chart-burn"' in html and "vendor/echarts-5.6.0.min.js" in html
    assert "资金池余额" in html


def test_enterprise_user_cannot_open_another_firms_voucher(client, staff, programme):
    voucher = issued_voucher(staff, programme, amount="1000")
    user = UserFactory(enterprise=True, organisation=eligible_firm())
    client.force_login(user)
    assert client.get(reverse("vouchers:voucher_detail", args=[voucher.pk])).status_code == 404
    response = client.post(
        reverse("vouchers:voucher_action", args=[voucher.pk, "deliver"]), {"delivered_on": "2020-08-01"}
    )
    assert response.status_code == 404


def test_enterprise_user_sees_own_voucher_and_claims_for_own_firm(client, staff, programme):
    firm = eligible_firm()
    QualificationFactory(
        organisation=firm, tech_sme=True, valid_from=timezone.localdate()
    )  # claims are dated today
    user = UserFactory(enterprise=True, organisation=firm)
    own = issued_voucher(staff, programme, firm, amount="1000")
    client.force_login(user)
    assert client.get(reverse("vouchers:voucher_detail", args=[own.pk])).status_code == 200
    page = client.get(reverse("vouchers:mine"))
    key = page.context["form"].initial["key"]
    assert f'value="{key}"' in page.content.decode()  # the form carries its one-time key
    claim = {"key": key, "programme": programme.pk, "amount": "2000", "purpose": "检测"}
    response = client.post(reverse("vouchers:mine"), claim)
    assert response.status_code == 302
    assert (
        Voucher.objects.filter(organisation=firm, status="claimed", requested_amount=D("2000")).count() == 1
    )
    # the same form sent again (a double click, a browser resubmit) claims nothing more
    assert client.post(reverse("vouchers:mine"), claim).status_code == 302
    assert Voucher.objects.filter(organisation=firm, status="claimed").count() == 1
    # a new form is a new claim
    claim["key"] = client.get(reverse("vouchers:mine")).context["form"].initial["key"]
    assert client.post(reverse("vouchers:mine"), claim).status_code == 302
    assert Voucher.objects.filter(organisation=firm, status="claimed").count() == 2


def test_enterprise_user_cannot_use_bureau_pages(client, enterprise_user):
    client.force_login(enterprise_user)
    for name in ("voucher_list", "redemption_queue", "provider_list", "fund_list", "programme_list"):
        assert client.get(reverse(f"vouchers:{name}")).status_code == 403, name


def test_leader_reads_but_cannot_issue(client, staff, leader, programme):
    claim = services.voucher_claim(
        actor=staff,
        programme=programme,
        organisation=eligible_firm(),
        amount=D("1000"),
        on=dt.date(2020, 5, 6),
    )
    client.force_login(leader)
    assert client.get(reverse("vouchers:voucher_detail", args=[claim.pk])).status_code == 200
    assert (
        client.post(
            reverse("vouchers:voucher_action", args=[claim.pk, "issue"]), {"amount": "1000"}
        ).status_code
        == 404
    )
    assert client.get(reverse("vouchers:redemption_queue")).status_code == 403
    claim.refresh_from_db()
    assert claim.status == "claimed"


def test_staff_of_another_district_cannot_see_the_voucher(client, staff, programme):
    voucher = issued_voucher(staff, programme, amount="1000")
    from kechuang.core.models import Region

    other = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    client.force_login(other)
    assert client.get(reverse("vouchers:voucher_detail", args=[voucher.pk])).status_code == 404


def test_staff_issues_through_the_page(client, staff, programme):
    claim = services.voucher_claim(
        actor=staff,
        programme=programme,
        organisation=eligible_firm(),
        amount=D("3000"),
        on=dt.date(2020, 5, 6),
    )
    client.force_login(staff)
    client.post(reverse("vouchers:voucher_action", args=[claim.pk, "issue"]), {"amount": "2500"})
    claim.refresh_from_db()
    assert claim.status == "issued" and claim.amount == D("2500")


def test_payout_page_refuses_the_requester_and_pays_for_a_second_person(
    client, staff, staff2, programme, django_assert_max_num_queries
):
    voucher = delivered_voucher(staff, programme)
    redemption = submit(staff, voucher, "1000")
    services.redemption_review(actor=staff2, redemption=redemption, approve=True, on=dt.date(2020, 9, 1))
    services.redemption_request_payout(actor=staff, redemption=redemption)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("vouchers:redemption_queue")).status_code == 200
    response = client.post(reverse("vouchers:redemption_action", args=[redemption.pk, "pay"]), follow=True)
    assert "另一名工作人员复核" in response.content.decode()
    assert not LedgerEntry.objects.filter(kind="payout").exists()
    client.force_login(staff2)
    client.post(reverse("vouchers:redemption_action", args=[redemption.pk, "pay"]))
    client.post(reverse("vouchers:redemption_action", args=[redemption.pk, "pay"]))  # double click
    assert Redemption.objects.get().status == "paid"
    assert LedgerEntry.objects.filter(kind="payout").count() == 1


def test_provider_statistics_and_firm_history(
    client, staff, staff2, programme, django_assert_max_num_queries
):
    provider = approved_provider(staff, programme)
    for _ in range(3):
        voucher = delivered_voucher(staff, programme, provider=provider)
        r = submit(staff, voucher, "1000")
        services.redemption_review(actor=staff2, redemption=r, approve=True, on=dt.date(2020, 9, 1))
        services.redemption_request_payout(actor=staff, redemption=r)
        services.redemption_pay(actor=staff2, redemption=r, on=dt.date(2020, 9, 2))
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        html = client.get(reverse("vouchers:provider_list")).content.decode()
    import re

    row = re.sub(r"\s+", " ", html[html.index(provider.organisation.name) :][:400])
    assert "<td>3</td><td>600,000.00</td><td>3,000.00</td>" in row, row
    html = client.get(reverse("vouchers:firm_history", args=[voucher.organisation_id])).content.decode()
    assert voucher.number in html and "兑付拨付" in html


def test_payout_reversed_from_the_voucher_page_by_a_new_entry(client, staff, programme):
    from .conftest import pay

    staff2 = UserFactory(staff=True)
    voucher = delivered_voucher(staff, programme, amount="100000", contract="200000")
    redemption = pay(staff, staff2, submit(staff, voucher, "100000"))
    client.force_login(staff)
    page = client.get(reverse("vouchers:voucher_detail", args=[voucher.pk])).content.decode()
    assert "冲正</button>" in page and "100,000.00" in page
    url = reverse("vouchers:redemption_action", args=[redemption.pk, "reverse"])
    assert "冲正必须填写原因" in client.post(url, {"reason": ""}, follow=True).content.decode()
    client.post(url, {"reason": "发票作废"})
    redemption.refresh_from_db()
    voucher.refresh_from_db()
    payout = LedgerEntry.objects.get(kind="payout", redemption=redemption)
    assert redemption.status == "reversed" and payout.reversed_by.kind == "reversal"
    assert (voucher.status, voucher.paid_total, voucher.remaining) == ("delivered", D("0"), D("100000"))
    assert client.get(reverse("vouchers:redemption_export")).status_code == 200
