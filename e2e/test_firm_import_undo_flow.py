"""Browser: a firm list (企业名单) uploaded, its preview (old → new), confirm, the import in the module's
history, undo it — the changed firm has its old address back and the new firm is deactivated (ADR 0030)."""

import openpyxl
import pytest

from e2e.conftest import confirm_import, login, undo_from_history, upload_for_preview
from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_imports_a_firm_list_with_preview_then_undoes_it(
    browser, live_server, screenshot_dir, tmp_path
):
    from kechuang.core.models import Organisation, Region
    from kechuang.core.tests.factories import OrganisationFactory, _credit_code

    UserFactory(username="firm_undo_staff", staff=True, region=Region.objects.get(code="370306"))
    firm = OrganisationFactory(name="淄博名单撤销有限公司", address="旧路1号")
    new_code = _credit_code(930001)
    book = openpyxl.Workbook()
    book.active.append(["企业名称", "统一社会信用代码", "所在镇街", "地址", "职工总数"])
    book.active.append([firm.name, firm.credit_code, None, "新路2号", 80])
    book.active.append(["淄博名单新增有限公司", new_code, "王村镇", "工业园1号", 20])
    path = tmp_path / "企业名单.xlsx"
    book.save(path)

    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server.url, "firm_undo_staff", TEST_PASSWORD)
    body = upload_for_preview(page, live_server.url, "enterprises", path)
    assert "新增 1 行，修改 1 行" in body and "地址：旧路1号 → 新路2号" in body, body[-1200:]
    page.screenshot(path=str(screenshot_dir / "firm-import-preview.png"), full_page=True)
    confirm_import(page)
    firm.refresh_from_db()
    assert firm.address == "新路2号"

    page.goto(f"{live_server.url}/imports/enterprises/history/")
    assert "企业名单.xlsx" in page.locator("#import-history").inner_text()
    page.screenshot(path=str(screenshot_dir / "firm-import-history.png"), full_page=True)
    undo_from_history(page)
    page.screenshot(path=str(screenshot_dir / "firm-import-undone.png"), full_page=True)
    firm.refresh_from_db()
    assert (firm.address, firm.is_active) == ("旧路1号", True)
    assert not Organisation.objects.get(credit_code=new_code).is_active
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshot_dir / "firm-import-history-phone.png"), full_page=True)
