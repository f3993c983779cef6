"""Browser: every page in each role's menu, on a desktop and on a phone, fails the test on what a user of a
Chinese bureau should never meet (issue 27): an HTTP error, a console error, English UI fragments, the page
wider than the phone, and serious or critical accessibility violations found by axe-core (the copy of
axe.min.js that the pinned `axe-playwright-python` package ships, run through Playwright's evaluate, which the
page's CSP does not apply to)."""

from __future__ import annotations

import importlib.resources
import os
import re

import pytest
from django.conf import settings
from django.test import Client

from kechuang.core.tests.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
# English a Chinese UI must not show (Django's and the libraries' defaults that slip through untranslated)
ENGLISH = re.compile(
    r"Select an option|This field is required|Enter a valid|Ensure this value|\bNone\b|\bTrue\b|\bFalse\b"
    r"|No results|Loading\.\.\.|Previous|Next page|Page \d+ of|Submit\b|Search\b|Cancel\b|Delete\b"
)
AXE_IMPACTS = {"serious", "critical"}


def _axe_source() -> str:
    return (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def _session_context(browser, live_server, user, viewport, phone: bool):
    """A browser context signed in as `user` (the session cookie of a test client's forced login: the
    crawl is about the pages, not the sign-in, which e2e/test_smoke.py covers)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=phone)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def _users():
    from kechuang.core.models import Region

    district, town = Region.objects.get(code="370306"), Region.objects.get(code="370306001")
    firm = OrganisationFactory(name="淄博巡检新材料有限公司", region=town)
    return {
        "staff": UserFactory(username="crawl_staff", staff=True, region=district),
        "leader": UserFactory(username="crawl_leader", leader=True, region=district),
        "enterprise": UserFactory(username="crawl_firm", enterprise=True, organisation=firm),
        "expert": UserFactory(username="crawl_expert", expert=True, person=PersonFactory(name="李评审")),
        "commissioner": UserFactory(
            username="crawl_tpy", commissioner=True, person=PersonFactory(name="赵特派")
        ),
        "sysadmin": UserFactory(username="crawl_sys", sysadmin=True),
        "secadmin": UserFactory(username="crawl_sec", secadmin=True),
        "auditadmin": UserFactory(username="crawl_audit", auditadmin=True),
    }


def _check_page(page, url: str, viewport: str, axe: str, console: list[str]) -> list[str]:
    problems = []
    console.clear()
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    if response is None or response.status >= 400:
        return [f"HTTP {response.status if response else '—'}"]
    text = page.inner_text("body")
    problems += [f"英文界面文字「{m}」" for m in sorted(set(ENGLISH.findall(text)))]
    if viewport == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORTS["phone"]["width"] + 1:
            problems.append(f"页面宽 {width}px，超出手机屏幕")
    page.evaluate(axe)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,"
        " target: v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}))"
    )
    problems += [
        f"axe {v['id']}（{v['impact']}，{v['n']} 处，如 {v['target']}）"
        for v in result
        if v["impact"] in AXE_IMPACTS
    ]
    return problems + [f"控制台错误：{c[:120]}" for c in console]


def test_every_menu_page_of_every_role_on_desktop_and_phone(browser, live_server, screenshot_dir):
    from kechuang.core.navigation import menu_for

    axe = _axe_source()
    found: dict[str, list[str]] = {}
    only = set(filter(None, os.environ.get("KECHUANG_CRAWL_ROLES", "").split(",")))  # e.g. staff,leader
    for role, user in _users().items():
        if only and role not in only:
            continue
        urls = ["/", *(entry["url"] for entry in menu_for(user))]
        for name, viewport in VIEWPORTS.items():
            context = _session_context(browser, live_server, user, viewport, name == "phone")
            page, console = context.new_page(), []
            page.on("console", lambda m, seen=console: seen.append(m.text) if m.type == "error" else None)
            for url in dict.fromkeys(urls):
                problems = _check_page(page, live_server.url + url, name, axe, console)
                if problems:
                    found[f"{role} {name} {url}"] = problems
            context.close()
    report = "\n".join(f"{where}: {'；'.join(p)}" for where, p in sorted(found.items()))
    (screenshot_dir / "crawl-report.txt").write_text(report or "无问题", encoding="utf-8")
    assert not found, f"{len(found)} 个页面有问题：\n{report}"
