"""Long-running processes (the task worker, the scheduler) outlive a passing database error.

A PostgreSQL connection reset (failover, `pg_terminate_backend`, a restart), a SQLite write lock held longer
than the busy timeout, or a database that is not up yet when the process starts: each raises a
`django.db.Error` out of the loop. The loops here catch it, drop every connection of the thread (a broken one
must not be reused), wait with exponential backoff and go on — they never exit on it (issue 25).

Each process also keeps a row in `core.ProcessHeartbeat` fresh from a thread, so `/readyz` can tell a
stopped or stuck worker from an idle one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import socket
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connections
from django.utils import timezone

log = logging.getLogger("kechuang.resilience")

HEARTBEAT_SECONDS = 15.0
BACKOFF_FIRST = 1.0
BACKOFF_CAP = 60.0


class Backoff:
    """Exponential waits with jitter: about 1, 2, 4 … seconds, at most `cap`."""

    def __init__(self, first: float = BACKOFF_FIRST, cap: float = BACKOFF_CAP):
        self.first, self.cap, self.failures = first, cap, 0

    def next(self) -> float:
        wait = min(self.cap, self.first * 2**self.failures)
        self.failures += 1
        return wait * random.uniform(0.5, 1.0)  # noqa: S311 - spreads reconnects, not security

    def reset(self) -> None:
        self.failures = 0


def drop_connections() -> None:
    """Close this thread's database connections; a broken one may raise on close, which is ignored."""
    for conn in connections.all(initialized_only=True):
        with contextlib.suppress(Exception):
            conn.close()


def sleep_while(running: Callable[[], bool], seconds: float) -> None:
    """Sleep up to `seconds`, waking early once `running()` turns false (a SIGTERM arrived)."""
    deadline = time.monotonic() + seconds
    while running() and (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.5))


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Heartbeat(threading.Thread):
    """Writes `ProcessHeartbeat(kind, name)` every `interval` seconds with the state `state()` reports.
    A failed write (database down, SQLite locked) is logged and retried at the next beat."""

    def __init__(self, kind: str, state: Callable[[], str], interval: float | None = None):
        super().__init__(name=f"kc-{kind}-heartbeat", daemon=True)
        self.kind, self.state = kind, state
        self.interval = interval or getattr(settings, "PROCESS_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS)
        self.name_ = process_name()
        self.started = timezone.now()
        self.stopped = threading.Event()
        self.last_error = ""

    def beat(self) -> bool:
        from kechuang.core.models import ProcessHeartbeat

        try:
            ProcessHeartbeat.objects.update_or_create(
                kind=self.kind,
                name=self.name_,
                defaults={
                    "beat_at": timezone.now(),
                    "started_at": self.started,
                    "state": self.state()[:60],
                    "last_error": self.last_error[:500],
                },
            )
            return True
        except DatabaseError as exc:
            log.warning("%s heartbeat skipped: %s", self.kind, exc)
            drop_connections()
            return False

    def run(self) -> None:
        try:
            self.beat()
            while not self.stopped.wait(self.interval):
                self.beat()
        finally:
            drop_connections()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)
        from kechuang.core.models import ProcessHeartbeat

        with contextlib.suppress(DatabaseError):  # a clean stop: the row goes, readyz sees no worker
            ProcessHeartbeat.objects.filter(kind=self.kind, name=self.name_).delete()


def survive(
    step: Callable[[], None],
    *,
    running: Callable[[], bool],
    what: str,
    on_error: Callable[[Exception], None] | None = None,
    on_recovered: Callable[[], None] | None = None,
    backoff: Backoff | None = None,
) -> None:
    """Call `step()` until it returns normally or `running()` turns false. A database error is logged, the
    thread's connections dropped and `step` retried after a backoff; `on_recovered()` runs (and may itself
    fail and be retried) before the next `step` after an error. A step that ran for a minute before failing
    starts the backoff afresh."""
    backoff = backoff or Backoff()
    pending_recovery = False
    while running():
        began = time.monotonic()
        try:
            if pending_recovery and on_recovered is not None:
                on_recovered()
            pending_recovery = False
            step()
            return
        except DatabaseError as exc:
            if time.monotonic() - began > 60:
                backoff.reset()
            wait = backoff.next()
            log.error("%s: database error, retrying in %.0f s: %s", what, wait, exc)
            if on_error is not None:
                on_error(exc)
            drop_connections()
            pending_recovery = True
            sleep_while(running, wait)
