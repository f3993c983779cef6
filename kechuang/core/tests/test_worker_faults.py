"""Fault tests (issue 25): a real `kechuang db_worker` and `kechuang scheduler` outlive database errors.

- SQLite: both start while another connection holds the write lock longer than their busy timeout (what
  "the database is down at start" looks like on SQLite); neither exits, and once the lock goes the worker
  finishes the queued import and the scheduler runs its due jobs.
- PostgreSQL: every connection of both processes is terminated (`pg_terminate_backend`) while idle and again
  in the middle of the import's write transaction; the worker queues the interrupted job again itself and
  finishes it, the scheduler beats on.
"""

import sqlite3
import subprocess
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection

from kechuang.core import imports, services
from kechuang.core.imports import jobs
from kechuang.core.models import Job, Organisation, ProcessHeartbeat, ScheduledRun
from kechuang.core.tests.test_imports import code, org_sheet
from kechuang.core.tests.test_joblease_worker import _wait, _worker_is_writing, spawn


def _spawn(tmp_path, name: str, *args: str) -> subprocess.Popen:
    return spawn(tmp_path, name, *args, SQLITE_TIMEOUT_SECONDS="1", PROCESS_HEARTBEAT_SECONDS="1")


def _start_both(tmp_path):
    worker = _spawn(
        tmp_path,
        "worker",
        "db_worker",
        "--queue-name",
        "default",
        "--interval",
        "0.2",
        "--no-startup-delay",
        "--no-reload",
    )
    scheduler = _spawn(tmp_path, "scheduler", "scheduler", "--interval", "1")
    return worker, scheduler


def _stop(*procs):
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


def _import_job(staff, prefix: str, rows: int, first: int):
    data = org_sheet(
        [[i, f"{prefix}{i}有限公司", code(first + i), None, None, None, None, None] for i in range(rows)]
    )
    attachment = services.attachment_store(actor=staff, data=data, original_name="名录.xlsx", kind="import")
    return jobs.import_job_start(
        actor=staff, spec=imports.get("organisations"), attachment=attachment, rows=rows
    )


def _alive(tmp_path, **procs):
    for name, proc in procs.items():
        assert proc.poll() is None, (
            f"{name} exited ({proc.returncode}):\n{(tmp_path / f'{name}.log').read_text()[-3000:]}"
        )


def _beats(kind) -> list:
    return list(ProcessHeartbeat.objects.filter(kind=kind).values_list("beat_at", flat=True))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite write lock")
@pytest.mark.django_db(transaction=True)
def test_worker_and_scheduler_outlive_a_sqlite_lock_held_past_the_timeout(staff, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = _import_job(staff, "锁库测试企业", 20, 30_000)
    connection.close()  # the test's own connection must not hold anything
    blocker = sqlite3.connect(django_settings.DATABASES["default"]["NAME"], timeout=5)
    blocker.execute("BEGIN EXCLUSIVE")
    worker, scheduler = _start_both(tmp_path)
    try:
        for name, started in (("worker", "Starting worker"), ("scheduler", "jobs-reap:")):
            log = tmp_path / f"{name}.log"
            _wait(lambda log=log, started=started: started in log.read_text(), 120, f"the {name} to start")
        time.sleep(5)  # both try the database for several busy timeouts (1 s each)
        _alive(tmp_path, worker=worker, scheduler=scheduler)
        blocker.rollback()
        blocker.close()
        _wait(
            lambda: Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED,
            180,
            "the queued import to finish after the lock went",
            worker,
            tmp_path / "worker.log",
        )
        _wait(
            lambda: ScheduledRun.objects.filter(job="jobs-reap").exists(),
            120,
            "the scheduler to run its due jobs",
            scheduler,
            tmp_path / "scheduler.log",
        )
        _alive(tmp_path, worker=worker, scheduler=scheduler)
        assert Organisation.objects.filter(name__startswith="锁库测试企业").count() == 20
        assert "database error, retrying" in (tmp_path / "worker.log").read_text()
        assert "database error, retrying" in (tmp_path / "scheduler.log").read_text()
        _wait(  # the scheduler beats after its loop's pass, which may end just after the check above
            lambda: _beats(ProcessHeartbeat.Kind.WORKER) and _beats(ProcessHeartbeat.Kind.SCHEDULER),
            60,
            "both processes to beat",
            scheduler,
            tmp_path / "scheduler.log",
        )
    finally:
        _stop(worker, scheduler)


def _terminate_others() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend")
@pytest.mark.django_db(transaction=True)
def test_worker_and_scheduler_outlive_terminated_postgres_connections(staff, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    worker, scheduler = _start_both(tmp_path)
    try:
        _wait(
            lambda: _beats(ProcessHeartbeat.Kind.WORKER) and _beats(ProcessHeartbeat.Kind.SCHEDULER),
            120,
            "both processes to beat",
            worker,
            tmp_path / "worker.log",
        )
        for _ in range(3):  # while idle (and between beats)
            _terminate_others()
            time.sleep(1.5)
        _alive(tmp_path, worker=worker, scheduler=scheduler)

        rows = 1500
        job = _import_job(staff, "断线测试企业", rows, 40_000)
        _wait(
            lambda: Job.objects.get(pk=job.pk).message == "校验通过，正在写入…" and _worker_is_writing(),
            180,
            "the worker to be inside the import's write transaction",
            worker,
            tmp_path / "worker.log",
        )
        assert _terminate_others() > 0
        _wait(
            lambda: Job.objects.get(pk=job.pk).status in (Job.Status.SUCCEEDED, Job.Status.FAILED),
            300,
            "the interrupted import to be queued again and finish",
            worker,
            tmp_path / "worker.log",
        )
        job.refresh_from_db()
        assert job.status == Job.Status.SUCCEEDED, job.message
        assert job.attempts == 2
        imported = Organisation.objects.filter(name__startswith="断线测试企业")
        assert imported.count() == rows and imported.values("credit_code").distinct().count() == rows

        before = max(_beats(ProcessHeartbeat.Kind.SCHEDULER))
        _wait(
            lambda: max(_beats(ProcessHeartbeat.Kind.SCHEDULER)) > before,
            60,
            "the scheduler to beat again after its connection was terminated",
            scheduler,
            tmp_path / "scheduler.log",
        )
        _alive(tmp_path, worker=worker, scheduler=scheduler)
    finally:
        _stop(worker, scheduler)
