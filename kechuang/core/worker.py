"""The task worker survives database errors (issue 25).

django-tasks-db's `Worker.run` lets any database error other than "database is locked" out of its loop, and
the process exits: a PostgreSQL connection reset, a SQLite lock held past the busy timeout while the worker
begins its EXCLUSIVE claim transaction, or a database that is not up yet at start. Jobs then stay
"排队中" forever. `ResilientWorker` runs that loop under `resilience.survive`: drop the broken connections,
back off, go on. A task cut short by the error (its result could not even be recorded) leaves its `core.Job`
RUNNING under this live process, which `jobs reap` would never touch; after reconnecting the worker queues
it again itself (`joblease.release_own`) and marks the interrupted task result failed.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kechuang.core import joblease, resilience
from kechuang.core.models import ProcessHeartbeat

log = logging.getLogger("kechuang.worker")


class ResilientWorker(Worker):
    def state(self) -> str:
        return "running" if self.running_task else "idle"

    def run(self) -> None:
        beat = resilience.Heartbeat(ProcessHeartbeat.Kind.WORKER, self.state)
        beat.start()

        def on_error(exc: Exception) -> None:
            self.running_task = False
            beat.last_error = f"{timezone.now():%Y-%m-%d %H:%M:%S} {exc}"

        try:
            resilience.survive(
                super().run,
                running=lambda: self.running,
                what=f"task worker {self.worker_id}",
                on_error=on_error,
                on_recovered=self.recover,
            )
        finally:
            beat.stop()

    def run_task(self, db_task_result) -> None:
        try:
            super().run_task(db_task_result)
        finally:
            # Tasks run one at a time here: a job still RUNNING under this process once its task is over
            # was cut short (a database error the task let out, the result recorded as failed).
            self.release_interrupted()

    def release_interrupted(self) -> None:
        for job_id, action in joblease.release_own():
            log.warning("job %s interrupted by a database error: %s", job_id, action)

    def recover(self) -> None:
        """Requeue the job whose task the database error cut short, and end that task's result."""
        self.release_interrupted()
        with transaction.atomic():
            for result in DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING):
                if self.worker_id in (result.worker_ids or []):
                    DBTaskResult.objects.filter(pk=result.pk).update(
                        status=TaskResultStatus.FAILED,
                        finished_at=timezone.now(),
                        exception_class_path="django.db.OperationalError",
                        traceback="The database connection was lost while the task ran; the worker reconnected.",
                    )
