"""Benchmark 3: list pages and list APIs at page sizes 50 and 200, as province staff (the largest scope).

    python bench/bench_lists.py [--requests 15]

For each list (firm page, project page; firm, application and project APIs) and each page size, the
server time p50/p95 over `--requests` in-process requests (test client, real middleware and templates) and
the query count. Targets (issue 26): p95 ≤ 200 ms at province scale, and the same query count for both sizes.

Two baselines, both measured in the same run (ADR 0007):

(a) **bare**: the same scoped rows of that page as `.values(...)` + `json.dumps` (one query, no request, no
    templates, no schema). Kept for comparison with earlier runs; it is not what an HTTP request can reach.
(b) **same stack**: the p50 of an authenticated `GET /api/core/me` (same client, same middleware, session
    and authentication, one tiny JSON object) plus (a) for that page. Any authenticated Django request pays
    session, user, middleware and routing; (b) adds only the rows.

The ratio is against (b) for the APIs (informative: issue #12's ≤ 2× is withdrawn). For the HTML pages it is (b) plus
the layout of a minimal authenticated page: the p50 of `GET /accounts/profile/` (base layout with menu,
notification count and a three-field form; it includes everything `/api/core/me` pays) plus (a). The
`Result` ratio is against that same-stack baseline; the ratio against (a) is in the measured text and in
`extra` (`bare_ratio`), and for pages the ratio against (b) without the layout too (`api_stack_ratio`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

SIZES = (50, 200)
ME_URL = "/api/core/me"
LAYOUT_URL = "/accounts/profile/"


def lists():
    from kechuang.core.models import Organisation
    from kechuang.programmes.models import Application
    from kechuang.projects.models import Project

    firms = Organisation.objects.filter(kind="enterprise")
    return [
        ("firm page", "/enterprises/?per_page={n}", firms.order_by("name", "pk"), ("id", "name", "credit_code", "region__name")),
        ("project page", "/projects/?per_page={n}", Project.objects.order_by("-year", "number"),
         ("id", "number", "name", "level", "undertaking_unit__name", "status", "starts_on", "ends_on")),
        ("firm API", "/api/enterprises/firms?limit={n}", firms.order_by("name", "pk"), ("id", "name", "credit_code", "region__code")),
        ("application API", "/api/programmes/applications?limit={n}", Application.objects.order_by("-created_at", "-pk"),
         ("id", "title", "status", "call__name", "call__programme__name", "organisation__name", "submitted_at")),
        ("project API", "/api/projects/projects?limit={n}", Project.objects.order_by("-year", "number"),
         ("id", "number", "name", "level", "status", "undertaking_unit__name", "year")),
    ]  # fmt: skip


def stack_p50(client, url: str, requests: int) -> float:
    client.get(url)  # warm up
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return common.pct(common.samples(lambda: client.get(url), requests), 50)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=15)
    args = parser.parse_args()
    common.setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kechuang.accounts.models import User

    user = User.objects.get(username="bench_province")
    client = Client()
    client.force_login(user)
    me = stack_p50(client, ME_URL, args.requests)
    layout = stack_p50(client, LAYOUT_URL, args.requests)
    print(
        f"[3 lists] same stack: GET {ME_URL} p50 {common.ms(me)}; minimal page GET {LAYOUT_URL} p50 "
        f"{common.ms(layout)} (layout ≈ {common.ms(layout - me)})",
        flush=True,
    )
    for label, url, qs, fields in lists():
        page = label.endswith("page")
        counts = {}
        for n in SIZES:
            target = url.format(n=n)
            client.get(target)  # warm up
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(target)
            assert response.status_code == 200, (target, response.status_code)
            counts[n] = len(ctx.captured_queries)
            times = common.samples(lambda t=target: client.get(t), args.requests)

            def baseline(n=n, qs=qs, fields=fields):
                rows = list(qs.values(*fields)[:n])
                return json.dumps(rows, default=str, ensure_ascii=False)

            bare = min(common.samples(baseline, args.requests))
            p50, p95 = common.pct(times, 50), common.pct(times, 95)
            stack = me + bare
            if page:
                base, base_text = (
                    layout + bare,
                    f"page stack {common.ms(layout + bare)} ({LAYOUT_URL} + .values()+json {common.ms(bare)})",
                )
            else:
                base, base_text = (
                    stack,
                    f"same stack {common.ms(stack)} ({ME_URL} {common.ms(me)} + .values()+json {common.ms(bare)})",
                )
            extra = {
                "queries": counts[n],
                "bare_ms": bare * 1000,
                "me_ms": me * 1000,
                "bare_ratio": p50 / bare,
                "p95_ms": p95 * 1000,
            }
            text = f"p50 {common.ms(p50)}, p95 {common.ms(p95)}, {counts[n]} queries; {p50 / bare:.1f}× bare"
            if page:
                extra.update(layout_ms=layout * 1000, api_stack_ratio=p50 / stack)
                text += f", {p50 / stack:.1f}× /api/core/me + bare"
            common.report(
                common.Result(
                    "3 lists",
                    f"{label} ×{n}",
                    text,
                    base_text,
                    p50 / base,
                    target="p95 ≤ 200 ms",
                    extra=extra,
                )
            )
        same = "identical" if counts[SIZES[0]] == counts[SIZES[1]] else "DIFFERENT"
        print(f"[3 lists] {label}: query count {same} for sizes {SIZES} ({counts})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
