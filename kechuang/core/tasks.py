"""Background work of the core module (`django.tasks`; the immediate backend runs it inline in tests)."""

from django.tasks import task
from django.utils import timezone


@task()
def run_import_job(job_id: int) -> str:
    from kechuang.core.imports import jobs
    from kechuang.core.models import Job

    job = Job.objects.select_related("created_by").get(pk=job_id)
    try:
        jobs.run(job)
    except Exception as exc:
        # An unexpected failure must still end the job, or its page would poll forever.
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), message=f"导入失败（系统错误）：{exc}"
        )
        raise
    return Job.objects.get(pk=job_id).status
