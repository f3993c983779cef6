"""Leases on background jobs: a job whose worker process died is queued again, or failed with a message.

A `core.Job` (an import, a screening) runs as a `django.tasks` task in a `kechuang db_worker` process. A worker
stopped with SIGTERM finishes the task in hand (django-tasks-db's graceful shutdown); one killed harder
(SIGKILL, OOM, power loss) leaves the job RUNNING forever and its page polling. This module closes that gap:

- `hold(job_id)` claims a QUEUED job with a compare-and-set (QUEUED → RUNNING, worker = "host:pid:start"),
  counts the attempt and keeps a heartbeat row fresh from a thread while the task runs.
- `lock(job)`, inside the transaction that writes the job's data, locks the job row and checks the job is
  still this worker's; the reaper's compare-and-set waits for that lock, so a job is never both written
  and queued again (PostgreSQL), and on SQLite the write lock serialises the two the same way.
- `reap()` (scheduled every few minutes, `kechuang jobs reap`) finds RUNNING jobs whose worker is gone —
  on this host by its process id and start time, on another host by a heartbeat older than `stale_after` —
  and queues them again (up to `MAX_ATTEMPTS` starts in all) or fails them with a Chinese message.
  An import writes in one transaction, so a killed import left nothing behind and may simply run again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError, connections, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from kechuang.core import audit
from kechuang.core.models import Job, JobHeartbeat

log = logging.getLogger("kechuang.jobs")

MAX_ATTEMPTS = 2
STALE_AFTER = dt.timedelta(minutes=2)
QUEUE_STALE_AFTER = dt.timedelta(minutes=10)  # queued this long without starting: no worker takes it
HEARTBEAT_SECONDS = 20.0


class JobLost(Exception):
    """The job is no longer this worker's (it was reaped): write nothing."""


# --- Worker identity -------------------------------------------------------------------------------------


def _start_ticks(pid: int) -> str:
    """The process start time in clock ticks since boot (Linux), so a reused pid is not taken for alive."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            stat = fh.read()
    except OSError:
        return ""
    # The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else ""


def worker_id(pid: int | None = None) -> str:
    pid = pid or os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid)}"


def process_alive(worker: str) -> bool | None:
    """True/False for a worker on this host; None when it ran elsewhere (only its heartbeat can tell)."""
    parts = worker.split(":")
    if len(parts) < 3:
        return None
    host, pid_text, ticks = ":".join(parts[:-2]), parts[-2], parts[-1]
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    pid = int(pid_text)
    if ticks and os.path.exists("/proc/self/stat"):
        return _start_ticks(pid) == ticks
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- Running a job ---------------------------------------------------------------------------------------


def enqueue(job: Job, task) -> None:
    """Queue `task(job.pk)` and remember which task runs the job (call from `transaction.on_commit`)."""
    Job.objects.filter(pk=job.pk).update(task_path=task.module_path)
    result = task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


def _in_worker_process() -> bool:
    backend = settings.TASKS["default"]["BACKEND"]
    return not backend.endswith("ImmediateBackend")


class _Heartbeat(threading.Thread):
    def __init__(self, job_id: int, worker: str, interval: float):
        super().__init__(name=f"kc-heartbeat-{job_id}", daemon=True)
        self.job_id, self.worker, self.interval = job_id, worker, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    JobHeartbeat.objects.filter(job_id=self.job_id, worker=self.worker).update(
                        beat_at=timezone.now()
                    )
                except DatabaseError:  # e.g. SQLite's write lock held by the import: try again later
                    log.warning("heartbeat of job %s skipped: database busy", self.job_id)
        finally:
            connections.close_all()  # this thread's own connections


@contextlib.contextmanager
def hold(job_id: int, *, message: str = "") -> Iterator[Job | None]:
    """Claim a queued job for this process and keep its heartbeat; yields None if it is not claimable
    (already running elsewhere, finished, or failed by the reaper)."""
    me = worker_id()
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, worker=me, attempts=F("attempts") + 1, started_at=now, message=message
    )
    if not claimed:
        log.warning("job %s was not queued any more: not run again", job_id)
        yield None
        return
    JobHeartbeat.objects.update_or_create(job_id=job_id, defaults={"worker": me, "beat_at": now})
    beat = None
    if _in_worker_process():
        beat = _Heartbeat(job_id, me, getattr(settings, "JOB_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS))
        beat.start()
    try:
        yield Job.objects.select_related("created_by").get(pk=job_id)
    finally:
        if beat is not None:
            beat.stopped.set()
            beat.join(timeout=5)
        JobHeartbeat.objects.filter(job_id=job_id, worker=me).delete()


def lock(job: Job) -> None:
    """Inside the transaction that writes the job's data: lock the job row, or raise JobLost."""
    if not connections["default"].in_atomic_block:
        raise RuntimeError("joblease.lock() must run inside the transaction that writes the job's data")
    held = (
        Job.objects.select_for_update()
        .filter(pk=job.pk, status=Job.Status.RUNNING, worker=job.worker)
        .values_list("pk", flat=True)
    )
    if not list(held):
        raise JobLost(f"job {job.pk} is no longer held by {job.worker}")


def finish(job: Job, **fields) -> bool:
    """Record the job's end if it is still this worker's; False when it was reaped meanwhile."""
    done = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=job.worker).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)
    return bool(done)


# --- Reaping jobs whose worker died ----------------------------------------------------------------------


def _dead(job: Job, now: dt.datetime, stale_after: dt.timedelta) -> bool:
    alive = process_alive(job.worker)
    if alive is not None:
        return not alive
    beat = JobHeartbeat.objects.filter(job_id=job.pk).values_list("beat_at", flat=True).first()
    return beat is None or now - beat > stale_after


def _fail_task_result(task_id: str, now: dt.datetime) -> None:
    """Mark the lost task's DB result failed, so the task list does not show it running forever."""
    if not task_id or "django_tasks_db" not in settings.INSTALLED_APPS:
        return
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="kechuang.core.joblease.JobLost",
        traceback="The worker process ended without finishing the task (reaped by kechuang jobs reap).",
    )


def _enqueue_again(job_id: int, task_path: str) -> None:
    enqueue(Job.objects.get(pk=job_id), import_string(task_path))


def reap(
    *,
    now: dt.datetime | None = None,
    stale_after: dt.timedelta = STALE_AFTER,
    max_attempts: int = MAX_ATTEMPTS,
) -> list[tuple[int, str]]:
    """Queue again or fail every RUNNING job whose worker is gone; returns (job id, "requeued"|"failed")."""
    now = now or timezone.now()
    done = []
    for job in Job.objects.filter(status=Job.Status.RUNNING).exclude(worker="").order_by("pk"):
        if not _dead(job, now, stale_after):
            continue
        action = _requeue_or_fail(job, now, max_attempts)
        if action:
            done.append((job.pk, action))
    return done


def release_own(*, worker: str | None = None, max_attempts: int = MAX_ATTEMPTS) -> list[tuple[int, str]]:
    """After a database error interrupted the task in hand, the worker process is alive but its job is
    not running any more: queue it again (or fail it) at once instead of leaving it RUNNING under a live
    process id, which `reap` would never touch."""
    now = timezone.now()
    done = []
    for job in Job.objects.filter(status=Job.Status.RUNNING, worker=worker or worker_id()).order_by("pk"):
        action = _requeue_or_fail(job, now, max_attempts)
        if action:
            done.append((job.pk, action))
    return done


def _requeue_or_fail(job: Job, now: dt.datetime, max_attempts: int) -> str | None:
    again = job.attempts < max_attempts and bool(job.task_path)
    if again:
        fields = {
            "status": Job.Status.QUEUED,
            "message": f"后台进程意外中断，未写入任何数据，已自动重新排队（第 {job.attempts + 1} 次执行）。",
        }
    else:
        fields = {
            "status": Job.Status.FAILED,
            "finished_at": now,
            "message": (
                f"后台进程意外中断（已尝试 {job.attempts} 次），未写入任何数据。请稍后重新提交；"
                "如反复出现，请联系系统管理员检查后台任务进程。"
            ),
        }
    with transaction.atomic():
        # Waits for the row lock of an import still committing, then finds it no longer RUNNING.
        if not Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=job.worker).update(**fields):
            return None
        JobHeartbeat.objects.filter(job_id=job.pk).delete()
        _fail_task_result(job.task_id, now)
        action = "requeued" if again else "failed"
        audit.record(
            actor=None,
            action=f"job.{action}",
            obj=job,
            changes={"worker": job.worker, "attempts": job.attempts, "kind": job.kind},
        )
        if again:
            transaction.on_commit(lambda pk=job.pk, path=job.task_path: _enqueue_again(pk, path))
    log.warning("job %s (%s) of dead worker %s %s", job.pk, job.kind, job.worker, action)
    return action


def waiting(*, now: dt.datetime | None = None, older_than: dt.timedelta = QUEUE_STALE_AFTER) -> list[Job]:
    """Jobs queued longer than `older_than` and never started since: no worker is taking them (stopped,
    crashed, or busy for that long). `kechuang jobs reap` and the staff's job page list them."""
    now = now or timezone.now()
    return list(
        Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=now - older_than)
        .filter(models.Q(started_at__isnull=True) | models.Q(started_at__lt=now - older_than))
        .select_related("created_by")
        .order_by("created_at")
    )
