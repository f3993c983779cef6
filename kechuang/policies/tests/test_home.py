"""The policies card on the home page: a firm's eligible and nearly eligible items with links; bureau staff's
eligible counts per policy and the 免申即享 batches still to move on; nothing for other roles."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.core.tests.factories import UserFactory
from kechuang.policies.models import Match
from kechuang.policies.services import awards
from kechuang.policies.services.matching import run_match

from .conftest import TODAY, budget, firm_with, rd_policy

D = Decimal
pytestmark = pytest.mark.django_db


def test_firm_home_shows_what_it_qualifies_and_nearly_qualifies_for(
    client, staff, district, town, enterprise_user, firm
):
    from kechuang.statistics.tests.factories import EnterpriseFactFactory

    EnterpriseFactFactory(
        organisation=firm, year=2019, rd_hnte=D(28), sales_revenue=D(1000), reported_on=dt.date(2020, 3, 1)
    )
    _, near_item = rd_policy(staff, district)
    run_match(on=TODAY)
    near = Match.objects.get(organisation=firm, item=near_item)
    client.force_login(enterprise_user)
    html = client.get(reverse("core:home")).content.decode()
    assert 'id="home-policies"' in html
    assert "data-home-eligible>0<" in html and "data-home-near>1<" in html
    assert f"{reverse('policies:mine')}#match-{near.pk}" in html
    assert "距离条件还差：研发费用 12万元" in html
    assert (
        f'id="match-{near.pk}"' in client.get(reverse("policies:mine")).content.decode()
    )  # the link's target


def test_staff_home_shows_eligible_counts_per_item_and_pending_batches(
    client, staff, district, town, other_district
):
    for rd in (45, 50, 28):
        firm_with(town, rd=rd, sales=1000)
    policy, item = rd_policy(staff, district)
    run_match(on=TODAY)
    batch = awards.batch_create(
        actor=staff, item=item, period=2020, as_of=TODAY, budget_line=budget(staff, district)
    )
    client.force_login(staff)
    html = client.get(reverse("core:home")).content.decode()
    assert 'id="home-policies"' in html
    row = html[html.index(reverse("policies:item_results", args=[item.pk])) :]
    assert row.index(">2<") < row.index(">1<") < row.index("</tr>")  # 2 eligible, 1 nearly eligible
    assert "data-home-batches>1<" in html and reverse("policies:batch_detail", args=[batch.pk]) in html
    client.force_login(
        UserFactory(staff=True, region=other_district)
    )  # another district: none of these firms
    html = client.get(reverse("core:home")).content.decode()
    assert "辖区内尚无施行中的政策" in html and "data-home-batches>0<" in html


def test_other_roles_get_no_policies_card(client):
    client.force_login(UserFactory(expert=True))
    assert 'id="home-policies"' not in client.get(reverse("core:home")).content.decode()
