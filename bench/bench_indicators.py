"""Benchmark 2: every dashboard indicator for a district, a city and the province vs the same SQL raw.

    python bench/bench_indicators.py [--repeat 3] [--requests 10]

For each scope (周村区 370306, 淄博市 370300, 山东省 370000; period 2020, as of 2020-11-30):
  * ORM: what the dashboard runs — `compute_many` of every registered indicator for the scope (value only;
    rows stay lazy; under `reporting_reads` like `reports.dashboard.compute`), best of `--repeat`, the SQL it
    ran captured; for the city also the district comparison (`reports.dashboard.district_comparison`). Each
    twice: with the plan kept (ADR 0011: what the dashboard pays when the data changed, once the process
    has planned the scope) and planned afresh (the plans forgotten before each pass: a process's first time);
  * baseline: the same captured SQL statements run through a raw cursor (no ORM, no Python-side work);
  * secondary line: every indicator's `compute(scope)` one by one (a drill-down or a work summary computes
    figures alone), against its own SQL replayed raw;
  * dashboard page: GET /reports/ as that region's staff with the cache cleared before each request (after
    one request that saves the fresh login's session) — server time p50/p95 over `--requests` requests and
    the page's query count (target ≤ 15 … see README).
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


def one_by_one(scope) -> None:
    from kechuang.core import indicators

    for ind in indicators.all_indicators():
        ind.compute(scope)


def batched(scope) -> None:
    from kechuang.core import indicators
    from kechuang.core.routers import reporting_reads

    with reporting_reads():
        indicators.compute_many(indicators.all_indicators(), scope)


def batched_afresh(scope) -> None:
    from kechuang.core import indicators

    indicators.clear_plans()
    batched(scope)


def comparison(scope) -> None:
    from kechuang.reports import dashboard

    dashboard.district_comparison(scope)


def comparison_afresh(scope) -> None:
    from kechuang.core import indicators

    indicators.clear_plans()
    comparison(scope)


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
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kechuang.accounts.models import User
    from kechuang.core import indicators
    from kechuang.core.indicators import Period, Scope
    from kechuang.core.models import Region

    as_of = dt.date(2020, 11, 30)
    print(f"{len(indicators.all_indicators())} registered indicators", flush=True)
    for label, code in SCOPES:
        # with its parents, as the dashboard's region field loads it (a plan that walks to the city reads
        # nothing then, so it can be kept)
        region = Region.objects.select_related("parent__parent").get(code=code)
        scope = Scope(region, Period(2020), as_of)
        n = len(indicators.all_indicators())
        passes = [
            (f"{label}, compute_many of {n}, plan kept", batched, "≤ 1.3×"),
            (f"{label}, compute_many of {n}, planned afresh", batched_afresh, ""),
        ]
        if region.level == Region.Level.CITY:
            passes.append((f"{label}, district comparison, plan kept", comparison, "≤ 1.3×"))
            passes.append((f"{label}, district comparison, planned afresh", comparison_afresh, ""))
        passes.append((f"{label}, one by one", one_by_one, ""))
        for case, fn, target in passes:
            orm, raw, count = orm_vs_raw(fn, scope, args.repeat)
            common.report(
                common.Result(
                    "2 indicators",
                    f"{case} ({count} queries)",
                    f"ORM {common.ms(orm)}",
                    f"raw cursor {common.ms(raw)}",
                    orm / raw,
                    target=target,
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
        times, counts = [], []
        for _ in range(args.requests):
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
            counts.append(len(ctx.captured_queries))
        cached_times = common.samples(lambda c=client, u=url: c.get(u), args.requests)
        common.report(
            common.Result(
                "2 dashboard",
                f"{label} page, cache cleared",
                f"p50 {common.ms(common.pct(times, 50))}, p95 {common.ms(common.pct(times, 95))}, "
                f"{max(counts)} queries",
                f"cached page p50 {common.ms(common.pct(cached_times, 50))}",
                common.pct(times, 50) / common.pct(cached_times, 50),
                target="≤ 15 queries",
                extra={"queries": max(counts)},
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
