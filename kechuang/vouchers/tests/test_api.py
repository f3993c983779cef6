"""/api/vouchers/: lists and details scoped by the policies (out of scope = 404), pagination, ledger
balances, and a firm's redemption request with an Idempotency-Key that pays once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.accounts import services as account_services
from kechuang.core.models import Attachment, Region
from kechuang.core.tests.factories import UserFactory
from kechuang.vouchers import ledger, services
from kechuang.vouchers.models import Redemption

from .conftest import delivered_voucher, eligible_firm, issued_voucher, pay, submit

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _business_day(settings):
    """Redemptions are dated by the business clock: a day inside the vouchers' validity."""
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": dt.date(2020, 8, 20)}


def api_for(client, user):
    _, key = account_services.api_token_create(actor=user, user=user, name="测试")
    auth = {"Authorization": f"Bearer {key}"}

    class Api:
        def get(self, path, **params):
            return client.get(f"/api/vouchers{path}", params, headers=auth)

        def redeem(self, voucher_id, amount, key=None, invoice="200000"):
            files = {
                name: SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 " + name.encode(), "application/pdf")
                for name in ("contract_file", "invoice_file", "payment_file", "output_file")
            }
            headers = dict(auth)
            if key:
                headers["Idempotency-Key"] = key
            return client.post(
                f"/api/vouchers/vouchers/{voucher_id}/redemptions",
                {"amount": amount, "invoice_amount": invoice, **files},
                headers=headers,
            )

    return Api()


def test_lists_are_scoped_and_paginated(client, staff, programme):
    firm = eligible_firm()
    own = issued_voucher(staff, programme, firm, amount="1000")
    others = [issued_voucher(staff, programme, amount="1000") for _ in range(3)]
    user = UserFactory(enterprise=True, organisation=firm)

    firm_api = api_for(client, user)
    body = firm_api.get("/vouchers").json()
    assert body["count"] == 1 and body["items"][0]["number"] == own.number
    assert body["items"][0]["amount"] in ("1000.00", 1000.0, "1000")
    assert firm_api.get(f"/vouchers/{others[0].pk}").status_code == 404
    assert firm_api.get(f"/vouchers/{own.pk}").json()["remaining"] in ("1000.00", 1000.0, "1000")
    assert firm_api.get("/balances").status_code == 403

    staff_api = api_for(client, staff)
    page = staff_api.get("/vouchers", limit=2, offset=0).json()
    assert page["count"] == 4 and len(page["items"]) == 2
    rest = staff_api.get("/vouchers", limit=2, offset=2).json()["items"]
    assert {v["id"] for v in page["items"] + rest} == {own.pk, *(v.pk for v in others)}
    assert staff_api.get("/vouchers", status="claimed").json()["count"] == 0
    assert staff_api.get(f"/programmes/{programme.pk}").json()["services"] == ["检验检测", "技术开发"]

    other_region = api_for(client, UserFactory(staff=True, region=Region.objects.get(code="370303")))
    assert other_region.get("/vouchers").json()["count"] == 0
    assert other_region.get(f"/vouchers/{own.pk}").status_code == 404
    assert other_region.get(f"/programmes/{programme.pk}").status_code == 404


def test_balances_match_the_ledger(client, staff, programme):
    staff2 = UserFactory(staff=True)
    voucher = delivered_voucher(staff, programme, amount="100000", contract="200000")
    pay(staff, staff2, submit(staff, voucher, "60000"))
    line = services.budget_line_create(
        actor=staff,
        name="科技先锋奖金",
        kind="prize",
        year=2020,
        region=programme.region,
        budget=D("200000"),
        booked_on=dt.date(2020, 3, 1),
    )
    rows = {r["account"]: r for r in api_for(client, staff).get("/balances", year=2020).json()["items"]}
    derived = ledger.balances()
    assert D(str(rows[programme.account]["remaining"])) == derived[programme.account] == D("900000")
    assert D(str(rows[line.account]["remaining"])) == derived[line.account] == D("200000")
    assert rows[line.account]["kind"] == "奖金"


def test_firm_files_a_redemption_with_an_idempotency_key_that_pays_once(client, staff, programme):
    firm = eligible_firm()
    voucher = delivered_voucher(staff, programme, firm, amount="100000", contract="200000")
    user = UserFactory(enterprise=True, organisation=firm)
    api = api_for(client, user)

    missing = api.redeem(voucher.pk, "50000")
    assert missing.status_code == 422 and "Idempotency-Key" in missing.json()["error"]["message"]

    first = api.redeem(voucher.pk, "50000", key="retry-1")
    again = api.redeem(voucher.pk, "50000", key="retry-1")
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert first.json()["id"] == again.json()["id"]
    assert Redemption.objects.count() == 1
    voucher.refresh_from_db()
    assert (voucher.remaining, voucher.held) == (D("50000"), D("50000"))

    evidence_before = Attachment.objects.count()
    over = api.redeem(voucher.pk, "60000", key="retry-2")
    assert over.status_code == 422 and "超过合同金额的补助比例" in over.json()["error"]["message"]
    assert Redemption.objects.count() == 1
    assert Attachment.objects.count() == evidence_before  # the refused request kept none of its four files

    listed = api.get("/redemptions").json()
    assert listed["count"] == 1 and listed["items"][0]["status"] == "submitted"

    staff2 = UserFactory(staff=True)
    redemption = Redemption.objects.get()
    services.redemption_review(actor=staff2, redemption=redemption, approve=True, on=dt.date(2020, 9, 1))
    services.redemption_request_payout(actor=staff, redemption=redemption)
    services.redemption_pay(actor=staff2, redemption=redemption, on=dt.date(2020, 9, 2))
    replay = api.redeem(voucher.pk, "50000", key="retry-1")  # a late retry after payout pays nothing more
    assert replay.status_code == 200 and replay.json()["status"] == "paid"
    voucher.refresh_from_db()
    assert voucher.paid_total == D("50000") and ledger.ledger_check().ok


def test_redemption_refused_for_someone_elses_voucher_and_key_reuse(client, staff, programme):
    mine = delivered_voucher(staff, programme, amount="100000", contract="200000")
    theirs = delivered_voucher(staff, programme, amount="100000", contract="200000")
    user = UserFactory(enterprise=True, organisation=mine.organisation)
    api = api_for(client, user)
    assert api.redeem(theirs.pk, "1000", key="k-a").status_code == 404
    assert api.redeem(mine.pk, "1000", key="k-b").status_code == 201
    other = api_for(client, UserFactory(enterprise=True, organisation=theirs.organisation))
    reused = other.redeem(theirs.pk, "1000", key="k-b")
    assert reused.status_code == 422 and "请求标识已被使用" in reused.json()["error"]["message"]
    assert Redemption.objects.count() == 1
