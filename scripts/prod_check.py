"""`make prod-check`: Kechuang as deployed — PostgreSQL, Redis, two gunicorn app servers and one task worker on
loopback — and a smoke test through both servers:

1. log in on server A and continue the same session on server B (sessions are shared, not sticky);
2. upload an organisations workbook big enough to run as a background job on B, confirm it, and watch the
   separate worker process pick the job up and finish it;
3. shut everything down (SIGTERM, as systemd does) and drop the scratch database.

Loopback only, bounded in time. Exits non-zero with a message on the first failure.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import io
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
DB_NAME = "kc_prodcheck"
PG = os.environ.get("PRODCHECK_PG", "postgres://postgres@127.0.0.1:5432")
PORTS = (8201, 8202)
ROWS = 2100  # above the import engine's background threshold (2000)
PASSWORD = "Prod-Check-2026!"  # noqa: S105 - a throwaway account in a scratch database


def fail(message: str) -> None:
    print(f"prod-check FAILED: {message}", file=sys.stderr)
    raise SystemExit(1)


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-q", "-c", sql], check=True, capture_output=True)  # noqa: S603,S607 - fixed tool, SQL built here


def kechuang(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own venv's interpreter running our own command
        [str(VENV_BIN / "python"), "-m", "kechuang", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        fail(f"kechuang {' '.join(args)}: {result.stderr[-2000:]}")
    return result.stdout


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - loopback URL built here
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    fail(f"{url} did not answer within {seconds:.0f}s")


class Browser:
    """A cookie-keeping HTTP client that can talk to any of the app servers."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(
        self, url: str, data: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, str, str]:
        req = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 - loopback only
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.geturl(), r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, url, exc.read().decode(errors="replace")

    def post(self, url: str, fields: dict, referer: str) -> tuple[int, str, str]:
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        return self.request(
            url, body, {"Content-Type": "application/x-www-form-urlencoded", "Referer": referer}
        )

    def upload(self, url: str, name: str, content: bytes, referer: str) -> tuple[int, str, str]:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{self.csrf()}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode(),
            content,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
        return self.request(
            url,
            b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": referer},
        )


def workbook() -> bytes:
    sys.path.insert(0, str(ROOT))
    from openpyxl import Workbook

    from kechuang.core.rules import make_credit_code

    wb = Workbook()
    ws = wb.active
    ws.append(["周村区企业名录（生产环境自检）"])
    ws.append(["单位名称", "统一社会信用代码", "所在镇街"])
    for i in range(ROWS):
        ws.append(
            [f"自检企业{i:05d}有限公司", make_credit_code("9", "1", "370306", f"PC{i:06d}"), "丝绸路街道"]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def wait_for_page(browser, url: str, pattern: re.Pattern, what: str, seconds: int = 300) -> re.Match:
    """Poll a page until `pattern` appears in it; fail with `what` if it never does."""
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        _, _, page = browser.request(url)
        if match := pattern.search(page):
            return match
        time.sleep(1)
    fail(f"{what}: {page[:1000]}")


def main() -> None:
    if not shutil.which("psql"):
        fail("psql not found (apt-get install postgresql-client)")
    tmp = Path(tempfile.mkdtemp(prefix="kc-prodcheck-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "KECHUANG", "PYTEST"))}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        KECHUANG_AUDIT_KEY=secrets.token_urlsafe(48),
        DEBUG="false",
        HTTPS="false",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"{PG}/{DB_NAME}",
        REDIS_URL="redis://127.0.0.1:6379/14",
        KECHUANG_DATA_DIR=str(tmp),
        LOG_FORMAT="json",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT="2525",
    )
    psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(f"CREATE DATABASE {DB_NAME}")
    procs: list[subprocess.Popen] = []
    stack = contextlib.ExitStack()  # the servers' log files, closed after the servers stop
    try:
        print("prod-check: migrate, collectstatic, create a staff account")
        kechuang(env, "migrate", "--no-input", "-v0")
        kechuang(env, "collectstatic", "--no-input", "-v0")
        kechuang(
            env,
            "shell",
            "-c",
            "from kechuang.accounts import services; from kechuang.core.models import Region; "
            f"services.user_create(actor=None, username='pc_staff', password='{PASSWORD}', role='staff', "
            "region=Region.objects.get(code='370306'))",
        )
        logs = tmp / "logs"
        logs.mkdir()
        for port in PORTS:
            procs.append(
                subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
                    [
                        str(VENV_BIN / "gunicorn"),
                        "-c",
                        "deploy/gunicorn.conf.py",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "2",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=stack.enter_context(open(logs / f"web{port}.log", "w")),  # noqa: SIM115 - ExitStack closes it
                    stderr=subprocess.STDOUT,
                )
            )
        procs.append(
            subprocess.Popen(  # noqa: S603 - our own venv's worker
                [
                    str(VENV_BIN / "python"),
                    "-m",
                    "kechuang",
                    "db_worker",
                    "--queue-name",
                    "default",
                    "--interval",
                    "0.5",
                ],
                cwd=ROOT,
                env=env,
                stdout=stack.enter_context(open(logs / "worker.log", "w")),  # noqa: SIM115 - ExitStack closes it
                stderr=subprocess.STDOUT,
            )
        )  # noqa: SIM115
        a, b = (f"http://127.0.0.1:{p}" for p in PORTS)
        for base in (a, b):
            wait_for(f"{base}/healthz")
        print(f"prod-check: two app servers ({a}, {b}) and one worker are up")
        versions = []
        for base in (a, b):
            with urllib.request.urlopen(f"{base}/version", timeout=5) as r:  # noqa: S310 - loopback URL built here
                versions.append(json.load(r))
        if versions[0]["build"] != versions[1]["build"] or not all(v["schema"]["current"] for v in versions):
            fail(f"/version differs between the servers or reports pending migrations: {versions}")
        if set(versions[0]) != {"build", "schema"}:
            fail(f"/version tells anonymous callers more than the build id: {versions[0]}")
        print(f"prod-check: /version on both: build {versions[0]['build']}, schema current")

        browser = Browser()
        browser.request(f"{a}/accounts/login/")
        status, url, html = browser.post(
            f"{a}/accounts/login/",
            {"username": "pc_staff", "password": PASSWORD},
            referer=f"{a}/accounts/login/",
        )
        if "工作台" not in html:
            fail(f"login on server A did not reach the home page ({status} {url})")
        status, url, html = browser.request(f"{b}/")
        if status != 200 or "工作台" not in html:
            fail(f"the session from server A was not accepted by server B ({status} {url})")
        print("prod-check: logged in on A, session continued on B")

        browser.request(f"{b}/imports/organisations/")
        status, url, html = browser.upload(
            f"{b}/imports/organisations/", "企业名录.xlsx", workbook(), referer=f"{b}/imports/organisations/"
        )
        preview = re.search(r"/jobs/(\d+)/", url)
        if not preview:
            fail(f"the upload did not start a preview job ({status} {url}); page starts: {html[:500]}")
        confirm = wait_for_page(
            browser,
            f"{b}/imports/jobs/{preview.group(1)}/",
            re.compile(r'action="(/imports/jobs/\d+/confirm/)"'),
            "the worker did not offer a confirmation for the preview",
        )
        status, url, html = browser.post(
            f"{b}{confirm.group(1)}", {}, referer=f"{b}/imports/jobs/{preview.group(1)}/"
        )
        job = re.search(r"/jobs/(\d+)/", url)
        if not job:
            fail(f"confirming a {ROWS}-row import did not start a background job ({status} {url})")
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            _, _, page = browser.request(f"{a}/jobs/{job.group(1)}/")
            if "已完成" in page:
                break
            if "失败" in page:
                fail(f"the import job failed: {page[:1000]}")
            time.sleep(1)
        else:
            fail("the worker did not finish the import job within 300 s")
        count = kechuang(
            env,
            "shell",
            "-c",
            "from kechuang.core.models import Organisation; "
            "print(Organisation.objects.filter(name__startswith='自检企业').count())",
        )
        if count.strip().splitlines()[-1] != str(ROWS):
            fail(f"expected {ROWS} imported organisations, found {count.strip()}")
        print(f"prod-check: a {ROWS}-row import ran on the worker and stored every row")
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                proc.kill()
        stack.close()
        psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)
    print("prod-check passed: PostgreSQL + Redis, two app servers, one worker, graceful shutdown")


if __name__ == "__main__":
    main()
