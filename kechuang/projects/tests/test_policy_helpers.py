"""The role checks moved out of the supervision views and services (issue 24 item 4): the policies answer."""

import pytest

from kechuang.core.models import Region
from kechuang.core.tests.factories import UserFactory
from kechuang.projects import permissions

pytestmark = pytest.mark.django_db


def test_inspectors_are_active_bureau_users_of_the_region_or_above(staff, leader, enterprise_user, district):
    city = UserFactory(city=True)
    zhangdian = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    retired = UserFactory(staff=True, is_active=False)
    expert = UserFactory(expert=True)
    found = set(permissions.inspector_candidates(district))
    assert {staff, leader, city} <= found
    assert not found & {enterprise_user, zhangdian, retired, expert}


def test_reserve_owners_are_staff_of_the_users_region(staff, leader, district):
    zhangdian = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    owners = set(permissions.reserve_owner_candidates(staff))
    assert staff in owners and leader not in owners and zhangdian not in owners


def test_campaigns_are_opened_by_staff_only(staff, leader, enterprise_user):
    assert permissions.campaigns.allows_create(staff)
    assert not permissions.campaigns.allows_create(leader)
    assert not permissions.campaigns.allows_create(enterprise_user)
