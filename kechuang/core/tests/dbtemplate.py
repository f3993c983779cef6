"""One migrated test database per migration state, copied for every test process (conftest.py's
`django_db_setup`): the first xdist worker migrates, the others wait and copy its result, and the next run
copies it too while no migration (or what the migrations read) has changed. The built demo the same way
(`DemoTemplate`, ADR 0037): built once per state of the code, copied into a database of its own per worker.

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


def code_state() -> str:
    """`migration_state()` and every file under kechuang/ but the tests: building the demo runs all the code."""
    digest = hashlib.sha256(migration_state().encode())
    for path in sorted(ROOT.glob("kechuang/**/*")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "__pycache__" in parts or not path.is_file():
            continue
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def this_run() -> str:
    """The id conftest.py gives a run (its xdist workers inherit it): `--create-db` rebuilds a template once
    per run, not once per worker."""
    return os.environ.get("KC_TEST_RUN", f"pid-{os.getpid()}")


class _Connection:
    """`connection`: the wrapper of the database alias that the current code sees, looked up on every use.
    Django keeps connections per thread — per asyncio context once an event loop runs in the thread
    (asgiref's `Local`), as the browser tests' sync Playwright leaves one in the main thread — so a wrapper
    kept from an earlier call may no longer be the one the tests use, and closing it would leave theirs
    connected to a database about to be dropped. Every wrapper seen is remembered; `_close` closes each."""

    def _remember(self, connection) -> None:
        self.alias = connection.alias
        self._seen = {id(connection): connection}

    @property
    def connection(self):
        from django.db import connections

        current = connections[self.alias]
        self._seen.setdefault(id(current), current)
        return current

    def _close(self) -> None:
        self.connection  # noqa: B018 - remembers the current context's wrapper
        for wrapper in self._seen.values():
            wrapper.close()


class Template(_Connection):
    def __init__(self, connection) -> None:
        self._remember(connection)
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

    @property
    def _run_file(self) -> Path:
        return STORE / f"{Path(self.name).name}.run"

    def built_this_run(self) -> bool:
        return self._run_file.exists() and self._run_file.read_text() == this_run()

    def _mark_built(self) -> None:
        self._run_file.write_text(this_run())

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
        self._close()
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
            self._mark_built()
            for old in STORE.glob("sqlite-*.sqlite3"):
                if str(old) != self.name:
                    old.unlink(missing_ok=True)
            return
        self._close()
        partial = f"{self.name}_partial"
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{partial}"')
            cursor.execute(f'CREATE DATABASE "{partial}" TEMPLATE "{self.test_name}"')
            cursor.execute(f'ALTER DATABASE "{partial}" RENAME TO "{self.name}"')
            self._mark_built()
            prefix = self.name.rsplit("_", 1)[0] + "_"
            cursor.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname <> %s",
                [prefix, self.name],
            )
            for (old,) in cursor.fetchall():
                with contextlib.suppress(DatabaseError):  # in use by another run: left for later
                    cursor.execute(f'DROP DATABASE "{old}"')


class DemoTemplate(Template):
    """The built demo: a template per state of the code (`code_state()`), per demo (`key`, a hash of what
    builds it) and per source (`source`: "migrated" when built on a copy of the migrated template, "own" when
    on a copy of the worker's test database, as with --no-migrations or --reuse-db). Each worker runs its demo
    tests on a copy of its own (`copy_name`), so its plain test database never holds demo data."""

    def __init__(self, connection, key: str, source: str) -> None:
        self._remember(connection)
        self.state = code_state()
        self.test_name = connection.settings_dict["NAME"]
        STORE.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "sqlite":
            self.name = str(STORE / f"demo-{key}-{source}-{self.state}.sqlite3")
            self.copy_name = str(Path(self.test_name).with_suffix("")) + "-demo.sqlite3"
            self.live_name = str(Path(self.test_name).with_suffix("")) + "-demo-live.sqlite3"
            self._build_name = f"{self.name}.{os.getpid()}.partial"
        else:
            worker = os.environ.get("PYTEST_XDIST_WORKER")
            base = self.test_name.removesuffix(f"_{worker}") if worker else self.test_name
            self.name = f"{base[:24]}_demo_{key}_{source[0]}_{self.state}"
            self.copy_name = f"{self.test_name}_demo"
            self.live_name = f"{self.test_name}_demo_live"
            self._build_name = f"{self.name}_partial"
        self._prefix = self.name.removesuffix(self.state)
        self._lock = STORE / f"{Path(self.name).name}.lock"

    def _switch(self, name: str) -> None:
        self._close()
        self.connection.settings_dict["NAME"] = name

    def _create(self, name: str, source: str) -> None:
        """Database `name` as a copy of database `source` (no session may be connected to `source`)."""
        if self.connection.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)
            shutil.copyfile(source, name)
            return
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')

    def build(self, source: Template | None, build) -> None:
        """Run `build()` on a copy of `source` (the migrated template), or of the test database when there is
        none, and keep the result as the template; the connection is back on the test database after."""
        from django.db import transaction

        self._switch(self.test_name)
        if source is not None:
            with source.lock():  # no worker is copying it meanwhile
                self._create(self._build_name, source.name)
        elif self.connection.vendor == "sqlite":
            Path(self._build_name).unlink(missing_ok=True)
            with self.connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [self._build_name])
            self._close()
        else:
            self._create(self._build_name, self.test_name)
        try:
            self._switch(self._build_name)
            with transaction.atomic():
                build()
                # Dropped, not run, as when the demo was built in a transaction never committed: what they
                # do (re-screening the firms the build touched, at the real date) is not the demo's data.
                self.connection.run_on_commit = []
            if self.connection.vendor == "sqlite":
                partial = f"{self.name}.partial"
                with self.connection.cursor() as cursor:
                    cursor.execute("VACUUM INTO %s", [partial])
                self._switch(self.test_name)
                os.replace(partial, self.name)
                for old in STORE.glob(f"{Path(self._prefix).name}*.sqlite3"):
                    if str(old) != self.name:
                        old.unlink(missing_ok=True)
            else:
                self._switch(self.test_name)
                with self.connection._nodb_cursor() as cursor:
                    cursor.execute(f'ALTER DATABASE "{self._build_name}" RENAME TO "{self.name}"')
                    cursor.execute(
                        "SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname <> %s",
                        [self._prefix, self.name],
                    )
                    for (old,) in cursor.fetchall():
                        with contextlib.suppress(DatabaseError):  # in use by another run: left for later
                            cursor.execute(f'DROP DATABASE "{old}"')
            self._mark_built()
        finally:
            self._switch(self.test_name)
            self._drop_database(self._build_name)

    def _drop_database(self, name: str) -> None:
        if self.connection.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)
            return
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

    def copy_to_demo_database(self) -> None:
        self._switch(self.test_name)
        self._create(self.copy_name, self.name)

    def use_live_database(self) -> None:
        """A fresh copy of the template for one test whose writes are committed (a live-server test): the
        connection, and the live server's threads (they share its settings), use it until
        `drop_live_database`."""
        self._switch(self.test_name)
        self._create(self.live_name, self.name)
        self._switch(self.live_name)

    def drop_live_database(self) -> None:
        self._switch(self.test_name)
        end_other_sessions(self.connection, self.live_name)
        self._drop_database(self.live_name)

    def use_demo_database(self) -> None:
        self._switch(self.copy_name)

    def use_test_database(self) -> None:
        self._switch(self.test_name)

    def drop_demo_database(self) -> None:
        self._switch(self.test_name)
        end_other_sessions(self.connection, self.copy_name)
        self._drop_database(self.copy_name)


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
