"""Browser: upload a file, see the worker's preview (old → new), confirm, see the result."""

import pytest

from e2e.conftest import login
from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_previews_a_changed_firm_then_confirms_the_import(
    browser, live_server, screenshot_dir, tmp_path
):
    from kechuang.core.models import Organisation, Region
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.core.tests.test_imports import code, org_sheet

    UserFactory(username="import_staff", staff=True)
    firm = OrganisationFactory(
        name="淄博预览测试有限公司", credit_code=code(501), region=Region.objects.get(code="370306001")
    )
    path = tmp_path / "名录.xlsx"
    path.write_bytes(
        org_sheet(
            [
                [1, firm.name, firm.credit_code, "南郊镇", None, None, None, None],
                [2, "淄博新登记有限公司", code(502), "王村镇", None, "李四", None, None],
                ["全区合计", None, None, None, None, None, None, None],
            ]
        )
    )
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server.url, "import_staff", TEST_PASSWORD)
    page.goto(f"{live_server.url}/imports/organisations/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(screenshot_dir / "import-job.png"), full_page=True)
    assert "预览完成" in page.inner_text("body"), page.inner_text("body")[-800:]
    page.get_by_text("查看结果").click()
    page.wait_for_load_state("networkidle")
    body = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    assert "新增 1 行，修改 1 行" in body
    page.screenshot(path=str(screenshot_dir / "import-preview.png"), full_page=True)
    assert f"所在镇街：{firm.region.name} → 南郊镇" in body
    assert "合计/小计行" in body
    assert not Organisation.objects.filter(credit_code=code(502)).exists()
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state("networkidle")
    assert "导入完成" in page.inner_text("body")
    page.screenshot(path=str(screenshot_dir / "import-done.png"), full_page=True)
    firm.refresh_from_db()
    assert firm.region.name == "南郊镇"
    assert Organisation.objects.get(credit_code=code(502)).legal_representative == "李四"
