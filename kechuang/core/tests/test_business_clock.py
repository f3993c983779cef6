"""One business clock: every module reads "today" from kechuang.core.dates (issue 24, item 4).

`KECHUANG_AS_OF` moves the business date (the demo lives on 2020-11-30); a module that read the real clock
would open calls, number projects, publish notices or expire vouchers by another day than the rest. Only the
modules below keep system time — security, job bookkeeping and the audit trail must use the real moment.
"""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from kechuang.core import scheduling

ROOT = Path(__file__).resolve().parents[2]

# module (relative to kechuang/) -> why it may read the real clock
SYSTEM_CLOCK = {
    "core/dates.py": "the clocks themselves",
    "core/audit.py": "audit events carry the real moment",
    "core/sealing.py": "seals carry the real moment",
    "core/archiving.py": "audit retention is counted on the real calendar",
    "core/joblease.py": "job leases and heartbeats",
    "core/tasks.py": "job bookkeeping",
    "core/worker.py": "worker heartbeats and retry back-off",
    "core/resilience.py": "retry back-off of the worker and the scheduler",
    "core/models/jobs.py": "how long a background job has queued or run",
    "core/management/commands/jobs.py": "finding jobs that never started",
    "core/views/health.py": "/readyz: the worker heartbeat's age",
    "core/views/records.py": "the background-jobs page: heartbeat and queue ages",
    "core/models/organisations.py": "a founding date cannot lie after the real calendar's today",
    "core/scheduling.py": "time slots of scheduled runs (the as-of they pass is the business date)",
    "core/version.py": "process start time",
    "core/bulk.py": "fills auto_now fields as Django's save would",
    "core/imports/jobs.py": "import job bookkeeping",
    "core/middleware.py": "request timing",
    "enterprises/tasks.py": "job bookkeeping",
    "reports/snapshots.py": "refresh bookkeeping of the kept figures: when read, when a refresh was queued",
    "api/auth.py": "token last-used time (security)",
    "notifications/delivery.py": "delivery attempts, retry back-off and rate windows (system records)",
}
SYSTEM_PACKAGES = {
    "accounts": "login security, passwords, lockouts, TOTP, tokens",
    "signon": "sign-on security: when an identity last logged in",
}

REAL_CLOCK_CALLS = {
    ("timezone", "now"),
    ("timezone", "localdate"),
    ("timezone", "localtime"),
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
}


def _real_clock_calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            # timezone.localtime(x) / localdate(x) convert a given moment; only the bare call reads the clock
            if (name, node.func.attr) in REAL_CLOCK_CALLS and not (
                node.func.attr in ("localtime", "localdate") and node.args
            ):
                yield node.lineno, f"{name}.{node.func.attr}()"


def test_no_module_reads_the_real_clock_for_business_dates():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel or rel.split("/")[0] in SYSTEM_PACKAGES:
            continue
        if rel in SYSTEM_CLOCK:
            continue
        offenders += [f"kechuang/{rel}:{line} {call}" for line, call in _real_clock_calls(path)]
    assert not offenders, "use kechuang.core.dates.today()/now():\n" + "\n".join(offenders)


def test_the_check_sees_a_real_clock_call(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text(
        "import datetime as dt\nfrom django.utils import timezone\n"
        "a = timezone.now()\nb = dt.date.today()\nc = timezone.localtime(a)\nd = timezone.localdate(a)\n"
    )
    assert [c for _l, c in _real_clock_calls(sample)] == ["timezone.now()", "date.today()"]


@pytest.mark.django_db
def test_scheduled_jobs_get_the_business_date(settings, monkeypatch):
    settings.KECHUANG = {**settings.KECHUANG, "AS_OF": dt.date(2020, 11, 30)}
    seen = []
    monkeypatch.setattr(
        scheduling, "call_command", lambda name, *args, **kw: seen.append(args) or call_command("check")
    )
    job = scheduling.Job("voucher-expiry", "vouchers", ("expire",), daily_at=dt.time(1, 0))
    real = timezone.make_aware(dt.datetime(2026, 12, 7, 9, 0))
    assert scheduling.run_due(real, jobs=(job,)) == ["voucher-expiry"]
    assert seen == [("expire", "--as-of", "2020-11-30")]
