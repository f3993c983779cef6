"""我的待办 in Chromium, for a firm and for staff: each signs in, sees the to-do counts on the home page (工作台),
follows one task to the page where it is done, does it, and the count drops."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import login, open_call
from kechuang.core.models import Region
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory
from kechuang.core.workdays import seed_from_packages
from kechuang.programmes import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = [{"key": "summary", "label": "项目简介", "type": "text", "required": True}]
SHEET = [{"code": "all", "label": "综合评价", "max": 100}]


@pytest.fixture
def world(db):
    seed_from_packages(range(2024, 2028))
    district = Region.objects.get(code="370306")
    staff = UserFactory(username="todo_staff", display_name="王晓梅", staff=True, region=district)
    firm_user = UserFactory(
        username="todo_firm",
        display_name="李娜",
        enterprise=True,
        organisation=OrganisationFactory(name="淄博方达电子有限公司", region=district),
    )
    call = open_call(
        staff,
        district,
        type_code="plan",
        type_name="区科技计划",
        outcome_kind="recommendation",
        programme_code="plan-todo",
        programme_name="区科技计划项目",
        form=FORM,
        sheet=SHEET,
    )
    for user, title in [(firm_user, "智能检测设备研发"), (None, "新型复合材料中试")]:
        if user is None:  # another firm's application, already submitted: staff have two to check
            user = UserFactory(enterprise=True, organisation=OrganisationFactory(region=district))
        app = services.application_create(actor=user, call=call, organisation=user.organisation, title=title)
        app = services.application_save_draft(
            actor=user, application=app, data={"summary": "研发与产业化"}, expected_version=1
        )
        if title != "智能检测设备研发":
            services.application_transition(actor=user, application=app, to="submitted")


def _page_as(browser, base_url, username, viewport):
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, base_url, username, TEST_PASSWORD)
    return page


def _count(page, kind: str):
    return page.locator(f'[data-todo-kind="{kind}"] [data-todo-total]')


def test_firm_and_staff_follow_a_task_to_done_and_the_count_drops(
    browser, live_server, world, screenshot_dir
):
    base = live_server.url

    # The firm: one application to submit; it follows the task, submits, and the task is gone.
    firm = _page_as(browser, base, "todo_firm", {"width": 390, "height": 844})
    expect(_count(firm, "programmes.submit")).to_have_text("1")
    firm.screenshot(path=str(screenshot_dir / "todo-1-firm-home-phone.png"), full_page=True)
    firm.locator('[data-todo-kind="programmes.submit"]').click()
    expect(firm.locator("h1")).to_have_text("待提交的申报")
    firm.get_by_role("link", name="智能检测设备研发（草稿）").click()
    firm.get_by_role("button", name="提交申报").click()
    expect(firm.locator("dl .badge")).to_have_text("已提交")
    firm.goto(f"{base}/")
    expect(firm.locator('[data-todo-kind="programmes.submit"]')).to_have_count(0)
    expect(firm.locator("#todo-counts")).to_contain_text("没有待办事项")

    # Staff: now two applications to check; they follow one, accept it, and one is left.
    staff = _page_as(browser, base, "todo_staff", {"width": 1366, "height": 768})
    expect(_count(staff, "programmes.check")).to_have_text("2")
    staff.screenshot(path=str(screenshot_dir / "todo-2-staff-home.png"), full_page=True)
    staff.get_by_role("link", name="全部待办").click()
    expect(staff.locator("h1")).to_have_text("我的待办")
    staff.get_by_role("link", name="淄博方达电子有限公司：智能检测设备研发").click()
    staff.get_by_role("button", name="形式审查通过").click()
    expect(staff.locator("dl .badge")).to_have_text("形式审查通过")
    staff.goto(f"{base}/")
    expect(_count(staff, "programmes.check")).to_have_text("1")
    expect(_count(staff, "programmes.draw")).to_have_text("1")  # the next step is the next task
    staff.screenshot(path=str(screenshot_dir / "todo-3-staff-after.png"), full_page=True)
