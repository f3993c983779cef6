"""The draw that always completes, in Chromium: staff draw a panel from a pool whose experts have no accounts;
the draw invites them; one expert opens the invitation on a phone, sets a password and declines; the
replacement drawn from the sealed seed chain accepts and scores; another accepts and scores; staff enter the
last expert's paper sheet (代录) with the scan; the printable draw record re-verifies the whole chain."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import login, open_call
from kechuang.core.models import Region
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, PersonFactory, UserFactory
from kechuang.notifications.models import Notification
from kechuang.programmes import services
from kechuang.programmes.models import Application, DrawReplacement, ReviewAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PASSWORD = "Kc#2026-Review-9x"
SHEET = [
    {"code": "tech", "label": "技术先进性", "max": 50},
    {"code": "market", "label": "市场前景", "max": 50},
]


@pytest.fixture
def world(db):
    district = Region.objects.get(code="370306")
    staff = UserFactory(username="e2e_staff", display_name="王晓梅", staff=True, region=district)
    firm = OrganisationFactory(name="淄博方达电子科技有限公司", region=district)
    firm_user = UserFactory(username="e2e_firm", enterprise=True, organisation=firm)
    call = open_call(
        staff,
        district,
        type_code="sci",
        type_name="科技计划项目",
        outcome_kind="project",
        programme_code="sci-e2e",
        programme_name="区级科技计划项目",
        form=[{"key": "summary", "label": "项目简介", "type": "text", "required": True}],
        sheet=SHEET,
        field_match=False,
    )
    app = services.application_create(
        actor=firm_user, call=call, organisation=firm, title="智能传感器研发", field_code="A01"
    )
    app = services.application_save_draft(
        actor=firm_user, application=app, data={"summary": "高精度压力传感器"}, expected_version=app.version
    )
    services.application_transition(actor=firm_user, application=app, to="submitted")
    services.application_check(actor=staff, application=app, result="accept")
    # The pool: nobody has an account yet (the situation of issue 23).
    for i, category in enumerate(["technical"] * 4 + ["finance"] * 2):
        person = PersonFactory(
            name=f"专家{i + 1}",
            email=f"expert{i + 1}@example.cn",
            organisation=OrganisationFactory(region=district),
        )
        services.expert_create(actor=staff, person=person, category=category, region=district)
    return {"app": app}


def _context(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _accept_invitation(browser, base, assignment) -> object:
    """The expert opens the invitation link from the notice on a phone, sets a password and signs in."""
    user = assignment.expert.person.accounts.get()
    note = Notification.objects.filter(user=user, kind="programmes.expert_invite").latest("pk")
    page = _context(browser, PHONE)
    page.goto(f"{base}{note.url}")
    expect(page.locator("h1")).to_have_text("评审专家邀请")
    page.fill("input[name=new_password1]", PASSWORD)
    page.fill("input[name=new_password2]", PASSWORD)
    page.get_by_role("button", name="设置密码").click()
    login(page, base, user.username, PASSWORD)
    return page


def _answer(page, base, assignment, answer: str, reason: str = "") -> None:
    page.goto(f"{base}/programmes/reviews/{assignment.pk}/")
    expect(page.locator("h2").first).to_have_text("确认评审任务")
    page.check(f"input[name=answer][value={answer}]")
    if reason:
        page.fill("textarea[name=reason]", reason)
    page.get_by_role("button", name="提交确认").click()


def _score(page, base, assignment, tech: str, market: str) -> None:
    page.goto(f"{base}/programmes/reviews/{assignment.pk}/")
    page.fill("input[name=p_tech]", tech)
    page.fill("input[name=p_market]", market)
    page.fill("textarea[name=comment]", "技术路线清晰，建议支持。")
    page.get_by_role("button", name="提交评分").click()
    expect(page.locator(".alert").first).to_contain_text("评分已提交")


def test_draw_with_experts_without_accounts_decline_replacement_scores_and_proxy(
    browser, live_server, world, screenshot_dir
):
    base, app = live_server.url, world["app"]

    # 1. Staff draw; the panel shows at once, each drawn expert invited (no account before)
    staff = _context(browser, DESKTOP)
    login(staff, base, "e2e_staff", TEST_PASSWORD)
    staff.goto(f"{base}/programmes/applications/{app.pk}/")
    staff.get_by_role("button", name="随机抽取评审专家").click()
    expect(staff.locator("h2", has_text="评审专家组")).to_be_visible()
    expect(staff.locator("table").last).to_contain_text("待确认")
    staff.screenshot(path=str(screenshot_dir / "panel-1-staff-drawn.png"), full_page=True)
    first, second, third = ReviewAssignment.objects.filter(application=app).order_by("pk")

    # 2. The first expert accepts the invitation on a phone and declines → a replacement is drawn
    phone = _accept_invitation(browser, base, first)
    _answer(phone, base, first, "decline", "本周在外地出差，无法参加评审。")
    expect(phone.locator(".alert").first).to_contain_text("已另行补抽")
    phone.screenshot(path=str(screenshot_dir / "panel-2-expert-declined-phone.png"), full_page=True)
    link = DrawReplacement.objects.get(replaced=first)
    replacement_assignment = link.chosen

    # 3. The replacement accepts and scores; the second expert too
    for assignment, points in ((replacement_assignment, ("40", "42")), (second, ("38", "41"))):
        page = _accept_invitation(browser, base, assignment)
        _answer(page, base, assignment, "accept")
        expect(page.locator(".alert").first).to_contain_text("已接受评审任务")
        _score(page, base, assignment, *points)

    # 4. Staff enter the third expert's paper sheet (代录) with the scan
    staff.goto(f"{base}/programmes/reviews/{third.pk}/proxy/")
    expect(staff.locator("input[name=sheet]")).to_have_attribute("required", "")  # the scan is required
    staff.fill("input[name=p_tech]", "35")
    staff.fill("input[name=p_market]", "37")
    staff.fill("textarea[name=comment]", "纸质评分表：市场分析充分。")
    staff.set_input_files(
        "input[name=sheet]", files=[{"name": "纸质评分表.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    staff.get_by_role("button", name="保存代录评分").click()
    expect(staff.locator("h1")).to_have_text("智能传感器研发")
    panel = staff.locator(".kc-card", has=staff.locator("h2", has_text="评审专家组"))
    expect(panel).to_contain_text("代录")
    expect(panel).to_contain_text("纸质评分表：市场分析充分。")  # overall comments shown to staff
    expect(panel).to_contain_text("已谢绝")
    expect(staff.locator("dd .badge")).to_have_text("评审完成")
    staff.screenshot(path=str(screenshot_dir / "panel-3-staff-proxy.png"), full_page=True)
    assert Application.objects.get(pk=app.pk).status == "reviewed"

    # 5. The printable draw record re-verifies the first draw and the replacement
    staff.goto(f"{base}/programmes/applications/{app.pk}/draw/record/")
    expect(staff.locator("article")).to_contain_text("首次抽取及1次补抽结果一致")
    expect(staff.locator("article")).to_contain_text("专家谢绝")
    staff.emulate_media(media="print")
    expect(staff.locator(".kc-sidebar")).to_be_hidden()
    staff.screenshot(path=str(screenshot_dir / "panel-4-draw-record.png"), full_page=True)
