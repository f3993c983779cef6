"""Benchmark 4: eligibility screening (HNTE and tech-SME rules) of every firm of a city and of the province.

    python bench/bench_eligibility.py

Runs the real background job (`enterprises.tasks.screening_start` → `run_screening`, the immediate task
backend runs it in-process) for 淄博市 and for 山东省, and reports firms/s. Baseline: reading the same
inputs (firms, profiles, enterprise years, valid HNTE certificates) as plain `.values()` tuples in one
pass — the data-access floor any screening pays — so the ratio shows the cost of the rules and the ORM.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

AS_OF = dt.date(2020, 11, 30)


def baseline(region) -> int:
    from kechuang.enterprises import selectors
    from kechuang.enterprises.models import EnterpriseProfile, EnterpriseYear, Qualification

    firms = selectors.firms_in_region(region)
    ids = list(firms.order_by("pk").values_list("pk", "name"))
    sub = firms.values("pk")
    profiles = list(EnterpriseProfile.objects.filter(organisation__in=sub).values())
    years = list(EnterpriseYear.objects.filter(organisation__in=sub, year__lt=AS_OF.year).values())
    hnte = list(
        Qualification.objects.valid_on(AS_OF)
        .of_kind("hnte")
        .filter(organisation__in=sub)
        .values_list("organisation_id")
    )
    return len(ids) + 0 * (len(profiles) + len(years) + len(hnte))


def main() -> int:
    common.setup_django()
    from kechuang.accounts.models import User
    from kechuang.core.models import Job, Region
    from kechuang.enterprises import tasks

    actor = User.objects.get(username="bench_province")
    for label, code in (("city", "370300"), ("province", "370000")):
        region = Region.objects.get(code=code)
        start = time.perf_counter()
        firms = baseline(region)
        base = time.perf_counter() - start
        start = time.perf_counter()
        job = tasks.screening_start(actor=actor, region=region, as_of=AS_OF)
        elapsed = time.perf_counter() - start
        job = Job.objects.get(pk=job.pk)
        assert job.status == Job.Status.SUCCEEDED, job.message
        assert job.result["firms"] == firms, (job.result["firms"], firms)
        common.report(
            common.Result(
                "4 screening",
                f"{label} ({firms} firms)",
                f"{firms / elapsed:.0f} firms/s ({elapsed:.1f} s; HNTE eligible {job.result['hnte_eligible']})",
                f"plain read {firms / base:.0f} firms/s ({base:.2f} s)",
                elapsed / base,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
