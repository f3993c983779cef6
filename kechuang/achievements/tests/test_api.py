import pytest

from kechuang.achievements import services
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.platforms.tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


def _ach(staff, org, level="municipal", year=2020, title="成果"):
    return services.achievement_record(actor=staff, title=title, organisation=org, level=level, year=year)


def test_lists_are_scoped_filtered_and_paginated(client, staff, other_district):
    mine = OrganisationFactory()
    theirs = OrganisationFactory(region=other_district)
    for i in range(3):
        _ach(staff, mine, title=f"市级{i}")
    _ach(staff, mine, level="provincial")
    _ach(staff, mine, year=2019)
    out = _ach(staff, theirs)
    api = ApiClient(client, staff, "achievements")
    body = api.get("/achievements", level="municipal", year=2020, limit=2).json()
    assert body["count"] == 3 and len(body["items"]) == 2
    assert api.get("/achievements", year=2019).json()["count"] == 1
    assert api.get(f"/achievements/{out.pk}").status_code == 404
    assert api.get("/achievements", limit=2, offset=4).json()["count"] == 5


def test_firm_sees_only_its_own(client, staff, firm, enterprise_user):
    own = _ach(staff, firm)
    other = _ach(staff, OrganisationFactory())
    api = ApiClient(client, enterprise_user, "achievements")
    assert [i["id"] for i in api.get("/achievements").json()["items"]] == [own.pk]
    assert api.get(f"/achievements/{other.pk}").status_code == 404
    assert api.get(f"/achievements/{own.pk}").json()["organisation"] == firm.name


def test_list_query_count_is_bounded(client, staff, django_assert_max_num_queries):
    org = OrganisationFactory()
    for i in range(20):
        _ach(staff, org, title=f"成果{i}")
    api = ApiClient(client, staff, "achievements")
    with django_assert_max_num_queries(8):
        assert len(api.get("/achievements", limit=20).json()["items"]) == 20
