"""A whole 申报 in Chromium: a firm applies (with the HNTE pre-check shown), staff return it for correction,
the firm resubmits, staff accept and draw experts, the experts score, the list goes to 公示, a member of the
public objects (no login), staff answer, the 公示 period ends and the decision writes the HNTE certificate.

The server's clock is never mocked: the 公示 is published from today (so the public can object), and "the
period ends" is the test moving that 公示's dates back by a month, as if the working days had passed."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import experts_with_accounts, open_call, page_as
from kechuang.core.models import Region
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory
from kechuang.core.workdays import add_working_days
from kechuang.enterprises.models import Qualification, QualificationKind
from kechuang.enterprises.tests.factories import ProfileFactory, YearFactory
from kechuang.programmes.models import Application, Expert, Objection, PublicityPeriod

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1366, "height": 768}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
FORM = [
    {"key": "revenue", "label": "上年度销售收入（元）", "type": "money", "required": True},
    {"key": "field", "label": "技术领域", "type": "choice", "choices": ["A01", "B02"], "required": True},
    {"key": "ip", "label": "知识产权证明", "type": "attachment", "required": True},
    {"key": "summary", "label": "企业简介", "type": "text", "required": True},
]
SHEET = [
    {"code": "ip", "label": "知识产权", "max": 30},
    {"code": "transfer", "label": "科技成果转化能力", "max": 30},
    {"code": "org", "label": "研究开发组织管理水平", "max": 20},
    {"code": "growth", "label": "企业成长性", "max": 20},
]


def _qualification_kinds() -> None:
    """Transactional tests flush the database; put back the seeded qualification kinds (same data migration)."""
    if not QualificationKind.objects.filter(code="hnte").exists():
        migration = importlib.import_module("kechuang.enterprises.migrations.0002_seed_qualification_kinds")
        migration.seed(django_apps, None)


@pytest.fixture
def world(db):
    _qualification_kinds()
    district = Region.objects.get(code="370306")
    staff = UserFactory(username="e2e_staff", display_name="王晓梅", staff=True, region=district)
    firm = OrganisationFactory(name="淄博方达电子科技有限公司", region=district)
    UserFactory(username="e2e_firm", display_name="李娜", enterprise=True, organisation=firm)
    ProfileFactory(organisation=firm)
    this_year = timezone.localdate().year
    for year in range(this_year - 3, this_year):
        YearFactory(organisation=firm, year=year)
    call = open_call(
        staff,
        district,
        type_code="hnte",
        type_name="高新技术企业认定",
        outcome_kind="qualification",
        programme_code="hnte-e2e",
        programme_name="高新技术企业认定",
        form=FORM,
        sheet=SHEET,
        publicity_days=10,
        call_name="第一批",
        programme_extra={"eligibility_check": "hnte"},
    )
    experts_with_accounts(staff, district)
    return {"call": call, "firm": firm}


def _page_as(browser, base_url, username):
    return page_as(browser, base_url, username, TEST_PASSWORD, viewport=VIEWPORT)


def _alert(page) -> str:
    return " ".join(page.locator(".alert").all_inner_texts())


def test_firm_applies_staff_review_experts_score_publicity_objection_and_decision(
    browser, live_server, world, screenshot_dir
):
    base = live_server.url
    call = world["call"]
    number = f"GR{timezone.localdate().year}37000123"  # 高企证书编号 GR + year + province + serial

    # 1. The firm applies: the HNTE pre-check is shown, the draft autosaves, the firm submits.
    firm = _page_as(browser, base, "e2e_firm")
    firm.goto(f"{base}/programmes/mine/")
    expect(firm.locator("h1")).to_have_text("我的申报")
    firm.get_by_role("button", name="申报", exact=True).click()
    expect(firm.locator("h1")).to_contain_text("填写申报")
    expect(firm.locator("#precheck")).to_contain_text("资格预审：高新技术企业认定条件")
    expect(firm.locator("#precheck")).to_contain_text("研发费用")
    firm.fill("input[name=title]", "方达电子高新技术企业认定申报")
    firm.fill("input[name=f_revenue]", "30000000")
    firm.select_option("select[name=f_field]", "A01")
    firm.locator("textarea[name=f_summary]").fill("")  # left empty: the first submission is incomplete
    firm.locator("input[name=f_revenue]").press("Tab")
    expect(firm.locator("#autosave")).to_contain_text("自动保存", timeout=10000)
    version = int(firm.locator("#version").input_value())
    firm.set_input_files(
        "input[name=f_ip]", files=[{"name": "专利证书.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    expect(firm.locator("#autosave")).to_contain_text(f"第{version + 1}版", timeout=10000)
    firm.screenshot(path=str(screenshot_dir / "programmes-1-firm-edit.png"), full_page=True)
    firm.get_by_role("link", name="返回", exact=True).click()
    firm.get_by_role("button", name="提交申报").click()
    assert "申报表不完整" in _alert(firm) and "请填写“企业简介”" in _alert(firm)
    firm.get_by_role("link", name="编辑", exact=True).click()
    firm.fill("textarea[name=f_summary]", "主营片式电子元件，拥有发明专利2项。")
    firm.get_by_role("button", name="保存草稿").click()
    expect(firm.locator(".alert-success")).to_contain_text("草稿已保存")
    firm.get_by_role("button", name="提交申报").click()
    expect(firm.locator("dl .badge")).to_have_text("已提交")
    app = Application.objects.get(call=call)
    assert app.status == "submitted" and app.eligibility["check"] == "hnte"
    assert app.data["ip"] and len(app.data["ip"]) == 1

    # 2. Staff return it for correction with a reason.
    staff = _page_as(browser, base, "e2e_staff")
    staff.goto(f"{base}/todo/")
    staff.get_by_role("link", name=re.compile("方达电子高新技术企业认定申报")).click()
    expect(staff.locator("#precheck")).to_contain_text("提交时的结果")
    staff.fill("textarea[name=reason]", "知识产权证明不清晰，请上传专利证书扫描件。")
    staff.screenshot(path=str(screenshot_dir / "programmes-2-staff-check.png"), full_page=True)
    staff.get_by_role("button", name="退回修改").click()
    expect(staff.locator("dl .badge")).to_have_text("退回修改")

    # 3. The firm sees the reason, corrects and resubmits.
    firm.goto(f"{base}/programmes/applications/{app.pk}/")
    expect(firm.locator("body")).to_contain_text("请上传专利证书扫描件")
    firm.get_by_role("link", name="编辑", exact=True).click()
    firm.set_input_files(
        "input[name=f_ip]",
        files=[{"name": "专利证书扫描件.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    expect(firm.locator("#autosave")).to_contain_text("自动保存", timeout=10000)
    firm.get_by_role("link", name="返回", exact=True).click()
    firm.get_by_role("button", name="提交申报").click()
    expect(firm.locator("dl .badge")).to_have_text("已提交")
    assert app.versions.count() == 2

    # 4. Staff accept and draw the experts.
    staff.reload()
    staff.get_by_role("button", name="形式审查通过").click()
    expect(staff.locator("dl .badge")).to_have_text("形式审查通过")
    staff.get_by_role("button", name="随机抽取评审专家").click()
    expect(staff.locator("dl .badge")).to_have_text("专家评审中")
    expect(staff.locator("body")).to_contain_text("抽中 3 人")

    # 5. Each drawn expert accepts the task, then scores through the scoring sheet.
    drawn = Expert.objects.filter(assignments__application=app).select_related("person")
    assert drawn.count() == 3
    for n, expert in enumerate(drawn):
        page = _page_as(browser, base, expert.person.accounts.get().username)
        page.goto(f"{base}/programmes/reviews/")
        page.get_by_role("link", name=re.compile("淄博方达电子")).click()
        # A drawn expert first accepts the task (or declines, and a replacement is drawn).
        expect(page.locator("h2").first).to_have_text("确认评审任务")
        page.check("input[name=answer][value=accept]")
        page.get_by_role("button", name="提交确认").click()
        expect(page.locator(".alert").first).to_contain_text("已接受评审任务")
        for code, points in {"ip": 25, "transfer": 24 + n, "org": 15, "growth": 14}.items():
            page.fill(f"input[name=p_{code}]", str(points))
        page.fill("input[name=c_ip]", "专利与主营产品关联度高。")
        if n == 0:
            page.screenshot(path=str(screenshot_dir / "programmes-3-expert-score.png"), full_page=True)
        page.get_by_role("button", name="提交评分").click()
        expect(page.locator(".alert-success")).to_contain_text("评分已提交")
        page.context.close()
    app.refresh_from_db()
    assert app.status == "reviewed"

    # 6. Staff publish the 公示 from today.
    staff.goto(f"{base}/programmes/calls/{call.pk}/")
    expect(staff.locator("body")).to_contain_text("评审汇总与排名")
    staff.fill("input[name=starts_on]", timezone.localdate().isoformat())
    staff.get_by_label(re.compile("淄博方达电子")).check()
    staff.get_by_role("button", name=re.compile("发布公示")).click()
    expect(staff.locator(".alert-success")).to_contain_text("公示已发布")
    period = PublicityPeriod.objects.get(call=call)

    # 7. A member of the public objects without logging in.
    public = _page_as(browser, base, None)
    public.goto(f"{base}/programmes/public/publicity/")
    public.get_by_role("link", name=period.title).click()
    expect(public.locator("ol")).to_contain_text("淄博方达电子科技有限公司")
    public.fill("input[name=name]", "张建国")
    public.fill("input[name=contact]", "13805330123")
    public.select_option("select[name=application]", str(app.pk))
    public.fill("textarea[name=reason]", "该企业的一项专利存在权属争议，请予以核实。")
    public.screenshot(path=str(screenshot_dir / "programmes-4-public-objection.png"), full_page=True)
    public.get_by_role("button", name="提交异议").click()
    expect(public.locator(".alert-success")).to_contain_text("您的异议已收到")
    assert Objection.objects.get().status == "open"

    # 8. Deciding now is refused: the period runs and the objection is open.
    staff.goto(f"{base}/programmes/applications/{app.pk}/decision/")
    staff.get_by_label("批准", exact=True).check()
    staff.fill("input[name=certificate_number]", number)
    staff.get_by_role("button", name="确定决定").click()
    expect(staff.locator(".alert-danger")).to_contain_text("公示期满后方可作出决定")

    # 9. Staff answer the objection (公示异议答复, linked from 我的待办).
    staff.goto(f"{base}/programmes/tasks/")
    expect(staff.locator("body")).to_contain_text("张建国")
    staff.fill("textarea[name=answer]", "经核实，该专利权属清晰，异议不成立。")
    staff.get_by_role("button", name="答复", exact=True).click()
    expect(staff.locator(".alert-success")).to_contain_text("异议已答复")
    assert Objection.objects.get().status == "answered"

    # 10. The 公示 period ends (its dates moved a month back), and the decision is made.
    start = timezone.localdate() - dt.timedelta(days=35)
    end = add_working_days(start, period.working_days, include_start=True)
    assert end.date < timezone.localdate()
    PublicityPeriod.objects.filter(pk=period.pk).update(starts_on=start, ends_on=end.date)
    staff.goto(f"{base}/programmes/applications/{app.pk}/")
    staff.get_by_role("link", name="作出决定（批准/不予批准）").click()
    staff.get_by_label("批准", exact=True).check()
    staff.fill("input[name=certificate_number]", number)
    staff.get_by_role("button", name="确定决定").click()
    expect(staff.locator("dl .badge")).to_have_text("已批准")
    expect(staff.locator(".kc-letter")).to_contain_text("予以认定")
    staff.screenshot(path=str(screenshot_dir / "programmes-5-decision.png"), full_page=True)
    qualification = Qualification.objects.get(organisation=world["firm"], kind__code="hnte")
    assert qualification.number == number

    # The firm sees the decision; the public page no longer takes objections.
    firm.goto(f"{base}/programmes/applications/{app.pk}/")
    expect(firm.locator(".kc-letter")).to_contain_text("淄博方达电子科技有限公司")
    public.reload()
    expect(public.locator("body")).to_contain_text("不在公示期内，不再受理异议")
