"""Browser-test helpers. The `browser` and `screenshot_dir` fixtures live in the root conftest.py so that every
browser test in the project shares one Chromium session (two sync Playwright sessions cannot coexist)."""

import weakref


class _InFlight:
    """The requests a page has started and not yet finished (or failed)."""

    def __init__(self, page) -> None:
        self.requests: set = set()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request) -> None:
        self.requests.add(request)

    def _ended(self, request) -> None:
        self.requests.discard(request)


_in_flight = weakref.WeakKeyDictionary()


def goto_settled(page, url: str, *, quiet_ms: int = 100, timeout_ms: int = 30_000):
    """`page.goto(url)` (the load event) and then, like `wait_for_load_state("networkidle")`, wait until no
    request has been in flight for a while: `quiet_ms` (100 ms) instead of Playwright's fixed 500 ms, which a
    crawl of hundreds of pages spent idle. Requests the page starts after its load event (the charts' data,
    htmx `load` triggers) are waited for, and the console messages of their handling arrive meanwhile."""
    flight = _in_flight.get(page)
    if flight is None:
        flight = _in_flight[page] = _InFlight(page)
    response = page.goto(url)
    quiet = waited = 0
    step = 25
    while quiet < quiet_ms:
        page.wait_for_timeout(step)  # Playwright delivers the page's events meanwhile
        waited += step
        quiet = 0 if flight.requests else quiet + step
        if waited > timeout_ms:
            pending = sorted(r.url for r in flight.requests)[:5]
            raise TimeoutError(f"{url}: requests still in flight after {timeout_ms} ms: {pending}")
    return response


def login(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def page_as(browser, base_url: str, username: str | None, password: str, *, viewport: dict):
    """A page in a fresh browser context (its own cookies), signed in as `username` (None: a visitor);
    confirmation dialogs are accepted and downloads allowed."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    if username:
        login(page, base_url, username, password)
    return page


def upload_for_preview(page, base_url: str, spec: str, path) -> str:
    """Upload a file on the spec's import page (its file-level choices already filled) and open the worker's
    preview; the preview page's text."""
    if not page.url.endswith(f"/imports/{spec}/"):
        page.goto(f"{base_url}/imports/{spec}/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state("networkidle")
    assert "预览完成" in page.inner_text("body"), page.inner_text("body")[-800:]
    page.get_by_text("查看结果").click()
    page.wait_for_load_state("networkidle")
    return page.inner_text("body")


def confirm_import(page) -> None:
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state("networkidle")
    assert "导入完成" in page.inner_text("body")


def undo_from_history(page) -> None:
    """On an import history page: undo the newest import and come back to the history."""
    page.get_by_role("button", name="撤销导入").click()
    page.wait_for_load_state("networkidle")
    assert "已撤销导入" in page.inner_text("body"), page.inner_text("body")[-800:]
    page.get_by_text("查看结果").click()
    page.wait_for_load_state("networkidle")
    assert "已撤销" in page.locator("#import-history").inner_text()


def open_call(
    staff,
    district,
    *,
    type_code: str,
    type_name: str,
    outcome_kind: str,
    programme_code: str,
    programme_name: str,
    form: list,
    sheet: list,
    field_match: bool = True,
    publicity_days: int = 5,
    call_name: str = "2026年第一批",
    notice: str = "",
    type_extra: dict | None = None,
    programme_extra: dict | None = None,
):
    """A programme type, a programme with a three-expert review (≥ 60% technical, one finance) and a call open
    from ten days ago for thirty days — the start of every programme browser test."""
    import datetime as dt

    from django.utils import timezone

    from kechuang.programmes import services

    ptype = services.programme_type_create(
        actor=staff,
        code=type_code,
        name=type_name,
        applicant_kind="enterprise",
        outcome_kind=outcome_kind,
        **(type_extra or {}),
    )
    programme = services.programme_create(
        actor=staff,
        type=ptype,
        code=programme_code,
        name=programme_name,
        region=district,
        form_schema=form,
        scoring_sheet=sheet,
        review_rules={
            "group_size": 3,
            "min_technical_share": 0.6,
            "min_finance": 1,
            "field_match": field_match,
        },
        publicity_days=publicity_days,
        **(programme_extra or {}),
    )
    now = timezone.now()
    return services.call_create(
        actor=staff,
        programme=programme,
        name=call_name,
        opens_at=now - dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=30),
        region=district,
        notice=notice,
    )


def experts_with_accounts(staff, district, categories=("technical",) * 3 + ("finance",), fields=("A01",)):
    """Pool experts, each with an account e2e_expert1, e2e_expert2, … (password TEST_PASSWORD)."""
    from kechuang.core.tests.factories import OrganisationFactory, PersonFactory, UserFactory
    from kechuang.programmes import services

    for i, category in enumerate(categories):
        person = PersonFactory(name=f"专家{i + 1}", organisation=OrganisationFactory(region=district))
        services.expert_create(
            actor=staff, person=person, category=category, region=district, fields=list(fields)
        )
        UserFactory(username=f"e2e_expert{i + 1}", display_name=person.name, expert=True, person=person)
