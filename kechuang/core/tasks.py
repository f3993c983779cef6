"""Background work of the core module (`django.tasks`; the immediate backend runs it inline in tests)."""

from django.tasks import task
from django.utils import timezone


@task()
def run_import_job(job_id: int) -> str:
    from kechuang.core import joblease
    from kechuang.core.imports import jobs
    from kechuang.core.models import Job

    with joblease.hold(job_id, message="正在校验数据…") as job:
        if job is None:
            return "skipped"
        try:
            jobs.run(job)
        except joblease.JobLost:
            return "lost"
        except MemoryError:
            # Over the worker's memory cap (core.memlimit): the job fails, the worker lives on.
            joblease.finish(
                job,
                status=Job.Status.FAILED,
                finished_at=timezone.now(),
                message="导入失败：处理该文件所需内存超过后台任务的上限，未导入任何数据。请拆分文件后重试。",
            )
            return Job.Status.FAILED
        except Exception as exc:
            # An unexpected failure must still end the job, or its page would poll forever.
            joblease.finish(
                job,
                status=Job.Status.FAILED,
                finished_at=timezone.now(),
                message=f"导入失败（系统错误）：{exc}",
            )
            raise
    return Job.objects.get(pk=job_id).status
