import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from kechuang.core import scheduling
from kechuang.core.models import ScheduledRun

pytestmark = pytest.mark.django_db

SHANGHAI_9AM = timezone.make_aware(dt.datetime(2020, 11, 30, 9, 0))
JOB = scheduling.Job(
    "calendar-refresh",
    "calendar",
    ("seed", "--from-year", "2020", "--to-year", "2020"),
    daily_at=dt.time(8, 0),
    pass_as_of=False,
)


def test_a_slot_runs_once_across_several_servers():
    assert scheduling.run_due(SHANGHAI_9AM, jobs=(JOB,), host="app1") == ["calendar-refresh"]
    assert scheduling.run_due(SHANGHAI_9AM, jobs=(JOB,), host="app2") == []
    assert scheduling.run_due(SHANGHAI_9AM + dt.timedelta(hours=3), jobs=(JOB,), host="app2") == []
    run = ScheduledRun.objects.get()
    assert run.host == "app1" and run.status == ScheduledRun.Status.SUCCEEDED


def test_not_due_before_its_time_and_due_again_the_next_day():
    early = timezone.make_aware(dt.datetime(2020, 11, 30, 7, 59))
    assert scheduling.run_due(early, jobs=(JOB,)) == []
    assert scheduling.run_due(SHANGHAI_9AM, jobs=(JOB,)) == ["calendar-refresh"]
    assert scheduling.run_due(SHANGHAI_9AM + dt.timedelta(days=1), jobs=(JOB,)) == ["calendar-refresh"]


def test_a_failing_job_is_recorded_not_fatal():
    bad = scheduling.Job(
        "bad", "calendar", ("seed", "--from-year", "notayear"), daily_at=dt.time(0, 0), pass_as_of=False
    )
    assert scheduling.run_due(SHANGHAI_9AM, jobs=(bad, JOB)) == ["calendar-refresh"]
    assert ScheduledRun.objects.get(job="bad").status == ScheduledRun.Status.FAILED


def test_interval_jobs_get_a_slot_per_window():
    job = scheduling.Job("tick", "calendar", (), every_minutes=15)
    assert job.slot(timezone.make_aware(dt.datetime(2020, 1, 1, 10, 7))) == "2020-01-01T10:00"
    assert job.slot(timezone.make_aware(dt.datetime(2020, 1, 1, 10, 16))) == "2020-01-01T10:15"


def test_scheduler_command_once_lists_the_jobs(capsys):
    call_command("scheduler", "--once")
    out = capsys.readouterr().out
    assert all(job.name in out for job in scheduling.all_jobs())
