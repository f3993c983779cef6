"""Staff pages that set programmes and providers up: rules as data through the services, audited, with
Chinese validation messages; leaders and firms cannot change them; other regions get a 404."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent, Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.enterprises.tests.factories import kind
from kechuang.vouchers import ledger
from kechuang.vouchers.models import LedgerEntry, Provider, VoucherProgramme

from .conftest import approved_provider, issued_voucher

D = Decimal
pytestmark = pytest.mark.django_db


def errors(response) -> str:
    html = response.content.decode()
    found = re.findall(r'(?:invalid-feedback d-block|alert-danger)">(?:<div>)?([^<]*)<', html)
    return " | ".join(found)


def programme_data(**over):
    data = {
        "name": "周村科技创新券",
        "year": "2020",
        "eligible_kinds": [kind("tech_sme").pk, kind("hnte").pk],
        "share_percent": "50",
        "cap_per_firm": "200000",
        "budget": "2510000",
        "validity_days": "365",
        "publicity_days": "5",
        "catalogue": "检验检测|检测\n技术开发|研发\n知识产权",
    }
    data.update(over)
    return data


def test_staff_creates_a_programme_with_rules_as_data(client, staff):
    client.force_login(staff)
    response = client.post(reverse("vouchers:programme_create"), programme_data())
    programme = VoucherProgramme.objects.get(name="周村科技创新券")
    assert response.status_code == 302 and response.url == reverse(
        "vouchers:programme_detail", args=[programme.pk]
    )
    assert (programme.region.code, programme.share_percent, programme.cap_per_firm) == (
        "370306",
        D("50"),
        D("200000"),
    )
    assert programme.pool_remaining == D("2510000") and programme.publicity_days == 5
    assert {k.code for k in programme.eligible_kinds.all()} == {"tech_sme", "hnte"}
    assert dict(programme.service_items.values_list("name", "category")) == {
        "检验检测": "检测",
        "技术开发": "研发",
        "知识产权": "",
    }
    assert LedgerEntry.objects.get(programme=programme).target == programme.account
    assert AuditEvent.objects.filter(action="vouchers.programme_create").count() == 1
    html = client.get(response.url).content.decode()
    assert "2,510,000.00 元" in html and "高新技术企业" in html


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"share_percent": "120"}, "确保该值小于或等于100。"),
        ({"cap_per_firm": "3000000"}, "每家企业年度上限不能超过年度资金池。"),
        ({"budget": "-5"}, "确保该值大于或等于0.01。"),
        ({"catalogue": "检验检测\n检验检测"}, "服务目录第2行“检验检测”重复。"),
        ({"name": ""}, "这个字段是必填项。"),
    ],
)
def test_programme_form_explains_bad_input_in_chinese_and_keeps_nothing(client, staff, over, message):
    client.force_login(staff)
    response = client.post(reverse("vouchers:programme_create"), programme_data(**over))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html, re.findall(r'invalid-feedback d-block">([^<]*)<|alert-danger">([^<]*)<', html)
    assert not VoucherProgramme.objects.exists() and not LedgerEntry.objects.exists()


def test_duplicate_programme_name_in_a_year_is_refused_in_chinese(client, staff, programme):
    client.force_login(staff)
    response = client.post(reverse("vouchers:programme_create"), programme_data())
    assert response.status_code == 200 and "已经存在" in errors(response)


def edit_data(programme, **over):
    data = programme_data(
        year=None, version=str(programme.version), is_active="on", budget=str(programme.budget)
    )
    data.pop("year")
    data.update(over)
    return data


def test_editing_the_budget_posts_a_top_up_or_a_cut_and_the_ledger_still_adds_up(client, staff, programme):
    issued_voucher(staff, programme, amount="100000")
    issued_voucher(staff, programme, amount="100000")
    client.force_login(staff)
    url = reverse("vouchers:programme_edit", args=[programme.pk])
    assert client.post(url, edit_data(programme, budget="1200000")).status_code == 302
    programme.refresh_from_db()
    assert (programme.budget, programme.pool_remaining) == (D("1200000"), D("1000000"))
    response = client.post(url, edit_data(programme, budget="150000", cap_per_firm="100000"))
    assert "资金池只剩1,000,000.00元未发放，最多可调减该金额（本次调减1,050,000.00元）" in errors(response)
    programme.refresh_from_db()
    assert (programme.budget, programme.pool_remaining) == (D("1200000"), D("1000000"))
    assert client.post(url, edit_data(programme, budget="200000", cap_per_firm="100000")).status_code == 302
    programme.refresh_from_db()
    assert (programme.budget, programme.pool_remaining, programme.cap_per_firm) == (
        D("200000"),
        D("0"),
        D("100000"),
    )
    rows = LedgerEntry.objects.filter(programme=programme, kind__in=["budget", "budget_cut"])
    assert list(rows.values_list("kind", "amount")) == [
        ("budget", D("1000000")),
        ("budget", D("200000")),
        ("budget_cut", D("1000000")),
    ]
    assert ledger.ledger_check().ok
    assert AuditEvent.objects.filter(action="vouchers.programme_update").count() == 2


def test_edit_refuses_a_cap_below_what_a_firm_already_has_and_a_stale_form(client, staff, programme):
    issued_voucher(staff, programme, amount="150000")
    client.force_login(staff)
    url = reverse("vouchers:programme_edit", args=[programme.pk])
    html = client.post(url, edit_data(programme, cap_per_firm="100000")).content.decode()
    assert "已有企业本项目已发放150,000.00元，每家企业年度上限不能低于该金额。" in html
    stale = edit_data(programme, version=str(programme.version - 1), share_percent="40")
    assert "已被他人修改" in client.post(url, stale).content.decode()
    programme.refresh_from_db()
    assert programme.share_percent == D("50") and programme.cap_per_firm == D("200000")


def test_catalogue_items_a_voucher_used_cannot_be_dropped(client, staff, programme):
    from .conftest import delivered_voucher

    delivered_voucher(staff, programme, amount="1000", contract="2000")
    client.force_login(staff)
    url = reverse("vouchers:programme_edit", args=[programme.pk])
    html = client.post(url, edit_data(programme, catalogue="技术开发|研发")).content.decode()
    assert "服务项目“检验检测”已有创新券使用，不能从服务目录中删除。" in html
    assert programme.service_items.filter(name="检验检测").exists()


def test_batch_add_validates_dates(client, staff, programme):
    client.force_login(staff)
    url = reverse("vouchers:batch_add", args=[programme.pk])
    bad = client.post(url, {"name": "第一批", "opens_on": "2020-05-01", "closes_on": "2020-04-01"})
    assert "截止日期不能早于开始日期。" in bad.content.decode()
    ok = client.post(url, {"name": "第一批", "opens_on": "2020-04-01", "closes_on": "2020-05-01"})
    assert ok.status_code == 302 and programme.batches.get().name == "第一批"


def test_leader_and_firm_cannot_create_or_edit_and_other_region_gets_404(
    client, programme, leader, enterprise_user
):
    for user in (leader, enterprise_user):
        client.force_login(user)
        assert client.get(reverse("vouchers:programme_create")).status_code == 403
        assert client.get(reverse("vouchers:programme_edit", args=[programme.pk])).status_code == 404
    other = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    client.force_login(other)
    assert (
        client.post(reverse("vouchers:programme_edit", args=[programme.pk]), edit_data(programme)).status_code
        == 404
    )
    assert client.get(reverse("vouchers:batch_add", args=[programme.pk])).status_code == 404


def test_provider_register_vet_services_blacklist(client, staff, programme):
    org = OrganisationFactory()
    client.force_login(staff)
    missing = client.post(reverse("vouchers:provider_register"), {"credit_code": "91370306MA3C000000"})
    assert "单位库中没有该统一社会信用代码的单位" in missing.content.decode()
    items = list(programme.service_items.values_list("pk", flat=True))
    response = client.post(
        reverse("vouchers:provider_register"), {"credit_code": org.credit_code, "services": items[:1]}
    )
    provider = Provider.objects.get(organisation=org)
    assert response.status_code == 302 and provider.status == "pending" and provider.services.count() == 1
    again = client.post(reverse("vouchers:provider_register"), {"credit_code": org.credit_code})
    assert f"已登记为{staff.region.name}的服务机构" in again.content.decode()

    act = lambda action, data=None: client.post(  # noqa: E731
        reverse("vouchers:provider_action", args=[provider.pk, action]), data or {}, follow=True
    )
    act("vet", {"decision": "approve"})
    provider.refresh_from_db()
    assert provider.status == "approved" and provider.vetted_on is not None
    act("services", {"services": items, "version": provider.version})
    assert provider.services.count() == 2
    stale = act("services", {"services": [], "version": provider.version})
    assert "已被他人修改" in stale.content.decode() and provider.services.count() == 2
    no_reason = act("blacklist", {"reason": "  "})
    assert "列入黑名单须填写原因" in no_reason.content.decode()
    act("blacklist", {"reason": "虚开发票"})
    provider.refresh_from_db()
    assert provider.status == "blacklisted" and provider.blacklist_reason == "虚开发票"
    html = act("vet", {"decision": "approve"}).content.decode()
    assert "已列入黑名单的服务机构不能重新审核入库。" in html
    actions = set(
        AuditEvent.objects.filter(action__startswith="vouchers.provider").values_list("action", flat=True)
    )
    assert actions == {
        "vouchers.provider_register",
        "vouchers.provider_vet",
        "vouchers.provider_set_services",
        "vouchers.provider_blacklist",
    }
    detail = client.get(reverse("vouchers:provider_detail", args=[provider.pk])).content.decode()
    assert "虚开发票" in detail and "黑名单" in detail


def test_leader_reads_providers_but_cannot_change_them(client, staff, leader, programme):
    provider = approved_provider(staff, programme)
    client.force_login(leader)
    assert client.get(reverse("vouchers:provider_detail", args=[provider.pk])).status_code == 200
    assert client.get(reverse("vouchers:provider_register")).status_code == 403
    response = client.post(
        reverse("vouchers:provider_action", args=[provider.pk, "blacklist"]), {"reason": "x"}
    )
    assert response.status_code == 404
    export = client.get(reverse("vouchers:provider_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_programme_list_shows_period_figures_in_wanyuan(client, staff, programme):
    from .conftest import delivered_voucher, pay, submit

    staff2 = UserFactory(staff=True)
    voucher = delivered_voucher(staff, programme, amount="100000", contract="200000")
    pay(staff, staff2, submit(staff, voucher, "12345.67"))
    client.force_login(staff)
    html = client.get(reverse("vouchers:programme_list"), {"period": "2020"}).content.decode()
    assert "1.23 万元" in html and "12,345.67 元" in html and "10.00 万元" in html
    bad = client.get(reverse("vouchers:programme_list"), {"period": "2020Q7"}).content.decode()
    assert "统计期格式应为" in bad
    assert dt.date.today()  # the page renders with the default period too
    assert client.get(reverse("vouchers:programme_list")).status_code == 200


def test_staff_record_an_affiliation_on_the_provider_page_and_it_blocks_the_contract(
    client, staff, programme
):
    from django.core.exceptions import ValidationError

    from kechuang.vouchers import services

    voucher = issued_voucher(staff, programme)
    provider = approved_provider(staff, programme)
    client.force_login(staff)
    url = reverse("vouchers:provider_action", args=[provider.pk, "affiliate"])
    response = client.post(url, {"credit_code": "91370306MA0000000X", "kind": "shareholder"}, follow=True)
    assert "单位库中没有该统一社会信用代码的单位" in response.content.decode()
    response = client.post(
        url,
        {"credit_code": voucher.organisation.credit_code, "kind": "shareholder", "note": "服务机构持股30%"},
        follow=True,
    )
    html = response.content.decode()
    assert "服务机构持股30%" in html and voucher.organisation.name in html
    assert AuditEvent.objects.filter(action="vouchers.affiliation_record").exists()
    with pytest.raises(ValidationError, match="已登记的关联关系（股东/投资关系）"):
        services.voucher_contract(
            actor=staff,
            voucher=voucher,
            provider=provider,
            contract_amount=D("1000"),
            signed_on=dt.date(2020, 5, 6),
        )
