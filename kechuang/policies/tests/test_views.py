"""The pages: staff build a policy without code, results and export, the firm's page, the public pages,
and the denied cases."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.tests.factories import UserFactory
from kechuang.policies.models import AwardObjection, Condition, Policy, PolicyDocument
from kechuang.policies.services import awards
from kechuang.policies.services.matching import run_match

from .conftest import TODAY, budget, firm_with, rd_policy

D = Decimal
pytestmark = pytest.mark.django_db


def test_staff_build_a_policy_on_the_pages(client, staff, district):
    client.force_login(staff)
    r = client.post(
        reverse("policies:document_create"),
        {
            "title": "高企认定奖励办法",
            "number": "周科发〔2020〕1号",
            "issuer": "周村区科学技术局",
            "issued_on": "2020-02-01",
            "effective_from": "2020-02-01",
            "original": SimpleUploadedFile(
                "高企认定奖励办法.pdf", b"%PDF-1.4\n% policy\n", "application/pdf"
            ),
        },
    )
    doc = PolicyDocument.objects.get()
    assert r.status_code == 302
    r = client.post(
        reverse("policies:policy_create", args=[doc.pk]), {"code": "hnte-award", "name": "高企认定奖励"}
    )
    policy = Policy.objects.get()
    r = client.post(
        reverse("policies:item_create", args=[policy.pk]),
        {
            "title": "首次认定奖励",
            "key": "hnte-first",
            "delivery": "automatic",
            "benefit_kind": "fixed",
            "benefit_year_offset": 1,
        },
    )
    assert "请填写该项" in r.content.decode()  # the fixed amount is missing: the form is shown again
    r = client.post(
        reverse("policies:item_create", args=[policy.pk]),
        {
            "title": "首次认定奖励",
            "key": "hnte-first",
            "delivery": "automatic",
            "benefit_kind": "fixed",
            "benefit_amount": "100000",
            "benefit_year_offset": 1,
        },
    )
    item = policy.items.get()
    url = reverse("policies:condition_add", args=[item.pk])
    page = client.get(url, {"kind": "fact"}).content.decode()
    assert "比较方式" in page and "资质类型" not in page
    r = client.post(
        url,
        {
            "kind": "fact",
            "save": "1",
            "field": "rd_hnte",
            "year_offset": 1,
            "op": "between",
            "value": "9",
            "value2": "3",
            "low_inclusive": "1",
            "high_inclusive": "0",
        },
    )
    assert "上限不能小于下限" in r.content.decode()
    assert 'value="9"' in r.content.decode()  # nothing typed is lost
    r = client.post(
        url, {"kind": "qualification", "save": "1", "qual_kind": "hnte", "mode": "first_in", "year_offset": 1}
    )
    assert r.status_code == 302
    assert Condition.objects.get().params["qual_name"] == "高新技术企业"
    detail = client.get(reverse("policies:policy_detail", args=[policy.pk])).content.decode()
    assert "上一年度（2019年）当年首次认定（入库）为高新技术企业" in detail
    assert "原文：高企认定奖励办法.pdf" in detail
    client.post(reverse("policies:policy_action", args=[policy.pk, "publish"]))
    policy.refresh_from_db()
    assert policy.status == "active"


def test_results_export_and_firm_page(client, staff, district, town, enterprise_user, firm):
    from kechuang.statistics.tests.factories import EnterpriseFactFactory

    EnterpriseFactFactory(
        organisation=firm, year=2019, rd_hnte=D(28), sales_revenue=D(1000), reported_on=dt.date(2020, 3, 1)
    )
    _, item = rd_policy(staff, district)
    run_match(on=TODAY)
    client.force_login(staff)
    page = client.get(reverse("policies:item_results", args=[item.pk]), {"verdict": "near"}).content.decode()
    assert firm.name in page and "距离条件还差：研发费用 12万元" in page
    r = client.get(reverse("policies:item_export", args=[item.pk]))
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(enterprise_user)
    mine = client.get(reverse("policies:mine")).content.decode()
    assert "接近符合" in mine and "距离条件还差：研发费用 12万元" in mine
    calc = client.get(reverse("policies:calculator")).content.decode()
    assert "研发投入后补助" in calc and "按" in calc


def test_denied_cases(client, staff, district, other_district, enterprise_user, leader):
    policy, item = rd_policy(staff, district, publish=False)
    client.force_login(enterprise_user)
    assert client.get(reverse("policies:policy_list")).status_code == 403
    assert client.get(reverse("policies:policy_detail", args=[policy.pk])).status_code == 404
    client.force_login(UserFactory(staff=True, region=other_district))
    assert client.get(reverse("policies:policy_detail", args=[policy.pk])).status_code == 404
    client.force_login(leader)
    assert client.get(reverse("policies:policy_detail", args=[policy.pk])).status_code == 200
    r = client.post(reverse("policies:condition_add", args=[item.pk]), {"kind": "fact", "save": "1"})
    assert r.status_code == 404
    client.logout()
    assert client.get(reverse("policies:mine")).status_code == 302
    assert client.get(reverse("policies:library_detail", args=[policy.pk])).status_code == 404  # a draft


def test_public_pages_and_objection(client, staff, staff2, district, town):
    firm_with(town, rd=45, sales=1000)
    policy, item = rd_policy(staff, district)
    batch = awards.batch_create(
        actor=staff, item=item, period=2020, as_of=TODAY, budget_line=budget(staff, district)
    )
    assert client.get(reverse("policies:batch_public", args=[batch.pk])).status_code == 404  # not yet public
    awards.batch_approve(actor=staff2, batch=batch)
    awards.publicity_open(actor=staff, batch=batch, starts_on=TODAY)
    assert "研发投入后补助" in client.get(reverse("policies:library")).content.decode()
    detail = client.get(reverse("policies:library_detail", args=[policy.pk])).content.decode()
    assert "研发费用占销售收入比例不低于4%" in detail
    r = client.get(
        reverse("policies:calculator"),
        {"manual": "1", "town": town.pk, "sales_revenue": "1000", "rd_hnte": "50"},
    )
    assert "符合全部2项条件" in r.content.decode()
    r = client.get(reverse("policies:calculator"), {"manual": "1", "sales_revenue": "1000"})
    assert "数据不足" in r.content.decode()
    url = reverse("policies:batch_public", args=[batch.pk])
    r = client.post(url, {"name": "", "contact": "", "reason": "x"})
    assert "请填写该项" in r.content.decode() or "这个字段是必填项" in r.content.decode()
    r = client.post(url, {"name": "王伟", "contact": "13800000000", "reason": "名单中企业研发数据有误"})
    assert r.status_code == 302 and AwardObjection.objects.count() == 1
    client.force_login(staff)
    page = client.get(reverse("policies:batch_detail", args=[batch.pk])).content.decode()
    assert "名单中企业研发数据有误" in page
