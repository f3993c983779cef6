"""Test helper: act as someone with write access to the database, who can switch the audit triggers off."""

import contextlib
import importlib

from django.db import connection

_triggers = importlib.import_module("kechuang.core.migrations.0007_audit_seals")


@contextlib.contextmanager
def as_database_writer():
    """A cursor with the audit tables' triggers off (inside the test's transaction, so rolled back after)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            for table in ("core_auditevent", "core_auditseal"):
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for name in _triggers.SQLITE_TRIGGERS:
                cur.execute(f"DROP TRIGGER {name}")
        yield cur
        if connection.vendor == "postgresql":
            for table in ("core_auditevent", "core_auditseal"):
                cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            for statement in _triggers.SQLITE_FORWARD:
                cur.execute(statement)
