"""Shared pytest fixtures. Reference data (regions, dictionaries, audit chain head) comes from the
data migration, so every test database has it."""

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from kechuang.core.tests.factories import OrganisationFactory, UserFactory

# CI machines are small and busy: property tests judge behaviour, never speed.
settings.register_profile("kechuang", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kechuang")


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
def _no_kept_plans():
    """Each test plans its figures afresh (`indicators.compute_many` keeps plans per process, ADR 0011); a
    test that changes how indicators plan within itself clears them too."""
    from kechuang.core import indicators

    indicators.clear_plans()


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
