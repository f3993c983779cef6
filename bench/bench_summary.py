"""Benchmark 7: work-summary generation (draft, JSON and DOCX) for a district and for the province.

    python bench/bench_summary.py [--repeat 3]

For 周村区 and 山东省 (period 2020, as of 2020-11-30) with the seed template:
  * generate: `reports.services.draft_generate` (computes every quoted figure, renders, saves, audits);
    baseline: computing the same distinct indicators directly (the figures are the irreducible work);
  * JSON and DOCX downloads through the real view; baseline: the generate step above, so the ratio is
    what serialising costs on top of the figures (download time / generate time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    common.setup_django()
    from django.test import Client

    from kechuang.accounts.models import User
    from kechuang.core import indicators
    from kechuang.core.indicators import Period, Scope
    from kechuang.core.models import Region
    from kechuang.reports import services, summary
    from kechuang.reports.seed import ensure_seed_template

    as_of = dt.date(2020, 11, 30)
    for label, code, username in (
        ("district", "370306", "bench_staff_370306"),
        ("province", "370000", "bench_province"),
    ):
        region = Region.objects.get(code=code)
        template = ensure_seed_template(region)  # the template serving the scope's bureau
        actor = User.objects.get(username=username)
        scope = Scope(region, Period(2020), as_of)
        drafts = []

        def generate(actor=actor, scope=scope, drafts=drafts, template=template):
            drafts.append(services.draft_generate(actor=actor, template=template, scope=scope))

        gen = min(common.samples(generate, args.repeat))
        codes = sorted({f["code"] for f in summary.all_figures(drafts[-1].sections) if not f.get("missing")})

        def figures(codes=codes, scope=scope):
            for c in codes:
                indicators.get(c).compute(scope)

        base = min(common.samples(figures, args.repeat))
        common.report(
            common.Result(
                "7 summary",
                f"{label} generate ({len(codes)} indicators)",
                f"draft_generate {common.ms(gen)}",
                f"indicators alone {common.ms(base)}",
                gen / base,
            )
        )
        client = Client()
        client.force_login(actor)
        for fmt in ("json", "docx"):
            url = f"/reports/summaries/{drafts[-1].pk}/download.{fmt}"
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            size = len(response.content)
            t = min(common.samples(lambda u=url, c=client: c.get(u), args.repeat))
            common.report(
                common.Result(
                    "7 summary",
                    f"{label} {fmt} download",
                    f"{common.ms(t)} ({size / 1024:.0f} KB)",
                    f"generate {common.ms(gen)}",
                    t / gen,
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
