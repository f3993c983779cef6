"""决定 (issue 23 item 5): the explicit decision form, the letters as 公文 with 文号, the decisions export."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import UserFactory
from kechuang.programmes import services
from kechuang.programmes.models import Decision
from kechuang.reports.gongwen import Gongwen

from .conftest import NOW
from .test_workflow import PUBLISHED, _through_review

pytestmark = pytest.mark.django_db
AFTER = NOW.replace(month=10, day=20)


@pytest.fixture
def in_publicity(accepted, staff, expert_pool, calendar_2020_2027, district):
    district.contact_office = "高新技术科"
    district.contact_phone = "0533-6418888"
    district.save()
    app = _through_review(accepted, staff, expert_pool)
    services.publicity_open(
        actor=staff, call=app.call, applications=[app], starts_on=dt.date(2020, 9, 21), now=PUBLISHED
    )
    app.refresh_from_db()
    return app


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode()


def test_approval_records_amount_conditions_and_issues_a_numbered_letter(in_publicity, staff):
    decision = services.application_decide(
        actor=staff,
        application=in_publicity,
        approve=True,
        amount=Decimal("300000.00"),
        conditions="2021年12月底前完成中期检查。",
        outcome_data={"number": "GR202037000123"},
        now=AFTER,
    )
    decision.refresh_from_db()
    assert decision.amount == Decimal("300000.00")
    assert decision.number.startswith("周科字〔2020〕") and decision.number.endswith("号")
    doc = Gongwen.from_dict(decision.gongwen)
    assert doc.addressee == in_publicity.organisation.name
    assert "予以认定" in doc.title
    assert doc.note == "联系科室及电话：高新技术科，0533-6418888"
    texts = [p.text for p in doc.body]
    assert "支持资金30万元。" in texts and "2021年12月底前完成中期检查。" in texts
    xml = _docx_text(bytes(decision.docx))
    assert decision.number in xml and "0533-6418888" in xml
    import hashlib

    assert hashlib.sha256(bytes(decision.docx)).hexdigest() == decision.docx_sha256
    event = AuditEvent.objects.get(action="application.decide", object_id=str(in_publicity.pk))
    assert event.changes["amount"] == "300000.00" and event.changes["number"] == decision.number


def test_each_letter_takes_the_next_number(in_publicity, staff, enterprise_user):
    first = services.application_decide(actor=staff, application=in_publicity, approve=True, now=AFTER)
    serial = int(first.number.split("〕")[1].rstrip("号"))
    from kechuang.reports.signoff import number_allocate

    _, following = number_allocate(region=in_publicity.call.region, kind="字", year=2020)
    assert following == f"周科字〔2020〕{serial + 1}号"


def test_refusal_keeps_no_amount_and_says_why(in_publicity, staff):
    decision = services.application_decide(
        actor=staff,
        application=in_publicity,
        approve=False,
        reason="知识产权与主营产品关联度不足。",
        amount=Decimal("1"),
        now=AFTER,
    )
    assert decision.amount is None and decision.result == Decision.Result.NOT_APPROVED
    doc = Gongwen.from_dict(decision.gongwen)
    assert "不予认定" in doc.title
    assert any("知识产权与主营产品关联度不足" in p.text for p in doc.body)


def test_negative_amount_is_refused(in_publicity, staff):
    with pytest.raises(Exception, match="不能为负数"):
        services.application_decide(
            actor=staff, application=in_publicity, approve=True, amount=Decimal("-1"), now=AFTER
        )
    assert not Decision.objects.exists()


def test_decision_page_asks_and_refusal_needs_a_reason(in_publicity, staff, client, monkeypatch):
    from kechuang.core import dates

    monkeypatch.setattr(dates, "now", lambda: AFTER)
    client.force_login(staff)
    url = reverse("programmes:decision_form", args=[in_publicity.pk])
    page = client.get(url).content.decode()
    assert "支持资金（元）" in page and "立项条件/要求" in page and "证书/入库编号" in page
    refused = client.post(url, {"result": "reject", "reason": ""})
    assert "不予批准须写明理由" in refused.content.decode()
    assert not Decision.objects.exists()
    done = client.post(
        url,
        {"result": "approve", "amount": "200000", "conditions": "按季度报送进展。", "certificate_number": ""},
    )
    assert done.status_code == 302
    decision = Decision.objects.get()
    assert decision.amount == Decimal("200000") and decision.conditions == "按季度报送进展。"
    detail = client.get(reverse("programmes:application_detail", args=[in_publicity.pk])).content.decode()
    assert decision.number in detail and "下载通知（Word）" in detail


def test_decision_before_publicity_ends_is_refused_on_the_page(in_publicity, staff, client, settings):
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": dt.date(2020, 9, 25)}
    client.force_login(staff)
    response = client.post(
        reverse("programmes:decision_form", args=[in_publicity.pk]), {"result": "approve", "amount": "1"}
    )
    assert "公示期满后" in response.content.decode()
    assert not Decision.objects.exists()


def test_only_the_calls_staff_may_open_the_form(in_publicity, client, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get(reverse("programmes:decision_form", args=[in_publicity.pk])).status_code == 403
    from kechuang.core.models import Region

    client.force_login(UserFactory(staff=True, region=Region.objects.get(code="370303")))
    assert client.get(reverse("programmes:decision_form", args=[in_publicity.pk])).status_code in (403, 404)


def test_letter_downloads_follow_the_application_policy(in_publicity, staff, client, enterprise_user):
    decision = services.application_decide(actor=staff, application=in_publicity, approve=True, now=AFTER)
    url = reverse("programmes:decision_letter", args=[in_publicity.pk, "docx"])
    client.force_login(enterprise_user)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response) == bytes(decision.docx)
    assert AuditEvent.objects.filter(action="file.download").exists()
    expert = in_publicity.assignments.first().expert.person.accounts.get()
    client.force_login(expert)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(enterprise=True))
    assert client.get(url).status_code == 404


def test_decisions_export_lists_every_decision_and_is_audited(in_publicity, staff, client):
    decision = services.application_decide(
        actor=staff, application=in_publicity, approve=True, amount=Decimal("300000"), now=AFTER
    )
    client.force_login(staff)
    response = client.get(reverse("programmes:call_decisions_export", args=[in_publicity.call_id]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "申报单位/人" and len(rows) == 2
    assert rows[1][5] == "批准" and rows[1][6] == 300000 and rows[1][8] == decision.number
    assert AuditEvent.objects.filter(action="export.xlsx").exists()


def test_decisions_export_is_for_the_bureau_only(in_publicity, client, enterprise_user):
    client.force_login(enterprise_user)
    url = reverse("programmes:call_decisions_export", args=[in_publicity.call_id])
    assert client.get(url).status_code in (403, 404)


def test_the_quota_caps_approvals(in_publicity, staff):
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.programmes.models import Application

    call = in_publicity.call
    Application.objects.create(
        call=call, organisation=OrganisationFactory(), title="已批准", status="approved", created_by=staff
    )
    call.quota = 1
    call.save()
    with pytest.raises(Exception, match="名额1项已满"):
        services.application_decide(actor=staff, application=in_publicity, approve=True, now=AFTER)
    in_publicity.refresh_from_db()
    assert in_publicity.status == "in_publicity" and not Decision.objects.exists()
    refusal = services.application_decide(
        actor=staff, application=in_publicity, approve=False, reason="名额已满。", now=AFTER
    )
    assert refusal.result == Decision.Result.NOT_APPROVED
