"""Browser: staff build an item with a 满足其一 group on the condition builder page (1366×768); after the
match, the firm's home page shows what it qualifies for and nearly qualifies for (390 px), and staff's home
page the eligible firms per policy."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from e2e.test_policies_flow import _as, _audit, _click
from kechuang.core.tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def test_any_of_group_on_the_builder_and_the_home_cards(browser, live_server, screenshot_dir, settings):
    from kechuang.core.models import Region
    from kechuang.enterprises.tests.factories import QualificationFactory
    from kechuang.policies.services import policies as services
    from kechuang.statistics.tests.factories import EnterpriseFactFactory

    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": dt.date(2020, 11, 30)}
    district, town = Region.objects.get(code="370306"), Region.objects.get(code="370306001")
    staff = UserFactory(username="any_staff", staff=True, region=district)
    firm = OrganisationFactory(name="淄博任一条件科技有限公司", region=town)
    UserFactory(username="any_firm", enterprise=True, organisation=firm)
    EnterpriseFactFactory(
        organisation=firm, year=2019, rd_hnte=D(50), sales_revenue=D(1000), reported_on=dt.date(2020, 3, 1)
    )
    QualificationFactory(organisation=firm)  # the certificate: the group's second member holds
    doc = services.document_create(
        actor=staff,
        region=district,
        title="周村区研发投入奖励办法",
        issuer="周村区科学技术局",
        issued_on=dt.date(2020, 3, 1),
        effective_from=dt.date(2020, 3, 1),
    )
    policy = services.policy_create(actor=staff, document=doc, code="rd-any", name="研发投入奖励")
    for n, key in enumerate(("rd-any", "rd-strict"), 1):
        services.item_save(
            actor=staff,
            policy=policy,
            benefit_raw={"kind": "fixed", "amount": "50000"},
            title=f"研发投入奖励（{'高企或研发 100 万元以上' if n == 1 else '研发 200 万元以上'}）",
            key=key,
            text="",
            delivery="automatic",
            budget=None,
        )

    found: dict[str, list[str]] = {}
    page = _as(browser, live_server, "any_staff")
    page.goto(f"{live_server.url}/policies/p/{policy.pk}/")
    first = policy.items.order_by("position").first()

    def ratio(p):
        p.select_option("select[name=op]", "gte")
        p.fill("input[name=value]", "4")

    def rd(value):
        def fill(p):
            p.select_option("select[name=field]", "rd_hnte")
            p.select_option("select[name=op]", "gte")
            p.fill("input[name=value]", value)

        return fill

    def hnte(p):
        p.select_option("select[name=qual_kind]", "hnte")

    page.select_option(f"#kind-{first.pk}", "rd_ratio")
    page.select_option(f"#group-{first.pk}", "0")
    _click(page, "下一步")
    ratio(page)
    _click(page, "保存")
    page.select_option(f"#kind-{first.pk}", "fact")
    page.select_option(f"#group-{first.pk}", "new")
    _click(page, "下一步")
    assert page.locator("select[name=group]").input_value() == "new"
    rd("100")(page)
    _click(page, "保存")
    page.select_option(f"#kind-{first.pk}", "qualification")
    page.select_option(f"#group-{first.pk}", "1")
    _click(page, "下一步")
    hnte(page)
    _click(page, "保存")
    second = policy.items.order_by("position").last()
    page.select_option(f"#kind-{second.pk}", "fact")
    page.locator(f"#kind-{second.pk}").locator("xpath=ancestor::form").get_by_role(
        "button", name="下一步"
    ).click()
    page.wait_for_load_state("networkidle")
    rd("200")(page)
    _click(page, "保存")
    body = page.inner_text("main")
    assert (
        "适用条件（以下2项须全部满足）" in body
        and "满足其一" in body
        and "持有有效的高新技术企业资质" in body
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    page.screenshot(path=str(screenshot_dir / "policy-any-of-builder.png"), full_page=True)
    _audit(page, found)
    _click(page, "发布施行")
    assert "政策已发布施行" in page.inner_text("body")

    call_command("policies", "match", "--as-of", "2020-11-30")
    page.goto(f"{live_server.url}/")
    staff_card = page.locator("#home-policies").inner_text()
    assert "研发投入奖励" in staff_card and "待办理的免申即享批次" in staff_card
    page.screenshot(path=str(screenshot_dir / "home-staff-policies.png"), full_page=True)
    _audit(page, found)

    firm_page = _as(browser, live_server, "any_firm")
    firm_page.set_viewport_size({"width": 390, "height": 844})
    firm_page.goto(f"{live_server.url}/")
    card = firm_page.locator("#home-policies")
    text = card.inner_text()
    assert "可享受 1" in text and "接近符合 1" in text, text
    card.scroll_into_view_if_needed()
    firm_page.screenshot(path=str(screenshot_dir / "home-firm-policies-phone.png"), full_page=True)
    card.screenshot(path=str(screenshot_dir / "home-firm-policies-card.png"))
    _audit(firm_page, found, "phone")
    card.get_by_role("link", name="研发投入奖励 · 研发投入奖励（高企或研发 100 万元以上）").click()
    firm_page.wait_for_load_state("networkidle")
    body = firm_page.inner_text("main")
    assert "满足其一" in body and "持有" in body, body[-1500:]
    assert "#match-" in firm_page.url
    firm_page.screenshot(path=str(screenshot_dir / "mine-any-of-phone.png"), full_page=True)
    firm_page.goto(f"{live_server.url}/policies/mine/")  # the crawl's checks read the response of a page load
    _audit(firm_page, found, "phone")
    assert not found, found
