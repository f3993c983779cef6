import pytest

from kechuang.platforms.tests.api_client import ApiClient
from kechuang.platforms.tests.factories import MembershipFactory, PlatformFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, staff):
    return ApiClient(client, staff, "platforms")


def test_list_is_scoped_filtered_and_paginated(api, other_district):
    mine = [PlatformFactory(kind="alliance") for _ in range(3)]
    PlatformFactory(kind="maker_space", level="national")
    PlatformFactory(kind="alliance", region=other_district)
    body = api.get("/platforms", kind="alliance", limit=2).json()
    assert body["count"] == 3
    # the list is ordered by name: factory names ("…9", "…10") need not sort like their primary keys
    by_name = [p.pk for p in sorted(mine, key=lambda p: (p.name, p.pk))]
    assert [i["id"] for i in body["items"]] == by_name[:2]
    assert api.get("/platforms", kind="alliance", limit=2, offset=2).json()["items"][0]["id"] == by_name[2]
    assert api.get("/platforms", level="national").json()["count"] == 1
    assert api.get("/platforms", kind="nonsense").status_code == 422


def test_out_of_scope_detail_is_404(api, other_district):
    theirs = PlatformFactory(region=other_district)
    assert api.get(f"/platforms/{theirs.pk}").status_code == 404


def test_detail_has_members_and_changes(api):
    m = MembershipFactory()
    body = api.get(f"/platforms/{m.platform_id}").json()
    assert body["members"][0]["organisation"] == m.organisation.name
    assert body["operator"] == m.platform.operator.name


def test_list_query_count_does_not_grow_with_rows(api, django_assert_max_num_queries):
    PlatformFactory.create_batch(25)
    with django_assert_max_num_queries(8):
        body = api.get("/platforms", limit=25).json()
    assert len(body["items"]) == 25


def test_enterprise_sees_only_platforms_it_operates_or_belongs_to(client, enterprise_user, firm):
    own = PlatformFactory(operator=firm)
    member_of = MembershipFactory(organisation=firm).platform
    PlatformFactory()
    api = ApiClient(client, enterprise_user, "platforms")
    assert {i["id"] for i in api.get("/platforms").json()["items"]} == {own.pk, member_of.pk}
