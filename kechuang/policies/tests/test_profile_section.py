"""The policies a firm matches fill the 匹配的政策 place of its profile (企业画像, issue 28 ↔ 29): eligible and
nearly eligible items with their summaries, for the firm and its bureau; nothing for another district's
staff."""

import pytest
from django.urls import reverse

from kechuang.core.models import Region
from kechuang.core.tests.factories import UserFactory
from kechuang.policies.services.matching import run_match

from .conftest import TODAY, firm_with, rd_policy

pytestmark = pytest.mark.django_db


def test_the_profile_lists_the_firms_matches(client, staff, district, town):
    eligible = firm_with(town, rd=45, sales=1000)
    _policy, item = rd_policy(staff, district)
    run_match(on=TODAY)
    client.force_login(staff)
    page = client.get(reverse("insights:profile", args=[eligible.pk])).content.decode()
    assert 'id="section-policies"' in page and item.title in page and "符合" in page
    client.force_login(UserFactory(enterprise=True, organisation=eligible))
    assert item.title in client.get(reverse("insights:mine")).content.decode()
    client.force_login(UserFactory(staff=True, region=Region.objects.get(code="370303")))
    assert client.get(reverse("insights:profile", args=[eligible.pk])).status_code == 404
