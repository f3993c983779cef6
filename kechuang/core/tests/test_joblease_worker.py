"""A real `kechuang db_worker` killed with SIGKILL in the middle of an import's write transaction.

Nothing the import wrote may remain, `kechuang jobs reap` queues the job again, a second worker completes
it, and every row exists exactly once. Runs on SQLite and on PostgreSQL (whichever the suite uses)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kechuang.core import audit, imports, joblease, services
from kechuang.core.imports import jobs
from kechuang.core.models import Job, Organisation
from kechuang.core.tests.test_imports import code, org_sheet

ROWS = 1500
ROOT = Path(settings.BASE_DIR)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def spawn(tmp_path, name, *args, **env_extra) -> subprocess.Popen:
    """`kechuang <args>` in a subprocess on the test database, its output in `tmp_path/<name>.log`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KECHUANG_", "DATABASE_", "REDIS_"))}
    env.update(
        DATABASE_URL=_database_url(),
        DEBUG="1",
        KECHUANG_DATA_DIR=str(tmp_path),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PYTHONUNBUFFERED="1",
        **env_extra,
    )
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed when the test's tmp dir goes
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "kechuang", *args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def _worker(tmp_path, name, *extra) -> subprocess.Popen:
    return spawn(
        tmp_path,
        name,
        "db_worker",
        "--queue-name",
        "default",
        "--interval",
        "0.1",
        "--no-startup-delay",
        "--no-reload",
        *extra,
    )


def _worker_is_writing() -> bool:
    """The worker holds the database write lock (SQLite) / row locks on the imported table (PostgreSQL)."""
    if connection.vendor == "sqlite":
        probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'core_organisation' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def _wait(predicate, timeout, what, proc=None, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            pytest.fail(
                f"worker exited early ({proc.returncode}) waiting for {what}:\n{log.read_text()[-3000:]}"
            )
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}" + (f":\n{log.read_text()[-3000:]}" if log else ""))


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_import_leaves_nothing_and_the_job_completes_once(staff, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    data = org_sheet(
        [[i, f"中断测试企业{i}有限公司", code(10_000 + i), None, None, None, None, None] for i in range(ROWS)]
    )
    attachment = services.attachment_store(actor=staff, data=data, original_name="大名录.xlsx", kind="import")
    job = jobs.import_job_start(
        actor=staff, spec=imports.get("organisations"), attachment=attachment, rows=ROWS
    )
    job.refresh_from_db()
    first_task = job.task_id
    assert job.status == Job.Status.QUEUED and first_task

    worker = _worker(tmp_path, "worker1")
    log = tmp_path / "worker1.log"
    try:
        _wait(
            lambda: Job.objects.get(pk=job.pk).message == "校验通过，正在写入…" and _worker_is_writing(),
            180,
            "the worker to be inside the import's write transaction",
            worker,
            log,
        )
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()

    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING, "the kill came too late: the import had finished"
    assert not Organisation.objects.filter(name__startswith="中断测试企业").exists()
    assert audit.verify().ok  # the killed transaction's audit records went with it

    assert joblease.reap() == [(job.pk, "requeued")]
    assert DBTaskResult.objects.get(id=first_task).status == TaskResultStatus.FAILED
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.task_id != first_task

    second = _worker(tmp_path, "worker2", "--batch")  # runs what is queued, then exits
    try:
        assert second.wait(timeout=300) == 0, (tmp_path / "worker2.log").read_text()[-3000:]
    finally:
        if second.poll() is None:
            second.kill()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.attempts == 2
    imported = Organisation.objects.filter(name__startswith="中断测试企业")
    assert imported.count() == ROWS
    assert imported.values("credit_code").distinct().count() == ROWS
    assert audit.verify().ok


@pytest.mark.django_db(transaction=True)
def test_sigterm_lets_the_worker_finish_the_import_in_hand_then_exit(staff, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    rows = 400
    data = org_sheet(
        [[i, f"停机测试企业{i}有限公司", code(20_000 + i), None, None, None, None, None] for i in range(rows)]
    )
    attachment = services.attachment_store(actor=staff, data=data, original_name="名录.xlsx", kind="import")
    job = jobs.import_job_start(
        actor=staff, spec=imports.get("organisations"), attachment=attachment, rows=rows
    )

    worker = _worker(tmp_path, "worker")
    log = tmp_path / "worker.log"
    try:
        _wait(
            lambda: Job.objects.get(pk=job.pk).status == Job.Status.RUNNING,
            180,
            "the job to start",
            worker,
            log,
        )
        worker.send_signal(signal.SIGTERM)  # what `systemctl stop` sends
        assert worker.wait(timeout=300) == 0, log.read_text()[-3000:]
    finally:
        if worker.poll() is None:
            worker.kill()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert Organisation.objects.filter(name__startswith="停机测试企业").count() == rows
    assert "shutting down gracefully" in log.read_text()
