import pytest

from kechuang.core.tests.factories import OrganisationFactory, PersonFactory
from kechuang.platforms.tests.api_client import ApiClient
from kechuang.programmes.models import Expert
from kechuang.talent import services

pytestmark = pytest.mark.django_db


def test_expert_pool_masks_contact_and_is_scoped(client, staff, district, other_district):
    mine = Expert.objects.create(
        person=PersonFactory(name="陈教授", phone="13812345678"), category="technical", region=district
    )
    theirs = Expert.objects.create(person=PersonFactory(), category="technical", region=other_district)
    api = ApiClient(client, staff, "talent")
    items = api.get("/experts").json()["items"]
    assert [(i["id"], i["phone"]) for i in items] == [(mine.pk, "138****5678")]
    assert api.get(f"/experts/{theirs.pk}").status_code == 404


def test_demands_scoped_to_the_firm_filtered_and_paginated(client, staff, firm, enterprise_user):
    for i in range(3):
        services.demand_submit(
            actor=staff, organisation=firm, need=f"需求{i}", field="材料", duration_months=6, year=2020
        )
    other = services.demand_submit(
        actor=staff,
        organisation=OrganisationFactory(),
        need="别家",
        field="材料",
        duration_months=6,
        year=2019,
    )
    api = ApiClient(client, enterprise_user, "talent")
    body = api.get("/demands", limit=2).json()
    assert body["count"] == 3 and len(body["items"]) == 2
    assert api.get(f"/demands/{other.pk}").status_code == 404
    staff_api = ApiClient(client, staff, "talent")
    assert staff_api.get("/demands", year=2019).json()["count"] == 1


def test_nominations_list_bounded_queries(client, staff, district, django_assert_max_num_queries):
    for _i in range(15):
        services.nomination_create(
            actor=staff,
            person=PersonFactory(nationality="日本"),
            award="齐鲁友谊奖",
            year=2020,
            region=district,
        )
    api = ApiClient(client, staff, "talent")
    with django_assert_max_num_queries(8):
        assert api.get("/nominations", year=2020, limit=15).json()["count"] == 15
