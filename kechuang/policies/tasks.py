"""Background work: a staff-started policy match over a region, and re-matching one firm whose records
changed. Matching only reads records and upserts verdicts, so a run cut off is simply run again."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.tasks import task
from django.urls import reverse

from kechuang.core import dates, joblease
from kechuang.core.models import Job


@task()
def match_region(job_id: int) -> str:
    from kechuang.policies.services.matching import run_match

    with joblease.hold(job_id, message="正在匹配…") as job:
        if job is None:
            return "skipped"
        try:
            on = dt.date.fromisoformat(job.params["as_of"])

            def progress(done: int) -> None:
                Job.objects.filter(pk=job.pk).update(progress=done)

            result = run_match(region_path=job.params["region"], on=on, progress=progress)
            joblease.finish(
                job,
                status=Job.Status.SUCCEEDED,
                finished_at=dates.now(),
                progress=result["firms"],
                total=result["firms"],
                result={**result, "url": reverse("policies:policy_list")},
                message=(
                    f"共匹配 {result['firms']} 家企业、{result['items']} 个条款：符合 {result['eligible']} 项、"
                    f"接近符合 {result['near']} 项、数据不足 {result['unknown']} 项。"
                ),
            )
        except Exception as exc:
            # A failed run must still end the job, or its progress page would poll forever.
            joblease.finish(
                job,
                status=Job.Status.FAILED,
                finished_at=dates.now(),
                message=f"匹配失败（系统错误）：{exc}",
            )
            raise
    return Job.objects.get(pk=job_id).status


@task()
def match_organisations(organisation_ids: list[int]) -> str:
    from kechuang.policies.services.matching import match_firms

    tally = match_firms(organisation_ids=organisation_ids, on=dates.today())
    return f"{sum(tally.values())} verdicts"


def rematch_after_commit(organisation_id: int) -> None:
    """Queue one re-match per transaction for every firm whose records it changed (a transaction that saves
    thousands of facts queues one task, not thousands). The set lives with the connection's pending commit
    callback: a rolled-back transaction's callback is gone, so the next change starts a fresh set."""
    connection = transaction.get_connection()
    flush = getattr(connection, "policies_rematch", None)
    if flush is None or not any(func is flush for _sids, func, _robust in connection.run_on_commit):
        pending: set[int] = set()

        def flush() -> None:
            if pending:
                match_organisations.enqueue(sorted(pending))

        flush.pending = pending
        connection.policies_rematch = flush
        transaction.on_commit(flush)
    flush.pending.add(organisation_id)
