"""Benchmark: a sign-in while an import's transaction holds many audit inserts (issue 26, ADR 0003).

    python bench/bench_audit_signin.py [--rows 100000] [--repeat 5] [--hold 10]

A second thread opens a transaction, inserts `--rows` audit events with `audit.record_many` (as an import
does) and keeps the transaction open until the sign-ins are done or `--hold` seconds have passed; meanwhile the main thread signs in through the whole stack (the login
form posted with the test client: session, login log, a `login.success` audit event) `--repeat` times.
Baseline, same run: the same sign-ins with nothing else running. The ratio is the median of the sign-ins that
started while the import's transaction was open over the median sign-in alone; target ≤ 2×. With the
former design (a locked chain-head row) the first sign-in waited until the import committed (≈ `--hold`).

The import's transaction is rolled back at the end (nothing is left behind); then the sealer seals the
sign-ins' events and the time per sealed event is printed too. Needs a migrated database only (it migrates
DATABASE_URL if needed); on SQLite the single writer lock serialises every write, so run it on PostgreSQL.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

USERNAME, PASSWORD = "bench-signin", "Bench-signin-2026!"


def _user():
    from kechuang.accounts.models import User
    from kechuang.core.models import Region
    from kechuang.core.roles import Role

    user, _ = User.objects.get_or_create(
        username=USERNAME, defaults={"role": Role.STAFF, "region": Region.objects.get(code="370306")}
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in() -> tuple[float, float]:
    """(when it started, how long it took)."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    start = time.perf_counter()
    response = client.post(reverse("accounts:login"), {"username": USERNAME, "password": PASSWORD})
    took = time.perf_counter() - start
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed: HTTP {response.status_code}")
    return start, took


def _import_transaction(rows: int, hold: float, inserted: threading.Event, done: threading.Event, out: dict):
    """Insert `rows` audit events in one transaction, then hold it open until `done` or `hold` seconds."""
    from django.db import connection, transaction

    from kechuang.core import audit

    try:
        with transaction.atomic():
            start = time.perf_counter()
            audit.record_many(
                actor=None,
                entries=(
                    (
                        "statistics.fact_create",
                        audit.Target("kcstats.enterprisefact", n, f"记录 {n}"),
                        {"n": n},
                    )
                    for n in range(rows)
                ),
            )
            out["insert_s"] = time.perf_counter() - start
            inserted.set()
            done.wait(timeout=hold)
            transaction.set_rollback(True)
        out["closed_at"] = time.perf_counter()
    finally:
        inserted.set()
        connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--hold", type=float, default=10.0)
    args = parser.parse_args()
    common.setup_django()
    from django.core.management import call_command

    from kechuang.core import sealing

    call_command("migrate", verbosity=0)
    _user()
    _sign_in()  # warm-up: imports, first connection, templates
    alone = [took for _start, took in (_sign_in() for _ in range(args.repeat))]

    inserted, done, out = threading.Event(), threading.Event(), {}
    worker = threading.Thread(target=_import_transaction, args=(args.rows, args.hold, inserted, done, out))
    worker.start()
    inserted.wait()
    if "insert_s" not in out:
        raise SystemExit("the import transaction failed")
    try:
        timed = [_sign_in() for _ in range(args.repeat)]
    finally:
        done.set()
        worker.join()
    during = [took for start, took in timed if start < out["closed_at"]]

    start = time.perf_counter()
    sealed = sealing.seal().sealed
    seal_s = time.perf_counter() - start

    p50_alone = statistics.median(alone)
    common.report(
        common.Result(
            bench="audit_signin",
            case=f"sign-in while a transaction holds {args.rows:,} audit inserts (median of {len(during)})",
            figure=f"{common.ms(statistics.median(during))} (slowest {common.ms(max(during))})",
            baseline=f"{common.ms(p50_alone)} (sign-in alone, median of {len(alone)})",
            ratio=statistics.median(during) / p50_alone,
            target="≤ 2×",
            extra={
                "rows": args.rows,
                "insert_s": round(out["insert_s"], 2),
                "sealed": sealed,
                "seal_s": round(seal_s, 3),
            },
        )
    )
    print(
        f"  the import's {args.rows:,} inserts took {out['insert_s']:.1f} s (record_many, bulk_create); "
        f"sealing {sealed} events afterwards took {seal_s * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
