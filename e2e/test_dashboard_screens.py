"""Browser: the leader's dashboard (issue 27 item 3) for a district, the city and the province at 1440 px and
390 px, and the home page (item 5) of staff, a leader and a firm at 1366×768 and 390 px. The screenshots go to
the screenshot directory (artifacts/ in CI, .ci/run) to be looked at; the test fails on horizontal overflow on
the phone, console errors, a headline that does not lead, and tabs that do not work from the keyboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from e2e.test_crawl import _session_context
from kechuang.core.tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AS_OF = dt.date(2020, 11, 30)
DASHBOARD = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
HOME = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def _a_town(district):
    from kechuang.core.models import Region

    town = Region.objects.filter(parent=district, level=Region.Level.TOWN).order_by("code").first()
    if town is None:
        code = f"{district.code}001"
        town = Region.objects.create(
            code=code,
            name="车站街道",
            level=Region.Level.TOWN,
            parent=district,
            path=f"{district.path}{code}/",
        )
    return town


def _world():
    """Two districts of 淄博市 with certificates, five years of statistics, GDP, the city's published R&D
    intensity and 周村区's targets; the city's other districts hold nothing (无数据)."""
    from kechuang.core.models import Region
    from kechuang.enterprises.tests.factories import QualificationFactory
    from kechuang.statistics.models import Target
    from kechuang.statistics.tests.factories import EnterpriseFactFactory, RegionFactFactory

    zhoucun, zhangdian = Region.objects.get(code="370306"), Region.objects.get(code="370303")
    towns = {zhoucun: Region.objects.get(code="370306001"), zhangdian: _a_town(zhangdian)}
    for district, firms, rd in ((zhoucun, 6, 120), (zhangdian, 4, 90)):
        for i in range(firms):
            firm = OrganisationFactory(region=towns[district])
            QualificationFactory(organisation=firm, valid_from=dt.date(2019 - i % 3, 11, 28))
            QualificationFactory(organisation=firm, tech_sme=True, valid_from=dt.date(2020, 3, 1))
            for year in range(2016, 2021):
                EnterpriseFactFactory(
                    organisation=firm,
                    year=year,
                    rd_internal=D(rd + 15 * (year - 2016) + i),
                    has_rd_projects=i % 4 != 3,
                    industrial_output=D(20000 + 500 * i),
                    hightech_output=D(7000 + 300 * (year - 2016) + 100 * i),
                    above_size=True,
                    reported_on=dt.date(year, 6, 1),
                )
        for year in range(2016, 2021):
            RegionFactFactory(region=district, year=year, gdp=D(30000 + 1000 * (year - 2016)))
    RegionFactFactory(region=zhoucun.parent, rd_intensity_published=D("2.20"))
    for code, value in (
        ("rd_total", "950"),
        ("rd_intensity", "3.00"),
        ("hnte_count", "8"),
        ("tech_sme_count", "5"),
    ):
        Target.objects.create(
            region=zhoucun, year=2020, indicator=code, value=D(value), recorded_on=dt.date(2020, 1, 1)
        )
    return zhoucun


def _no_overflow(page, viewport):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1, f"页面宽 {width}px"


# One test per scope, so xdist runs the three side by side.
@pytest.mark.parametrize("name", ["district", "city", "province"])
def test_dashboard_for_a_district_the_city_and_the_province(
    name, browser, live_server, screenshot_dir, settings
):
    from kechuang.core.models import Region

    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": AS_OF}
    zhoucun = _world()
    scopes = {"district": zhoucun, "city": zhoucun.parent, "province": Region.objects.get(code="370000")}
    region = scopes[name]
    leader = UserFactory(leader=True, region=region)
    url = f"{live_server.url}/reports/?region={region.pk}&period=2020&as_of=2020-11-30"
    for kind, viewport in DASHBOARD.items():
        context = _session_context(browser, live_server, leader, viewport, kind == "phone")
        page, errors = context.new_page(), []
        page.on("console", lambda m, seen=errors: seen.append(m.text) if m.type == "error" else None)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("[data-headline]").count() == 6
        assert (
            page.locator("[data-headline]").first.bounding_box()["y"]
            < page.locator("[data-kc-tabs]").bounding_box()["y"]
        )
        if name == "city":
            assert "无数据" in page.locator("#compare-title").locator("..").inner_text()
        if kind == "phone":
            _no_overflow(page, viewport)
        page.screenshot(
            path=str(screenshot_dir / f"dashboard-{name}-{viewport['width']}.png"), full_page=True
        )
        assert not errors, errors
        context.close()


def test_the_module_tabs_work_from_the_keyboard(browser, live_server, settings):
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": AS_OF}
    zhoucun = _world()
    leader = UserFactory(leader=True, region=zhoucun)
    context = _session_context(browser, live_server, leader, DASHBOARD["desktop"], False)
    page = context.new_page()
    page.goto(f"{live_server.url}/reports/?region={zhoucun.pk}&period=2020&as_of=2020-11-30")
    tabs = page.locator("[role=tablist] [role=tab]")
    assert tabs.count() >= 3
    first, second = tabs.nth(0), tabs.nth(1)
    assert first.get_attribute("aria-selected") == "true"
    second_panel = page.locator("#" + second.get_attribute("aria-controls"))
    assert second_panel.is_hidden()
    first.focus()
    page.keyboard.press("ArrowRight")
    assert second.get_attribute("aria-selected") == "true" and first.get_attribute("aria-selected") == "false"
    assert second_panel.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "tab"
    page.keyboard.press("End")
    assert tabs.nth(tabs.count() - 1).get_attribute("aria-selected") == "true"
    context.close()


@pytest.mark.parametrize("role", ["staff", "leader", "firm"])  # side by side under xdist
def test_home_pages_of_staff_a_leader_and_a_firm(role, browser, live_server, screenshot_dir, settings):
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": AS_OF}
    zhoucun = _world()
    firm = OrganisationFactory(
        region=zhoucun.children.order_by("code").first(), name="淄博示例新材料有限公司"
    )
    users = {
        "staff": lambda: UserFactory(staff=True, region=zhoucun, display_name="王晓梅"),
        "leader": lambda: UserFactory(leader=True, region=zhoucun, display_name="李局长"),
        "firm": lambda: UserFactory(enterprise=True, organisation=firm, display_name="张经理"),
    }
    user = users[role]()
    for kind, viewport in HOME.items():
        context = _session_context(browser, live_server, user, viewport, kind == "phone")
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.wait_for_load_state("networkidle")
        assert page.locator("#todo-counts").is_visible() and page.locator("#shortcuts").is_visible()
        if role == "leader":
            assert page.locator("[data-headline]").count() == 6
        if kind == "phone":
            _no_overflow(page, viewport)
        size = f"{viewport['width']}x{viewport['height']}" if kind == "desktop" else "390"
        page.screenshot(path=str(screenshot_dir / f"home-{role}-{size}.png"), full_page=True)
        context.close()
