"""Browser-test helpers. The `browser` and `screenshot_dir` fixtures live in the root conftest.py so that every
browser test in the project shares one Chromium session (two sync Playwright sessions cannot coexist)."""


def login(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
