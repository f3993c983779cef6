"""Django's `flush`, able to empty the audit tables on SQLite too.

The audit triggers (migration core 0007) refuse DELETE of audit rows unless the archive has moved them out;
on SQLite they let rows go once the chain head row is gone, and SQLite's flush deletes tables in no fixed
order — so a non-interactive flush (tests' transactional teardown) removes the head row first. PostgreSQL
flushes with TRUNCATE, which row triggers do not see.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if (
            connection.vendor == "sqlite"
            and not options.get("interactive", True)
            and "core_auditchainhead" in connection.introspection.table_names()
        ):
            with connection.cursor() as cur:
                cur.execute("DELETE FROM core_auditchainhead")
        super().handle(**options)
