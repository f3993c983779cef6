"""Benchmark 2: the dashboard page cold and warm, for a district, a city and the province.

    python bench/bench_indicators.py [--repeat 3] [--requests 10]

For each scope (周村区 370306, 淄博市 370300, 山东省 370000; period 2020, as of 2020-11-30):
  * dashboard page, **first reader**: GET /reports/ as that region's staff with no figure snapshot kept
    (`reports.snapshots`, ADR 0038), so the request computes every figure (after one request that saves the
    fresh login's session) — p50/p95 over `--requests` requests and the page's query count. Reported: what the
    very first reader of a scope waits, once per scope and language.
  * dashboard page, **after a change**: one audited write that may change a figure before each request, the
    task worker not yet at the queued refresh (tasks queued, not run): what a reader feels after someone else's
    change. Target (issue 26): p95 ≤ 1 s at province scale. Baseline: the warm page.
  * dashboard page, **warm**: the same request with the snapshot current. Target: p95 ≤ 100 ms.
    Baseline: the minimal authenticated page `GET /accounts/profile/` of the same client.
  * `compute_many` of every registered indicator (what the cold page computes; rows stay lazy, under
    `reporting_reads` like `reports.dashboard.compute`) and, for the city, the district comparison: best of
    `--repeat` and the query count, against the very SQL it ran replayed through a raw cursor. Reported
    only: the "ORM within 1.3× of raw SQL" goal is withdrawn (ADR 0014); the figure shows what the ORM's
    Python side costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

SCOPES = (("district", "370306"), ("city", "370300"), ("province", "370000"))
LAYOUT_URL = "/accounts/profile/"


def batched(scope) -> None:
    from kechuang.core import indicators
    from kechuang.core.routers import reporting_reads

    with reporting_reads():
        indicators.compute_many(indicators.all_indicators(), scope)


def comparison(scope) -> None:
    from kechuang.reports import dashboard

    dashboard.district_comparison(scope)


def indicator_pass(fn, scope) -> tuple[float, list[str]]:
    """Wall time of `fn(scope)` and the SQL it ran (parameters inlined by the backend)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        fn(scope)
    elapsed = time.perf_counter() - start
    return elapsed, [q["sql"] for q in ctx.captured_queries]


def orm_vs_raw(fn, scope, repeat: int) -> tuple[float, float, int]:
    """(best ORM time, best raw replay time of the same SQL, number of statements)."""
    indicator_pass(fn, scope)  # warm caches (query plans, Python imports)
    orm = min(indicator_pass(fn, scope)[0] for _ in range(repeat))
    _, sqls = indicator_pass(fn, scope)
    raw_pass(sqls)
    raw = min(raw_pass(sqls) for _ in range(repeat))
    return orm, raw, len(sqls)


def raw_pass(sqls: list[str]) -> float:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in sqls:
            cursor.execute(sql)  # noqa: S608 - the SQL Django itself just ran, parameters inlined
            cursor.fetchall()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    common.setup_django()
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from kechuang.accounts.models import User
    from kechuang.core import audit, indicators
    from kechuang.core.indicators import Period, Scope
    from kechuang.core.models import Region
    from kechuang.reports import dashboard, snapshots
    from kechuang.reports.models import FigureSnapshot

    as_of = dt.date(2020, 11, 30)
    print(f"{len(indicators.all_indicators())} registered indicators", flush=True)
    for label, code in SCOPES:
        region = Region.objects.select_related("parent").get(code=code)
        scope = Scope(region, Period(2020), as_of)
        n = len(indicators.all_indicators())
        passes = [(f"{label}, compute_many of {n}", batched)]
        if region.level == Region.Level.CITY:
            passes.append((f"{label}, district comparison", comparison))
        for case, fn in passes:
            orm, raw, count = orm_vs_raw(fn, scope, args.repeat)
            common.report(
                common.Result(
                    "2 indicators",
                    f"{case} ({count} queries)",
                    f"ORM {common.ms(orm)}",
                    f"raw cursor {common.ms(raw)}",
                    orm / raw,
                    extra={"queries": count},
                )
            )
        user = (
            User.objects.filter(username__startswith="bench_", region=region).first()
            or User.objects.filter(region=region, role="staff").first()
        )
        client = Client()
        client.force_login(user)
        url = f"/reports/?region={region.pk}&period=2020&as_of={as_of.isoformat()}"
        client.get(url)  # a logged-in user's first request saves the new session; later ones do not
        cold, counts = [], []
        for _ in range(args.requests):
            cache.clear()
            snapshots.forget()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                cold.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
            counts.append(len(ctx.captured_queries))
        changed = []
        with override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}):
            for i in range(args.requests):
                with transaction.atomic():
                    audit.record(actor=user, action="bench.change", obj=region, changes={"n": i})
                start = time.perf_counter()
                response = client.get(url)
                changed.append(time.perf_counter() - start)
                assert response.status_code == 200 and b"data-figures-stale" in response.content
        stamp = dashboard.figures_stamp()
        for pk in FigureSnapshot.objects.values_list("pk", flat=True):
            snapshots.refresh(pk, stamp)  # what the worker does with each queued refresh
        assert b"data-figures-stale" not in client.get(url).content, "the warm case must read current figures"
        warm = common.samples(lambda c=client, u=url: c.get(u), args.requests)
        client.get(LAYOUT_URL)
        layout = common.samples(lambda c=client: c.get(LAYOUT_URL), args.requests)
        p = common.pct
        cases = [  # (case, times, query count, baseline text, baseline seconds, target)
            ("first reader (no snapshot)", cold, max(counts), "warm page", p(warm, 50), "reported"),
            ("after a change (refresh queued)", changed, None, "warm page", p(warm, 50), "p95 ≤ 1 s"),
            ("warm (snapshot current)", warm, None, LAYOUT_URL, p(layout, 50), "p95 ≤ 100 ms"),
        ]
        for case, times, queries, base_label, base, target in cases:
            counted = "" if queries is None else f", {queries} queries"
            common.report(
                common.Result(
                    "2 dashboard",
                    f"{label} page, {case}",
                    f"p50 {common.ms(p(times, 50))}, p95 {common.ms(p(times, 95))}{counted}",
                    f"{base_label} p50 {common.ms(base)}",
                    p(times, 95) / base,
                    target=target,
                    extra={"queries": queries, "p95_ms": p(times, 95) * 1000},
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
