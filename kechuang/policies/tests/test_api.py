import datetime as dt
from decimal import Decimal

import pytest

from kechuang.accounts import services as account_services
from kechuang.core.tests.factories import UserFactory
from kechuang.policies.services.matching import run_match
from kechuang.statistics.tests.factories import EnterpriseFactFactory

from .conftest import TODAY, rd_policy

pytestmark = pytest.mark.django_db


def _get(client, user, path):
    _, key = account_services.api_token_create(actor=user, user=user, name="测试")
    return client.get(f"/api/policies{path}", headers={"Authorization": f"Bearer {key}"})


def test_policies_in_force_are_public_and_verdicts_are_scoped(
    client, staff, district, other_district, firm, enterprise_user
):
    EnterpriseFactFactory(
        organisation=firm,
        year=2019,
        rd_hnte=Decimal(42),
        sales_revenue=Decimal(1000),
        reported_on=dt.date(2020, 3, 1),
    )
    _, item = rd_policy(staff, district)
    run_match(on=TODAY)
    listed = client.get("/api/policies/policies").json()["items"]
    assert listed[0]["items"][0]["conditions"][0] == "上一年度（2019年）研发费用占销售收入比例不低于4%"
    mine = _get(client, enterprise_user, "/mine").json()
    assert [m["verdict"] for m in mine] == ["eligible"] and mine[0]["conditions"][0]["value"] == "4.2%"
    assert _get(client, staff, f"/items/{item.pk}/matches").json()["items"][0]["organisation_id"] == firm.pk
    outsider = UserFactory(staff=True, region=other_district)
    assert _get(client, outsider, f"/items/{item.pk}/matches").status_code == 404
