"""快申快享: a firm confirms an item it qualifies for; only confirmed firms are listed; nobody else confirms."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kechuang.core.tests.factories import UserFactory
from kechuang.policies.models import Match
from kechuang.policies.services import awards
from kechuang.policies.services.confirmations import quick_confirm
from kechuang.policies.services.matching import run_match

from .conftest import TODAY, budget, firm_with, rd_policy

pytestmark = pytest.mark.django_db


def test_only_confirmed_firms_are_listed(client, staff, district, town):
    confirmed, _silent, _short = (firm_with(town, rd=rd, sales=1000) for rd in (45, 50, 20))
    user = UserFactory(enterprise=True, organisation=confirmed)
    _, item = rd_policy(staff, district, delivery="quick")
    run_match(on=TODAY)
    client.force_login(user)
    page = client.get(reverse("policies:mine")).content.decode()
    assert "确认申请（快申快享）" in page
    match = Match.objects.get(organisation=confirmed, item=item)
    response = client.post(reverse("policies:quick_confirm", args=[match.pk]))
    assert response.status_code == 302
    assert "本年度已确认申请" in client.get(reverse("policies:mine")).content.decode()
    with pytest.raises(ValidationError, match="已确认过2020年度"):
        quick_confirm(actor=user, match=match, on=TODAY)
    batch = awards.batch_create(
        actor=staff, item=item, period=2020, as_of=TODAY, budget_line=budget(staff, district)
    )
    assert list(batch.awards.values_list("organisation", flat=True)) == [confirmed.pk]


def test_nobody_confirms_for_another_firm_or_an_unmet_item(staff, district, town):
    eligible, short = firm_with(town, rd=45, sales=1000), firm_with(town, rd=20, sales=1000)
    _, item = rd_policy(staff, district, delivery="quick")
    run_match(on=TODAY)
    other = UserFactory(enterprise=True, organisation=short)
    with pytest.raises(PermissionDenied):
        quick_confirm(actor=other, match=Match.objects.get(organisation=eligible, item=item), on=TODAY)
    with pytest.raises(PermissionDenied):
        quick_confirm(actor=other, match=Match.objects.get(organisation=short, item=item), on=TODAY)
    with pytest.raises(PermissionDenied):
        quick_confirm(actor=staff, match=Match.objects.get(organisation=eligible, item=item), on=TODAY)
