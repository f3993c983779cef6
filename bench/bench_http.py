"""Benchmark 5: an HTTP mix under load against gunicorn on loopback, vs a trivial view on the same server.

    python bench/bench_http.py [--users 50] [--seconds 30] [--workers 3]

Starts gunicorn (deploy/gunicorn.conf.py: gthread, DEBUG off, static collected) on 127.0.0.1 against
DATABASE_URL (PostgreSQL for the real figure; SQLite works but serialises the writes), logs `--users`
district staff in (real sessions), and drives it with a small asyncio keep-alive HTTP/1.1 client for
`--seconds` (bounded):
  * mix: 70% lists (firm page, project page, firm API, application API), 20% details (firm, project,
    application), 10% writes (notifications "mark all read": an audited POST with CSRF);
  * baseline: the same number of users on `/healthz` (a trivial view) for the same time.
Two runs of each: **saturation** (no think time: each user sends its next request as soon as the last one is
answered — a closed loop that measures capacity; ratio = baseline rps / mix rps) and **users** (each user
thinks `--think-min`…`--think-max` seconds between requests, 1–3 s by default, as load tools model people;
the p95 target applies here; ratio = mix p95 / baseline p95). Staff at a bureau click far less often than
every 1–3 s, so the users run is still a heavy load for 50 people.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

HOST = "127.0.0.1"


class Conn:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> int:
        for attempt in (0, 1):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
            head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}", "Connection: keep-alive"]
            head += [f"{k}: {v}" for k, v in headers.items()]
            if body or method == "POST":
                head.append(f"Content-Length: {len(body)}")
            self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            try:
                await self.writer.drain()
                status_line = await self.reader.readline()
                if not status_line:
                    raise ConnectionResetError
            except (ConnectionError, OSError):
                await self.close()
                if attempt:
                    raise
                continue
            status = int(status_line.split()[1])
            length, close = None, False
            while True:
                line = (await self.reader.readline()).decode("latin-1").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and value.strip().lower() == "close":
                    close = True
            if length is None:
                await self.reader.read()
                close = True
            else:
                await self.reader.readexactly(length)
            if close:
                await self.close()
            return status
        raise ConnectionError("unreachable")

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def drive(
    port: int, users: list[dict], seconds: float, pick, think: tuple[float, float] = (0, 0)
) -> dict:
    """Each user sends a request, waits for the answer, then thinks for uniform(*think) seconds (0: none)."""
    latencies: list[float] = []
    by_route: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    deadline = time.perf_counter() + seconds

    async def user_loop(user: dict, rng: random.Random):
        conn = Conn(port)
        cookie = f"sessionid={user['session']}; csrftoken={user['csrf']}"
        if think[1]:
            await asyncio.sleep(rng.uniform(0, think[1]))  # users do not all start at the same instant
        while time.perf_counter() < deadline:
            method, path, ok = pick(user, rng)
            headers = {"Cookie": cookie}
            if method == "POST":
                headers |= {"X-CSRFToken": user["csrf"], "Content-Type": "application/x-www-form-urlencoded"}
            start = time.perf_counter()
            try:
                status = await conn.request(method, path, headers)
            except (ConnectionError, OSError, asyncio.IncompleteReadError) as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                await conn.close()
                continue
            latencies.append(time.perf_counter() - start)
            route = re.sub(r"\d+", "N", f"{method} {path.split('?')[0]}")
            by_route.setdefault(route, []).append(latencies[-1])
            if status not in ok:
                key = f"{status} {path.split('?')[0]}"
                errors[key] = errors.get(key, 0) + 1
            if think[1]:
                await asyncio.sleep(rng.uniform(*think))
        await conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(user_loop(u, random.Random(i)) for i, u in enumerate(users)))
    elapsed = time.perf_counter() - start
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": common.pct(latencies, 50),
        "p95": common.pct(latencies, 95),
        "errors": errors,
        "routes": {r: (len(t), common.pct(t, 50), common.pct(t, 95)) for r, t in sorted(by_route.items())},
    }


def prepare_users(n: int) -> list[dict]:
    """Log `n` district staff in (sessions in the database) and pick ids inside each one's region."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from kechuang.accounts.models import User
    from kechuang.core.models import Organisation
    from kechuang.programmes.models import Application
    from kechuang.projects.models import Project

    out = []
    staff = (
        User.objects.filter(username__startswith="bench_staff_").select_related("region").order_by("username")
    )
    staff = sorted(staff, key=lambda u: u.region.code != "370306")[:n]
    for user in staff:
        path = user.region.path
        firms = list(
            Organisation.objects.filter(kind="enterprise", region__path__startswith=path).values_list(
                "pk", flat=True
            )[:20]
        )
        projects = list(
            Project.objects.filter(region__path__startswith=path).values_list("pk", flat=True)[:20]
        )
        apps = list(
            Application.objects.filter(call__region__path__startswith=path).values_list("pk", flat=True)[:20]
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["kc_auth_until"] = time.time() + 3600
        session.create()
        out.append(
            {"session": session.session_key, "csrf": "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32)),
             "firms": firms, "projects": projects, "apps": apps}
        )  # fmt: skip
    return out


def mix(user: dict, rng: random.Random):
    r = rng.random()
    if r < 0.70:
        path = rng.choice(
            [
                "/enterprises/",
                "/projects/",
                "/api/enterprises/firms?limit=50",
                "/api/programmes/applications?limit=50",
            ]
        )
        return "GET", path, (200,)
    if r < 0.90:
        choices = []
        if user["firms"]:
            choices.append(f"/enterprises/firms/{rng.choice(user['firms'])}/")
        if user["projects"]:
            choices.append(f"/projects/{rng.choice(user['projects'])}/")
        if user["apps"]:
            choices.append(f"/programmes/applications/{rng.choice(user['apps'])}/")
        return "GET", rng.choice(choices or ["/enterprises/"]), (200,)
    return "POST", "/notifications/read-all/", (302,)


def trivial(user: dict, rng: random.Random):
    return "GET", "/healthz", (200,)


def start_server(port: int, workers: int, tmp: Path) -> subprocess.Popen:
    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "KECHUANG", "PYTEST"))}
    env.update(
        SECRET_KEY=os.environ["SECRET_KEY"],  # the sessions made here are signed with it
        DEBUG="false",
        HTTPS="false",
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=os.environ["DATABASE_URL"],
        KECHUANG_DATA_DIR=str(tmp),
        LOG_LEVEL="WARNING",
        # the key the generated events were sealed with, so the server's sealer continues their chain
        KECHUANG_AUDIT_KEY=settings.AUDIT_KEY,
    )
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "kechuang"), "collectstatic", "--no-input", "-v0"],
        env=env,
        check=True,
        cwd=common.ROOT,
    )
    log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--bind", f"{HOST}:{port}",
         "--workers", str(workers), "--access-logfile", "/dev/null"],
        cwd=common.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    for _ in range(100):
        try:
            import urllib.request

            urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1)  # noqa: S310 - loopback
            return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError((tmp / "gunicorn.log").read_text()[-3000:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--think-min", type=float, default=1.0, help="seconds a user thinks, at least")
    parser.add_argument("--think-max", type=float, default=3.0, help="… and at most")
    parser.add_argument("--port", type=int, default=int(os.environ.get("KC_BENCH_PORT", "8104")))
    args = parser.parse_args()
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(64)
    common.setup_django()
    users = prepare_users(args.users)
    from django.db import connection

    connection.close()
    tmp = Path(tempfile.mkdtemp(prefix="kc-bench-http-"))
    proc = start_server(args.port, args.workers, tmp)
    think = (args.think_min, args.think_max)
    try:
        asyncio.run(drive(args.port, users[:5], 2, mix))  # warm-up
        base = asyncio.run(drive(args.port, users, args.seconds, trivial))
        load = asyncio.run(drive(args.port, users, args.seconds, mix))
        base_users = asyncio.run(drive(args.port, users, args.seconds, trivial, think))
        users_run = asyncio.run(drive(args.port, users, args.seconds, mix, think))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    for label, run, baseline, case in (
        ("saturation", load, base, "no think time: every user sends its next request at once"),
        ("users", users_run, base_users, f"each user thinks {think[0]:g}–{think[1]:g} s between requests"),
    ):
        errors = sum(run["errors"].values())
        common.report(
            common.Result(
                "5 http",
                f"mix 70/20/10, {len(users)} users, {args.seconds:.0f} s, {args.workers} workers, {case}",
                f"{run['rps']:.0f} rps, p50 {common.ms(run['p50'])}, p95 {common.ms(run['p95'])}, "
                f"{errors} errors of {run['requests']}",
                f"/healthz {baseline['rps']:.0f} rps, p95 {common.ms(baseline['p95'])}",
                # saturation: how much throughput the real mix costs; users: how much latency it adds
                baseline["rps"] / run["rps"] if label == "saturation" else run["p95"] / baseline["p95"],
                target="0 errors" if label == "saturation" else "0 errors, p95 ≤ 300 ms",
                extra={
                    "errors": run["errors"],
                    "baseline_errors": baseline["errors"],
                    "p95_ms": run["p95"] * 1000,
                },
            )
        )
        for route, (n, p50, p95) in run["routes"].items():
            print(f"  {label} {route}: {n} requests, p50 {common.ms(p50)}, p95 {common.ms(p95)}")
        if run["errors"]:
            print(f"  errors: {run['errors']} (server log: {tmp / 'gunicorn.log'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
