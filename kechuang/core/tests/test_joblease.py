"""Job leases without worker processes: claiming, finishing, and reaping jobs whose worker is gone."""

import datetime as dt
import socket
import subprocess

import pytest
from django.utils import timezone

from kechuang.core import audit, imports, joblease, services
from kechuang.core.imports import jobs
from kechuang.core.models import AuditEvent, Job, JobHeartbeat, Organisation
from kechuang.core.tasks import run_import_job
from kechuang.core.tests.test_imports import code, org_sheet


@pytest.fixture
def dead_worker():
    """The worker id of a process on this host that has ended."""
    proc = subprocess.Popen(["sleep", "30"])  # noqa: S607 - coreutils
    worker = joblease.worker_id(proc.pid)
    proc.kill()
    proc.wait()
    return worker


def _running_import(staff, worker, *, attempts=1, rows=3):
    data = org_sheet(
        [[i, f"续跑企业{i}有限公司", code(500 + i), None, None, None, None, None] for i in range(rows)]
    )
    attachment = services.attachment_store(actor=staff, data=data, original_name="名录.xlsx", kind="import")
    return Job.objects.create(
        kind="import",
        title="导入：企业名录",
        status=Job.Status.RUNNING,
        total=rows,
        params={"spec": "organisations", "attachment": attachment.uid.hex},
        created_by=staff,
        worker=worker,
        attempts=attempts,
        task_path=run_import_job.module_path,
    )


def test_worker_id_tells_a_live_process_from_an_ended_or_reused_one(dead_worker):
    assert joblease.process_alive(joblease.worker_id()) is True
    assert joblease.process_alive(dead_worker) is False
    host, pid, _ticks = joblease.worker_id().rsplit(":", 2)
    assert joblease.process_alive(f"{host}:{pid}:1") is False  # same pid, other start time: pid reused
    assert joblease.process_alive(f"elsewhere-{socket.gethostname()}:{pid}:1") is None


def test_a_job_of_a_dead_worker_is_queued_again_and_then_completes(
    db, staff, dead_worker, django_capture_on_commit_callbacks
):
    job = _running_import(staff, dead_worker)
    with django_capture_on_commit_callbacks(execute=True):
        assert joblease.reap() == [(job.pk, "requeued")]
    job.refresh_from_db()
    # The immediate backend ran the queued task again at once: second attempt, this process, finished.
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.attempts == 2 and job.worker == joblease.worker_id()
    assert Organisation.objects.filter(name__startswith="续跑企业").count() == 3
    assert AuditEvent.objects.filter(action="job.requeued", object_id=str(job.pk)).exists()
    assert not JobHeartbeat.objects.filter(job_id=job.pk).exists()


def test_a_job_that_lost_its_worker_twice_fails_with_a_message(db, staff, dead_worker):
    job = _running_import(staff, dead_worker, attempts=joblease.MAX_ATTEMPTS)
    assert joblease.reap() == [(job.pk, "failed")]
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert "后台进程意外中断" in job.message and "未写入任何数据" in job.message
    assert not Organisation.objects.filter(name__startswith="续跑企业").exists()
    assert audit.verify().ok


def test_a_live_worker_keeps_its_job(db, staff):
    job = _running_import(staff, joblease.worker_id())
    assert joblease.reap() == []
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_a_worker_on_another_host_is_judged_by_its_heartbeat(db, staff):
    job = _running_import(staff, "app2.intranet:4242:99")
    now = timezone.now()
    JobHeartbeat.objects.create(job_id=job.pk, worker=job.worker, beat_at=now - dt.timedelta(seconds=30))
    assert joblease.reap(now=now) == []
    assert joblease.reap(now=now + joblease.STALE_AFTER) == [(job.pk, "requeued")]


def test_a_reaped_job_is_not_finished_or_committed_by_its_first_worker(db, staff, dead_worker):
    job = _running_import(staff, dead_worker, attempts=joblease.MAX_ATTEMPTS)
    joblease.reap()
    assert joblease.finish(job, status=Job.Status.SUCCEEDED) is False
    from django.db import transaction

    with pytest.raises(joblease.JobLost), transaction.atomic():
        joblease.lock(job)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


def test_a_job_that_is_not_queued_is_not_claimed(db, staff):
    job = _running_import(staff, joblease.worker_id())
    with joblease.hold(job.pk) as held:
        assert held is None
    assert run_import_job.call(job.pk) == "skipped"


def test_import_jobs_record_their_task_and_attempt(db, staff, django_capture_on_commit_callbacks):
    data = org_sheet([[1, "登记企业有限公司", code(700), None, None, None, None, None]])
    attachment = services.attachment_store(actor=staff, data=data, original_name="名录.xlsx", kind="import")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.import_job_start(
            actor=staff, spec=imports.get("organisations"), attachment=attachment, rows=1
        )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.task_path == "kechuang.core.tasks.run_import_job" and job.task_id
    assert job.attempts == 1
