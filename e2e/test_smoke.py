import pytest

from e2e.conftest import login
from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_and_sees_the_home_page_in_chinese(browser, live_server, screenshot_dir):
    UserFactory(username="smoke_staff", display_name="王晓梅", staff=True)
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, live_server.url, "smoke_staff", TEST_PASSWORD)
    assert page.url.rstrip("/") == live_server.url
    assert page.locator("h1").first.inner_text().startswith("工作台")
    assert page.locator("#kc-nav").get_by_text("单位与人员").is_visible()
    page.screenshot(path=str(screenshot_dir / "home-1366x768.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e], errors

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    login(phone, live_server.url, "smoke_staff", TEST_PASSWORD)
    phone.screenshot(path=str(screenshot_dir / "home-phone.png"), full_page=True)
    assert phone.locator(".navbar-toggler").is_visible()


def test_wrong_password_gets_one_answer_for_known_and_unknown_users(browser, live_server):
    UserFactory(username="known", staff=True)
    page = browser.new_page(locale="en-US")  # an English browser still gets the Chinese UI by default
    login(page, live_server.url, "known", "wrong-password")
    known = page.locator(".alert-danger").inner_text()
    login(page, live_server.url, "nobody-here", "wrong-password")
    unknown = page.locator(".alert-danger").inner_text()
    assert known == unknown and known.startswith("用户名或密码错误")


def test_a_wide_list_scrolls_inside_its_card_on_a_phone_not_the_whole_page(
    browser, live_server, screenshot_dir
):
    from kechuang.core.models import Region
    from kechuang.core.tests.factories import OrganisationFactory

    UserFactory(username="phone_staff", staff=True)
    town = Region.objects.get(code="370306001")
    for i in range(8):  # long unbreakable credit codes and names make the table wider than a phone
        OrganisationFactory(name=f"淄博市周村区长名称测试新材料科技股份有限公司{i}", region=town)
    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    login(phone, live_server.url, "phone_staff", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/enterprises/")
    phone.screenshot(path=str(screenshot_dir / "firm-list-phone.png"))
    page_width = phone.evaluate("document.documentElement.scrollWidth")
    wrap = phone.evaluate(
        "(() => { const w = document.querySelector('.kc-table-wrap'); return [w.clientWidth, w.scrollWidth]; })()"
    )
    assert page_width <= 390, f"the page is {page_width}px wide on a 390px screen"
    assert wrap[0] <= 390 and wrap[1] > wrap[0]  # the table itself scrolls sideways in its wrapper
