"""One migrated test database per migration state, copied for every test process (conftest.py's
`django_db_setup`): the first xdist worker migrates, the others wait and copy its result, and the next run
copies it too while no migration (or what the migrations read) has changed.

SQLite: a file in var/test-db/ (`VACUUM INTO`, then a file copy per worker). PostgreSQL: a database
`<test database>_tpl_<state>` on the same server (`CREATE DATABASE … TEMPLATE`). `--create-db` builds it anew;
`--reuse-db` and `--no-migrations` leave it out."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
from pathlib import Path

import django
from django.conf import settings
from django.db import DatabaseError

ROOT = Path(settings.BASE_DIR)
STORE = ROOT / "var" / "test-db"
LEAKS = STORE / "leaked-sessions.log"
IMPORT = re.compile(r"(?:from|import)\s+(kechuang(?:\.\w+)+)")


def migration_state() -> str:
    """A hash of what building a test database runs: Django's version, every migration, the kechuang modules
    they import (seed functions, scoring schemes, field defaults) and the reference data files."""
    migrations = sorted(ROOT.glob("kechuang/*/migrations/*.py"))
    read = set(ROOT.glob("kechuang/*/data/*"))
    for path in migrations:
        for module in IMPORT.findall(path.read_text(encoding="utf-8")):
            base = ROOT / module.replace(".", "/")
            read.update(p for p in (base.with_suffix(".py"), base / "__init__.py") if p.exists())
    digest = hashlib.sha256(django.get_version().encode())
    for path in migrations + sorted(read):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class Template:
    def __init__(self, connection) -> None:
        self.connection = connection
        self.state = migration_state()
        self.test_name = connection.creation._get_test_db_name()
        STORE.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "sqlite":
            self.name = str(STORE / f"sqlite-{self.state}.sqlite3")
        else:
            base = connection.settings_dict["NAME"]
            self.name = f"test_{base}_tpl_{self.state}"
        self._lock = STORE / f"{Path(self.name).name}.lock"

    @contextlib.contextmanager
    def lock(self):
        """Held while one process migrates (or copies): the others wait for its template."""
        with open(self._lock, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def exists(self) -> bool:
        if self.connection.vendor == "sqlite":
            return Path(self.name).exists()
        with self.connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return cursor.fetchone() is not None

    def drop(self) -> None:
        if self.connection.vendor == "sqlite":
            Path(self.name).unlink(missing_ok=True)
            return
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')

    def copy_to_test_database(self) -> None:
        """This process's test database becomes a copy of the template (then `setup_databases(keepdb=True)`
        finds nothing to migrate)."""
        self.connection.close()
        if self.connection.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(self.test_name + suffix).unlink(missing_ok=True)
            shutil.copyfile(self.name, self.test_name)
            return
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.test_name}"')
            cursor.execute(f'CREATE DATABASE "{self.test_name}" TEMPLATE "{self.name}"')

    def save_test_database(self) -> None:
        """The freshly migrated test database becomes the template; templates of other states go."""
        if self.connection.vendor == "sqlite":
            partial = f"{self.name}.{os.getpid()}.partial"
            Path(partial).unlink(missing_ok=True)
            with self.connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [partial])
            os.replace(partial, self.name)
            for old in STORE.glob("sqlite-*.sqlite3"):
                if str(old) != self.name:
                    old.unlink(missing_ok=True)
            return
        self.connection.close()
        partial = f"{self.name}_partial"
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{partial}"')
            cursor.execute(f'CREATE DATABASE "{partial}" TEMPLATE "{self.test_name}"')
            cursor.execute(f'ALTER DATABASE "{partial}" RENAME TO "{self.name}"')
            prefix = self.name.rsplit("_", 1)[0] + "_"
            cursor.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname <> %s",
                [prefix, self.name],
            )
            for (old,) in cursor.fetchall():
                with contextlib.suppress(DatabaseError):  # in use by another run: left for later
                    cursor.execute(f'DROP DATABASE "{old}"')


def end_other_sessions(connection, name: str) -> list[str]:
    """PostgreSQL refuses to drop (or copy) a database another session is connected to. Any such session at
    the end of a run is a leak (a thread that never closed its connection): each is written to LEAKS, with the
    `application_name` conftest.py gave it (worker, thread, test), and ended so the drop goes through."""
    if connection.vendor != "postgresql":
        return []
    import time

    connection.close()  # this thread's own, which Django's teardown closes anyway
    with connection._nodb_cursor() as cursor:
        deadline = time.monotonic() + 5  # as long as DROP DATABASE waits: a closing thread may still be at it
        while True:
            cursor.execute(
                "SELECT pid, application_name, backend_start, state, left(query, 120) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            rows = cursor.fetchall()
            if not rows or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        for pid, *_ in rows:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    lines = [
        f"WARNING: session {pid} ({app!r}, since {started:%H:%M:%S}, {state}: {query!r}) was still connected "
        f"to {name}: ended before the drop\n"
        for pid, app, started, state, query in rows
    ]
    if lines:  # an xdist worker's stderr is not shown: conftest.py's terminal summary prints this file
        with open(LEAKS, "a", encoding="utf-8") as log:
            log.writelines(lines)
    return lines
