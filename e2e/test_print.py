"""Browser: the print layout (issue 27 item 6) of a list (企业库), a firm's page, a drill-down and the leader's
dashboard. Each is printed to PDF by Chromium on A4 (the print stylesheet applies) and read back with poppler:
at least one page, the page's heading there, Chinese text extracted (the CJK font embedded), none of the menu,
the top bar or the filter form; every table's columns fit the page width. The PDFs and a PNG of each first page
go to the screenshot directory (artifacts/ in CI) to be looked at."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from e2e.test_crawl import _session_context
from e2e.test_dashboard_screens import AS_OF, _world
from kechuang.core.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCOPE = "period=2020&as_of=2020-11-30"
# What only the screen shows: the top bar, the side menu, the footer, filter and action buttons.
SCREEN_ONLY = (
    "退出",
    "我的待办",
    "单位与人员",
    "公开信息",
    "跳到正文",
    "科创科技创新管理平台",
    "查询",
    "导出",
)
PRINT_WIDTH = 703  # A4 less the print stylesheet's 12 mm margins, at 96 dpi


def _pages(zhoucun) -> dict[str, tuple[str, str]]:
    """name → (path, the heading the printout must show)."""
    from kechuang.core.models import Organisation

    firm = Organisation.objects.filter(region__parent=zhoucun).order_by("pk").first()
    return {
        "list": ("/enterprises/", "企业库"),
        "firm": (f"/enterprises/firms/{firm.pk}/", firm.name),
        "drill": (f"/reports/drill/rd_total/?region={zhoucun.pk}&{SCOPE}", "研发投入"),
        "dashboard": (f"/reports/?region={zhoucun.pk}&{SCOPE}", "主要指标"),
    }


def _pdf_text(path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return pages, text.stdout


def test_a_list_a_firm_a_drill_down_and_the_dashboard_print_as_their_content(
    browser, live_server, screenshot_dir, settings
):
    if not shutil.which("pdftotext"):
        pytest.fail("poppler-utils (pdftotext, pdfinfo, pdftoppm) is needed: apt-get install poppler-utils")
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": AS_OF}
    zhoucun = _world()
    staff = UserFactory(staff=True, region=zhoucun, display_name="王晓梅")
    leader = UserFactory(leader=True, region=zhoucun, display_name="李局长")
    problems = {}
    for name, (path, heading) in _pages(zhoucun).items():
        user = leader if name == "dashboard" else staff
        context = _session_context(browser, live_server, user, {"width": PRINT_WIDTH, "height": 1000}, False)
        page = context.new_page()
        response = page.goto(live_server.url + path)
        assert response.status == 200, (name, response.status)
        page.wait_for_load_state("networkidle")
        page.emulate_media(media="print")
        too_wide = page.evaluate(  # laid out at the printed width: a table wider than it would be cut
            f"""[...document.querySelectorAll('table')].filter(t => t.offsetParent !== null)
                .map(t => Math.round(t.getBoundingClientRect().right)).filter(r => r > {PRINT_WIDTH} + 1)"""
        )
        pdf = screenshot_dir / f"print-{name}.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        context.close()
        pages, text = _pdf_text(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(screenshot_dir / f"print-{name}"),
            ],
            check=True,
        )
        found = []
        if pages < 1:
            found.append("没有页")
        if heading not in text:
            found.append(f"缺标题「{heading}」")
        found += [f"打印出了「{word}」" for word in SCREEN_ONLY if word in text]
        if too_wide:
            found.append(f"表格宽于 A4 页面：{too_wide}")
        if found:
            problems[name] = found
    assert not problems, problems
