"""A commissioner's day on a phone (issue 24 item 5): file a service log with the phone's location, show the
served village the confirmation QR/link, the village confirms with one tap and no account, and the public
亮牌卡 shows the service phone the commissioner chose — all at 390 px wide."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import login
from kechuang.agritech import services
from kechuang.agritech.tests.factories import CommissionerFactory, PairingFactory, village
from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(db):
    staff = UserFactory(username="agri_staff", staff=True)
    user = UserFactory(username="tp_phone", display_name="马春生", commissioner=True)
    commissioner = CommissionerFactory(person=user.person, name="马春生")
    pairing = PairingFactory(commissioner=commissioner, village=village("370306100901", "李家村"))
    services.pairing_set_card(actor=staff, pairing=pairing, published=True)
    return pairing


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_log_with_location_one_tap_confirmation_and_card_on_a_phone(
    browser, live_server, world, screenshot_dir
):
    base = live_server.url
    ctx = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        geolocation={"latitude": 36.8035, "longitude": 117.8512},
        permissions=["geolocation"],
    )
    phone = ctx.new_page()
    login(phone, base, "tp_phone", TEST_PASSWORD)
    phone.goto(f"{base}/agritech/logs/new/?pairing={world.pk}")
    phone.fill("input[name=date]", "2020-11-20")  # within the pairing's term (the demo's business year)
    phone.fill("input[name=place]", "李家村果园")
    phone.fill("textarea[name=content]", "苹果树冬季修剪现场指导")
    phone.fill("input[name=people_trained]", "15")
    phone.get_by_role("button", name="使用当前位置").click()
    expect(phone.locator("input[name=latitude]")).to_have_value("36.803500")
    expect(phone.locator("input[name=longitude]")).to_have_value("117.851200")
    assert _fits(phone)
    phone.get_by_role("button", name="提交").click()
    expect(phone.locator("h2", has_text="请服务对象扫码确认")).to_be_visible()
    expect(phone.locator("dl")).to_contain_text("36.803500")
    phone.screenshot(path=str(screenshot_dir / "agri-1-log-qr-phone.png"), full_page=True)
    confirm_url = phone.locator("input[aria-label=确认链接]").input_value()

    phone.goto(f"{base}/agritech/commissioners/{world.commissioner_id}/")
    phone.fill("input[name=service_phone]", "0533-6188123")
    phone.get_by_role("button", name="保存").last.click()
    expect(phone.locator(".alert, .toast, [role=alert], [role=status]").first).to_contain_text(
        "公开服务电话已保存"
    )

    village_phone = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()  # no account
    village_phone.goto(confirm_url)
    expect(village_phone.locator("dl")).to_contain_text("苹果树冬季修剪现场指导")
    assert _fits(village_phone)
    village_phone.fill("input[name=name]", "村委会主任 李明")
    village_phone.get_by_role("button", name="确认属实").click()
    expect(village_phone.get_by_role("status")).to_contain_text("已确认属实（村委会主任 李明）")
    village_phone.screenshot(path=str(screenshot_dir / "agri-2-confirmed-phone.png"), full_page=True)

    village_phone.goto(f"{base}/agritech/card/{world.card_token}/")
    expect(village_phone.get_by_role("link", name="0533-6188123")).to_have_attribute(
        "href", "tel:0533-6188123"
    )
    assert _fits(village_phone)
    village_phone.screenshot(path=str(screenshot_dir / "agri-3-card-phone.png"), full_page=True)
