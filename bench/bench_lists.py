"""Benchmark 3: list pages and list APIs at page sizes 50 and 200, as province staff (the largest scope).

    python bench/bench_lists.py [--requests 5]

For each list (firm page, project page; firm, application and project APIs) and each page size, the
server time p50 over `--requests` in-process requests (test client, real middleware and templates) and
the query count, which must be the same for both sizes. Baseline: the same scoped rows of that page as
`.values(...)` + `json.dumps` (one query per page, no templates, no schema).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

SIZES = (50, 200)


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    common.setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kechuang.accounts.models import User

    user = User.objects.get(username="bench_province")
    client = Client()
    client.force_login(user)
    for label, url, qs, fields in lists():
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

            base = min(common.samples(baseline, args.requests))
            common.report(
                common.Result(
                    "3 lists",
                    f"{label} ×{n}",
                    f"p50 {common.ms(common.pct(times, 50))}, {counts[n]} queries",
                    f".values()+json {common.ms(base)}",
                    common.pct(times, 50) / base,
                    target="≤ 2×",
                    extra={"queries": counts[n]},
                )
            )
        same = "identical" if counts[SIZES[0]] == counts[SIZES[1]] else "DIFFERENT"
        print(f"[3 lists] {label}: query count {same} for sizes {SIZES} ({counts})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
