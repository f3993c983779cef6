import pytest

from kechuang.platforms.tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


def test_staff_list_and_read_their_bureaus_proposals(client, staff, proposal):
    api = ApiClient(client, staff, "proposals")
    body = api.get("/proposals").json()
    assert [i["id"] for i in body["items"]] == [proposal.pk]
    assert body["items"][0]["status_label"] == "已交办" and body["items"][0]["kind_label"] == "政协提案"
    assert api.get("/proposals", status="closed").json()["count"] == 0
    assert api.get("/proposals", q="134092").json()["count"] == 1
    detail = api.get(f"/proposals/{proposal.pk}").json()
    assert [c["name"] for c in detail["co_units"]] == ["周村区工业和信息化局"]
    assert detail["deadline"] == proposal.deadline.isoformat()


def test_other_bureaus_and_firms_see_nothing(client, proposal, other_district, enterprise_user):
    from kechuang.core.tests.factories import UserFactory

    other = ApiClient(client, UserFactory(staff=True, region=other_district), "proposals")
    assert other.get("/proposals").json()["count"] == 0
    assert other.get(f"/proposals/{proposal.pk}").status_code == 404
    firm = ApiClient(client, enterprise_user, "proposals")
    assert firm.get("/proposals").status_code == 403
    assert firm.get(f"/proposals/{proposal.pk}").status_code == 404


def test_the_list_reads_a_fixed_number_of_queries(client, staff, proposal, django_assert_max_num_queries):
    api = ApiClient(client, staff, "proposals")
    with django_assert_max_num_queries(12):
        assert api.get("/proposals").status_code == 200
