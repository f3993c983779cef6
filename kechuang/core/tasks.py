"""Background work of the core module (`django.tasks`; the immediate backend runs it inline in tests)."""

from django.db import InterfaceError, OperationalError
from django.tasks import task
from django.utils import timezone


def _run_import(job_id: int, step: str, *, message: str, failed: str) -> str:
    """Run `imports.jobs.<step>` on the job once this worker holds it; an unexpected failure still ends the
    job (with `failed` and the error), or its page would poll forever."""
    from kechuang.core import joblease
    from kechuang.core.imports import jobs
    from kechuang.core.models import Job

    with joblease.hold(job_id, message=message) as job:
        if job is None:
            return "skipped"
        try:
            getattr(jobs, step)(job)
        except joblease.JobLost:
            return "lost"
        except (OperationalError, InterfaceError):
            # The database went away (connection reset, lock timeout): the import's transaction was rolled
            # back, nothing is wrong with the data. The job stays RUNNING and the worker queues it again
            # (core.worker), instead of telling the user the import failed.
            raise
        except MemoryError:
            # Over the worker's memory cap (core.memlimit): the job fails, the worker lives on.
            joblease.finish(
                job,
                status=Job.Status.FAILED,
                finished_at=timezone.now(),
                message=f"{failed}：处理该文件所需内存超过后台任务的上限，未导入任何数据。请拆分文件后重试。",
            )
            return Job.Status.FAILED
        except Exception as exc:
            joblease.finish(
                job,
                status=Job.Status.FAILED,
                finished_at=timezone.now(),
                message=f"{failed}（系统错误）：{exc}",
            )
            raise
    return Job.objects.get(pk=job_id).status


@task()
def run_import_job(job_id: int) -> str:
    """Commit a (previewed and confirmed) import file in the worker."""
    return _run_import(job_id, "run", message="正在校验数据…", failed="导入失败")


@task()
def run_import_preview(job_id: int) -> str:
    """Check and compare an uploaded file's rows in the worker and store the preview (`imports.jobs`)."""
    return _run_import(job_id, "run_preview", message="正在生成预览…", failed="预览失败")


@task()
def run_import_undo(job_id: int) -> str:
    """Undo a committed import in the worker (`imports.history.undo`)."""
    return _run_import(job_id, "run_undo", message="正在撤销导入…", failed="撤销失败")
