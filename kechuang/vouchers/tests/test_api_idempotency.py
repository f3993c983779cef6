"""Retried redemptions (issue 25): parallel requests with one Idempotency-Key file one redemption, store its
four evidence files once, and only one of them answers 201 — the others replay it with 200."""

import threading

import pytest
from django.db import connections
from django.test import Client

from kechuang.core.models import Attachment
from kechuang.core.tests.factories import UserFactory
from kechuang.vouchers.models import Redemption

from .conftest import delivered_voucher, eligible_firm
from .test_api import _business_day, api_for  # noqa: F401 - the autouse business day

PARALLEL = 4


@pytest.mark.django_db(transaction=True)
def test_parallel_retries_file_once_and_store_the_evidence_once(staff, programme):
    firm = eligible_firm()
    voucher = delivered_voucher(staff, programme, firm, amount="100000", contract="200000")
    user = UserFactory(enterprise=True, organisation=firm)
    before = Attachment.objects.count()
    start = threading.Barrier(PARALLEL)
    answers = []

    def retry():
        try:
            api = api_for(Client(), user)
            start.wait()
            response = api.redeem(voucher.pk, "50000", key="double-tap")
            answers.append(
                (response.status_code, response.json(), response.headers.get("Idempotent-Replayed"))
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=retry) for _ in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(answers) == PARALLEL, answers
    statuses = sorted(code for code, _, _ in answers)
    assert statuses == [200] * (PARALLEL - 1) + [201], answers
    assert len({body["id"] for _, body, _ in answers}) == 1
    assert all(replayed == "true" for code, _, replayed in answers if code == 200)
    assert Redemption.objects.count() == 1
    assert Attachment.objects.count() - before == 4


@pytest.mark.django_db
def test_a_sequential_retry_replays_without_storing_files(client, staff, programme):
    firm = eligible_firm()
    voucher = delivered_voucher(staff, programme, firm, amount="100000", contract="200000")
    api = api_for(client, UserFactory(enterprise=True, organisation=firm))
    first = api.redeem(voucher.pk, "50000", key="k1")
    stored = Attachment.objects.count()
    again = api.redeem(voucher.pk, "50000", key="k1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Attachment.objects.count() == stored


@pytest.mark.django_db
@pytest.mark.parametrize(("amount", "invoice"), [("1e30", "200000"), ("50000", "1e30")])
def test_absurd_amounts_are_422_and_keep_no_files(client, staff, programme, amount, invoice):
    firm = eligible_firm()
    voucher = delivered_voucher(staff, programme, firm, amount="100000", contract="200000")
    api = api_for(client, UserFactory(enterprise=True, organisation=firm))
    before = Attachment.objects.count()
    response = api.redeem(voucher.pk, amount, key=f"absurd-{amount}-{invoice}", invoice=invoice)
    assert response.status_code == 422, response.content
    assert "金额" in response.json()["error"]["message"]
    assert Attachment.objects.count() == before and not Redemption.objects.exists()
