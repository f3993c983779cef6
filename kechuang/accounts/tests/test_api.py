import pytest

from kechuang.platforms.tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


def test_me_tells_the_caller_its_role_and_scope(client, staff, enterprise_user, firm):
    me = ApiClient(client, staff, "accounts").get("/me").json()
    assert me["username"] == staff.username and me["role_label"] == "科室工作人员"
    assert me["region_code"] == staff.region.code and me["organisation"] == ""
    firm_me = ApiClient(client, enterprise_user, "accounts").get("/me").json()
    assert firm_me["organisation"] == firm.name and firm_me["role"] == "enterprise"


def test_me_needs_a_caller(client):
    assert client.get("/api/accounts/me").status_code == 401
