import pytest

from kechuang.platforms.tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


def test_figures_are_the_dashboards_for_a_region_the_caller_keeps(client, leader, other_district):
    api = ApiClient(client, leader, "reports")
    body = api.get("/figures", period="2020", as_of="2020-11-30").json()
    assert body["region_code"] == leader.region.code and body["period"] == "2020"
    codes = {f["code"] for f in body["figures"]}
    assert {"hnte_count", "rd_total"} <= codes
    hnte = next(f for f in body["figures"] if f["code"] == "hnte_count")
    assert hnte["url"].startswith("/reports/") and hnte["status_label"]
    assert api.get("/figures", region=other_district.code).status_code == 404
    assert api.get("/figures", period="2020Q5").status_code == 422


def test_firms_get_no_figures_and_no_drafts(client, enterprise_user):
    api = ApiClient(client, enterprise_user, "reports")
    assert api.get("/figures").status_code == 403
    assert api.get("/drafts").status_code == 403


def test_drafts_list_is_scoped(client, staff):
    body = ApiClient(client, staff, "reports").get("/drafts").json()
    assert body["count"] == 0
