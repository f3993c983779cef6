"""A whole round on pages only (issue 23): staff put the 申报指南 on the call and the portal shows it; a firm
applies (the technical field the draw matches is set from the form); 形式审查; the draw; three experts accept
and score; 公示; a member of the public objects and gets a receipt; staff find the objection holds (异议成立),
which blocks the decision; a second staff member records the resolution; the decision form asks for the
amount, start and years; the 立项通知 comes out with its 文号 as Word and PDF, and the firm downloads it.

The server's clock is never mocked: "the 公示 period ends" is the test moving that 公示's dates back a month,
as if its working days had passed (as in test_programmes_flow.py)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import experts_with_accounts, open_call, page_as
from kechuang.core.models import Region
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory
from kechuang.core.workdays import add_working_days
from kechuang.programmes.models import Application, Decision, Expert, Objection, PublicityPeriod
from kechuang.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
FORM = [
    {"key": "budget", "label": "项目总投资（元）", "type": "money", "required": True},
    {
        "key": "field",
        "label": "技术领域",
        "type": "choice",
        "choices": ["A01", "B02"],
        "required": True,
        "route": "field_code",
    },
    {"key": "plan", "label": "可行性研究报告", "type": "attachment", "required": True, "accept": ["pdf"]},
    {"key": "goals", "label": "项目目标", "type": "text", "required": True},
]
SHEET = [
    {"code": "tech", "label": "技术先进性", "max": 50},
    {"code": "market", "label": "市场前景", "max": 50},
]


@pytest.fixture
def world(db):
    district = Region.objects.get(code="370306")
    staff = UserFactory(username="e2e_staff", display_name="王晓梅", staff=True, region=district)
    UserFactory(username="e2e_staff2", display_name="赵国强", staff=True, region=district)
    firm = OrganisationFactory(name="淄博方达电子科技有限公司", region=district)
    UserFactory(username="e2e_firm", display_name="李娜", enterprise=True, organisation=firm)
    call = open_call(
        staff,
        district,
        type_code="sci",
        type_name="区级科技计划项目",
        outcome_kind="project",
        programme_code="sci-round",
        programme_name="区级科技计划项目",
        form=FORM,
        sheet=SHEET,
        notice="支持企业开展关键技术攻关。",
        type_extra={"decision_label": "立项"},
    )
    experts_with_accounts(staff, district)
    return {"call": call, "firm": firm}


def _page_as(browser, base_url, username, viewport=DESKTOP):
    return page_as(browser, base_url, username, TEST_PASSWORD, viewport=viewport)


def test_a_whole_round_with_an_upheld_objection_to_the_letter(browser, live_server, world, screenshot_dir):
    base, call = live_server.url, world["call"]

    # 1. Staff attach the 申报指南 and set the bureau's contact; the portal lists the call with its guide.
    staff = _page_as(browser, base, "e2e_staff")
    staff.goto(f"{base}/programmes/calls/{call.pk}/")
    staff.get_by_role("link", name="本局联系方式").click()
    staff.fill("input[name=contact_office]", "高新技术科")
    staff.fill("input[name=contact_phone]", "0533-6418888")
    staff.get_by_role("button", name="保存").click()
    expect(staff.locator(".alert-success")).to_contain_text("联系方式已保存")
    staff.goto(f"{base}/programmes/calls/{call.pk}/")
    staff.get_by_role("link", name="编辑、延期、截止与指南").click()
    staff.set_input_files(
        "input[name=file]", files=[{"name": "申报指南.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    staff.get_by_role("button", name="上传").click()
    expect(staff.locator(".alert-success")).to_contain_text("已上传“申报指南.pdf”")
    public = _page_as(browser, base, None, PHONE)
    public.goto(f"{base}/public/")
    public.get_by_role("link", name=re.compile("申报通知")).click()
    public.get_by_role("link", name=re.compile("2026年第一批")).click()
    expect(public.locator("body")).to_contain_text("申报指南.pdf")
    public.screenshot(path=str(screenshot_dir / "round-1-portal-call.png"), full_page=True)

    # 2. The firm applies; its technical field comes from the form.
    firm = _page_as(browser, base, "e2e_firm")
    firm.goto(f"{base}/programmes/mine/")
    firm.get_by_role("button", name="申报", exact=True).click()
    firm.fill("input[name=title]", "高精度压力传感器研发")
    firm.fill("input[name=f_budget]", "2000000")
    firm.select_option("select[name=f_field]", "A01")
    firm.fill("textarea[name=f_goals]", "研制0.05级压力传感器并实现量产。")
    firm.set_input_files(
        "input[name=f_plan]", files=[{"name": "可研报告.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    firm.get_by_role("button", name="保存草稿").click()
    expect(firm.locator(".alert-success")).to_contain_text("草稿已保存")
    firm.get_by_role("button", name="提交申报").click()
    expect(firm.locator("dl .badge")).to_have_text("已提交")
    app = Application.objects.get(call=call)
    assert app.field_code == "A01"

    # 3. 形式审查 and the draw.
    staff.goto(f"{base}/programmes/applications/{app.pk}/")
    staff.get_by_role("button", name="形式审查通过").click()
    expect(staff.locator("dl .badge")).to_have_text("形式审查通过")
    staff.get_by_role("button", name="随机抽取评审专家").click()
    expect(staff.locator("dl .badge")).to_have_text("专家评审中")

    # 4. The three drawn experts accept and score.
    for n, expert in enumerate(Expert.objects.filter(assignments__application=app).select_related("person")):
        page = _page_as(browser, base, expert.person.accounts.get().username)
        page.goto(f"{base}/programmes/reviews/")
        page.get_by_role("link", name=re.compile("淄博方达电子")).click()
        page.check("input[name=answer][value=accept]")
        page.get_by_role("button", name="提交确认").click()
        expect(page.locator(".alert").first).to_contain_text("已接受评审任务")
        page.fill("input[name=p_tech]", str(40 + n))
        page.fill("input[name=p_market]", "38")
        page.get_by_role("button", name="提交评分").click()
        expect(page.locator(".alert-success")).to_contain_text("评分已提交")
        page.context.close()

    # 5. 公示 from today.
    staff.goto(f"{base}/programmes/calls/{call.pk}/")
    staff.fill("input[name=starts_on]", timezone.localdate().isoformat())
    staff.get_by_label(re.compile("淄博方达电子")).check()
    staff.get_by_role("button", name=re.compile("发布公示")).click()
    expect(staff.locator(".alert-success")).to_contain_text("公示已发布")
    period = PublicityPeriod.objects.get(call=call)

    # 6. A member of the public objects on a phone and gets a receipt.
    public.goto(f"{base}/programmes/public/publicity/")
    public.get_by_role("link", name=period.title).click()
    expect(public.locator("body")).to_contain_text("0533-6418888")
    public.fill("input[name=name]", "张建国")
    public.fill("input[name=contact]", "13805330123")
    public.select_option("select[name=application]", str(app.pk))
    public.fill("textarea[name=reason]", "该项目的核心技术来自另一家企业的在研项目，请核实。")
    public.get_by_role("button", name="提交异议").click()
    expect(public.locator(".alert-success")).to_contain_text("受理回执号")

    # 7. Staff find that it holds: the application shows it and the decision is refused.
    staff.goto(f"{base}/programmes/tasks/")
    staff.fill("textarea[name=answer]", "经核实，项目核心技术与另一企业在研项目重合，异议成立。")
    staff.get_by_label("异议成立").check()
    staff.get_by_role("button", name="答复", exact=True).click()
    expect(staff.locator(".alert-success")).to_contain_text("异议已答复")
    start = timezone.localdate() - dt.timedelta(days=35)
    PublicityPeriod.objects.filter(pk=period.pk).update(
        starts_on=start, ends_on=add_working_days(start, period.working_days, include_start=True).date
    )
    staff.goto(f"{base}/programmes/applications/{app.pk}/")
    expect(staff.locator("body")).to_contain_text("公示异议成立（待处理，处理前不能批准）")
    staff.get_by_role("link", name="作出决定（批准/不予批准）").click()
    staff.get_by_label("批准", exact=True).check()
    staff.fill("input[name=amount]", "200000")
    staff.fill("input[name=starts_on]", timezone.localdate().isoformat())
    staff.fill("input[name=years]", "2")
    staff.get_by_role("button", name="确定决定").click()
    expect(staff.locator(".alert-danger")).to_contain_text("须先记录处理结果")
    assert not Decision.objects.exists()

    # 8. A second staff member reviews and records the resolution (not the one who answered).
    staff2 = _page_as(browser, base, "e2e_staff2")
    staff2.goto(f"{base}/programmes/applications/{app.pk}/")
    staff2.select_option("select[name=resolution]", "override")
    staff2.fill(
        "textarea[name=reason]", "企业已提交与该企业的技术转让合同，核心技术权属清晰，经局务会研究仍予立项。"
    )
    staff2.get_by_role("button", name="记录处理结果").click()
    expect(staff2.locator("body")).to_contain_text("已处理：经复核仍予批准")
    assert Objection.objects.get().resolution == "override"

    # 9. The decision: amount, conditions, start and years on the form; the letter has its 文号.
    staff.goto(f"{base}/programmes/applications/{app.pk}/decision/")
    staff.get_by_label("批准", exact=True).check()
    staff.fill("input[name=amount]", "200000")
    staff.fill("input[name=starts_on]", timezone.localdate().isoformat())
    staff.fill("input[name=years]", "2")
    staff.fill("textarea[name=conditions]", "每半年报送一次项目进展，一年后接受中期检查。")
    staff.screenshot(path=str(screenshot_dir / "round-2-decision-form.png"), full_page=True)
    staff.get_by_role("button", name="确定决定").click()
    expect(staff.locator("dl .badge")).to_have_text("已批准")
    decision = Decision.objects.get()
    assert decision.number.startswith("周科字〔") and decision.amount == 200000
    expect(staff.locator("body")).to_contain_text(decision.number)
    project = Project.objects.get(application=app)
    assert project.fiscal_district == 200000
    href = staff.get_by_role("link", name="下载通知（PDF）").get_attribute("href")
    pdf = staff.context.request.get(f"{base}{href}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    staff.screenshot(path=str(screenshot_dir / "round-3-decided.png"), full_page=True)

    # 10. The firm downloads its 立项通知.
    firm.goto(f"{base}/programmes/applications/{app.pk}/")
    with firm.expect_download() as docx:
        firm.get_by_role("link", name="下载通知（Word）").click()
    assert docx.value.suggested_filename.endswith(".docx")
    with open(docx.value.path(), "rb") as f:
        assert f.read() == bytes(Decision.objects.get().docx)
