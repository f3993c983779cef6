"""Browser: the instance's bureau staff add an industry on the 数据字典 page (desktop), retire another on a
phone, and the firm-list import template then offers the new one and not the retired one."""

import io

import openpyxl
import pytest

from e2e.conftest import login
from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_add_and_retire_dictionary_items_on_the_page(browser, live_server, screenshot_dir):
    from kechuang.core.models import DictItem, Region

    UserFactory(username="dict_staff", staff=True, region=Region.objects.get(code="370306"))
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    login(page, live_server.url, "dict_staff", TEST_PASSWORD)
    page.goto(f"{live_server.url}/dictionaries/?type=industry")
    page.fill("input[name=new-code]", "Z9")
    page.fill("input[name=new-name]", "数字创意产业")
    page.get_by_role("button", name="新增").click()
    page.wait_for_load_state("networkidle")
    assert "已新增字典项「数字创意产业」" in page.inner_text("body")
    page.fill("input[name=new-code]", "Z9")
    page.fill("input[name=new-name]", "重复代码")
    page.get_by_role("button", name="新增").click()
    page.wait_for_load_state("networkidle")
    assert "已有代码「Z9」" in page.inner_text("body")
    page.screenshot(path=str(screenshot_dir / "dictionaries-desktop.png"), full_page=True)

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    login(phone, live_server.url, "dict_staff", TEST_PASSWORD)
    mining = DictItem.objects.get(dict_type__code="industry", code="B")
    phone.goto(f"{live_server.url}/dictionaries/items/{mining.pk}/edit/")
    phone.uncheck("input[name=is_active]")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_load_state("networkidle")
    assert "已保存字典项「采矿业」" in phone.inner_text("body")
    phone.screenshot(path=str(screenshot_dir / "dictionaries-phone.png"), full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width  # no sideways scrolling on a phone

    template = page.request.get(f"{live_server.url}/imports/organisations/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(template.body()))
    values = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value}
    assert "数字创意产业" in values and "采矿业" not in values
    page.close()
    phone.close()
