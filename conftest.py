"""Shared pytest fixtures. Reference data (regions, dictionaries, audit chain head) comes from the
data migration, so every test database has it."""

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
def _reference_data_for_transactional_tests(request):
    """Transactional tests flush the database afterwards, removing migration-seeded data; re-seed it."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from kechuang.core.seed import seed_reference_data

        seed_reference_data()
