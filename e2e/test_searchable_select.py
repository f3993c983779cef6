"""Browser: a drop-down with many firms gets a search box (issue 27 item 4) — staff type part of a firm's name,
pick it, and the form posts that firm; a short drop-down stays a plain one; the search says 无匹配项 in Chinese."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import login
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_find_a_firm_by_typing_part_of_its_name(browser, live_server, screenshot_dir):
    from kechuang.cooperation.models import TechNeed
    from kechuang.core.models import Region

    town = Region.objects.get(code="370306001")
    UserFactory(username="search_staff", staff=True, region=Region.objects.get(code="370306"))
    for i in range(30):
        OrganisationFactory(name=f"淄博测试{i:02d}号材料有限公司", region=town)
    target = OrganisationFactory(name="周村丝绸文化创意有限公司", region=town)

    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    login(page, live_server.url, "search_staff", TEST_PASSWORD)
    page.goto(f"{live_server.url}/cooperation/needs/new/")
    assert page.locator("select[name=organisation].tomselected").count() == 1
    assert page.locator("select[name=field_code].tomselected").count() == 0  # a short list stays plain
    page.locator(".ts-wrapper .ts-control").first.click()
    page.keyboard.type("不存在的单位")
    expect(page.get_by_text("无匹配项")).to_be_visible()
    for _ in range(6):
        page.keyboard.press("Backspace")
    page.keyboard.type("丝绸")
    options = page.locator(".ts-dropdown .option:visible")
    expect(options).to_have_count(1)
    assert options.first.inner_text() == target.name
    page.screenshot(path=str(screenshot_dir / "searchable-select-phone.png"), full_page=True)
    options.first.click()
    page.fill("input[name=title]", "丝绸面料抗皱整理技术")
    page.fill("textarea[name=description]", "寻求高校合作开发抗皱整理工艺。")
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state("networkidle")
    assert TechNeed.objects.get(title="丝绸面料抗皱整理技术").organisation_id == target.pk
