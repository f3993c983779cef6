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


def test_an_items_verdicts_are_read_and_dated_a_page_at_a_time(client, staff, district, town, monkeypatch):
    from kechuang.core.tests.factories import OrganisationFactory
    from kechuang.policies import selectors

    firms = [OrganisationFactory(region=town) for _ in range(5)]
    for firm in firms:
        EnterpriseFactFactory(
            organisation=firm, year=2019, rd_hnte=Decimal(42), sales_revenue=Decimal(1000),
            reported_on=dt.date(2020, 3, 1),
        )  # fmt: skip
    _, item = rd_policy(staff, district)
    run_match(on=TODAY)
    dated = []
    real = selectors.dated
    monkeypatch.setattr(selectors, "dated", lambda matches: dated.append(len(matches)) or real(matches))
    pages = [_get(client, staff, f"/items/{item.pk}/matches?limit=2&offset={o}").json() for o in (0, 2, 4)]
    assert dated == [2, 2, 1]  # never the item's whole list
    ids = [m["organisation_id"] for page in pages for m in page["items"]]
    assert sorted(ids) == sorted(f.pk for f in firms) and pages[0]["count"] == 5
    assert all(m["as_of"] == TODAY.isoformat() for page in pages for m in page["items"])
