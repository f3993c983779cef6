"""Imports too large to commit during a request run as a `django.tasks` job with a `core.Job` row."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kechuang.core import audit, joblease
from kechuang.core.imports import engine
from kechuang.core.imports.spec import ImportRejected, ImportSpec, get
from kechuang.core.models import Attachment, Job

MAX_ERRORS_KEPT = 500


@transaction.atomic
def import_job_start(*, actor, spec: ImportSpec, attachment: Attachment, rows: int = 0) -> Job:
    """Create the job and queue the task once the job row is committed."""
    from kechuang.core.tasks import run_import_job

    job = Job.objects.create(
        kind="import",
        title=f"导入：{spec.title}（{attachment.original_name}）"[:120],
        total=rows,
        params={"spec": spec.name, "attachment": attachment.uid.hex},
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="import.enqueue",
        obj=job,
        changes={
            "spec": spec.name,
            "file": attachment.original_name,
            "sha256": attachment.sha256,
            "rows": rows,
        },
    )
    transaction.on_commit(lambda: joblease.enqueue(job, run_import_job))
    return job


def _update(job: Job, **fields) -> None:
    Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def run(job: Job) -> None:
    """Validate and commit the job's file (claimed by `joblease.hold`), recording progress.

    The import, the job's success and its audit record commit in ONE transaction that first locks the job
    row: a worker killed at any point leaves no imported rows, and a job reaped and queued again is never
    also committed by its first worker (`joblease.JobLost`)."""
    attachment = Attachment.objects.get(uid=job.params["attachment"])
    spec = get(job.params["spec"])
    with attachment.file.open("rb") as fh:
        data = fh.read()
    actor = job.created_by
    url = reverse("core:import_job_result", args=[job.pk])
    try:
        if not spec.may_import(actor):
            raise ImportRejected([engine.RowError(0, "", "", "您已没有导入该数据的权限。")])
        checked = engine.preview(
            spec, data, progress=lambda done, total: _update(job, progress=done, total=total)
        )
        if checked.errors:
            raise ImportRejected(checked.errors)
        _update(job, message="校验通过，正在写入…")
        with transaction.atomic():
            joblease.lock(job)
            result = engine.commit(
                spec, data, actor=actor, job=job, filename=attachment.original_name, checked=checked
            )
            joblease.finish(
                job,
                status=Job.Status.SUCCEEDED,
                progress=job.total,
                finished_at=timezone.now(),
                message=f"导入完成：{result}。",
                result={"url": url, **result.as_dict(), "warnings": checked.warnings},
            )
    except ImportRejected as exc:
        joblease.finish(
            job,
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message=f"发现 {len(exc.errors)} 处错误，未导入任何数据。",
            result={
                "url": url,
                "errors": [
                    {
                        "row": e.row_number,
                        "column": e.column,
                        "value": str(e.value or ""),
                        "message": e.message,
                    }
                    for e in exc.errors[:MAX_ERRORS_KEPT]
                ],
            },
        )
        return
