"""A voucher service provider on a phone (issue 24): signs in as its organisation's user, opens 我提供的创新券服务,
uploads a partial invoice on its contract at 390 px wide, and the bureau sees it on the voucher and sends the
provider's contact a fresh invitation from the registry page."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from e2e.conftest import login
from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture
def world(db, settings, tmp_path):
    from django.apps import apps as global_apps

    from kechuang.enterprises.models import QualificationKind
    from kechuang.vouchers.tests.conftest import approved_provider, delivered_voucher, make_programme

    settings.MEDIA_ROOT = tmp_path
    if not QualificationKind.objects.exists():  # a transactional test flushed the seeded kinds
        importlib.import_module("kechuang.enterprises.migrations.0002_seed_qualification_kinds").seed(
            global_apps, None
        )
    staff = UserFactory(username="vstaff", staff=True)
    programme = make_programme(staff)
    provider = approved_provider(staff, programme, name="淄博市检验检测中心")
    voucher = delivered_voucher(staff, programme, provider=provider, contract="200000")
    UserFactory(username="fw_phone", enterprise=True, organisation=provider.organisation)
    return voucher


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_provider_uploads_a_partial_invoice_on_a_phone(browser, live_server, world, screenshot_dir):
    base = live_server.url
    phone = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    login(phone, base, "fw_phone", TEST_PASSWORD)
    phone.goto(f"{base}/vouchers/provided/")
    expect(phone.locator("h1")).to_have_text("我提供的创新券服务")
    phone.get_by_text("上传发票（可分次开票").click()
    phone.get_by_label("发票号码").fill("37002026001")
    phone.get_by_label("发票金额（元）").fill("120000")
    phone.get_by_label("开票日期").fill(dt.date(2020, 8, 5).isoformat())
    phone.get_by_label("发票文件（PDF 或图片）").set_input_files(
        files=[{"name": "发票.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% invoice\n"}]
    )
    assert _fits(phone)
    phone.get_by_role("button", name="上传发票").click()
    expect(phone.get_by_role("alert").first).to_contain_text("发票 37002026001 已上传")
    expect(phone.locator("main")).to_contain_text("发票 37002026001 · 120,000.00 元")
    assert _fits(phone)
    phone.screenshot(path=str(screenshot_dir / "provider-invoice-phone.png"), full_page=True)

    # beyond the contract: refused in Chinese, nothing stored
    phone.get_by_text("上传发票（可分次开票").click()
    phone.get_by_label("发票号码").fill("37002026002")
    phone.get_by_label("发票金额（元）").fill("90000")
    phone.get_by_label("发票文件（PDF 或图片）").set_input_files(
        files=[{"name": "发票2.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% two\n"}]
    )
    phone.get_by_role("button", name="上传发票").click()
    expect(phone.get_by_role("alert").first).to_contain_text("发票累计金额超过合同金额")
    assert world.provider_invoices.count() == 1
    assert world.provider_invoices.get().amount == Decimal("120000")

    desk = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    login(desk, base, "vstaff", TEST_PASSWORD)
    desk.goto(f"{base}/vouchers/v/{world.pk}/")
    expect(desk.locator("main")).to_contain_text("服务机构上传的发票")
    expect(desk.get_by_role("link", name="发票.pdf")).to_be_visible()
    desk.screenshot(path=str(screenshot_dir / "provider-invoice-staff.png"), full_page=True)

    # the bureau invites the provider's contact from its registry page (a page, no shell)
    desk.goto(f"{base}/vouchers/providers/{world.provider_id}/")
    desk.get_by_label("联系人电子邮箱").fill("jc@example.cn")
    desk.get_by_role("button", name="重新发送邀请").click()
    expect(desk.get_by_role("alert").first).to_contain_text(
        "已向 淄博市检验检测中心 发送账号邀请（用户名 fw_phone）"
    )
    desk.screenshot(path=str(screenshot_dir / "provider-invite-staff.png"), full_page=True)
