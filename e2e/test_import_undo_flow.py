"""Browser: a statistics file uploaded with the file's period and status chosen on the page, its preview
(old → new), confirm, the import in the module's history, undo it — and the figure is back."""

from decimal import Decimal

import openpyxl
import pytest

from e2e.conftest import confirm_import, login, undo_from_history, upload_for_preview
from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_imports_with_preview_then_undoes_it_from_the_history(
    browser, live_server, screenshot_dir, tmp_path
):
    from kechuang.core.indicators import Period
    from kechuang.core.models import Region
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.statistics import services
    from kechuang.statistics.models import EnterpriseFact

    staff = UserFactory(username="undo_staff", staff=True, region=Region.objects.get(code="370306"))
    firm = OrganisationFactory(name="淄博撤销测试有限公司", region=Region.objects.get(code="370306001"))
    services.fact_submit(
        actor=staff, organisation=firm, period=Period(2020), values={"rd_internal": Decimal(80)}
    )
    book = openpyxl.Workbook()
    book.active.append(["统一社会信用代码", "企业名称", "R&D经费内部支出"])
    book.active.append([firm.credit_code, firm.name, 95])
    path = tmp_path / "研发投入.xlsx"
    book.save(path)

    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server.url, "undo_staff", TEST_PASSWORD)
    page.goto(f"{live_server.url}/imports/statistics/")
    page.fill("input[name=period]", "2020年")
    page.select_option("select[name=status]", label="快报")
    page.screenshot(path=str(screenshot_dir / "import-upload-choices.png"), full_page=True)
    body = upload_for_preview(page, live_server.url, "statistics", path)
    assert "修改 1 行" in body and "R&D经费内部支出：80 → 95" in body, body[-1200:]
    confirm_import(page)
    assert EnterpriseFact.objects.get(organisation=firm).rd_internal == Decimal(95)

    page.goto(f"{live_server.url}/imports/statistics/history/")
    history = page.locator("#import-history").inner_text()
    assert "undo_staff" in history or staff.display_name in history or "研发投入" in history
    page.screenshot(path=str(screenshot_dir / "import-history.png"), full_page=True)
    undo_from_history(page)
    page.screenshot(path=str(screenshot_dir / "import-undone.png"), full_page=True)
    fact = EnterpriseFact.objects.get(organisation=firm)
    assert (fact.rd_internal, fact.status) == (Decimal(80), "estimate")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshot_dir / "import-history-phone.png"), full_page=True)
