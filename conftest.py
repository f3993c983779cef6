"""Shared pytest fixtures. Reference data (regions, dictionaries, audit chain head) comes from the
data migration, so every test database has it."""

import io
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from kechuang.core.tests.factories import OrganisationFactory, UserFactory

# CI machines are small and busy: property tests judge behaviour, never speed.
settings.register_profile("kechuang", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kechuang")


_migrated_template = None


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's, with one migration per migration state instead of one per worker and run: the test
    database is a copy of a migrated template (kechuang/core/tests/dbtemplate.py)."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from kechuang.core.tests.dbtemplate import Template

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    args = {
        "verbosity": request.config.option.verbose,
        "interactive": False,
        "aliases": aliases,
        "serialized_aliases": serialized_aliases,
    }
    with django_db_blocker.unblock():
        if not django_db_use_migrations:
            _disable_migrations()
        if django_db_keepdb and not django_db_createdb or not django_db_use_migrations or not aliases:
            db_cfg = setup_databases(keepdb=django_db_keepdb and not django_db_createdb, **args)
        else:
            template = Template(connection)
            with template.lock():
                if django_db_createdb and not template.built_this_run():
                    template.drop()
                copied = template.exists()
                if copied:
                    template.copy_to_test_database()
                else:
                    db_cfg = setup_databases(**args)
                    template.save_test_database()
            if copied:
                db_cfg = setup_databases(keepdb=True, **args)
            global _migrated_template  # noqa: PLW0603 - what the demo template is built on (DemoWorld)
            _migrated_template = template
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            from kechuang.core.tests.dbtemplate import end_other_sessions

            end_other_sessions(connection, connection.settings_dict["NAME"])
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)


@pytest.fixture
def district(db):
    from kechuang.core.models import Region

    return Region.objects.get(code="370306")


@pytest.fixture
def town(db):
    from kechuang.core.models import Region

    return Region.objects.get(code="370306001")


@pytest.fixture
def other_district(db):
    from kechuang.core.models import Region

    return Region.objects.get(code="370303")  # 张店区


@pytest.fixture
def staff(db):
    return UserFactory(staff=True)


@pytest.fixture
def leader(db):
    return UserFactory(leader=True)


@pytest.fixture
def firm(db, town):
    return OrganisationFactory(region=town)


@pytest.fixture
def enterprise_user(db, firm):
    return UserFactory(enterprise=True, organisation=firm)


@pytest.fixture
def calendar_2020_2027(db):
    from kechuang.core.workdays import seed_from_packages

    seed_from_packages(range(2020, 2028))


@pytest.fixture(autouse=True)
def _audit_seal_log(settings, tmp_path):
    """Each test seals to its own seal log: the test's database rows are rolled back, a file would stay."""
    settings.AUDIT_SEAL_LOG = tmp_path / "audit-seals.log"


# --- The demo districts, built once per state of the code ----------------------------------------------------
class DemoWorld:
    """`kechuang demo --district 370303` (what `make run` loads: 周村区 and 张店区), built once per state of the
    code into a template (dbtemplate.DemoTemplate, ADR 0037) by the first worker that needs it, under a file
    lock; every worker copies the template into a demo database of its own and switches its connection to it
    while the tests using the `demo` fixture run, each in pytest-django's transaction, rolled back after it.
    The first other test switches back to the plain test database, so no other test sees demo data; a demo
    test after that switches to the demo database again (it is kept until the end of the session).
    Collection puts the demo tests last (`pytest_collection_modifyitems`), so each worker switches once."""

    def __init__(self, blocker, build, *, source, create_db: bool) -> None:
        self._blocker = blocker
        self._build = build
        self._source = source  # the migrated template this run copied, or None
        self._create_db = create_db
        self._template = None
        self._copied = False  # the template copied into this worker's demo database
        self.is_open = False
        self.builds = 0  # how many times this process built the demo template (0 when it copied one)

    def prepare(self) -> None:
        """The template built (or found) now, not at the first demo test (`_demo_built_early`)."""
        if self._template is None:
            with self._blocker.unblock():
                self._prepare()

    def _prepare(self) -> None:
        import hashlib

        from django.db import connection

        from kechuang.core.tests.dbtemplate import DemoTemplate

        code = (
            self._build.__code__
        )  # what it runs, not where it sits in its file (the source may change on disk)
        key = hashlib.sha256(repr((code.co_code, code.co_consts, code.co_names)).encode()).hexdigest()[:6]
        template = DemoTemplate(connection, key, "migrated" if self._source is not None else "own")
        with template.lock():
            if self._create_db and not template.built_this_run():
                template.drop()
            if not template.exists():
                template.build(self._source, self._build_with_reference_data)
                self.builds += 1
        self._template = template

    def _build_with_reference_data(self) -> None:
        from kechuang.core.seed import ensure_reference_data

        ensure_reference_data()  # with --no-migrations or --reuse-db, an earlier test may have flushed them
        self._build()

    def open(self) -> None:
        if self.is_open:
            return
        from django.db import connection

        with self._blocker.unblock():
            if connection.in_atomic_block:
                raise RuntimeError(
                    "the demo must be opened before the test's transaction: conftest.py's _django_db_helper "
                    "override no longer runs first (did pytest-django rename its fixture?)"
                )
            if self._template is None:
                self._prepare()
            if not self._copied:
                self._template.copy_to_demo_database()
                self._copied = True
            self._template.use_demo_database()
        self.is_open = True
        _clear_local_caches()

    def open_live(self) -> None:
        """For one live-server (transactional) test: a fresh copy of the demo template of its own, which the
        test and the live server's threads use until `close_live` drops it. The shared demo copy stays as
        the template left it: what this test commits is never seen by another."""
        from django.db import connection

        self.close()
        with self._blocker.unblock():
            if connection.in_atomic_block:
                raise RuntimeError("the live demo must be opened outside a transaction")
            if self._template is None:
                self._prepare()
            self._template.use_live_database()
        _clear_local_caches()

    def close_live(self) -> None:
        with self._blocker.unblock():
            self._template.drop_live_database()
        _clear_local_caches()

    def close(self) -> None:
        if not self.is_open:
            return
        with self._blocker.unblock():
            self._template.use_test_database()
        self.is_open = False
        _clear_local_caches()

    def end(self) -> None:
        """At the end of the session: back on the test database, the worker's demo copy dropped."""
        self.close()
        if self._template is not None:
            with self._blocker.unblock():
                self._template.drop_demo_database()
            self._template = None


def _clear_local_caches() -> None:
    """Cached figures are keyed by the audit stamp, which the two databases share."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for cache in caches.all(initialized_only=True):
        if isinstance(cache, LocMemCache):
            cache.clear()


_demo_world: DemoWorld | None = None


def _uses_demo(item) -> bool:
    """A test on the shared demo copy (in its transaction): not one with a live demo of its own."""
    names = getattr(item, "fixturenames", ())
    return "demo_world" in names and "demo_live" not in names


@pytest.fixture(scope="session")
def demo_build():
    """What DemoWorld builds (core/tests/test_demo_world.py gives it something smaller)."""
    from django.core.management import call_command

    return lambda: call_command("demo", "--district", "370303", stdout=io.StringIO())


@pytest.fixture(scope="session")
def demo_world(django_db_setup, django_db_blocker, django_db_createdb, demo_build):
    """The shared demo (see DemoWorld). Tests ask for `demo`; a module- or class-scoped fixture that needs the
    demo asks for this and calls `demo_world.open()` before opening its own savepoint."""
    global _demo_world  # noqa: PLW0603 - one per test process, also closed by pytest_runtest_setup
    _demo_world = DemoWorld(
        django_db_blocker, demo_build, source=_migrated_template, create_db=django_db_createdb
    )
    yield _demo_world
    _demo_world.end()
    _demo_world = None


def _needs_demo(item) -> bool:
    return "demo_world" in getattr(item, "fixturenames", ())


@pytest.fixture(scope="session", autouse=True)
def _demo_built_early(request):
    """With xdist, worker gw0 builds the demo template (if it is missing) before its first test, while the
    other workers run the tests that come before the demo tests. Built at the first demo test instead, the
    other workers reached their own first demo test while it was being built and waited, a core idle for
    most of the build (≈ 150 s of a 2-core run). Serial runs build it at the first demo test, as before."""
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    if worker != "gw0" or not any(_needs_demo(item) for item in request.session.items):
        return
    request.getfixturevalue("demo_world").prepare()


@pytest.fixture
def _django_db_helper(_demo_before_db, _django_db_helper):
    """pytest-django's per-test transaction, entered after `_demo_before_db` so that a demo test's savepoint
    sits inside the demo's transaction."""
    yield


@pytest.fixture
def _demo_before_db(request):
    if not _uses_demo(request.node):
        return
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & set(
        request.fixturenames
    ):
        pytest.fail(
            "the demo lives in an open transaction: a transactional or live-server test cannot use it"
        )
    request.getfixturevalue("demo_world").open()


@pytest.fixture
def demo_live(transactional_db, live_server, demo_world):
    """The demo districts for a live-server test, on a copy of the demo template of the test's own (the live
    server's threads need committed rows, so the shared demo copy's open transaction cannot serve): built
    once per state of the code like `demo`, copied in seconds, dropped after the test. Set up after the
    test's database fixture, so its flush at the end runs on the plain test database."""
    from django.db import connection

    demo_world.open_live()
    assert connection.settings_dict["NAME"] == demo_world._template.live_name, "not on the live demo copy"
    yield
    demo_world.close_live()


@pytest.fixture
def demo(demo_world, db):
    """The demo districts (周村区 370306 with every module's part, and 张店区 370303), as `make run` loads them.
    What the test writes is rolled back after it; the demo is built once per state of the code (ADR 0037)."""
    from django.db import connection

    assert demo_world.is_open and connection.in_atomic_block, "the demo test is not in its own transaction"
    assert connection.settings_dict["NAME"] == demo_world._template.copy_name, "not on the demo database"


def pytest_addoption(parser):
    parser.addini(
        "demo_tests_last",
        type="bool",
        default=True,
        help="run the tests that use the shared demo after the others, so it is built once (conftest.py)",
    )


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """The demo tests run one after another, last: after every other plugin has ordered the tests
    (pytest-django puts the transactional and the database-free ones last). xdist (`--dist loadgroup`, no
    group: one test at a time to whichever worker is free) keeps this order on each worker."""
    yield
    if config.getini("demo_tests_last"):
        live = [item for item in items if "demo_live" in getattr(item, "fixturenames", ())]
        items[:] = (
            [item for item in items if not _uses_demo(item) and item not in live]
            + live  # long browser crawls: handed out before the short demo tests, so they do not end a run
            + [item for item in items if _uses_demo(item)]
        )


_current_test = "-"


def _name_session(sender, connection, **kwargs):
    """A PostgreSQL session says which worker, thread and test opened it (`pg_stat_activity`), so a leaked one
    can be traced (dbtemplate.end_other_sessions names them)."""
    if connection.vendor == "postgresql":
        import threading

        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        name = f"{worker} {threading.current_thread().name} {_current_test.rsplit('/', 1)[-1]}"
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('application_name', %s, false)", [name[:63]])


def pytest_configure(config):
    from django.db.backends.signals import connection_created

    connection_created.connect(_name_session, dispatch_uid="kechuang.tests.name_session")
    if not hasattr(config, "workerinput"):
        import uuid

        os.environ["KC_TEST_RUN"] = uuid.uuid4().hex  # its xdist workers share it (dbtemplate.this_run)
        from kechuang.core.tests.dbtemplate import LEAKS

        config.stash[_leaks_seen] = LEAKS.stat().st_size if LEAKS.exists() else 0


_leaks_seen = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, config):
    """The sessions `dbtemplate.end_other_sessions` had to end in this run (written by each worker)."""
    if _leaks_seen not in config.stash:
        return
    from kechuang.core.tests.dbtemplate import LEAKS

    if LEAKS.exists() and LEAKS.stat().st_size > config.stash[_leaks_seen]:
        with open(LEAKS, encoding="utf-8") as log:
            log.seek(config.stash[_leaks_seen])
            terminalreporter.write_sep("=", "database sessions left open (a leak to fix)", red=True)
            terminalreporter.write(log.read())


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    global _current_test  # noqa: PLW0603 - the test that opens a session names it (_name_session)
    _current_test = item.nodeid
    if _demo_world is not None and not _uses_demo(item):
        _demo_world.close()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional and live-server tests flush the database, removing what data migrations seeded;
    put it back for any database test that finds it missing, so no test depends on test order."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db" if marker and marker.kwargs.get("transaction") else "db")
    from kechuang.core.seed import ensure_reference_data

    ensure_reference_data()


# --- Browser tests: Playwright for Python driving Debian's Chromium, never a downloaded browser ---------------
CHROMIUM = os.environ.get("KECHUANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not installed at {CHROMIUM} (CI installs Debian's chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures stay synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    path = Path(os.environ.get("KECHUANG_SCREENSHOT_DIR", tmp_path))
    path.mkdir(parents=True, exist_ok=True)
    return path
