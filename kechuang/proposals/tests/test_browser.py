"""A reply from assignment to the member's satisfaction, clicked through in Chromium."""

import datetime as dt

import pytest

from e2e.conftest import login
from kechuang.core.models import Region
from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_take_a_reply_from_assignment_to_satisfaction(browser, live_server, screenshot_dir):
    from kechuang.core.workdays import seed_from_packages
    from kechuang.proposals import services
    from kechuang.proposals.models import Proposal
    from kechuang.reports.tests.signing import sign_off

    seed_from_packages(range(2020, 2022))
    staff = UserFactory(username="ti_staff", staff=True)
    proposal = services.proposal_register(
        actor=staff,
        region=Region.objects.get(code="370306"),
        kind="cppcc",
        number="134092",
        session="区政协十三届四次会议",
        member_name="郭帅",
        title="关于进一步加大科技创新力度，促进产业转型发展的提案",
        lead_unit="周村区科学技术局",
        co_units=["周村区工业和信息化局"],
        assigned_on=dt.date(2020, 5, 20),
    )
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, live_server.url, "ti_staff", TEST_PASSWORD)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")

    page.get_by_role("button", name="开始办理").click()
    page.fill("input[name=as_of]", "2020-11-30")
    page.get_by_role("button", name="由平台数据生成答复稿").click()
    assert page.get_by_role("link", name="查看、修改与核稿签发答复稿").is_visible()
    page.fill("textarea[name=opinion]", "同意答复意见。")
    page.get_by_role("button", name="登记协办意见").click()
    page.select_option("select[name=result_class]", label="A类（已解决或基本解决）")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="送协办单位会签").click()
    proposal.refresh_from_db()
    sign_off(proposal.reply_draft, staff, on=dt.date(2020, 12, 1))  # 核稿 and 签发 by two colleagues
    page.reload()
    assert "周科函〔2020〕1号" in page.content()
    page.get_by_role("button", name="正式答复").click()
    page.select_option("select[name=feedback]", label="满意")
    page.get_by_role("button", name="登记委员意见").click()
    page.get_by_role("button", name="办结").click()

    assert "已办结" in page.locator(".badge.text-bg-primary").first.inner_text()
    page.screenshot(path=str(screenshot_dir / "proposals-closed.png"), full_page=True)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CLOSED and proposal.feedback == "satisfied"
    assert not [e for e in errors if "Content Security Policy" in e], errors
