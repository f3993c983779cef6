"""Scheduled jobs: reminders, expiries, deadline escalations, audit sealing and archiving, statistics refresh.

One `kechuang scheduler` process per app server may run; each job runs once per time slot across all of them,
because starting a run inserts a `ScheduledRun(job, slot)` row under a unique constraint — the server that
loses the insert skips the slot. Jobs are management commands (so they can also be run by hand, and each one
is idempotent for an as-of date).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import socket
from dataclasses import dataclass

from django.core.management import call_command, get_commands
from django.db import IntegrityError, transaction
from django.utils import timezone

from kechuang.core import dates
from kechuang.core.models import ScheduledRun

log = logging.getLogger("kechuang.scheduler")


@dataclass(frozen=True)
class Job:
    name: str
    command: str
    args: tuple[str, ...] = ()
    daily_at: dt.time | None = None  # local time (Asia/Shanghai); None = every `every_minutes`
    every_minutes: int = 0
    pass_as_of: bool = True  # append --as-of YYYY-MM-DD

    def slot(self, now: dt.datetime) -> str | None:
        """The slot `now` falls in, or None when the job is not due yet today."""
        local = timezone.localtime(now)
        if self.daily_at is not None:
            return local.date().isoformat() if local.time() >= self.daily_at else None
        minute = (local.hour * 60 + local.minute) // self.every_minutes * self.every_minutes
        return f"{local:%Y-%m-%d}T{minute // 60:02d}:{minute % 60:02d}"


# Each module declares its own jobs on its AppConfig (`scheduled`, like `nav` and `todos`); core gathers them,
# so a module that is not installed has no jobs and core names none of the apps' commands.
CORE_JOBS: tuple[Job, ...] = (
    Job("audit-archive", "audit_archive", (), daily_at=dt.time(2, 0), pass_as_of=False),
    # The sealer takes its own lock (core.sealing): a run that finds another sealer busy skips. The task worker
    # seals every few seconds as well; the nightly full sweep seals events of transactions open for longer
    # than settings.AUDIT_SEAL_HORIZON_MINUTES.
    Job("audit-seal", "audit", ("seal",), every_minutes=5, pass_as_of=False),
    Job("audit-seal-full", "audit", ("seal", "--full"), daily_at=dt.time(3, 0), pass_as_of=False),
    Job("jobs-reap", "jobs", ("reap",), every_minutes=5, pass_as_of=False),
)


def all_jobs() -> tuple[Job, ...]:
    """Every installed module's scheduled jobs (AppConfig `scheduled`), in INSTALLED_APPS order."""
    from django.apps import apps

    found = [job for config in apps.get_app_configs() for job in getattr(config, "scheduled", ())]
    names = [job.name for job in found]
    duplicated = {n for n in names if names.count(n) > 1}
    if duplicated:
        raise ValueError(f"scheduled job names must be unique: {sorted(duplicated)}")
    return tuple(found)


def available(job: Job) -> bool:
    return job.command in get_commands()


def run_due(
    now: dt.datetime | None = None, *, jobs: tuple[Job, ...] | None = None, host: str | None = None
) -> list[str]:
    """Run every job whose current slot has not been claimed yet; return the names that ran here."""
    now = now or timezone.now()
    host = host or socket.gethostname()
    ran = []
    for job in all_jobs() if jobs is None else jobs:
        slot = job.slot(now)
        if slot is None or not available(job):
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot, host=host)
        except IntegrityError:
            continue  # another server claimed this slot
        out = io.StringIO()
        args = list(job.args)
        if job.pass_as_of:
            args += ["--as-of", (dates.as_of_override() or timezone.localdate(now)).isoformat()]
        try:
            call_command(job.command, *args, stdout=out, stderr=out)
        except Exception as exc:  # a failing job is recorded and retried next slot, never kills the loop
            log.exception("scheduled job %s failed", job.name)
            ScheduledRun.objects.filter(pk=run.pk).update(
                status=ScheduledRun.Status.FAILED,
                output=f"{out.getvalue()}\n{exc}"[-5000:],
                finished_at=timezone.now(),
            )
            continue
        ScheduledRun.objects.filter(pk=run.pk).update(
            status=ScheduledRun.Status.SUCCEEDED, output=out.getvalue()[-5000:], finished_at=timezone.now()
        )
        ran.append(job.name)
    return ran
