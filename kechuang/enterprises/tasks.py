"""Batch screening of a whole district against the HNTE and tech-SME rules, as a background job."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from kechuang.core import audit, joblease
from kechuang.core.models import Job, Region

BATCH = 500


@transaction.atomic
def screening_start(*, actor, region: Region, as_of: dt.date) -> Job:
    """Create the job row and queue the screening once the row is committed."""
    job = Job.objects.create(
        kind="enterprises.screening",
        title=f"{region.name}企业资格批量筛查（{as_of:%Y-%m-%d}）",
        params={"region": region.code, "as_of": as_of.isoformat()},
        created_by=actor,
    )
    audit.record(actor=actor, action="enterprise.screening_start", obj=job, changes=job.params)
    transaction.on_commit(lambda: joblease.enqueue(job, screen_region))
    return job


def run_screening(job: Job) -> dict:
    from kechuang.enterprises import eligibility, selectors

    region = Region.objects.get(code=job.params["region"])
    as_of = dt.date.fromisoformat(job.params["as_of"])
    firms = selectors.firms_in_region(region).order_by("pk")
    total = firms.count()
    Job.objects.filter(pk=job.pk).update(total=total, message="正在筛查…")
    tally = {
        "firms": total,
        "hnte_eligible": 0,
        "hnte_undecided": 0,
        "tech_sme_eligible": 0,
        "tech_sme_undecided": 0,
    }
    hnte_ids, sme_ids = [], []
    done = 0
    last_pk = 0
    while True:
        # Keyset pagination: OFFSET would rescan every earlier firm on each batch (quadratic for a province).
        chunk = list(firms.filter(pk__gt=last_pk)[:BATCH])
        if not chunk:
            break
        last_pk = chunk[-1].pk
        for facts in eligibility.load_facts(chunk, as_of):
            result = eligibility.assess_facts(facts, as_of)
            for kind, ev, ids in (("hnte", result.hnte, hnte_ids), ("tech_sme", result.tech_sme, sme_ids)):
                if ev.eligible is True:
                    tally[f"{kind}_eligible"] += 1
                    ids.append(facts.organisation.pk)
                elif ev.eligible is None:
                    tally[f"{kind}_undecided"] += 1
        done += len(chunk)
        Job.objects.filter(pk=job.pk).update(progress=done)
    result = {
        **tally,
        "hnte_eligible_ids": hnte_ids,
        "tech_sme_eligible_ids": sme_ids,
        "url": reverse("enterprises:pipeline") + f"?date={as_of.isoformat()}",
    }
    joblease.finish(
        job,
        status=Job.Status.SUCCEEDED,
        finished_at=timezone.now(),
        progress=done,
        result=result,
        message=(
            f"共筛查 {total} 家企业：高新技术企业符合 {tally['hnte_eligible']} 家、待专家评分或缺数据 "
            f"{tally['hnte_undecided']} 家；科技型中小企业符合 {tally['tech_sme_eligible']} 家、待定 "
            f"{tally['tech_sme_undecided']} 家（评价口径见培育储备页）。"
        ),
    )
    return result


@task()
def screen_region(job_id: int) -> str:
    """Screening only reads firms and writes its result to the job: a run cut off is simply run again."""
    with joblease.hold(job_id, message="正在筛查…") as job:
        if job is None:
            return "skipped"
        try:
            run_screening(job)
        except Exception as exc:
            # A failed run must still end the job, or its progress page would poll forever.
            joblease.finish(
                job,
                status=Job.Status.FAILED,
                finished_at=timezone.now(),
                message=f"筛查失败（系统错误）：{exc}",
            )
            raise
    return Job.objects.get(pk=job_id).status
