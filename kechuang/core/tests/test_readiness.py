"""Stopped workers are noticed (issue 25): `/readyz` reads the worker's heartbeat and the queue's oldest task,
`jobs reap` and the 后台任务 page list jobs that wait without starting, and a worker whose task a database
error cut short queues that job again itself."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kechuang.core import joblease
from kechuang.core.models import Job, ProcessHeartbeat
from kechuang.core.roles import Role
from kechuang.core.tasks import run_import_job
from kechuang.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _beat(seconds_ago: float, kind=ProcessHeartbeat.Kind.WORKER, name="h:1"):
    now = timezone.now()
    ProcessHeartbeat.objects.update_or_create(
        kind=kind, name=name, defaults={"started_at": now, "beat_at": now - dt.timedelta(seconds=seconds_ago)}
    )


def test_readyz_is_not_ready_without_a_fresh_worker_heartbeat(client, settings):
    settings.TASKS = DB_TASKS
    body = client.get("/readyz")
    assert body.status_code == 503 and body.json()["worker"] == "missing"
    _beat(5)
    body = client.get("/readyz")
    assert body.status_code == 200, body.json()
    assert body.json()["worker"] == "ok" and 5 <= body.json()["worker_heartbeat_age_seconds"] < 60
    _beat(settings.WORKER_STALE_SECONDS + 30)
    body = client.get("/readyz")
    assert body.status_code == 503 and body.json()["worker"] == "stale"


def test_readyz_reports_the_oldest_queued_task(client, settings, staff):
    settings.TASKS = DB_TASKS
    _beat(1)
    job = Job.objects.create(kind="import", title="导入", created_by=staff)
    joblease.enqueue(job, run_import_job)
    body = client.get("/readyz").json()
    assert body["queue"] == "ok" and 0 <= body["oldest_queued_seconds"] < 60
    DBTaskResult.objects.update(
        enqueued_at=timezone.now() - dt.timedelta(seconds=settings.QUEUE_STALE_SECONDS + 60)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["queue"] == "stalled"
    assert response.json()["oldest_queued_seconds"] >= settings.QUEUE_STALE_SECONDS + 60


def test_readyz_without_a_task_worker_backend_checks_database_and_cache_only(client):
    body = client.get("/readyz")
    assert body.status_code == 200 and "worker" not in body.json()


def _old_queued_job(user, minutes=30) -> Job:
    job = Job.objects.create(kind="import", title="导入企业名录", created_by=user)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=minutes))
    job.refresh_from_db()
    return job


def test_jobs_reap_lists_queued_jobs_that_never_started(staff, capsys):
    job = _old_queued_job(staff)
    fresh = Job.objects.create(kind="import", title="刚提交", created_by=staff)
    assert joblease.waiting() == [job]
    call_command("jobs", "reap")
    out = capsys.readouterr().out
    assert f"任务 #{job.pk}" in out and "已排队 30 分钟仍未开始" in out and f"#{fresh.pk}" not in out
    assert job.waits_too_long and not fresh.waits_too_long


def test_the_background_jobs_page_shows_heartbeats_and_waiting_jobs(client, staff):
    job = _old_queued_job(staff)
    _beat(500, kind=ProcessHeartbeat.Kind.SCHEDULER, name="app1:42")
    sysadmin = UserFactory(role=Role.SYSADMIN)
    client.force_login(staff)
    assert client.get("/jobs/").status_code == 403
    client.force_login(sysadmin)
    page = client.get("/jobs/").content.decode()
    assert "导入企业名录" in page and f"<td>{job.pk}</td>" in page
    assert "app1:42" in page and "无响应" in page


def test_the_job_page_tells_its_owner_when_it_waits_too_long(client, staff):
    job = _old_queued_job(staff)
    client.force_login(staff)
    assert "后台任务进程可能未在运行" in client.get(f"/jobs/{job.pk}/").content.decode()


def test_a_worker_queues_again_the_job_a_database_error_cut_short(
    staff, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DB_TASKS
    job = Job.objects.create(kind="import", title="导入", created_by=staff)
    joblease.enqueue(job, run_import_job)
    me = joblease.worker_id()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, worker=me, attempts=1)
    first_task = Job.objects.get(pk=job.pk).task_id
    DBTaskResult.objects.filter(id=first_task).update(status=TaskResultStatus.RUNNING)
    # A live process: `reap` leaves its job alone, which is why the worker must release it itself.
    assert joblease.reap() == []
    with django_capture_on_commit_callbacks(execute=True):
        assert joblease.release_own() == [(job.pk, "requeued")]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.task_id != first_task
    assert DBTaskResult.objects.get(id=first_task).status == TaskResultStatus.FAILED
