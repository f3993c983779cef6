"""Browser: every page in each role's menu, on a desktop and on a phone, fails the test on what a user of a
Chinese bureau should never meet (issue 27): an HTTP error, a console error, English UI fragments, raw codes of
choice fields, the page wider than the phone, and serious or critical accessibility violations found by
axe-core (the copy of axe.min.js that the pinned `axe-playwright-python` package ships, run through
Playwright's evaluate, which the page's CSP does not apply to).

Raw codes need records to show up in, so a second crawl opens, on the demo as `make run` loads it (`kechuang demo
--district 370303`, a copy of the tests' demo template: conftest.py `demo_live`), as the demo's accounts, every
menu page and the first record page of each kind linked from it.

The raw-code rule (`choice_codes`, `codes_shown`): the codes are the stored values of every model field with
`choices` (TextChoices, IntegerChoices or plain pairs) whose label differs from the value, kept only when they
are distinctive — they contain an underscore (`valid_hnte`, `in_publicity`) or are an ASCII word of four
letters or more (`planning`, `estimate`) — and are neither some choice's label nor an account's username (the
demo's accounts are called `staff`, `leader`, `expert`). Short codes ("A", "1", "A01") are left out: they
occur in ordinary text. A page fails when such a code is a whole token of its visible text: text nodes the
browser renders (checkVisibility), outside `<code>`/`<kbd>`/`<samp>`/`<pre>` (formulas, commands and the
auditor's raw change records are shown as code on purpose); a token is a run of ASCII letters, digits and
`_./@:#?=&%+-`, so a code inside a URL, a path or an e-mail address is part of a longer token and not a
match, and attributes (`value="draft"`, `data-status`) are never text. Matching is case-sensitive."""

from __future__ import annotations

import importlib.resources
import re

import pytest
from django.conf import settings
from django.test import Client

from e2e.conftest import goto_settled
from kechuang.core.tests.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
# English a Chinese UI must not show (Django's and the libraries' defaults that slip through untranslated)
ENGLISH = re.compile(
    r"Select an option|This field is required|Enter a valid|Ensure this value|\bNone\b|\bTrue\b|\bFalse\b"
    r"|No results|Loading\.\.\.|Previous|Next page|Page \d+ of|Submit\b|Search\b|Cancel\b|Delete\b"
)
AXE_IMPACTS = {"serious", "critical"}
DISTINCTIVE = re.compile(r"[A-Za-z0-9]*_[A-Za-z0-9_]*|[A-Za-z]{4,}")
TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./@:#?=&%+-]*")
# The page's visible text, less what is shown as code on purpose (see the module's docstring).
VISIBLE_TEXT = """() => {
  const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script,style,noscript,template,code,kbd,samp,pre') || !el.checkVisibility()) continue;
    out.push(node.nodeValue);
  }
  return out.join(' ');
}"""


def choice_codes() -> dict[str, set[str]]:
    """{code: {"app.Model.field", …}} of the distinctive codes (the rule is in the module's docstring)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    labels, codes = set(), {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not getattr(field, "choices", None):
                continue
            for value, label in field.flatchoices:
                labels.add(str(label))
                if str(value) != str(label):
                    codes.setdefault(str(value), set()).add(f"{model._meta.label}.{field.name}")
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    return {
        code: fields
        for code, fields in codes.items()
        if DISTINCTIVE.fullmatch(code) and code not in labels and code not in usernames
    }


def codes_shown(text: str, codes: dict[str, set[str]]) -> list[str]:
    """The codes that stand as whole tokens in `text` (trailing sentence punctuation aside)."""
    found = {token.rstrip(".:,;?") for token in TOKEN.findall(text)} & codes.keys()
    return [f"原始代码「{code}」（{'、'.join(sorted(codes[code]))}）" for code in sorted(found)]


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


ROLES = ("staff", "leader", "enterprise", "expert", "commissioner", "sysadmin", "secadmin", "auditadmin")


def _user(role: str):
    """The account the crawl signs in as for `role` (one per role in ROLES)."""
    from kechuang.core.models import Region

    district, town = Region.objects.get(code="370306"), Region.objects.get(code="370306001")
    if role == "staff":
        return UserFactory(username="crawl_staff", staff=True, region=district)
    if role == "leader":
        return UserFactory(username="crawl_leader", leader=True, region=district)
    if role == "enterprise":
        firm = OrganisationFactory(name="淄博巡检新材料有限公司", region=town)
        return UserFactory(username="crawl_firm", enterprise=True, organisation=firm)
    if role == "expert":
        return UserFactory(username="crawl_expert", expert=True, person=PersonFactory(name="李评审"))
    if role == "commissioner":
        return UserFactory(username="crawl_tpy", commissioner=True, person=PersonFactory(name="赵特派"))
    names = {"sysadmin": "crawl_sys", "secadmin": "crawl_sec", "auditadmin": "crawl_audit"}
    return UserFactory(username=names[role], **{role: True})


def _open(page, url: str) -> list[str]:
    response = goto_settled(page, url)
    if response is None or response.status >= 400:
        return [f"HTTP {response.status if response else '—'}"]
    return []


def _check_page(page, url: str, viewport: str, axe: str, console: list[str], codes: dict) -> list[str]:
    console.clear()
    problems = _open(page, url)
    if problems:
        return problems
    text = page.evaluate(VISIBLE_TEXT)
    problems += [f"英文界面文字「{m}」" for m in sorted(set(ENGLISH.findall(text)))]
    problems += codes_shown(text, codes)
    if viewport == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORTS["phone"]["width"] + 1:
            problems.append(f"页面宽 {width}px，超出手机屏幕")
    if not page.evaluate("() => typeof axe === 'object'"):  # the crawl's contexts load it with each page
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


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_page_of_every_role_on_desktop_and_phone(role, browser, live_server, screenshot_dir):
    """One test per role (`-k staff` runs one), so xdist workers share the crawl."""
    from kechuang.core.navigation import menu_for

    axe, codes = _axe_source(), choice_codes()
    found: dict[str, list[str]] = {}
    user = _user(role)
    urls = ["/", *(entry["url"] for entry in menu_for(user))]
    for name, viewport in VIEWPORTS.items():
        context = _session_context(browser, live_server, user, viewport, name == "phone")
        # axe-core in every page before its own scripts (as page.evaluate, outside the page's CSP): compiled
        # once per context, not sent and parsed again on each page (≈ 0.12 s a page)
        context.add_init_script(script=axe)
        page, console = context.new_page(), []
        page.on("console", lambda m, seen=console: seen.append(m.text) if m.type == "error" else None)
        for url in dict.fromkeys(urls):
            problems = _check_page(page, live_server.url + url, name, axe, console, codes)
            if problems:
                found[f"{role} {name} {url}"] = problems
        context.close()
    report = "\n".join(f"{where}: {'；'.join(p)}" for where, p in sorted(found.items()))
    (screenshot_dir / f"crawl-report-{role}.txt").write_text(report or "无问题", encoding="utf-8")
    assert not found, f"{len(found)} 个页面有问题：\n{report}"


# The demo's accounts (README), one per role that has records to show.
DEMO_ACCOUNTS = ("staff", "leader", "qiye", "expert", "tepaiyuan", "sysadmin", "secadmin", "auditor")
# Links from a list to one record's page: /platforms/12/, /enterprises/3/profile/ …
RECORD_LINKS = """() => [...document.querySelectorAll('main a[href]')].map(a => a.getAttribute('href'))
  .filter(h => /^\\/[^?#]*\\/\\d+\\/([a-z_-]+\\/)?$/.test(h))"""


def test_demo_pages_of_every_role_show_labels_not_raw_codes(browser, live_server, demo_live, screenshot_dir):
    """On the demo's records (`make run`'s demo, from the tests' demo template: conftest.py `demo_live`): every
    menu page of each demo account, and the first record page of each kind (URL pattern) linked from those
    pages, at 1366 px; fails on an HTTP error, a console error, English UI fragments or a raw choice code
    (rules in the module's docstring): the records bring out what empty menu pages cannot."""
    from django.contrib.auth import get_user_model

    from kechuang.core.navigation import menu_for

    codes = choice_codes()
    assert {"planning", "in_publicity", "estimate"} <= codes.keys(), "the code rule lost known codes"
    found: dict[str, list[str]] = {}
    opened, kinds = 0, set()
    for username in DEMO_ACCOUNTS:
        user = get_user_model().objects.get(username=username)
        context = _session_context(browser, live_server, user, VIEWPORTS["desktop"], False)
        page, console = context.new_page(), []
        page.on("console", lambda m, seen=console: seen.append(m.text) if m.type == "error" else None)

        def seen_on_page(page=page, console=console) -> list[str]:
            text = page.evaluate(VISIBLE_TEXT)
            problems = [f"英文界面文字「{m}」" for m in sorted(set(ENGLISH.findall(text)))]
            problems += codes_shown(text, codes) + [f"控制台错误：{c[:120]}" for c in console]
            return problems

        records = []
        for url in dict.fromkeys(["/", *(entry["url"] for entry in menu_for(user))]):
            console.clear()
            problems = _open(page, live_server.url + url)
            opened += 1
            if not problems:
                problems = seen_on_page()
                for link in page.evaluate(RECORD_LINKS):
                    kind = (username, re.sub(r"\d+", "N", link))
                    if kind not in kinds:
                        kinds.add(kind)
                        records.append(link)
            if problems:
                found[f"{username} {url}"] = problems
        for url in records:
            console.clear()
            problems = _open(page, live_server.url + url)
            opened += 1
            problems = problems or seen_on_page()
            if problems:
                found[f"{username} {url}"] = problems
        context.close()
    report = "\n".join(f"{where}: {'；'.join(p)}" for where, p in sorted(found.items()))
    (screenshot_dir / "crawl-codes-report.txt").write_text(
        f"{opened} 个页面（其中记录页 {len(kinds)} 类）\n" + (report or "无问题"), encoding="utf-8"
    )
    assert opened > 100, f"only {opened} pages opened: the demo or the menus are missing"
    assert not found, f"{len(found)} 个页面有问题：\n{report}"
