"""Browser: staff build a policy on the page, simulate it, issue it; the nightly match finds the firms; a 免申
batch goes through approval, 公示 and payment; the firm sees its award and its reasons; paying again pays
nothing twice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from e2e.conftest import login
from e2e.test_crawl import _axe_source, _check_page, choice_codes
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name).first.click()
    page.wait_for_load_state("networkidle")


def _audit(page, found: dict, viewport: str = "desktop") -> None:
    """The crawl's checks (HTTP, English fragments, raw choice codes, phone width, axe serious/critical) on
    this page."""
    problems = _check_page(page, page.url, viewport, _axe_source(), [], choice_codes())
    if problems:
        found[f"{viewport} {page.url}"] = problems


def _as(browser, live_server, username):
    page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    login(page, live_server.url, username, TEST_PASSWORD)
    return page


def test_policy_from_page_to_paid_award(browser, live_server, screenshot_dir, settings):
    from kechuang.core.models import Region
    from kechuang.policies.models import AwardBatch, Policy
    from kechuang.statistics.tests.factories import EnterpriseFactFactory
    from kechuang.vouchers.models import LedgerEntry
    from kechuang.vouchers.services import funds

    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": dt.date(2020, 11, 30)}
    district, town = Region.objects.get(code="370306"), Region.objects.get(code="370306001")
    staff = UserFactory(username="pol_staff", staff=True, region=district)
    UserFactory(username="pol_staff2", staff=True, region=district)
    firm = OrganisationFactory(name="淄博政策测试科技有限公司", region=town)
    UserFactory(username="pol_firm", enterprise=True, organisation=firm)
    EnterpriseFactFactory(
        organisation=firm, year=2019, rd_hnte=D(45), sales_revenue=D(1000), reported_on=dt.date(2020, 3, 1)
    )
    other = OrganisationFactory(name="淄博差一点材料有限公司", region=town)
    EnterpriseFactFactory(
        organisation=other, year=2019, rd_hnte=D(28), sales_revenue=D(1000), reported_on=dt.date(2020, 3, 1)
    )
    funds.budget_line_create(
        actor=staff,
        name="研发投入后补助资金",
        kind="support",
        year=2020,
        region=district,
        budget=D(1000000),
        booked_on=dt.date(2020, 3, 1),
    )

    found: dict[str, list[str]] = {}
    page = _as(browser, live_server, "pol_staff")
    page.goto(f"{live_server.url}/policies/")
    page.get_by_role("link", name="登记政策文件").click()
    page.fill("input[name=title]", "周村区支持企业加大研发投入的若干措施")
    page.fill("input[name=number]", "周科发〔2020〕3号")
    page.fill("input[name=issuer]", "周村区科学技术局")
    page.fill("input[name=issued_on]", "2020-03-01")
    page.fill("input[name=effective_from]", "2020-03-01")
    _click(page, "保存")
    page.fill("input[name=code]", "rd-subsidy")
    page.fill("input[name=name]", "研发投入后补助")
    page.fill("input[name=budget]", "1000000")
    _click(page, "保存")
    page.get_by_role("link", name="新增条款").click()
    page.fill("input[name=title]", "研发费用后补助")
    page.fill("input[name=key]", "rd-subsidy")
    page.select_option("select[name=benefit_kind]", "percent")
    page.select_option("select[name=benefit_base]", "rd_hnte")
    page.fill("input[name=benefit_rate]", "10")
    page.fill("input[name=benefit_cap]", "500000")
    _click(page, "保存")
    page.select_option("select[name=kind]", "rd_ratio")
    _click(page, "下一步")
    page.select_option("select[name=op]", "gte")
    page.fill("input[name=value]", "abc")
    _click(page, "保存")
    assert "不是有效的数字" in page.inner_text("body")
    page.fill("input[name=value]", "4")
    _click(page, "保存")
    body = page.inner_text("body")
    assert "上一年度（2019年）研发费用占销售收入比例不低于4%" in body, body[-800:]
    page.screenshot(path=str(screenshot_dir / "policy-built.png"), full_page=True)
    _audit(page, found)

    page.get_by_role("link", name="模拟测算").click()
    page.select_option("select[name=condition]", index=1)
    page.fill("input[name=values]", "2,3,4,5")
    _click(page, "开始模拟")
    body = page.inner_text("body")
    assert "阈值变动测算" in body and "符合 1 家" in body, body[-1200:]
    page.screenshot(path=str(screenshot_dir / "policy-simulation.png"), full_page=True)
    _audit(page, found)
    page.get_by_role("link", name="返回政策").click()
    _click(page, "发布施行")
    assert Policy.objects.get().status == "active"

    call_command("policies", "match", "--as-of", "2020-11-30")  # the nightly run
    page.get_by_role("link", name="匹配结果").click()
    assert firm.name in page.inner_text("body")
    page.get_by_role("link", name="接近符合").click()
    assert "距离条件还差：研发费用 12万元" in page.inner_text("body")
    page.goto(f"{live_server.url}/policies/")
    page.get_by_role("link", name="研发投入后补助").click()
    page.get_by_role("link", name="生成兑现名单").click()
    page.select_option("select[name=budget_line]", index=1)
    _click(page, "保存")
    assert "请另一名工作人员审核" in page.inner_text("body")
    batch = AwardBatch.objects.get()
    assert "审核通过" not in page.inner_text("main")  # not for the one who made the list

    checker = _as(browser, live_server, "pol_staff2")
    checker.goto(f"{live_server.url}/policies/batches/{batch.pk}/")
    _click(checker, "审核通过")
    page.reload()
    _click(page, "发布公示（5个工作日）")
    assert "公示已发布" in page.inner_text("body")

    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": dt.date(2020, 12, 8)}  # the 公示 is over
    _click(page, "公示期满，申请拨付")
    checker.reload()
    _click(checker, "审批拨付")
    page.reload()
    _click(page, "确认拨付")
    assert "已兑现" in page.inner_text("main"), page.inner_text("main")[-800:]
    page.screenshot(path=str(screenshot_dir / "policy-batch-paid.png"), full_page=True)
    _audit(page, found)
    paid = LedgerEntry.objects.filter(kind="instalment").count()
    from kechuang.policies.services import awards

    awards.pay_confirm(actor=staff, batch=AwardBatch.objects.get(), on=dt.date(2020, 12, 9))
    assert LedgerEntry.objects.filter(kind="instalment").count() == paid == 1

    firm_page = _as(browser, live_server, "pol_firm")
    firm_page.goto(f"{live_server.url}/policies/mine/")
    body = firm_page.inner_text("body")
    assert "已拨付" in body and "2019年研发费用占比 4.5%，不低于4%" in body, body[-1200:]
    firm_page.set_viewport_size({"width": 390, "height": 844})
    firm_page.screenshot(path=str(screenshot_dir / "policy-firm-phone.png"), full_page=True)
    _audit(firm_page, found, "phone")
    firm_page.goto(f"{live_server.url}/policies/calculator/")
    _audit(firm_page, found, "phone")
    visitor = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    visitor.goto(f"{live_server.url}/policies/library/")
    _audit(visitor, found)
    visitor.goto(f"{live_server.url}/policies/calculator/?manual=1&sales_revenue=1000&rd_hnte=50")
    assert "符合全部1项条件" in visitor.inner_text("body")
    _audit(visitor, found)
    assert not found, found
