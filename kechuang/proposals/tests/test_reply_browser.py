"""The drafted reply looked at in Chromium and as a Word file: a proposal with three requests, the reply
page with its checked figures and editable sentences, the letter in .docx (and PDF where LibreOffice is)."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from docx import Document

from e2e.conftest import login
from kechuang.core.models import Region
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_three_request_reply_in_the_browser_and_in_word(browser, live_server, screenshot_dir):
    from kechuang.accounts.models import Team
    from kechuang.core.workdays import seed_from_packages
    from kechuang.enterprises.tests.factories import QualificationFactory
    from kechuang.proposals import letter, services

    seed_from_packages(range(2020, 2022))
    district = Region.objects.get(code="370306")
    town = district.children.first()
    for day in (dt.date(2019, 3, 1), dt.date(2020, 3, 1), dt.date(2020, 5, 1)):
        QualificationFactory(organisation=OrganisationFactory(region=town), valid_from=day)
    Team.objects.create(name="高企培育专班", region=district)
    staff = UserFactory(username="rb_staff", staff=True)
    proposal = services.proposal_register(
        actor=staff,
        region=district,
        kind="npc",
        number="20",
        session="区十八届人大四次会议",
        member_name="王丽",
        title="关于加强科技企业培育的建议",
        text="一是加大高新技术企业培育力度；二是加强科技特派员服务；三是设立产业转型专项资金。",
        lead_unit="周村区科学技术局",
        assigned_on=dt.date(2020, 9, 15),
    )
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, live_server.url, "rb_staff", TEST_PASSWORD)
    assert "周村区科学技术局" in page.content()
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    assert page.locator("textarea[name=items]").input_value().splitlines() == [
        "加大高新技术企业培育力度",
        "加强科技特派员服务",
        "设立产业转型专项资金",
    ]
    page.get_by_role("button", name="确认建议事项").click()
    page.get_by_role("button", name="开始办理").click()
    page.fill("input[name=as_of]", "2020-11-30")
    page.get_by_role("button", name="由平台数据生成答复稿").click()
    assert page.locator("[data-suggested-class]").inner_text().startswith("建议办理结果：B类")
    page.screenshot(path=str(screenshot_dir / "proposal-reply-items.png"), full_page=True)
    page.get_by_role("link", name="查看、修改与核稿签发答复稿").click()
    body = page.locator("form.kc-card").last.inner_text()
    assert (
        "一、关于加大高新技术企业培育力度的建议。" in body and "三、关于设立产业转型专项资金的建议。" in body
    )
    assert "区人大的监督指导" in body and "由上年同期的1家增至3家" in body
    assert page.locator("[data-claims-ok]").is_visible()
    page.screenshot(path=str(screenshot_dir / "proposal-reply-draft.png"), full_page=True)
    assert not errors, errors

    proposal.refresh_from_db()
    data = letter.to_docx(proposal, date=dt.date(2020, 11, 30))
    (screenshot_dir / "proposal-reply.docx").write_bytes(data)
    texts = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert "王丽代表：" in texts and "周村区科学技术局" in texts and letter.THANKS["npc"] in texts
    assert sum(1 for t in texts if t.startswith(("一、", "二、", "三、"))) == 3
    if shutil.which("soffice") and shutil.which("pdftoppm"):
        from kechuang.reports.docx_layout import to_pdf

        pdf = screenshot_dir / "proposal-reply.pdf"
        pdf.write_bytes(to_pdf(data))
        subprocess.run(  # noqa: S603
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),  # noqa: S607
                str(screenshot_dir / "proposal-reply-page1"),
            ],
            check=True,
        )
