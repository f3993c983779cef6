"""Support funds and prizes through the pages: budget line → allocation → approval → instalments →
reversal, with four eyes enforced on the UI path (the proposer cannot approve, the requester cannot pay)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent, Region
from kechuang.core.tests.factories import OrganisationFactory, PersonFactory, UserFactory
from kechuang.vouchers import ledger
from kechuang.vouchers.models import Allocation, BudgetLine, Instalment, LedgerEntry

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff2(db):
    return UserFactory(staff=True)


def _line(client, name="区校城融合项目扶持资金", kind="support", budget="1100000"):
    data = {"name": name, "kind": kind, "year": "2020", "budget": budget, "booked_on": "2020-03-01"}
    assert client.post(reverse("vouchers:budget_line_create"), data).status_code == 302
    return BudgetLine.objects.get(name=name)


def _messages(response) -> str:
    return response.content.decode()


def test_allocation_approved_and_paid_in_instalments_by_two_people(client, staff, staff2):
    firm = OrganisationFactory()
    client.force_login(staff)
    line = _line(client)
    data = {
        "budget_line": line.pk,
        "target": "organisation",
        "credit_code": firm.credit_code,
        "reference": "校城融合：联合实验室",
        "amount": "600000",
    }
    response = client.post(reverse("vouchers:allocation_create"), data)
    allocation = Allocation.objects.get()
    assert response.url == reverse("vouchers:allocation_detail", args=[allocation.pk])
    assert allocation.organisation == firm and allocation.status == "proposed"

    # the proposer cannot approve, even by posting directly
    page = client.get(response.url).content.decode()
    assert "须由另一名工作人员审批" in page and "审批通过</button>" not in page
    act = reverse("vouchers:allocation_action", args=[allocation.pk, "approve"])
    denied = client.post(act, follow=True)
    assert "资金分配须由提出人以外的另一名工作人员审批。" in _messages(denied)
    allocation.refresh_from_db()
    assert allocation.status == "proposed" and line.remaining == D("1100000")

    client.force_login(staff2)
    client.post(act)
    allocation.refresh_from_db()
    line.refresh_from_db()
    assert (
        allocation.status == "approved" and allocation.approved_by == staff2 and line.remaining == D("500000")
    )

    # staff2 requests an instalment; the same key twice creates one
    inst_url = reverse("vouchers:allocation_action", args=[allocation.pk, "instalment"])
    client.post(inst_url, {"idempotency_key": "k-1", "amount": "400000"})
    client.post(inst_url, {"idempotency_key": "k-1", "amount": "400000"})
    instalment = Instalment.objects.get()
    too_much = client.post(inst_url, {"idempotency_key": "k-2", "amount": "300000"}, follow=True)
    assert "拨付金额超过待拨付余额" in _messages(too_much)

    pay_url = reverse("vouchers:instalment_action", args=[instalment.pk, "pay"])
    self_pay = client.post(pay_url, follow=True)
    assert "不能复核自己经办的拨付" in _messages(self_pay)
    instalment.refresh_from_db()
    assert instalment.status == "requested"

    client.force_login(staff)
    client.post(pay_url)
    client.post(pay_url)  # a double click pays once
    instalment.refresh_from_db()
    allocation.refresh_from_db()
    assert instalment.status == "paid" and instalment.approved_by == staff
    assert allocation.paid_total == D("400000") and LedgerEntry.objects.filter(kind="instalment").count() == 1

    # reversal by a new entry, with a reason
    rev_url = reverse("vouchers:instalment_action", args=[instalment.pk, "reverse"])
    assert "冲正必须填写原因" in _messages(client.post(rev_url, {"reason": ""}, follow=True))
    client.post(rev_url, {"reason": "账户信息错误，退回重拨"})
    instalment.refresh_from_db()
    allocation.refresh_from_db()
    reversal = LedgerEntry.objects.get(kind="reversal")
    assert instalment.status == "reversed" and reversal.reverses.kind == "instalment"
    assert (allocation.paid_total, allocation.remaining) == (D("0"), D("600000"))
    assert ledger.ledger_check().ok
    assert AuditEvent.objects.filter(action="vouchers.instalment_reverse").count() == 1
    page = client.get(reverse("vouchers:allocation_detail", args=[allocation.pk])).content.decode()
    assert "600,000.00" in page and "已冲正" in page


def test_prize_to_a_person_and_a_project_allocation(client, staff):
    person = PersonFactory(name="张科技", region=Region.objects.get(code="370306"))
    client.force_login(staff)
    line = _line(client, name="周村区科技先锋奖金", kind="prize", budget="200000")
    base = {"budget_line": line.pk, "reference": "2020年度周村区科技先锋", "amount": "20000"}
    client.post(reverse("vouchers:allocation_create"), {**base, "target": "person", "person_name": "张科技"})
    assert Allocation.objects.get().person == person
    missing = client.post(
        reverse("vouchers:allocation_create"), {**base, "target": "person", "person_name": "无此人"}
    )
    assert "人员库中没有该姓名的人员" in missing.content.decode()
    PersonFactory(name="张科技", region=Region.objects.get(code="370306"))
    twins = client.post(
        reverse("vouchers:allocation_create"), {**base, "target": "person", "person_name": "张科技"}
    )
    assert "多位同名人员" in twins.content.decode()
    client.post(
        reverse("vouchers:allocation_create"), {**base, "target": "project", "reference": "科技先锋奖杯制作"}
    )
    assert Allocation.objects.filter(organisation=None, person=None, reference="科技先锋奖杯制作").exists()
    bad = client.post(
        reverse("vouchers:allocation_create"), {**base, "target": "organisation", "credit_code": "x"}
    )
    assert "请填写单位库中已登记单位的统一社会信用代码" in bad.content.decode()
    html = client.get(reverse("vouchers:fund_list")).content.decode()
    assert "200,000.00" in html and "张科技" in html
    export = client.get(reverse("vouchers:fund_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_budget_line_form_rejects_bad_money_in_chinese(client, staff):
    client.force_login(staff)
    data = {
        "name": "扶持资金",
        "kind": "support",
        "year": "2020",
        "budget": "12.345",
        "booked_on": "2020-03-01",
    }
    response = client.post(reverse("vouchers:budget_line_create"), data)
    assert "小数不超过 2 位" in response.content.decode() and not BudgetLine.objects.exists()


def test_fund_pages_are_scoped(client, staff, leader, enterprise_user):
    client.force_login(staff)
    line = _line(client)
    client.post(
        reverse("vouchers:allocation_create"),
        {"budget_line": line.pk, "target": "project", "reference": "项目甲", "amount": "1000"},
    )
    allocation = Allocation.objects.get()
    other = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    client.force_login(other)
    assert client.get(reverse("vouchers:allocation_detail", args=[allocation.pk])).status_code == 404
    assert (
        client.post(reverse("vouchers:allocation_action", args=[allocation.pk, "approve"])).status_code == 404
    )
    client.force_login(leader)
    assert client.get(reverse("vouchers:allocation_detail", args=[allocation.pk])).status_code == 200
    assert (
        client.post(reverse("vouchers:allocation_action", args=[allocation.pk, "approve"])).status_code == 404
    )
    assert client.get(reverse("vouchers:allocation_create")).status_code == 403
    client.force_login(enterprise_user)
    assert client.get(reverse("vouchers:fund_list")).status_code == 403
    assert client.get(reverse("vouchers:allocation_detail", args=[allocation.pk])).status_code == 403
