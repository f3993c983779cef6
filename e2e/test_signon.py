"""Unified sign-on in a browser (issue 30): the login page offers the provider in Chinese; a firm's person logs
in at a real OpenID Connect provider on loopback and lands in Kechuang in its own firm's scope."""

import pytest
from django.core.cache import cache

from kechuang.core.tests.factories import OrganisationFactory
from kechuang.signon.tests.idp import TestIdP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def idp(settings):
    with TestIdP() as provider:
        settings.KECHUANG_LOGIN_METHODS = ["oidc", "local"]
        settings.KECHUANG_OIDC_ISSUER = provider.url
        settings.OIDC_RP_CLIENT_ID = provider.client_id
        settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
        cache.clear()
        yield provider
        cache.clear()


def test_a_firm_signs_on_at_the_provider_and_lands_in_its_own_scope(
    browser, live_server, idp, screenshot_dir
):
    from kechuang.core.models import Region

    town = Region.objects.get(code="370306001")
    mine = OrganisationFactory(name="淄博方达电子有限公司", region=town)
    other = OrganisationFactory(name="淄博金宇钢构有限公司", region=town)
    idp.add_user("fangda", "Idp@2026", credit_code=mine.credit_code, name="方达经办人")

    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/")
    button = page.locator("a[data-method=oidc]")
    assert button.inner_text() == "使用政务服务统一身份认证登录"
    page.screenshot(path=str(screenshot_dir / "login-signon-1366x768.png"), full_page=True)
    button.click()
    page.wait_for_url(f"{idp.url}/authorize*")
    assert "模拟政务服务统一身份认证" in page.content()
    page.fill("input[name=login]", "fangda")
    page.fill("input[name=password]", "Idp@2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").first.inner_text().startswith("工作台")
    assert "方达经办人" in page.content()

    page.goto(f"{live_server.url}/enterprises/mine/")
    body = page.content()
    assert "淄博方达电子有限公司" in body and "淄博金宇钢构有限公司" not in body
    page.screenshot(path=str(screenshot_dir / "signon-firm-mine.png"), full_page=True)
    assert page.goto(f"{live_server.url}/organisations/{other.pk}/").status == 404

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.screenshot(path=str(screenshot_dir / "login-signon-phone.png"), full_page=True)
    assert phone.locator("a[data-method=oidc]").is_visible()
