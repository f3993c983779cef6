"""Browser-test helpers. The `browser` and `screenshot_dir` fixtures live in the root conftest.py so that every
browser test in the project shares one Chromium session (two sync Playwright sessions cannot coexist)."""


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
