"""Shared helpers for the benchmarks: Django setup, timing, query counting, peak memory, result records.

Every benchmark reports a measured figure *and* a ratio against a baseline measured in the same run, so the
numbers mean something on any machine. Results are appended to `var/bench/results.json` (one record per
benchmark line) and `bench/run.py` turns them into the README table.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "var" / "bench" / "results.json"
DEFAULT_SQLITE = ROOT / "var" / "bench" / "bench.sqlite3"


def setup_django() -> None:
    """Configure Django for a benchmark: DATABASE_URL if set, else the bench SQLite file built by generate.py."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}")
    os.environ.setdefault("KECHUANG_TESTING", "1")  # immediate tasks, fast password hasher
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench" / "media"))
    import django

    django.setup()
    from django.conf import settings

    # In-process requests go through the test client's host name.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def db_vendor() -> str:
    from django.db import connection

    return connection.vendor


def timed(fn, *, repeat: int = 1) -> tuple[float, object]:
    """Best-of-`repeat` wall time in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def samples(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


@dataclass
class Result:
    bench: str
    case: str
    figure: str  # the measured figure, human readable
    baseline: str  # the baseline figure
    ratio: float  # measured / baseline (time ratio: > 1 is slower than the baseline)
    target: str = ""
    extra: dict = field(default_factory=dict)

    def line(self) -> str:
        ok = ""
        if self.target:
            ok = f"  (target {self.target})"
        return f"[{self.bench}] {self.case}: {self.figure} | baseline {self.baseline} | ratio {self.ratio:.2f}×{ok}"


_REPORTED: set[tuple[str, str, str]] = set()  # (bench, db, scale) already reported by this process


def report(result: Result) -> Result:
    print(result.line(), flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    records = []
    if RESULTS.exists():
        try:
            records = json.loads(RESULTS.read_text())
        except ValueError:
            records = []
    record = asdict(result)
    record["db"] = db_vendor()
    record["scale"] = os.environ.get("KC_BENCH_SCALE", "")
    where = (result.bench, record["db"], record["scale"])
    # A benchmark's run replaces all its earlier lines for this database and scale (case names change with the
    # data and the code: a stale line would stay in the table for ever); later lines of the same run add up.
    first_of_run = where not in _REPORTED
    _REPORTED.add(where)
    records = [
        r
        for r in records
        if (r["bench"], r.get("db"), r.get("scale", "")) != where
        or (not first_of_run and r["case"] != result.case)
    ]
    records.append(record)
    RESULTS.write_text(json.dumps(records, ensure_ascii=False, indent=1))
    return result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def server_cpu() -> float:
    """CPU seconds this process's PostgreSQL backend has used (it runs on this machine: /proc), or 0.0.

    On a shared machine wall time follows the load: a niced Python process gets a small share of the cores
    while the server (not niced) gets more, which penalises the side whose work is in Python. Client CPU +
    server CPU is what each side costs whatever the load."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
