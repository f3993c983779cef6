"""Send read-only reporting queries to the replica, and nothing else.

Pages opt in with `with reporting_reads(): ...` (dashboards, indicator tables, report generation). Everything
outside that block — including any read that a write depends on — stays on the primary, so a lagging replica
can never make a form see stale data before saving.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_reporting: ContextVar[bool] = ContextVar("reporting_reads", default=False)


@contextmanager
def reporting_reads():
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


class ReportingReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reporting.get() and "replica" in settings.DATABASES:
            return "replica"
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: same rows on both

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
